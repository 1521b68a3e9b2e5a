"""Which knobs of which node classes name files a render reads or writes (data, not code), for the live adapter
and the offline scanner alike."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Dict, FrozenSet, List, Optional, Tuple


@dataclass(frozen=True)
class KnobRule:
    """``knob`` of a node names a file of ``kind``, when the ``when`` boolean knob (if any) is on."""

    knob: str
    kind: str
    when: Optional[str] = None
    frames: bool = False
    """The file may be a frame sequence, checked for the job's frames."""


def _cameras(names: Tuple[str, ...]) -> Dict[str, List[KnobRule]]:
    return {name: [KnobRule("file", "camera", when="read_from_file")] for name in names}


INPUT_RULES: Dict[str, List[KnobRule]] = {
    "Read": [KnobRule("file", "read", frames=True)],
    "DeepRead": [KnobRule("file", "deepread", frames=True)],
    "ReadGeo": [KnobRule("file", "geo", frames=True)],
    "ReadGeo2": [KnobRule("file", "geo", frames=True)],
    "OCIOFileTransform": [KnobRule("file", "lut")],
    "OCIOCDLTransform": [KnobRule("file", "lut", when="read_from_file")],
    "Vectorfield": [KnobRule("vfield_file", "lut")],
    "Text": [KnobRule("font", "font")],
    "Precomp": [KnobRule("file", "precomp")],
    "LiveGroup": [KnobRule("file", "livegroup")],
    "LiveInput": [KnobRule("file", "precomp")],
    "Write": [KnobRule("file", "read", when="reading", frames=True)],
    **_cameras(("Camera", "Camera2", "Camera3", "Camera4", "Axis", "Axis2", "Axis3", "Axis4")),
}
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
