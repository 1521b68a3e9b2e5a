"""Which paths a job sends as dependencies, and how much that is.

The rule: a single file is sent as it is, and so is a folder the render reads whole (a simulation bake),
with every file under it counted. A sequence (frames, views, UDIM tiles) is sent as its
folder only when that folder holds nothing but files the job needs (of that sequence, or of other
sequences the job reads from the same folder); otherwise each needed file is sent on its own. A
plate folder holding ten versions of a plate therefore sends only the
frames of the one version the script reads, for the frames the job renders, instead of all ten.
Missing files are never listed (they are findings of their own). The files are those each dependency's
check found (``Dependency.files``): the plan neither parses a path again nor lists a folder again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, List, Optional, Tuple

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Dependency
from accsyn_dcc.sequences import DirectoryIndex, check_path
from accsyn_dcc.tokens import PathPattern


@dataclass(frozen=True)
class TransferPlan:
    """The dependency paths to send (files, or whole folders) and the files behind them, by folder."""

    paths: Tuple[str, ...]
    folders: Tuple[Tuple[str, Tuple[str, ...]], ...] = field(default=(), repr=False)
    """``(folder, names)`` of every file the paths stand for (a folder's files listed)."""

    @property
    def file_count(self) -> int:
        return sum(len(names) for _folder, names in self.folders)

    @property
    def files(self) -> List[str]:
        """Every file, as a full path (built on demand: a big job has hundreds of thousands)."""
        return [os.path.join(folder, name) for folder, names in self.folders for name in names]

    def byte_count(self) -> int:
        """Bytes to sync (one stat per file; call it off a host's UI thread)."""
        return byte_count(self.files)

    def __add__(self, other: TransferPlan) -> TransferPlan:
        merged: Dict[str, Dict[str, None]] = {}
        for folder, names in self.folders + other.folders:
            merged.setdefault(folder, {}).update(dict.fromkeys(names))
        folders = tuple((folder, tuple(names)) for folder, names in merged.items())
        return TransferPlan(tuple(dict.fromkeys(self.paths + other.paths)), folders)


def byte_count(files: Iterable[str]) -> int:
    """The total size of ``files``; a file gone since the scan counts nothing."""
    total = 0
    for path in files:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue
    return total


def plan_transfer(dependencies: Iterable[Dependency], index: Optional[DirectoryIndex] = None) -> TransferPlan:
    """The paths that send exactly the existing files ``dependencies`` need (see the module rule): the files
    their check found, grouped by folder, with no folder listed again."""
    index = index or DirectoryIndex()
    singles: Dict[str, None] = {}
    by_folder: Dict[str, Dict[str, None]] = {}
    listed: Dict[str, int] = {}
    for dependency in (_checked(dependency, index) for dependency in dependencies):
        if not dependency.exists or not dependency.needed or dependency.provided_by:
            continue
        if not dependency.files:
            singles[dependency.path] = None
        for found in dependency.files or ():
            by_folder.setdefault(found.folder, {}).update(dict.fromkeys(found.names))
            listed[found.folder] = found.listed
    paths: Dict[str, None] = {}
    for folder, names in by_folder.items():
        if len(names) == listed[folder]:  # the names come from the listing: as many means all of it
            paths[folder] = None
        else:
            paths.update((os.path.join(folder, name), None) for name in names)
    folders = tuple((folder, tuple(names)) for folder, names in by_folder.items())
    return sent_as_they_are(singles, index) + TransferPlan(tuple(paths), folders)


def _checked(dependency: Dependency, index: DirectoryIndex) -> Dependency:
    """``dependency`` with its ``files``: a record a reader built itself rather than through
    ``check_reference`` has its pattern checked here, once; a single path has none (it is sent as it is)."""
    if dependency.files is not None:
        return dependency
    if not PathPattern.parse(dependency.path).tokens:
        return replace(dependency, files=())
    frames = FrameRange.parse(dependency.frames) if dependency.frames else None
    check = check_path(dependency.path, frames, dependency.variants, index)
    return replace(dependency, exists=dependency.exists and check.exists, files=check.files)


def sent_as_they_are(paths: Iterable[str], index: Optional[DirectoryIndex] = None) -> TransferPlan:
    """Paths sent as they are: a file itself, a folder (a bake, one the artist added) whole, with every file
    under it counted."""
    index = index or DirectoryIndex()
    unique = tuple(dict.fromkeys(paths))
    folders: List[Tuple[str, Tuple[str, ...]]] = []
    for path in unique:
        if index.entry_kind(path) == "folder":
            folders += [(folder, tuple(sorted(names))) for folder, _subfolders, names in os.walk(path)]
        else:
            folders.append((os.path.dirname(path), (os.path.basename(path),)))
    return TransferPlan(unique, tuple(folders))


def describe_size(byte_count: int) -> str:
    """``1.2 GB`` style, for summaries."""
    if byte_count < 1000:
        return f"{byte_count} bytes"
    size = float(byte_count)
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1000
        if size < 1000 or unit == "TB":
            break
    return f"{size:.1f} {unit}"
