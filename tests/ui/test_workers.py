"""Background tasks hand their outcome to the UI thread only while their owner (a dialog) exists."""

from __future__ import annotations

import threading
from typing import Any, List

from accsyn_dcc.ui.qt import QtCore
from accsyn_dcc.ui.workers import run_in_background


def test_a_task_that_outlives_its_dialog_calls_nothing_back(qtbot: Any) -> None:
    owner = QtCore.QObject()
    started, release = threading.Event(), threading.Event()
    calls: List[Any] = []

    def slow() -> int:
        started.set()
        release.wait(5)
        return 1

    task = run_in_background(slow, calls.append, calls.append, owner=owner)
    assert started.wait(5)
    owner.deleteLater()  # the artist closed the dialog while it was still working
    qtbot.wait(50)
    release.set()
    assert QtCore.QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)
    assert calls == [] and task is not None


def test_the_outcome_reaches_a_living_owner(qtbot: Any) -> None:
    owner = QtCore.QObject()
    calls: List[Any] = []
    run_in_background(lambda: 7, calls.append, calls.append, owner=owner)
    qtbot.waitUntil(lambda: calls == [7], timeout=5000)
