"""Which knobs of which node classes name files a render reads (``FILE_RULES``, rows of the shared ``FileRule``)
or writes (data, not code), for the live adapter and the offline scanner alike."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import FrozenSet, Tuple

from accsyn_dcc.scan.node_rules import TOKENS, FileRule, by_node_type
from accsyn_dcc.scan.node_rules import FieldName as F

FILE, READ_FROM_FILE = F("file"), F("read_from_file")
_CAMERAS = ("Camera", "Camera2", "Camera3", "Camera4", "Axis", "Axis2", "Axis3", "Axis4")
FILE_RULES: Tuple[FileRule, ...] = (
    FileRule("Read", FILE, "read", TOKENS),
    FileRule("DeepRead", FILE, "deepread", TOKENS),
    FileRule("ReadGeo", FILE, "geo", TOKENS),
    FileRule("ReadGeo2", FILE, "geo", TOKENS),
    FileRule("OCIOFileTransform", FILE, "lut"),
    FileRule("OCIOCDLTransform", FILE, "lut", enabled_by=READ_FROM_FILE),
    FileRule("Vectorfield", F("vfield_file"), "lut"),
    FileRule("Text", F("font"), "font"),
    FileRule("Precomp", FILE, "precomp"),
    FileRule("LiveGroup", FILE, "livegroup"),
    FileRule("LiveInput", FILE, "precomp"),
    FileRule("Write", FILE, "read", TOKENS, enabled_by=F("reading")),
    *(FileRule(name, FILE, "camera", enabled_by=READ_FROM_FILE) for name in _CAMERAS),
)
"""The knobs naming files a render reads (``node_rules``): a ``TOKENS`` file is a sequence read through the node's
own timing (a Read's first and last frame), checked for the job's frames; an ``enabled_by`` knob is a toggle."""
RULES_BY_TYPE = by_node_type(FILE_RULES)
SCRIPT_KINDS = {"precomp", "livegroup"}
"""Kinds whose file is itself a Nuke script, scanned in turn."""
OUTPUT_CLASSES = {"Write": "file", "DeepWrite": "file", "WriteGeo": "file", "GenerateLUT": "file"}
"""Node classes that write a file, and the knob naming it (its ``proxy`` knob when the script renders in proxy
mode); a node whose ``reading`` knob is on reads that file instead."""
MOVIE_TYPES = frozenset({"mov", "mov32", "mov64", "mp4", "m4v", "mxf", "avi", "webm", "mkv", "gif", "r3d", "ffmpeg"})
"""Write ``file_type`` values (or file extensions) that hold every frame in one file: never split into buckets."""


@lru_cache(maxsize=1)
def builtin_classes() -> FrozenSet[str]:
    """Nuke's own node classes (12-16); any other class is a gizmo or plug-in to resolve."""
    text = resources.files("accsyn_dcc").joinpath("data/nuke_builtin_classes.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def is_builtin(node_class: str) -> bool:
    return node_class in builtin_classes() or node_class.split(".")[-1] in builtin_classes()
