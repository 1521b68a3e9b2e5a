"""Frame sequences on disk: patterns, a directory index that lists each folder once, missing frames.

Patterns follow Nuke: ``%04d`` / ``%4d`` (padded), ``%d`` (unpadded), ``#`` (one digit per ``#``),
``%V`` (view name) and ``%v`` (its first letter). A frame wider than the padding is written in
full (``%04d`` of 12345 is ``12345``), as Nuke does. Existence is answered from one listing per
folder, never by a stat per frame.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence

from accsyn_dcc.ranges import FrameRange, compact

_FRAME_TOKEN = re.compile(r"%0?(\d*)d|#+")
_VIEW_TOKEN = re.compile(r"%[Vv]")


class DirectoryIndex:
    """Lists each folder once (thread-safe) and answers existence questions from the listing."""

    def __init__(self) -> None:
        self._listings: Dict[str, FrozenSet[str]] = {}
        self._lock = threading.Lock()
        self.listing_calls = 0

    def names(self, folder: str) -> FrozenSet[str]:
        key = os.path.normpath(folder)
        with self._lock:
            cached = self._listings.get(key)
        if cached is not None:
            return cached
        try:
            with os.scandir(key) as entries:
                listing = frozenset(entry.name for entry in entries)
        except OSError:
            listing = frozenset()
        with self._lock:
            self.listing_calls += 1
            self._listings.setdefault(key, listing)
            return self._listings[key]

    def exists(self, path: str) -> bool:
        folder, name = os.path.split(os.path.normpath(path))
        return bool(name) and name in self.names(folder or ".")


@dataclass(frozen=True)
class SequencePattern:
    """A file path that may hold frame and view tokens."""

    path: str

    @property
    def is_sequence(self) -> bool:
        return _FRAME_TOKEN.search(os.path.basename(self.path)) is not None

    @property
    def has_views(self) -> bool:
        return _VIEW_TOKEN.search(self.path) is not None

    def path_for(self, frame: Optional[int] = None, view: Optional[str] = None) -> str:
        """The concrete file for ``frame`` and ``view``."""

        def frame_text(match: re.Match[str]) -> str:
            token = match.group(0)
            width = len(token) if token.startswith("#") else int(match.group(1) or 0)
            return str(frame).zfill(width) if frame is not None else token

        text = _VIEW_TOKEN.sub(lambda match: _view_text(match.group(0), view), self.path)
        folder, name = os.path.split(text)
        return (
            os.path.join(folder, _FRAME_TOKEN.sub(frame_text, name)) if folder else _FRAME_TOKEN.sub(frame_text, name)
        )


def _view_text(token: str, view: Optional[str]) -> str:
    if view is None:
        return token
    return view if token == "%V" else view[:1]


@dataclass(frozen=True)
class PathCheck:
    """What the disk holds for one dependency path."""

    exists: bool
    is_sequence: bool
    frames: Optional[str]
    """The frames needed (range text), None for a single file."""
    missing: str
    """The needed frames not on disk (compact range text), empty when complete."""


def check_path(path: str, frames: Optional[FrameRange], views: Sequence[str], index: DirectoryIndex) -> PathCheck:
    """Check ``path`` (a file or a pattern) for ``frames`` and ``views`` against ``index``."""
    pattern = SequencePattern(path.replace("\\", "/") if os.sep == "/" else path)
    view_names: Sequence[Optional[str]] = list(views) if pattern.has_views and views else [None]
    if not pattern.is_sequence or frames is None:
        present = all(index.exists(pattern.path_for(None, view)) for view in view_names)
        return PathCheck(present, pattern.is_sequence, None, "")
    needed: Iterable[int] = frames.frames()
    missing: List[int] = []
    found_any = False
    for frame in needed:
        if all(index.exists(pattern.path_for(frame, view)) for view in view_names):
            found_any = True
        else:
            missing.append(frame)
    return PathCheck(found_any, True, str(frames), compact(missing))
