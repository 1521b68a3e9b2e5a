"""The sections of a Houdini scene file: an old-portable cpio archive (``070707`` headers) of text sections.

``.hip`` files use cpio's ASCII "odc" header: a six-character magic, then octal fields of fixed width,
the section's name (NUL-terminated) and its bytes; the archive ends at ``TRAILER!!!``. Sizes are
unsigned octal, checked against the file before anything is read, so every step of the walk moves forward
and the walk reads each byte once. Houdini Indie (``.hiplc``) and Apprentice (``.hipnc``) files start each
section with ``HouLC\x1a`` (``HouNC\x1a``) and 28 hex characters, then the name (NUL-terminated) and the
same text, up to the next section's magic (or ``TRAILER!!!``, or the end of the file).
"""

from __future__ import annotations

from typing import Dict, List, Tuple

from accsyn_dcc.errors import AccsynDccError

MAGICS = {b"070707": "hip", b"HouLC\x1a": "hiplc", b"HouNC\x1a": "hipnc"}
HEADER_BYTES = 76
LICENSED_HEADER_BYTES = 6 + 28
"""The magic and the 28 hex characters before a ``.hiplc``/``.hipnc`` section's name."""
MAX_NAME_BYTES = 0o777777
"""The longest section name read (the largest a cpio header can state)."""
_HEX = frozenset(b"0123456789abcdefABCDEF")
TRAILER = "TRAILER!!!"
MAX_SECTIONS = 2_000_000
# odc header after the 6-byte magic: dev ino mode uid gid nlink rdev (6 each), mtime (11), namesize (6), filesize (11)
_NAMESIZE = slice(59, 65)
_FILESIZE = slice(65, 76)


class HipError(AccsynDccError):
    """A Houdini scene file that cannot be read, with where the problem is (never the file's contents)."""

    def __init__(self, path: str, offset: int, message: str) -> None:
        self.path, self.offset = path, offset
        super().__init__(f"{path}: {message}" + (f" (at byte {offset})" if offset else ""))


def sections(data: bytes, path: str = "<scene>") -> Tuple[str, List[Tuple[str, bytes]]]:
    """``(format, [(section name, bytes)])`` of a scene file's archive, in file order."""
    kind = MAGICS.get(data[:6])
    if kind is None:
        raise HipError(path, 0, "not a Houdini scene file (no 070707, HouLC or HouNC section header)")
    if kind != "hip":
        return kind, _licensed_sections(data, path, data[:6])
    found: List[Tuple[str, bytes]] = []
    offset = 0
    while True:
        header = data[offset : offset + HEADER_BYTES]
        if len(header) < HEADER_BYTES:
            raise HipError(path, offset, "the archive ends without its TRAILER!!! entry (a truncated file?)")
        if header[:6] not in MAGICS:
            raise HipError(path, offset, "a section header is damaged")
        try:
            if not (header[_NAMESIZE].isdigit() and header[_FILESIZE].isdigit()):  # no sign, space or underscore
                raise ValueError
            name_size, file_size = int(header[_NAMESIZE], 8), int(header[_FILESIZE], 8)
        except ValueError:
            raise HipError(path, offset, "a section header holds a size that is not an unsigned octal number") from None
        name_start = offset + HEADER_BYTES
        body_start = name_start + name_size
        end = body_start + file_size
        if name_size < 1 or end > len(data):
            raise HipError(path, offset, "a section is larger than the file (a truncated file?)")
        name = data[name_start : body_start - 1].decode("utf-8", "replace")
        if name == TRAILER:
            return kind, found
        found.append((name, data[body_start:end]))
        if len(found) > MAX_SECTIONS:
            raise HipError(path, offset, f"more than {MAX_SECTIONS} sections; not read")
        offset = end


def _licensed_sections(data: bytes, path: str, magic: bytes) -> List[Tuple[str, bytes]]:
    """The sections of a ``.hiplc``/``.hipnc``: each runs from its header to the next one's magic."""
    found: List[Tuple[str, bytes]] = []
    offset = 0
    while offset < len(data):
        header = data[offset : offset + LICENSED_HEADER_BYTES]
        if len(header) < LICENSED_HEADER_BYTES or not _HEX.issuperset(header[6:]):
            raise HipError(path, offset, "a section header is damaged")
        name_start = offset + LICENSED_HEADER_BYTES
        name_end = data.find(b"\x00", name_start, name_start + MAX_NAME_BYTES)
        if name_end < 0:
            raise HipError(path, offset, "a section name does not end (a truncated file?)")
        name = data[name_start:name_end].decode("utf-8", "replace")
        if name == TRAILER:
            break
        end = data.find(magic, name_end + 1)
        end = len(data) if end < 0 else end
        found.append((name, data[name_end + 1 : end]))
        if len(found) > MAX_SECTIONS:
            raise HipError(path, offset, f"more than {MAX_SECTIONS} sections; not read")
        offset = end
    return found


def text_sections(data: bytes, path: str = "<scene>") -> Tuple[str, Dict[str, str]]:
    """The sections as text (UTF-8, else Latin-1); a binary section (geometry, images) is kept as empty text."""
    kind, found = sections(data, path)
    texts: Dict[str, str] = {}
    for name, body in found:
        if b"\x00" in body[:4096]:
            texts[name] = ""
            continue
        try:
            texts[name] = body.decode("utf-8")
        except UnicodeDecodeError:
            texts[name] = body.decode("latin-1")
    return kind, texts
