"""The accsyn range grammar, and how the farm splits a range into buckets.

A range is one or more entries separated by commas and/or spaces; each entry is ``N`` (one
item), ``A-B`` (inclusive) or ``A-BxS`` (every S-th item from A up to B).

Decisions the accsyn documentation leaves open:

* Negative frames are refused. Engines read ``ACCSYN_ITEM`` by splitting on ``-``, so a
  negative item could never be dispatched.
* Normalising keeps the entries in the order given (the farm renders them in that order),
  writes each in its shortest form (``5-5`` -> ``5``, ``x1`` dropped) and ends a stepped entry
  on its last real item (``1-10x4`` -> ``1-9x4``).
* An item listed twice counts once; the first mention decides its position.
* A bucket is always a run of consecutive items, because ``ACCSYN_ITEM`` can only say
  ``a-b`` (every item from a to b) or ``a``. Stepped entries therefore give one-item buckets.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

from accsyn_dcc.errors import Problem, ValidationError

MAX_ITEMS = 1_000_000
"""More items than this in one job is refused as a typo (a render farm job, not a census)."""

_ENTRY = re.compile(r"^(\d+)(?:-(\d+)(?:x(\d+))?)?$")
_SEPARATORS = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class RangeEntry:
    """One entry of a range: items ``first`` to ``last`` inclusive, every ``step``-th."""

    first: int
    last: int
    step: int = 1

    def frames(self) -> range:
        return range(self.first, self.last + 1, self.step)

    def __len__(self) -> int:
        return len(self.frames())

    def __str__(self) -> str:
        if self.first == self.last:
            return str(self.first)
        text = f"{self.first}-{self.last}"
        return f"{text}x{self.step}" if self.step > 1 else text

    def clipped(self, low: int, high: int) -> Optional[RangeEntry]:
        """This entry limited to ``low..high``, or None when nothing is left."""
        first = self.first
        if first < low:
            first += -(-(low - first) // self.step) * self.step
        last = min(self.last, high)
        if first > last:
            return None
        return _entry(first, last, self.step)


def _entry(first: int, last: int, step: int) -> RangeEntry:
    """Build an entry in normal form: ends on its last item, no step on single items."""
    last = first + (last - first) // step * step
    if first == last:
        step = 1
    return RangeEntry(first, last, step)


@dataclass(frozen=True)
class Bucket:
    """A run of consecutive items dispatched to one engine process."""

    first: int
    last: int

    @property
    def item(self) -> str:
        """The value of ``ACCSYN_ITEM`` for this bucket."""
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def frames(self) -> range:
        return range(self.first, self.last + 1)

    def __len__(self) -> int:
        return self.last - self.first + 1

    def __str__(self) -> str:
        return self.item


@dataclass(frozen=True)
class FrameRange:
    """A validated accsyn range."""

    entries: Tuple[RangeEntry, ...]

    @classmethod
    def parse(cls, text: str, field: str = "range") -> FrameRange:
        """Parse ``text``; raise ValidationError naming ``field`` and the bad entry."""
        if not isinstance(text, str):
            raise ValidationError.single(field, text, "a range must be a string such as '1001-1100'")
        tokens = [token for token in _SEPARATORS.split(text.strip()) if token]
        if not tokens:
            raise ValidationError.single(field, text, "the range is empty")
        problems: List[Problem] = []
        entries: List[RangeEntry] = []
        for token in tokens:
            try:
                entries.append(_parse_entry(token))
            except ValueError as error:
                problems.append(Problem(field, token, str(error)))
        if problems:
            raise ValidationError(problems)
        frame_range = cls(tuple(entries))
        total = sum(len(entry) for entry in entries)
        if total > MAX_ITEMS:
            raise ValidationError.single(field, text, f"the range has {total} items, more than {MAX_ITEMS}")
        return frame_range

    @classmethod
    def from_bounds(cls, first: int, last: int, step: int = 1, field: str = "range") -> FrameRange:
        """The range ``first-last`` (validated like parsed text; an error names ``field``)."""
        text = f"{first}-{last}x{step}" if step != 1 else f"{first}-{last}"
        return cls.parse(text, field)

    @classmethod
    def from_runs(cls, runs: Iterable[Tuple[int, int]]) -> FrameRange:
        """The frames of ``runs`` ((first, last) pairs, in any order, overlapping or not), merged and ascending."""
        merged: List[List[int]] = []
        for first, last in sorted(runs):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return cls.parse(runs_text((first, last) for first, last in merged))

    def __str__(self) -> str:
        return ",".join(str(entry) for entry in self.entries)

    def __iter__(self) -> Iterator[int]:
        return iter(self.frames())

    def frames(self) -> Sequence[int]:
        """Every item in dispatch order, each once."""
        if len(self.entries) == 1:
            return self.entries[0].frames()
        return list(dict.fromkeys(frame for entry in self.entries for frame in entry.frames()))

    def __len__(self) -> int:
        if len(self.entries) == 1:
            return len(self.entries[0])
        return len(self.frames())

    def __contains__(self, frame: object) -> bool:
        return any(frame in entry.frames() for entry in self.entries)

    @property
    def first(self) -> int:
        return min(entry.first for entry in self.entries)

    @property
    def last(self) -> int:
        return max(entry.last for entry in self.entries)

    def clipped(self, low: int, high: int) -> Optional[FrameRange]:
        """The part of this range inside ``low..high``, or None when nothing is left."""
        kept = [clipped for entry in self.entries if (clipped := entry.clipped(low, high)) is not None]
        return FrameRange(tuple(kept)) if kept else None

    def buckets(self, size: int) -> List[Bucket]:
        """Split into buckets of at most ``size`` consecutive items, in dispatch order."""
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValidationError.single("settings.task_bucketsize", size, "the bucket size must be 1 or more")
        buckets: List[Bucket] = []
        for first, last in consecutive_runs(self.frames()):
            for start in range(first, last + 1, size):
                buckets.append(Bucket(start, min(start + size - 1, last)))
        return buckets


def _parse_entry(token: str) -> RangeEntry:
    match = _ENTRY.match(token)
    if match is None:
        if token.startswith("-") or "--" in token or re.match(r"^\d+-\d+x-", token):
            if "x-" in token:
                raise ValueError("the step must be a positive whole number")
            raise ValueError("negative frames are not supported (engines split ACCSYN_ITEM on '-')")
        raise ValueError("not a range entry; expected N, A-B or A-BxS")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    step = int(match.group(3)) if match.group(3) is not None else 1
    if last < first:
        raise ValueError(f"the range is reversed; write {last}-{first}")
    if step < 1:
        raise ValueError("the step must be a positive whole number")
    return _entry(first, last, step)


LAST_FRAME = 10**9
"""Saved frame numbers are kept within this (a typo of ``1e400`` still gives a range that can be read)."""


def saved_range(first: float, last: float, step: float = 1, default: int = 1) -> FrameRange:
    """The range a scene saved as numbers: non-finite values become ``default``, the rest rounded, kept
    within 0 and ``LAST_FRAME``, put in order, and cut to ``MAX_ITEMS`` frames (``len`` says when it was)."""

    def frame(value: float) -> int:
        return round(min(max(value, 0), LAST_FRAME)) if math.isfinite(value) else default

    low, high = sorted((frame(first), frame(last)))
    every = max(frame(step), 1)
    return FrameRange.from_bounds(low, min(high, low + (MAX_ITEMS - 1) * every), every)


def consecutive_runs(frames: Sequence[int]) -> Iterator[Tuple[int, int]]:
    """Group ``frames`` (in the given order) into (first, last) runs of consecutive ascending items."""
    run_start: Optional[int] = None
    previous = 0
    for frame in frames:
        if run_start is not None and frame == previous + 1:
            previous = frame
            continue
        if run_start is not None:
            yield run_start, previous
        run_start = previous = frame
    if run_start is not None:
        yield run_start, previous


def compact(frames: Iterable[int]) -> str:
    """Frames as a short range string (``1012-1015,1020``); empty text for no frames."""
    return runs_text(consecutive_runs(sorted(set(frames))))


def runs_text(runs: Iterable[Tuple[int, int]]) -> str:
    """(first, last) runs as range text: ``1012-1015,1020``."""
    return ",".join(f"{first}-{last}" if first != last else str(first) for first, last in runs)


def parse_item(item: Optional[str]) -> Optional[Bucket]:
    """Read ``ACCSYN_ITEM``: None for ``all``/unset, else the bucket it names."""
    if item is None or item.strip().lower() in ("", "all"):
        return None
    entry = _parse_entry(item.strip())
    if entry.step != 1:
        raise ValueError(f"ACCSYN_ITEM {item!r} is not a single item or an a-b bucket")
    return Bucket(entry.first, entry.last)


def bucket_size_for(frames: FrameRange, requested: int, single_task: bool) -> int:
    """The bucket size to send: the whole range when the output cannot be split (a movie), else ``requested``."""
    return max(len(frames), 1) if single_task else max(int(requested), 1)


def task_buckets(range_text: Optional[str], bucket_setting: object, engine_default: object = 1) -> List[Bucket]:
    """How the farm splits a job into tasks: the job's ``task_bucketsize`` setting, else the engine's default.

    The one policy the stand-in backend and the local farm both follow; an empty list means one task
    for the whole job (no range).
    """
    if not range_text:
        return []
    size = _positive_int(bucket_setting) or _positive_int(engine_default) or 1
    return FrameRange.parse(str(range_text)).buckets(size)


def _positive_int(value: object) -> int:
    try:
        number = int(str(value).strip()) if value is not None else 0
    except ValueError:
        return 0
    return number if number > 0 else 0
