"""The folders an XGen collection file (``.xgen``) keeps its data in: descriptions, maps, guides, caches.

The ``Palette`` block names them in ``xgDataPath`` (several joined by ``;``), usually below
``${PROJECT}``, which is the block's ``xgProjectPath`` (else the Maya project). The file is read as text,
bounded; one that cannot be read gives no folders (the ``.xgen`` itself is still reported and sent).
"""

from __future__ import annotations

import os
import re
from typing import List, Tuple

from accsyn_dcc.scan.readable import UnreadableFile, read_bounded, scene_text

MAX_XGEN_BYTES = 64 * 1024 * 1024
_FIELD = re.compile(r"^\s*(xgDataPath|xgProjectPath)[ \t]+(.*?)\s*$", re.M)


def collection_folders(xgen_file: str, project_root: str) -> List[Tuple[str, str]]:
    """``(value as saved, absolute folder)`` for each data folder the collection names."""
    try:
        text = scene_text(read_bounded(xgen_file, MAX_XGEN_BYTES, "the XGen file"))
    except UnreadableFile:
        return []
    fields = dict(_FIELD.findall(text))
    project = (fields.get("xgProjectPath") or project_root).rstrip("/\\") + "/"
    folders: List[Tuple[str, str]] = []
    for entry in (part.strip() for part in fields.get("xgDataPath", "").split(";")):
        if not entry:
            continue
        path = entry.replace("${PROJECT}", project).replace("$PROJECT", project)
        if not os.path.isabs(path):
            path = os.path.join(os.path.dirname(xgen_file), path)
        folders.append((entry, os.path.normpath(path).replace("\\", "/")))
    return folders
