"""Run slow work (scans, network calls) on Qt's thread pool and hand the outcome back on the UI thread.

Errors reach the dialog as one sentence: the text of a deliberate ``AccsynDccError``, or a short
description of anything else (the traceback goes to the log, never to the artist).
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ui.qt import QtCore, Signal

log = logging.getLogger(__name__)


def describe_error(error: BaseException) -> str:
    """One sentence for the artist."""
    if isinstance(error, AccsynDccError):
        text = str(error).strip() or type(error).__name__
    else:
        detail = str(error).strip()
        text = f"Unexpected {type(error).__name__}" + (f": {detail}" if detail else "")
        text += " (details are in the log)"
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", ")")) else text + "."


class _Relay(QtCore.QObject):
    """Lives on the UI thread; its signals carry a task's outcome back there."""

    succeeded = Signal(object)
    failed = Signal(str)


class BackgroundTask(QtCore.QRunnable):
    """``function()`` on a pool thread; ``succeeded(result)`` or ``failed(sentence)`` on the UI thread."""

    def __init__(self, function: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._function = function
        self.relay = _Relay()

    def run(self) -> None:
        try:
            result = self._function()
        except Exception as error:
            if not isinstance(error, AccsynDccError):
                log.exception("background task failed")
            self.relay.failed.emit(describe_error(error))
            return
        self.relay.succeeded.emit(result)


def run_in_background(
    function: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None],
    pool: Optional[QtCore.QThreadPool] = None,
) -> BackgroundTask:
    """Start ``function`` on ``pool`` (the global pool by default); keep the returned task referenced."""
    task = BackgroundTask(function)
    task.relay.succeeded.connect(on_success)
    task.relay.failed.connect(on_failure)
    (pool or QtCore.QThreadPool.globalInstance()).start(task)
    return task
