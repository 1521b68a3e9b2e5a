"""Files on disk for a path pattern: a directory index that lists each folder once, frames, tiles, views.

The tokens a pattern may hold are those of ``accsyn_dcc.tokens``. Existence is answered from one
listing per folder, never by a stat per frame: the needed names are built in C and checked as a set.
"""

from __future__ import annotations

import itertools
import operator
import os
import stat
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from accsyn_dcc.ranges import FrameRange, compact
from accsyn_dcc.tokens import PathPattern, tile_label

Variant = Mapping[str, str]
"""Values for a pattern's view tokens (``{"view": "left"}``, ``{"camera": "shotCam"}``)."""


class DirectoryIndex:
    """Lists each folder once (thread-safe) and answers existence questions from the listing."""

    def __init__(self) -> None:
        self._listings: Dict[str, FrozenSet[str]] = {}
        self._kinds: Dict[str, str] = {}
        self._folded: Dict[str, Dict[str, str]] = {}
        self._lock = threading.Lock()
        self.listing_calls = 0

    def names(self, folder: str) -> FrozenSet[str]:
        key = os.path.normpath(folder)
        with self._lock:
            cached = self._listings.get(key)
        if cached is not None:
            return cached
        try:
            listing = frozenset(os.listdir(key))
        except (OSError, ValueError):  # ValueError: a NUL byte in the path
            listing = frozenset()
        with self._lock:
            self.listing_calls += 1
            self._listings.setdefault(key, listing)
            return self._listings[key]

    def exists(self, path: str) -> bool:
        folder, name = os.path.split(os.path.normpath(path))
        return bool(name) and name in self.names(folder or ".")

    def folded(self, folder: str) -> Dict[str, str]:
        """The folder's names by their ``folded_name``, made only when a needed file, or a whole sequence, is
        missing from it."""
        key = os.path.normpath(folder)
        with self._lock:
            cached = self._folded.get(key)
        if cached is None:
            names = sorted(self.names(key), reverse=True)  # the first in name order wins a fold shared by two
            cached = dict(zip(map(folded_name, names), names))
            with self._lock:
                self._folded[key] = cached
        return cached

    def entry_kind(self, path: str) -> str:
        """``folder`` or ``file`` for a path the listing holds, by one stat (asked only of single paths
        found, never per frame); empty when it cannot be read (a link to nothing, gone since the listing)."""
        with self._lock:
            known = self._kinds.get(path)
        if known is None:
            try:
                known = "folder" if stat.S_ISDIR(os.stat(path).st_mode) else "file"
            except (OSError, ValueError):
                known = ""
            with self._lock:
                self._kinds[path] = known
        return known


@dataclass(frozen=True)
class FoundFiles:
    """The files of one folder a pattern matched on disk, and how many entries that folder holds in all."""

    folder: str
    listed: int
    """The size of the folder's listing: the files are all of it when they are as many."""
    matched: Tuple[str, ...] = ()
    """Names matched one by one (tiles, the views of a still, frames in a folder name)."""
    sequence: Optional[PathPattern] = None
    """A frame sequence's file name: its ``frames`` but the ``absent`` ones are on disk, their names made when
    asked rather than kept (a big job's run to hundreds of thousands)."""
    frames: Sequence[int] = ()
    absent: FrozenSet[int] = frozenset()

    @property
    def names(self) -> Sequence[str]:
        """Every file's name, in order."""
        if self.sequence is None:
            return self.matched
        frames = list(itertools.filterfalse(self.absent.__contains__, self.frames)) if self.absent else self.frames
        return self.sequence.frame_names(frames)


