"""Which paths a job sends as dependencies, and how much that is.

The rule: a single file is sent as it is. A sequence (frames, views, UDIM tiles) is sent as its
folder only when that folder holds nothing but files the job needs (of that sequence, or of other
sequences the job reads from the same folder); otherwise each needed file is sent on its own. A
plate folder holding ten versions of a plate therefore sends only the
frames of the one version the script reads, for the frames the job renders, instead of all ten.
Missing files are never listed (they are findings of their own).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from accsyn_dcc.scan.records import Dependency
from accsyn_dcc.sequences import DirectoryIndex, Variant, needed_files
from accsyn_dcc.tokens import PathPattern


@dataclass(frozen=True)
class TransferPlan:
    """The dependency paths to send (files, or whole folders) and the files behind them."""

    paths: Tuple[str, ...]
    files: Tuple[str, ...] = field(default=(), repr=False)
    """Every file the paths stand for (a folder's files expanded)."""

    @property
    def file_count(self) -> int:
        return len(self.files)

    def byte_count(self) -> int:
        """Bytes to sync (one stat per file; call it off a host's UI thread)."""
        return byte_count(self.files)


def byte_count(files: Iterable[str]) -> int:
    """The total size of ``files``; a file gone since the scan counts nothing."""
    total = 0
    for path in files:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue
    return total


def plan_transfer(
    dependencies: Iterable[Dependency],
    variants: Sequence[Variant] = (),
    index: Optional[DirectoryIndex] = None,
) -> TransferPlan:
    """The paths that send exactly the existing files ``dependencies`` need (see the module rule)."""
    index = index or DirectoryIndex()
    paths: Dict[str, None] = {}
    files: Dict[str, None] = {}
    by_folder: Dict[str, List[str]] = {}
    for dependency in dependencies:
        if not dependency.exists:
            continue
        pattern = PathPattern.parse(dependency.path)
        if not pattern.tokens:
            paths.setdefault(dependency.path)
            files.setdefault(dependency.path)
            continue
        needed = needed_files(dependency.path, dependency.frames, dependency.missing, variants, index)
        for path in needed:
            by_folder.setdefault(os.path.dirname(path), []).append(path)
    for folder, wanted in by_folder.items():
        names = {os.path.basename(path) for path in wanted}
        listing = index.names(folder)
        if listing and names == set(listing):
            paths.setdefault(folder)
        else:
            for path in wanted:
                paths.setdefault(path)
        for path in wanted:
            files.setdefault(path)
    return TransferPlan(tuple(paths), tuple(files))


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
