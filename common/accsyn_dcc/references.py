"""The reference model: what a host hands the core about one file its render may read, and the check against disk.

A host collector (live Nuke, Blender, Maya, Houdini) or an offline reader makes one ``FileReference``
per (node, attribute) that names a file, with the value as stored and the path as evaluated;
``check_reference`` turns one into a ``Dependency``: the reference with what its check found on disk (frames,
tiles, the view values and the files matched, which the transfer plan sends as they are), listing each folder
once (``scan.dependencies`` checks them all, with what each found file brings). A reference whose path could
not be evaluated is kept as ``Unresolved``, never dropped.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence, Tuple, Union

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Dependency, Unresolved, quoted_value
from accsyn_dcc.sequences import DirectoryIndex, Variant, check_path
from accsyn_dcc.tokens import PathPattern, TokenError

MAX_FRAMES_PER_FILE = 100_000
"""More frames than this for one sequence is reported unresolved instead of checked frame by frame."""


def too_many_frames(count: int) -> str:
    """Why a file needing ``count`` frames is reported instead of checked frame by frame; empty when it is checked."""
    return f"{count} frames to check, more than {MAX_FRAMES_PER_FILE}" if count > MAX_FRAMES_PER_FILE else ""


@dataclass(frozen=True)
class FileReference:
    """One file (or pattern) a render may read, as a host found it."""

    node: str
    """Full node name (``Group1.Read2``, ``|geo|fileShape``, ``/obj/geo1/file1``, ``Image 'wood'``)."""
    attribute: str
    """The knob, attribute or parm holding the path (``file``, ``fileTextureName``, ``filepath``)."""
    raw: str
    """The value as stored in the scene, before evaluation."""
    path: Optional[str]
    """The evaluated absolute path (may hold frame, tile and view tokens); None when it could not be evaluated."""
    kind: str = "file"
    """What the file is to the render: ``read``, ``texture``, ``cache``, ``reference``, ``font``, ``lut``..."""
    frames: Optional[FrameRange] = None
    """The frames this reference needs when it differs from the job's (a clip's own range); None: the job's."""
    frame_dependent: bool = True
    """False for a path whose frame tokens do not follow the job frames (checked as one file)."""
    required: bool = True
    """False when a setting the collector could not evaluate decides whether the file is read."""
    condition: str = ""
    """Why the reference is conditional, or why its path could not be evaluated."""
    variants: Tuple[Mapping[str, str], ...] = field(default_factory=tuple)
    """Values for the path's view tokens, one mapping per view; empty when it has none."""
    needed: bool = True
    """False for a file the job's frames never read: checked and reported, never sent."""
    provided_by: str = ""
    """The host whose install on the render node provides the file (``Dependency.provided_by``): not checked here."""
    folder: bool = False
    """True when the path names a folder the render reads whole (a simulation bake, XGen data); a path
    that should name a file but names a folder (a typo, an empty file name) is reported, never sent."""


def check_reference(
    reference: FileReference, frames: Optional[FrameRange], index: DirectoryIndex
) -> Union[Dependency, Unresolved]:
    """One reference as a ``Dependency`` carrying what its check found, or ``Unresolved`` when its path could not
    be evaluated or a token in it cannot be filled."""
    if reference.path is None:
        return _unresolved(reference, reference.condition)
    if reference.provided_by:
        return Dependency(reference.path, reference.kind, reference.node, reference.attribute, exists=True,
                          provided_by=reference.provided_by, files=())  # fmt: skip
    needed = (reference.frames or frames) if reference.frame_dependent else None
    variants: Sequence[Variant] = reference.variants
    try:
        too_many = too_many_frames(len(needed)) if needed is not None else ""
        if too_many and PathPattern.parse(reference.path).is_sequence:
            return _unresolved(reference, f"{too_many}; narrow the job's range")
        check = check_path(reference.path, needed, variants, index)
    except TokenError as error:
        return _unresolved(reference, str(error))
    if check.unresolved:
        return _unresolved(reference, f"no value for the {', '.join(check.unresolved)} token(s)")
    if check.exists and check.folder != reference.folder:
        return _unresolved(
            reference, "it names a folder, not a file" if check.folder else "it names a file, not a folder"
        )
    return Dependency(
        path=reference.path,
        kind=reference.kind,
        node=reference.node,
        knob=reference.attribute,
        exists=check.exists,
        frames=check.frames,
        missing=check.missing,
        tiles=check.tiles,
        conditional=not reference.required,
        condition=reference.condition if not (reference.required and reference.needed) else "",
        needed=reference.needed,
        found_as=check.found_as,
        variants=[dict(variant) for variant in variants],
        files=check.files,
    )


_PATH_SHAPED = re.compile(r"^[^\n]{0,4095}[\\/][^\n\\/]*\.[A-Za-z][A-Za-z0-9]{0,7}$")
UNKNOWN_KIND_CONDITION = "its node, of a type accsyn does not know, uses this path"
"""Why a path-shaped value of an unknown node type is reported as conditional (never dropped, never assumed)."""


def looks_like_a_file(value: str) -> bool:
    """True for a one-line value with a folder separator and a file extension (``/a/b.exr``, ``$HIP/x.bgeo.sc``)."""
    return bool(_PATH_SHAPED.match(value.strip()))


def _unresolved(reference: FileReference, reason: str) -> Unresolved:
    """``reference`` as unresolved for ``reason``, its value as reported (``quoted_value``)."""
    return Unresolved(reference.node, reference.attribute, quoted_value(reference.raw), reason)


def absolute_path(value: str, base_folder: str, blender_relative: bool = False) -> str:
    """``value`` made absolute against ``base_folder``, normalised, tokens kept.

    With ``blender_relative`` a leading ``//`` means "relative to the .blend" (Blender's notation),
    not a UNC path.
    """
    text = value.strip()
    if blender_relative and text.startswith("//"):
        text = text[2:]
    if not is_absolute_path(text):
        text = os.path.join(base_folder, text).replace("\\", "/")
    if text.startswith("/") and not text.startswith("//"):
        text = posixpath.normpath(text)
    return text


def is_absolute_path(text: str) -> bool:
    """True for POSIX, drive-letter and UNC paths, on any OS."""
    return text.startswith(("/", "\\")) or (len(text) > 2 and text[1] == ":" and text[2] in "/\\")
