"""The longest stall of a Qt UI thread: the gaps between ticks of a 1 ms timer (the dialog and monitor benches)."""

from __future__ import annotations

import time
from typing import Any, List


class StallMeter:
    """Records the gaps between ticks of a 1 ms timer on the UI thread."""

    def __init__(self, qt_core: Any) -> None:
        self.gaps: List[float] = []
        self._last = time.perf_counter()
        self.timer = qt_core.QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        """The longest gap since ``start``, in seconds."""
        self.timer.stop()
        return max(self.gaps) if self.gaps else 0.0