@dataclass(frozen=True)
class PathCheck:
    """What the disk holds for one dependency path."""

    exists: bool
    is_sequence: bool
    frames: Optional[str]
    """The frames needed (range text), None for a single file."""
    missing: str
    """The needed frames not on disk (compact range text), empty when complete."""
    tiles: List[str] = field(default_factory=list)
    """For a tiled texture, the tiles found (``1001``, ``u1_v1``), in name order."""
    unresolved: List[str] = field(default_factory=list)
    """View tokens (``camera``, ``layer``...) no value was given for; the path could not be checked."""
    folder: bool = False
    """A single path found that is a folder, not a file."""
    found_as: str = ""
    """A missing file (or frame) the folder holds under a name that differs only in letter case or in how
    its accents are encoded, as it is on disk: render nodes on Linux match names exactly."""
    files: Tuple[FoundFiles, ...] = ()
    """For a pattern (frames, views, tiles), every file on disk it matched, by folder; empty for a single path."""


def check_path(
    path: str,
    frames: Optional[FrameRange],
    variants: Sequence[Variant],
    index: DirectoryIndex,
) -> PathCheck:
    """Check ``path`` (a file or a pattern) for ``frames`` and each variant of view values against ``index``."""
    pattern = PathPattern.parse(path.replace("\\", "/") if os.sep == "/" else path)
    variants = [dict(variant) for variant in variants if variant] or [{}]
    unresolved = [name for name in pattern.view_names if any(name not in variant for variant in variants)]
    if unresolved:
        return PathCheck(False, pattern.is_sequence, None, "", unresolved=unresolved)
    if pattern.is_tiled:
        return _check_tiles(pattern, frames, variants, index)
    if not pattern.is_sequence or frames is None:
        paths = [pattern.with_values(None, variant) for variant in variants]
        kinds = [index.entry_kind(path) if index.exists(path) else "" for path in paths]
        present = all(kinds)
        found_as = "" if present else _found_as((("", path) for path, kind in zip(paths, kinds) if not kind), index)
        found = itertools.compress(paths, kinds) if pattern.tokens else ()  # a single path has no files to group
        return PathCheck(present, pattern.is_sequence, None, "", folder=present and "folder" in kinds,
                         found_as=found_as, files=_by_folder(map(os.path.split, found), index))  # fmt: skip
    missing: Set[int] = set()
    found_as = ""
    matched: List[FoundFiles] = []
    for variant in variants:
        folder, file_name, wanted, names, on_disk = _frames_on_disk(pattern, variant, frames, index)
        absent: FrozenSet[int] = frozenset()
        if not on_disk.issuperset(names):  # set operations in C, never a Python step per frame
            absent = frozenset(itertools.compress(wanted, map(operator.not_, map(on_disk.__contains__, names))))
            missing.update(absent)
            if not found_as and on_disk.isdisjoint(names):  # none of it on disk: perhaps all under another case
                found_as = _found_as(((folder, name) for name in names), index)
        if file_name is None:  # a frame token in a folder name: the names are whole paths
            present_paths = itertools.compress(names, map(on_disk.__contains__, names))
            matched += _by_folder(map(os.path.split, present_paths), index)
        elif len(absent) < len(wanted):
            matched.append(FoundFiles(folder, len(on_disk), sequence=file_name, frames=wanted, absent=absent))
    found_any = len(missing) < len(frames)
    return PathCheck(found_any, True, str(frames), compact(missing), found_as=found_as, files=tuple(matched))


def _by_folder(found: Iterable[Tuple[str, str]], index: DirectoryIndex) -> Tuple[FoundFiles, ...]:
    """``(folder, name)`` pairs grouped by folder, in order, each with its folder's listing size (cached)."""
    merged: Dict[str, Dict[str, None]] = {}
    for folder, name in found:
        merged.setdefault(folder, {})[name] = None
    return tuple(FoundFiles(folder, len(index.names(folder or ".")), tuple(names)) for folder, names in merged.items())


def folded_name(name: str) -> str:
    """A file name as a case-insensitive file system compares it (macOS, Windows): letter case and the
    encoding of accents (``é`` as one character or two) ignored."""
    return unicodedata.normalize("NFC", name).casefold()


MAX_TWINS_LOOKED_FOR = 1000
"""Missing names looked up by ``folded_name``: a sequence missing for another cause stops there."""


