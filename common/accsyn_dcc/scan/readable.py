"""The one rule for a file a scan opens: a regular file (never a folder, device or pipe) of bounded size,
and the one rule for decoding a text scene file."""

from __future__ import annotations

import os
import stat

from accsyn_dcc.errors import AccsynDccError


class UnreadableFile(AccsynDccError):
    """Why a file is not read (never its contents)."""


def regular_file_size(path: str, max_bytes: int, what: str = "the file") -> int:
    """The size of ``path`` when a scan may read it; else raises ``UnreadableFile`` saying why."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise UnreadableFile(f"cannot read {what} ({error.strerror})") from None
    except ValueError:
        raise UnreadableFile("the path holds a NUL byte") from None
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableFile("not a regular file (a folder, device or pipe); not read")
    if status.st_size > max_bytes:
        raise UnreadableFile(f"larger than {max_bytes // (1024 * 1024)} MB; not read")
    return status.st_size


def shown(path: str) -> str:
    """A path as an error may print it (a NUL byte, which no real file name holds, shown as ``\\0``)."""
    return path.replace("\x00", "\\0")


def read_bounded(path: str, max_bytes: int, what: str = "the file") -> bytes:
    """The bytes of ``path`` under the rule above; ``UnreadableFile`` says why not (never what it holds)."""
    size = regular_file_size(path, max_bytes, what)
    try:
        with open(path, "rb") as stream:
            return stream.read(size + 1)
    except OSError as error:
        raise UnreadableFile(f"cannot read {what} ({error.strerror})") from None


def scene_text(data: bytes) -> str:
    """Decode a text scene file: UTF-8 (a byte-order mark dropped), else Latin-1 (every byte maps), CRLF folded."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n")
