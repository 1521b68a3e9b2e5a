"""Find a font file by family and style, through the fonts' own name tables (``fontTools``), as Nuke's Text2 does.

Folders are searched in order (the project's font path, ``NUKE_FONT_PATH``, plug-in folders, then the
system's font folders); each folder is read once per scan. A font found only in a system folder is
reported as such: the render node needs it installed. Without ``fontTools`` a family-only font stays
unresolved, with that reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from accsyn_dcc.scan.readable import regular_file_size

FONT_EXTENSIONS = (".ttf", ".otf", ".ttc", ".otc", ".pfb")
MAX_FONTS_PER_FOLDER = 5000
MAX_FONT_BYTES = 256 * 1024 * 1024


SYSTEM_FONTS_ENV = "ACCSYN_DCC_SYSTEM_FONTS"
"""Overrides the system font folders (``os.pathsep``-separated; empty: none), e.g. for a studio's font server."""


def system_font_folders(home: str, environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """Where Linux, macOS and Windows keep installed fonts (or ``ACCSYN_DCC_SYSTEM_FONTS``)."""
    if environ is not None and SYSTEM_FONTS_ENV in environ:
        return [folder for folder in environ[SYSTEM_FONTS_ENV].split(os.pathsep) if folder]
    return [
        "/usr/share/fonts", "/usr/local/share/fonts", os.path.join(home, ".fonts"),
        os.path.join(home, ".local", "share", "fonts"), "/Library/Fonts", "/System/Library/Fonts",
        os.path.join(home, "Library", "Fonts"), "C:/Windows/Fonts",
    ]  # fmt: skip


@dataclass(frozen=True)
class FontMatch:
    path: str
    system: bool


def font_tables_readable() -> bool:
    """True when ``fontTools`` is importable (it reads the name tables)."""
    import importlib.util

    return importlib.util.find_spec("fontTools") is not None


class FontFinder:
    """Family/style -> font file, reading each folder's name tables once."""

    def __init__(self, system_folders: Sequence[str]) -> None:
        self.system_folders = [os.path.normpath(folder) for folder in system_folders]
        self._folders: Dict[str, Dict[Tuple[str, str], str]] = {}

    def find(self, family: str, style: str, folders: Sequence[str]) -> Optional[FontMatch]:
        wanted = (family.strip().lower(), (style.strip() or "Regular").lower())
        for folder in [*folders, *self.system_folders]:
            found = self._names(folder).get(wanted)
            if found:
                return FontMatch(found, os.path.normpath(folder) in self.system_folders)
        return None

    def _names(self, folder: str) -> Dict[Tuple[str, str], str]:
        key = os.path.normpath(folder)
        if key not in self._folders:
            self._folders[key] = _read_folder(key)
        return self._folders[key]


def _read_folder(folder: str) -> Dict[Tuple[str, str], str]:
    """(family, style) of every font file under ``folder`` (lower case) -> its path."""
    try:
        from fontTools.ttLib import TTCollection, TTFont
    except ImportError:
        return {}
    names: Dict[Tuple[str, str], str] = {}
    count = 0
    for root, _dirs, files in os.walk(folder):
        for file_name in sorted(files):
            if not file_name.lower().endswith(FONT_EXTENSIONS[:4]):
                continue
            count += 1
            if count > MAX_FONTS_PER_FOLDER:
                return names
            path = os.path.join(root, file_name)
            try:
                regular_file_size(path, MAX_FONT_BYTES)
                if file_name.lower().endswith((".ttc", ".otc")):
                    fonts = list(TTCollection(path, lazy=True).fonts)
                else:
                    fonts = [TTFont(path, lazy=True, fontNumber=0)]
            except Exception:  # a damaged or unreadable font file is no match, never an error of the scan
                continue
            for font in fonts:
                for pair in _family_and_style(font):
                    names.setdefault(pair, path)
    return names


def _family_and_style(font: object) -> List[Tuple[str, str]]:
    try:
        table = font["name"]  # type: ignore[index]
    except Exception:
        return []
    pairs = []
    for family_id, style_id in ((16, 17), (1, 2)):  # typographic names first, then the legacy ones
        family, style = table.getDebugName(family_id), table.getDebugName(style_id)
        if family and style:
            pairs.append((family.strip().lower(), style.strip().lower()))
    return pairs


def text2_font(raw: str) -> Tuple[str, str, str]:
    """(family, style, file) of Text2's ``{{ Family : Style : file : index }}``; quotes taken off the file."""
    text = raw.strip()
    while text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    parts = [part.strip() for part in text.split(" : ")]
    if len(parts) < 3:
        parts = [part.strip() for part in text.split(":")]
    family = parts[0].strip('"') if parts else ""
    style = parts[1].strip('"') if len(parts) > 1 else ""
    file = parts[2].strip().strip('"') if len(parts) > 2 else ""
    return family, style, file