def _found_as(missing: Iterable[Tuple[str, str]], index: DirectoryIndex) -> str:
    """The first of the ``(folder, name)`` (an empty folder: the name is a whole path) that its folder holds
    under another letter case or accent encoding, as it is on disk; empty when none is."""
    for folder, name in itertools.islice(missing, MAX_TWINS_LOOKED_FOR):
        where, base = (folder, name) if folder else os.path.split(name)
        twin = index.folded(where or ".").get(folded_name(base))
        if twin is not None and twin != base:
            return os.path.join(where, twin)
    return ""


def _frames_on_disk(
    pattern: PathPattern, variant: Variant, frames: FrameRange, index: DirectoryIndex
) -> Tuple[str, Optional[PathPattern], Sequence[int], List[str], FrozenSet[str]]:
    """``(folder, its file name pattern, the needed frames, their file names, the names on disk)`` with one
    listing per folder.

    When a frame token stands in a folder name, the folder is empty, the name None, the names whole paths and
    the names on disk those of them found.
    """
    concrete = PathPattern.parse(pattern.with_values(None, variant))
    wanted = frames.frames()
    try:
        folder, name = concrete.split_name()
    except ValueError:
        paths = concrete.frame_names(wanted)
        return "", None, wanted, paths, frozenset(path for path in paths if index.exists(path))
    return folder, name, wanted, name.frame_names(wanted), index.names(folder)


def _check_tiles(
    pattern: PathPattern, frames: Optional[FrameRange], variants: Sequence[Variant], index: DirectoryIndex
) -> PathCheck:
    """A tiled texture exists when at least one tile does; every tile on disk is needed (the mesh picks them)."""
    needed = frames.frames() if (frames is not None and pattern.is_sequence) else None
    found = [tile for variant in variants for tile in _tiles_on_disk(pattern, variant, needed, index)]
    tiles = dict.fromkeys(tile.label for tile in found)
    missing = set(needed).difference(tile.frame for tile in found) if needed is not None else ()
    files = _by_folder(((tile.folder, tile.name) for tile in found), index)
    return PathCheck(bool(tiles), pattern.is_sequence, str(frames) if needed is not None else None, compact(missing),
                     list(tiles), files=files)  # fmt: skip


@dataclass(frozen=True)
class _Tile:
    frame: Optional[int]
    folder: str
    name: str
    label: str
    """The tile as artists name it (``1001``, ``u1_v2``)."""


def _tiles_on_disk(
    pattern: PathPattern, variant: Variant, frames: Optional[Sequence[int]], index: DirectoryIndex
) -> List[_Tile]:
    """The tiles on disk of ``frames`` (None: a still), in name order; each folder listed and walked once,
    not once per frame. A token in a folder name makes each frame's folder a walk of its own."""
    concrete = PathPattern.parse(pattern.with_values(None, variant))
    try:
        folder, name = concrete.split_name()
    except ValueError:
        tiles: List[_Tile] = []
        for frame in frames if frames is not None else [None]:
            folder, file_name = os.path.split(concrete.with_values(frame))
            tiles += [replace(tile, frame=frame) for tile in _walk_tiles(folder, PathPattern.parse(file_name), index)]
        return tiles
    wanted = set(frames) if frames is not None else {None}
    return [tile for tile in _walk_tiles(folder, name, index) if tile.frame in wanted]


def _walk_tiles(folder: str, name: PathPattern, index: DirectoryIndex) -> List[_Tile]:
    """Every file of ``folder`` that ``name`` matches, with its frame and tile, in name order."""
    matcher = name.name_matcher()
    tiles: List[_Tile] = []
    for entry in sorted(index.names(folder or ".")):
        match = matcher.match(entry)
        if match:
            tiles.append(_Tile(name.frame_of(match), folder, entry, tile_label(match)))
    return tiles


def view_variants(views: Sequence[str], values: Optional[Mapping[str, str]] = None) -> List[Dict[str, str]]:
    """One variant per view name (Nuke ``%V``), each with the host's fixed values (camera, layer...)."""
    fixed = dict(values or {})
    return [{**fixed, "view": view} for view in views] or [fixed]
