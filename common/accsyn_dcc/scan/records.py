"""What a scene scan finds: dependencies, outputs, what could not be resolved, and scene facts.

Every host scanner (offline .nk reader, live Nuke, Blender, ...) returns these records, and
``accsyn-dcc scan --json`` prints ``ScanResult.to_dict()``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Dict, List, Optional, Tuple

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.sequences import FoundFiles


@dataclass
class Dependency:
    """One file a render reads, found on one (node, knob).

    ``path`` is absolute; for a sequence it is the pattern (``plate.%04d.exr``) and ``frames``
    names the frames the job needs, ``missing`` those not on disk (empty when complete). For a
    tiled (UDIM) texture ``tiles`` lists the tiles found on disk. A ``conditional`` dependency is
    read only when a setting the scanner could not evaluate says so (``condition`` tells which).
    """

    path: str
    kind: str
    node: str
    knob: str
    exists: bool
    frames: Optional[str] = None
    missing: str = ""
    tiles: List[str] = field(default_factory=list)
    conditional: bool = False
    condition: str = ""
    needed: bool = True
    """False when the job's frames never read it (a Read whose frames all fall outside, with ``black``)."""
    written_by: str = ""
    """The output of this scene that writes this file (a cache a ROP writes and a File SOP reads back): what of
    it is not on disk yet is for the render to make, not missing; what is on disk is sent like any file."""
    found_as: str = ""
    """For a missing file or frame: the file its folder holds under a name differing only in letter case or
    accent encoding (``sequences.folded_name``), which a case-insensitive disk reads but a Linux node does not."""
    variants: List[Dict[str, str]] = field(default_factory=list)
    """The values of the path's view tokens it was checked for, one mapping per view (``{"view": "left"}``)."""
    provided_by: str = ""
    """The host whose install on the render node provides this file (``Blender`` for its bundled brushes and
    assets; a Houdini ``$HFS`` or Maya resource file alike): listed, never sent, never missing or blocking."""
    files: Optional[Tuple[FoundFiles, ...]] = field(default=None, repr=False)
    """For a pattern, the files on disk its check matched (every present frame, view and tile), by folder: what
    the transfer sends; empty for a single path; None when no check made it (a record a reader built itself)."""

    @property
    def notes(self) -> str:
        """What a listing adds after its state: ``(its folder holds ...)``, ``(written by ...)``."""
        notes = [f"(its folder holds {self.found_as})" if self.found_as else "",
                 f"(written by {self.written_by})" if self.written_by else "",
                 f"(provided by the render node's {self.provided_by})" if self.provided_by else ""]  # fmt: skip
        return " ".join(filter(None, notes))


@dataclass
class Output:
    """A file or sequence the render writes."""

    node: str
    path: str
    range: Optional[FrameRange] = None
    """Its own frames (a Write's ``use_limit``, a layer's or ROP's range) as its reader built them; None: the job's."""
    views: List[str] = field(default_factory=list)
    file_type: str = ""
    is_movie: bool = False
    """Movie containers cannot be split into buckets: the whole range renders in one task."""


NO_OUTPUT_FILE = "no output file set, so it writes nothing to submit"
"""Why a Write or ROP with an empty file knob or parm is a finding on it, never an output left out unsaid."""


@dataclass
class Unresolved:
    """A knob value that names a file but could not be evaluated offline; never dropped."""

    node: str
    knob: str
    value: str
    reason: str


@dataclass
class ScanResult:
    """Everything one scan learned about a scene."""

    scene: str
    dependencies: List[Dependency] = field(default_factory=list)
    outputs: List[Output] = field(default_factory=list)
    unresolved: List[Unresolved] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    frame_range: Optional[FrameRange] = None
    """The scene's own range (Nuke root first_frame-last_frame, Blender frame_start-frame_end), as its reader
    built it: hosts, the session and the dialogs take it as it is, never parsing it again."""
    views: List[str] = field(default_factory=list)
    fps: Optional[float] = None
    facts: Dict[str, Any] = field(default_factory=dict)
    """Host-specific extras (proxy mode, colour management, Nuke version, ...)."""

    @property
    def missing(self) -> List[Dependency]:
        """Dependencies absent from disk, or with frames missing."""
        return [dep for dep in self.dependencies if (not dep.exists or dep.missing) and not dep.provided_by]

    def to_dict(self) -> Dict[str, Any]:
        """The record as JSON data, without the files each dependency's check matched (frames and tiles say them);
        the scene's range as accsyn range text."""
        dependencies = [replace(dependency, files=None) for dependency in self.dependencies]
        outputs = [replace(output, range=None) for output in self.outputs]
        data = asdict(replace(self, dependencies=dependencies, outputs=outputs, frame_range=None))
        for dependency in data["dependencies"]:
            del dependency["files"]
        data["frame_range"] = _text(self.frame_range)
        for output, written in zip(self.outputs, data["outputs"]):
            written["range"] = _text(output.range)
        return data


def _text(frames: Optional[FrameRange]) -> Optional[str]:
    """A range as accsyn range text (JSON), None as None."""
    return str(frames) if frames is not None else None


def quoted_value(raw: str) -> str:
    """A scene value as reported: at most 200 characters, control characters shown as escapes."""
    return escape_controls(raw if len(raw) <= 200 else raw[:197] + "...")


def escape_controls(text: str, keep: str = "") -> str:
    """``text`` with every control character but those in ``keep`` shown as its escape (``\x1b``, ``\n``)."""
    return "".join(char if char.isprintable() or char in keep else repr(char)[1:-1] for char in text)
