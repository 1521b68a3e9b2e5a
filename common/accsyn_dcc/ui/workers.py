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


def _spent() -> None:
    """What a task holds once its function has run."""


class BackgroundTask(QtCore.QRunnable):
    """``function()`` on a pool thread; ``succeeded(result)`` or ``failed(sentence)`` on the UI thread."""

    def __init__(self, function: Callable[[], Any], owner: QtCore.QObject) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._function = function
        self.relay = _Relay(owner)  # owned by Qt: deleted with the owner, on its thread, never by the collector

    def run(self) -> None:
        # Let go of the function (a closure over the dialog, often) once it has run: kept, it made the dialog
        # that holds this task a reference cycle, which the collector frees on whichever thread it runs.
        function, self._function = self._function, _spent
        try:
            result = function()
        except Exception as error:
            if not isinstance(error, AccsynDccError):
                log.exception("background task failed")
            self._deliver("failed", describe_error(error))
            return
        finally:  # nor keep it here: a library's error cycle may keep this frame (through its callers) alive
            del function
        self._deliver("succeeded", result)

    def _deliver(self, outcome: str, value: Any) -> None:
        try:
            getattr(self.relay, outcome).emit(value)
        except RuntimeError:  # the relay went with its owner (a dialog closed meanwhile): nobody is waiting
            log.debug("background task finished after its owner was deleted")


def run_in_background(
    function: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None],
    owner: QtCore.QObject,
    pool: Optional[QtCore.QThreadPool] = None,
) -> BackgroundTask:
    """Start ``function`` on ``pool`` (the global pool by default); keep the returned task referenced. The
    outcome reaches ``on_success``/``on_failure`` only while ``owner`` (the dialog) still exists."""
    task = BackgroundTask(function, owner)
    task.relay.succeeded.connect(on_success)
    task.relay.failed.connect(on_failure)
    (pool or QtCore.QThreadPool.globalInstance()).start(task)
    return task
