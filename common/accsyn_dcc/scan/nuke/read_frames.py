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
from typing import List, Mapping, Optional, Tuple

from accsyn_dcc.ranges import FrameRange

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

    def file_runs(self, frames: FrameRange) -> List[Tuple[int, int]]:
        """The file frames read for ``frames`` (output frames) as (first, last) runs, worked out per run of
        output frames: a job of a million frames costs no more than one of ten (a stepped run goes frame by frame).
        """
        runs: List[Tuple[int, int]] = []
        for entry in frames.entries:
            if entry.step != 1:
                mapped = {self.map(frame - self.shift) for frame in entry.frames()}
                runs += [(frame, frame) for frame in mapped if frame is not None]
                continue
            low, high = entry.first - self.shift, entry.last - self.shift
            if max(low, self.first) <= min(high, self.last):
                runs.append((max(low, self.first), min(high, self.last)))
            if low < self.first:
                runs += self._outside(self.before, low, min(high, self.first - 1))
            if high > self.last:
                runs += self._outside(self.after, max(low, self.last + 1), high)
        return runs

    def _outside(self, mode: str, low: int, high: int) -> List[Tuple[int, int]]:
        """The runs read for the output frames ``low..high``, all before ``first`` or all after ``last``."""
        length = self.last - self.first + 1
        count = high - low + 1
        if mode == "black":
            return []
        if mode == "loop":
            if count >= length:
                return [(self.first, self.last)]
            start = self.first + (low - self.first) % length
            end = start + count - 1
            return [(start, end)] if end <= self.last else [(start, self.last), (self.first, end - length)]
        if mode == "bounce" and length > 1:
            period = 2 * (length - 1)
            if count >= period:
                return [(self.first, self.last)]
            runs: List[Tuple[int, int]] = []
            position, remaining = (low - self.first) % period, count
            while remaining:  # at most four pieces: up to the turn, back down, up again
                if position < length:
                    piece = min(remaining, length - position)
                    runs.append((self.first + position, self.first + position + piece - 1))
                else:
                    piece = min(remaining, period - position)
                    runs.append((self.first + period - (position + piece - 1), self.first + period - position))
                remaining -= piece
                position = (position + piece) % period
            return runs
        edge = self.first if high < self.first else self.last  # hold
        return [(edge, edge)]

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
