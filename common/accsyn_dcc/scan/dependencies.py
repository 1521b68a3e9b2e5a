"""References checked against disk, each with what a found file brings in turn: an OCIO config its LUTs,
a USD layer every layer and asset it loads. The one loop every host's scan ends in."""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Mapping, Optional, Tuple

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.references import FileReference, check_reference
from accsyn_dcc.scan.ocio import config_dependencies
from accsyn_dcc.scan.records import Dependency, Output, ScanResult, Unresolved
from accsyn_dcc.scan.usd import is_usd, layer_dependencies
from accsyn_dcc.sequences import DirectoryIndex


def check_references(
    references: Iterable[FileReference],
    frames: Optional[FrameRange],
    index: Optional[DirectoryIndex] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Tuple[List[Dependency], List[Unresolved]]:
    """Dependencies (checked against disk, each path once per node and attribute, each followed by what it
    brings) and unresolved values. ``environ`` (default: this process's) fills an OCIO config's variables."""
    index = index or DirectoryIndex()
    environment = os.environ if environ is None else environ
    dependencies: List[Dependency] = []
    unresolved: List[Unresolved] = []
    seen = set()
    for reference in references:
        key = (reference.node, reference.attribute, reference.path)
        if reference.path is not None and key in seen:
            continue
        seen.add(key)
        checked = check_reference(reference, frames, index)
        if isinstance(checked, Unresolved):
            unresolved.append(checked)
            continue
        brought, not_resolved = brought_by(checked, environment, index)
        dependencies += [checked, *brought]
        unresolved += not_resolved
    return dependencies, unresolved


def finish_scan(
    result: ScanResult,
    references: Iterable[FileReference] = (),
    frames: Optional[FrameRange] = None,
    index: Optional[DirectoryIndex] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> ScanResult:
    """The last step of every reader, once its outputs are known: the references still to check are checked
    against disk (``check_references``) and added, then each file an output of the same scene writes is marked
    ``written_by`` it. One step, so no reader can leave one of them out."""
    found, unresolved = check_references(references, frames, index, environ)
    result.dependencies += found
    result.unresolved += unresolved
    note_written(result.dependencies, result.outputs)
    return result


def note_written(dependencies: Iterable[Dependency], outputs: Iterable[Output]) -> None:
    """Mark each dependency that an output of the same scene writes with that output's node (the first one
    listed: the writing ROP comes before the fetch and merge ROPs that run it)."""
    writers: Dict[str, str] = {}
    for output in outputs:
        writers.setdefault(os.path.normpath(output.path), output.node)
    for dependency in dependencies:
        dependency.written_by = writers.get(os.path.normpath(dependency.path), "")


def brought_by(
    dependency: Dependency, environ: Mapping[str, str], index: DirectoryIndex
) -> Tuple[List[Dependency], List[Unresolved]]:
    """What a found file loads in turn, on its node and attribute: an OCIO config's LUTs, a USD layer's layers
    and assets; and what of that stays unresolved. Nothing for any other file."""
    found, unresolved = config_dependencies(dependency, environ, index)
    if is_usd(dependency.path):
        loaded, not_resolved = layer_dependencies(dependency, index)
        found += loaded
        unresolved += not_resolved
    return found, unresolved
