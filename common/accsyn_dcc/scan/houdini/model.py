"""A Houdini scene as both Houdini readers see it: nodes with their parms' raw values, variables, libraries.

The offline ``.hip`` reader fills it from the file's sections; the live scan fills it through ``hou``
(each parm's unexpanded string). The scan then expands and checks both the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional


@dataclass(frozen=True)
class ParmValue:
    """One parm component as saved: its raw text, or the channel (keyframes, expression) driving it."""

    raw: str
    channel: Optional[str] = None
    """The channel's name when the parm is animated or driven by an expression; ``raw`` is then its last value."""
    expression: str = ""
    """The channel's expression, when it has one."""
    error: str = ""
    """Why the host could not read the parm (the live scan); the parm is then reported unresolved with it."""


@dataclass
class HipNode:
    """One operator: its full path (``/obj/geo1/file1``), type name and parms (name -> components)."""

    path: str
    type: str
    parms: Dict[str, List[ParmValue]] = field(default_factory=dict)
    bypassed: bool = False
    inputs: List[str] = field(default_factory=list)
    """Full paths of the nodes wired into this one, in input order."""
    category: str = ""
    """Houdini's node type category (``Sop``, ``Driver``, ``Lop``...): a type name means a node of it only
    within its category (an ``alembic`` SOP reads, an ``alembic`` ROP writes)."""

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]

    def first(self, parm: str) -> Optional[ParmValue]:
        values = self.parms.get(parm)
        return values[0] if values else None

    def number(self, parm: str, index: int = 0, default: float = 0.0) -> float:
        values = self.parms.get(parm) or []
        if index >= len(values):
            return default
        try:
            return float(values[index].raw)
        except ValueError:
            return default


@dataclass
class HipScene:
    """Everything a scan reads from one Houdini scene."""

    path: str
    nodes: List[HipNode] = field(default_factory=list)
    variables: Dict[str, str] = field(default_factory=dict)
    """The scene's global variables (``set -g``), as saved."""
    frame_range: Optional[List[float]] = None
    """``[first, last]`` of the playbar."""
    current_frame: float = 1.0
    fps: Optional[float] = None
    libraries: List[str] = field(default_factory=list)
    """HDA/OTL files the scene loads, as saved."""
    file_format: str = "hip"
    """``hip``, ``hiplc`` or ``hipnc``."""
    houdini_version: str = ""
    problems: List[str] = field(default_factory=list)
    """What the reader left unread, one line each naming the file and the node, parm or variable (never its text)."""
