"""Which file frames a Nuke Read reads for the job's frames: its frame range, frame mode and before/after.

Nuke's rules, as a Read node applies them:

* ``first``/``last`` (unsaved: Nuke's defaults 1 and 1, else ``origfirst``/``origlast`` when saved)
  bound the sequence.
* ``frame_mode "start at"`` with ``frame N`` shows the first frame at output frame N (file frame =
  output frame - N + first); ``frame_mode offset`` with ``frame N`` shifts by N (file frame = output
  frame - N). Another ``frame`` (an expression) cannot be followed offline.
* Outside first..last, ``before``/``after`` decide: ``hold`` (the default) reads the first or last
  frame, ``loop`` and ``bounce`` cycle through the range, ``black`` reads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Set

MODES = ("hold", "loop", "bounce", "black")


@dataclass(frozen=True)
class ReadTiming:
    """A Read's timing knobs, parsed; ``problem`` says why they cannot be followed offline."""

    first: int
    last: int
    before: str = "hold"
    after: str = "hold"
    shift: int = 0
    """File frame = output frame - shift."""
    problem: str = ""

    def file_frames(self, frames: Iterable[int]) -> Set[int]:
        """The file frames read for ``frames`` (output frames)."""
        first, last, shift = self.first, self.last, self.shift
        shifted = [frame - shift for frame in frames]
        needed = {frame for frame in shifted if first <= frame <= last}
        if len(needed) < len(shifted):  # some frames lie outside the file's: before/after decide
            mapped = (self.map(frame) for frame in shifted if not first <= frame <= last)
            needed.update(frame for frame in mapped if frame is not None)
        return needed

    def map(self, frame: int) -> Optional[int]:
        if self.first <= frame <= self.last:
            return frame
        mode = self.before if frame < self.first else self.after
        length = self.last - self.first + 1
        if mode == "black":
            return None
        if mode == "loop":
            return self.first + (frame - self.first) % length
        if mode == "bounce" and length > 1:
            period = 2 * (length - 1)
            position = (frame - self.first) % period
            return self.first + (position if position < length else period - position)
        return self.first if frame < self.first else self.last


def read_timing(knobs: Mapping[str, str]) -> ReadTiming:
    """The timing of a Read (or DeepRead, ReadGeo) from its saved knobs."""
    first = saved_integer(knobs.get("first", knobs.get("origfirst", "1")))
    last = saved_integer(knobs.get("last", knobs.get("origlast", "1")))
    if first is None or last is None:
        return ReadTiming(1, 1, problem="its first/last frame is an expression")
    first, last = min(first, last), max(first, last)
    before = _mode(knobs.get("before", "hold"))
    after = _mode(knobs.get("after", "hold"))
    mode = knobs.get("frame_mode", "").strip().strip('"').lower()
    raw_frame = knobs.get("frame", "").strip().strip('"')
    shift = 0
    if raw_frame and mode in ("start at", "offset"):
        value = saved_integer(raw_frame)
        if value is None:
            return ReadTiming(first, last, before, after, problem=f"its frame ({mode}) is an expression")
        shift = value - first if mode == "start at" else value
    elif raw_frame and mode == "expression":
        return ReadTiming(first, last, before, after, problem="its frame is an expression")
    return ReadTiming(first, last, before, after, shift)


def _mode(text: str) -> str:
    word = text.strip().strip('"').lower()
    return word if word in MODES else "hold"


def saved_integer(text: str) -> Optional[int]:
    """A whole number as .nk files save it (``1001``, ``1001.0``, ``{1001}``); None for an expression."""
    value = text.strip().strip("{}").strip().strip('"')
    try:
        number = float(value)
    except ValueError:
        return None
    if number != number or abs(number) > 10**9:  # NaN, or out of any frame range (infinity too)
        return None
    return int(number)
