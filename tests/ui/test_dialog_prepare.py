"""The dialog's Submit runs the session's one orchestration (``SubmitSession.prepare``) on a worker thread, and the
host's API is only ever asked on the UI thread: submit, preview and export plan with a snapshot of its answers."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import pytest
from test_dialog_spine import WORKSPACE, Backend, TwoWrites, make_dialog, scanned

from accsyn_dcc.preflight import BLOCKER, Finding
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output
from accsyn_dcc.session import SubmitSession
from accsyn_dcc.ui.qt import QtCore


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", "")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user" / "settings.json"))


class MainThreadOnly(TwoWrites):
    """A host that notes every API call made off the main thread (Nuke, Maya and Houdini allow none)."""

    def __init__(self, modified: bool = False) -> None:
        super().__init__(modified=modified)
        self.off_main: List[str] = []

    def _asked(self, name: str) -> None:
        if threading.current_thread() is not threading.main_thread():
            self.off_main.append(name)

    def scene_path(self) -> Optional[str]:
        self._asked("scene_path")
        return super().scene_path()

    def is_modified(self) -> bool:
        self._asked("is_modified")
        return super().is_modified()

    def frame_range(self) -> Optional[FrameRange]:
        self._asked("frame_range")
        return super().frame_range()

    def outputs(self, selected_only: bool = False) -> List[Output]:
        self._asked("outputs")
        return super().outputs(selected_only)

    def output_parameters(self, outputs: Sequence[Output]) -> Dict[str, Any]:
        self._asked("output_parameters")
        return super().output_parameters(outputs)


def ready(qtbot: Any, host: TwoWrites, backend: Backend) -> Any:
    dialog = make_dialog(qtbot, host, lambda: backend)
    dialog._workspace_loaded(WORKSPACE)
    dialog.range_edit.setText("1001-1010")
    scanned(qtbot, dialog)
    assert dialog.submit_button.isEnabled()
    return dialog


def test_preview_export_and_submit_never_ask_the_host_off_its_main_thread(qtbot: Any, tmp_path: Path) -> None:
    host, backend = MainThreadOnly(), Backend()
    dialog = ready(qtbot, host, backend)
    dialog.refresh_preview()
    qtbot.waitUntil(lambda: dialog.preview_text.toPlainText().startswith("{"), timeout=5000)
    dialog.export_payload(str(tmp_path / "job.json"))
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=5000)
    assert host.off_main == [] and len(backend.created) == 1


def test_submit_runs_the_sessions_prepare_and_creates_what_it_made(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = Backend()
    dialog = ready(qtbot, TwoWrites(), backend)
    prepared: List[Any] = []
    original = SubmitSession.prepare

    def spy(session: SubmitSession, *args: Any, **kwargs: Any) -> Any:
        prepared.append(original(session, *args, **kwargs))
        return prepared[-1]

    monkeypatch.setattr(SubmitSession, "prepare", spy)
    chosen = dialog.choices()
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=5000)
    assert len(prepared) == 1 and backend.created == prepared[0].payloads
    assert backend.created == SubmitSession(TwoWrites(), workspace=WORKSPACE).payloads(chosen)


def test_a_blocker_found_at_submit_is_said_and_nothing_is_created(qtbot: Any) -> None:
    class SaveFails(TwoWrites):
        def save_scene(self) -> None:
            self.saved += 1  # Nuke returned, but the script is still modified

    backend = Backend()
    host = SaveFails(modified=True)
    dialog = ready(qtbot, host, backend)
    dialog.ask = lambda question: True  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status().startswith("Not submitted"), timeout=5000)
    assert host.saved == 1 and backend.created == []
    assert "unsaved changes" in dialog.status() and dialog.submit_button.isEnabled()


def test_test_render_first_runs_in_prepare_and_a_differing_frame_stops_the_submit(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = Backend()
    dialog = ready(qtbot, TwoWrites(), backend)
    rendered: List[str] = []

    def differs(session: SubmitSession, payloads: Sequence[Dict[str, Any]]) -> Finding:
        rendered.append(threading.current_thread().name)
        return Finding(BLOCKER, "test_render", "The test render differs on an empty site: a file is not sent.")

    monkeypatch.setattr(SubmitSession, "test_render", differs)
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)  # not asked: no test render
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=5000)
    assert rendered == [] and len(backend.created) == 1
    dialog.test_render_check.setChecked(True)
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status().startswith("Not submitted"), timeout=5000)
    assert len(rendered) == 1 and rendered[0] != threading.main_thread().name
    assert "differs on an empty site" in dialog.status() and len(backend.created) == 1


def test_a_host_that_cannot_answer_is_one_line_in_the_preview_and_at_submit(qtbot: Any) -> None:
    class Broken(TwoWrites):
        def output_parameters(self, outputs: Sequence[Output]) -> Dict[str, Any]:
            raise RuntimeError("the Write was deleted")

    backend = Backend()
    dialog = ready(qtbot, Broken(), backend)
    dialog.refresh_preview()
    assert dialog.preview_text.toPlainText().startswith("# Could not read the scene: ")
    assert "the Write was deleted" in dialog.preview_text.toPlainText()
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    assert dialog.status().startswith("Not submitted: Could not read the scene: ") and backend.created == []
    assert "\n" not in dialog.status() and dialog.submit_button.isEnabled()


def test_submit_stays_disabled_while_a_submit_runs_whatever_changes_meanwhile(qtbot: Any) -> None:
    release = threading.Event()

    class Slow(Backend):
        def create_compute_job(self, payload: Dict[str, Any]) -> Dict[str, Any]:
            release.wait(10)
            return super().create_compute_job(payload)

    backend = Slow()
    dialog = ready(qtbot, TwoWrites(), backend)
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    dialog.name_edit.setText("comp v2")  # re-plans while the first submit is on its way
    assert not dialog.submit_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=5000)
    assert len(backend.created) == 1 and dialog.submit_button.isEnabled()
