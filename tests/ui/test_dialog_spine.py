"""The dialog is a view: what it shows while scanning, after a range change, offline, for a modified scene,
and the task count all come from the session, never from a rule or a state of the dialog's own."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from test_dialog_mechanics import SCENE, SCENE_FOLDER, DownBackend, ScriptedHost

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.hosts import PendingScan
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.remembered import RememberedSettings
from accsyn_dcc.scan.records import Dependency, Output, ScanResult
from accsyn_dcc.session import SubmitSession
from accsyn_dcc.ui import submit_dialog
from accsyn_dcc.ui.qt import QtCore
from accsyn_dcc.ui.submit_dialog import SubmitDialog
from accsyn_dcc.workspace import Engine, Queue, WorkspaceInfo

WORKSPACE = WorkspaceInfo(engines=[Engine("nuke-16")])
PLATE = "/mnt/projects/plate.%04d.exr"
ON_DISK = FrameRange.parse("1001-1011")
"""The plate's frames on disk: a range past 1011 misses frames."""
OWN_RANGE = FrameRange.parse("1001-1013")


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", "")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user" / "settings.json"))


class TwoWrites(ScriptedHost):
    """Two Writes (the second a movie); the plate has frames 1001-1011; the scan checks the frames asked for."""

    def __init__(self, steps: int = 5, modified: bool = False) -> None:
        super().__init__(steps)
        self.modified = modified
        self.scanned: List[Optional[str]] = []

    def is_modified(self) -> bool:
        return self.modified

    def save_scene(self) -> None:
        super().save_scene()
        self.modified = False

    def frame_range(self) -> Optional[FrameRange]:
        return FrameRange.parse("1001-1013")

    def outputs(self, selected_only: bool = False) -> List[Output]:
        return [
            Output("Write1", os.path.join(SCENE_FOLDER, "out", "comp.%04d.exr"), OWN_RANGE),
            Output("Write2", os.path.join(SCENE_FOLDER, "out", "comp.mov"), OWN_RANGE, is_movie=True),
        ]

    def collect_scan(self, frames: Any, progress: Any, cancelled: Any) -> PendingScan:
        super().collect_scan(frames, progress, cancelled)
        self.scanned.append(str(frames) if frames is not None else None)
        return _PlateCheck(frames)


class _PlateCheck(PendingScan):
    def __init__(self, frames: Optional[FrameRange]) -> None:
        self.frames = frames

    def finish(self) -> ScanResult:
        wanted = set(self.frames.frames()) if self.frames is not None else set()
        missing = sorted(wanted - set(ON_DISK.frames()))
        lacking = str(FrameRange.from_bounds(missing[0], missing[-1])) if missing else ""
        plate = Dependency(PLATE, "read", "Read1", "file", True, str(self.frames), lacking)
        return ScanResult(SCENE, dependencies=[plate])


class Backend:
    """A backend that answers: the workspace, and every job it is asked to create."""

    def __init__(self) -> None:
        self.created: List[Dict[str, Any]] = []

    def workspace_info(self) -> WorkspaceInfo:
        return WORKSPACE

    def create_compute_job(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        self.created.append(payload)
        return {"id": f"job{len(self.created)}"}


def make_dialog(qtbot: Any, host: Any, connect: Any = DownBackend) -> SubmitDialog:
    dialog = SubmitDialog(host, connect=connect, settings=RememberedSettings(persist=False), auto_start=False)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def scanned(qtbot: Any, dialog: SubmitDialog) -> None:
    dialog.start_scan()
    qtbot.waitUntil(lambda: dialog.scan is not None, timeout=5000)


def test_nothing_is_blocked_while_the_scan_runs(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submit_dialog, "RESPONSIVE_INTERVAL", 0.0)
    host = TwoWrites(steps=10)
    dialog = make_dialog(qtbot, host)
    assert "is selected" not in dialog.findings_label.text()  # both Writes are ticked
    seen: List[tuple] = []
    host.at_step[5] = lambda: seen.append(
        (dialog.findings_label.text(), dialog.blocked_label.text(), dialog.submit_button.isEnabled())
    )
    dialog.start_scan()
    host.at_step.clear()
    [(findings, blocked, enabled)] = seen
    assert "Scanning" in findings and "Blocked" not in findings
    assert blocked == "" and not enabled
    qtbot.waitUntil(lambda: dialog.scan is not None, timeout=5000)
    assert "Scanning" not in dialog.findings_label.text()


def test_a_range_change_checks_the_files_again_and_never_shows_stale_findings(qtbot: Any) -> None:
    host = TwoWrites()
    dialog = make_dialog(qtbot, host)
    dialog._workspace_loaded(WORKSPACE)
    scanned(qtbot, dialog)
    assert "1012-1013" in dialog.blocked_label.text()
    dialog.range_edit.setText("1001-1010")
    assert "1012-1013" not in dialog.findings_label.text() + dialog.blocked_label.text()  # not shown while checked
    assert not dialog.submit_button.isEnabled()
    qtbot.waitUntil(lambda: host.scanned == ["1001-1013", "1001-1010"] and dialog.scan is not None, timeout=5000)
    assert "1012" not in dialog.findings_label.text() and dialog.blocked_label.text() == ""
    assert dialog.submit_button.isEnabled()
    dialog.bucket_spin.setValue(3)  # the same frames: no new check
    qtbot.wait(600)
    assert host.scanned == ["1001-1013", "1001-1010"]


def test_offline_the_engines_come_from_the_studio_workspace_and_the_payload_is_built(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"workspace": {"engines": [{"code": "nuke-15"}, {"code": "nuke-16"}]}}))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(studio))
    dialog = make_dialog(qtbot, TwoWrites())
    dialog.load_workspace()
    qtbot.waitUntil(lambda: "Could not" in dialog.connection_label.text(), timeout=5000)
    assert [dialog.engine_combo.itemText(i) for i in range(dialog.engine_combo.count())] == ["nuke-15", "nuke-16"]
    assert dialog.engine() == "nuke-16"  # the running Nuke 16
    assert "studio" in dialog.connection_label.text()
    dialog.refresh_preview()
    qtbot.waitUntil(lambda: dialog.preview_text.toPlainText().startswith("{"), timeout=5000)
    assert json.loads(dialog.preview_text.toPlainText())["engine"] == "nuke-16"


def test_offline_without_engines_the_dialog_never_speaks_command_line(qtbot: Any, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, TwoWrites())
    dialog.load_workspace()
    qtbot.waitUntil(lambda: "Could not" in dialog.connection_label.text(), timeout=5000)
    assert "You can still export" not in dialog.connection_label.text()  # nothing can be built without an engine
    dialog.tabs.setCurrentIndex(dialog.preview_index)
    qtbot.waitUntil(lambda: not dialog.preview_text.toPlainText().startswith("# Building"), timeout=5000)
    assert "engine" in dialog.preview_text.toPlainText() and "--" not in dialog.preview_text.toPlainText()
    with pytest.raises(AccsynDccError) as raised:
        dialog.export_payload(str(tmp_path / "job.json"))
    assert "--" not in str(raised.value)


def test_a_modified_scene_keeps_submit_enabled_and_submit_saves_then_submits(qtbot: Any) -> None:
    host = TwoWrites(modified=True)
    backend = Backend()
    dialog = make_dialog(qtbot, host, lambda: backend)
    dialog._workspace_loaded(WORKSPACE)
    dialog.range_edit.setText("1001-1010")
    scanned(qtbot, dialog)
    assert dialog.submit_button.isEnabled() and dialog.blocked_label.text() == ""
    assert "unsaved changes" in dialog.findings_label.text()
    questions: List[str] = []
    dialog.ask = lambda question: questions.append(question) or True  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=5000)
    assert host.saved == 1 and len(questions) == 1 and "Save it now and submit?" in questions[0]
    assert dialog.status() == "Submitted: job job1."


def test_the_task_count_shown_is_the_one_the_payload_sends(qtbot: Any) -> None:
    host = TwoWrites()
    dialog = make_dialog(qtbot, host)
    dialog._workspace_loaded(WORKSPACE)
    dialog.range_edit.setText("1001-1010")
    dialog.bucket_spin.setValue(5)
    scanned(qtbot, dialog)
    assert dialog.range_feedback.text() == "10 frames in 1 task"  # the movie Write renders in one task
    assert dialog.payloads()[0]["settings"]["task_bucketsize"] == "10"
    dialog.outputs_list.item(1).setCheckState(QtCore.Qt.Unchecked)  # the EXR Write alone: buckets of 5
    assert dialog.range_feedback.text() == "10 frames in 2 tasks"
    assert dialog.payloads()[0]["settings"]["task_bucketsize"] == "5"


def test_the_session_gives_frames_and_tasks_as_the_payload_splits_them() -> None:
    session = SubmitSession(TwoWrites(), workspace=WORKSPACE)
    choices = replace(session.initial_choices(engine="nuke-16"), range_text="1001-1020", bucket_size=5)
    frames, bucket_size, tasks = session.task_split(choices)
    assert (str(frames), bucket_size, tasks) == ("1001-1020", 20, 1)
    [payload] = session.payloads(choices)
    assert payload["settings"]["task_bucketsize"] == "20"
    frames, bucket_size, tasks = session.task_split(replace(choices, outputs=choices.outputs[:1]))
    assert (str(frames), bucket_size, tasks) == ("1001-1020", 5, 4)


def test_connect_again_reads_the_workspace_once_accsyn_answers_keeping_the_engine_chosen_offline(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"workspace": {"engines": [{"code": "nuke-15"}, {"code": "nuke-16"}]}}))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(studio))
    answering: List[Any] = []

    def connect() -> Any:  # logging in fails while accsyn is down, as connect_configured does
        if not answering:
            raise AccsynDccError("Could not reach 127.0.0.1:9 (connection refused)")
        return answering[0]

    dialog = make_dialog(qtbot, TwoWrites(), connect)
    dialog.load_workspace()
    qtbot.waitUntil(lambda: "Could not" in dialog.connection_label.text(), timeout=5000)
    assert not dialog.reconnect_button.isHidden()
    assert dialog.select_engine("nuke-15")  # the artist's choice while offline
    class BothEngines(Backend):
        def workspace_info(self) -> WorkspaceInfo:
            return WorkspaceInfo(engines=[Engine("nuke-15"), Engine("nuke-16")])

    answering.append(BothEngines())  # accsyn is back
    qtbot.mouseClick(dialog.reconnect_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.connection_label.text().startswith("Connected"), timeout=5000)
    assert dialog.reconnect_button.isHidden() and dialog.session.workspace_origin.source == "accsyn"
    assert dialog.engine() == "nuke-15"  # still the artist's choice (the running Nuke 16 would be preselected)


def test_with_no_workspace_known_the_dialog_notes_it_as_a_submit_does(qtbot: Any) -> None:
    """The session's findings carry the one 'no workspace' note: the dialog shows what a dry run prints."""
    dialog = make_dialog(qtbot, TwoWrites())
    dialog.load_workspace()
    qtbot.waitUntil(lambda: "Could not" in dialog.connection_label.text(), timeout=5000)
    scanned(qtbot, dialog)
    assert "Note: no workspace is known" in dialog.findings_label.text()
    assert [finding.code for finding in dialog.findings()].count("no_workspace") == 1


def test_a_studio_queue_the_workspace_does_not_list_is_kept_and_checked_as_a_submit_checks_it(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog never drops the studio's queue for want of a combo item: it shows it, and when the workspace lists
    queues and not this one, the pre-flight blocks in the dialog as in a scripted or command-line submit."""
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"defaults": {"queue": "high"}}))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(studio))
    dialog = make_dialog(qtbot, TwoWrites())
    dialog._workspace_loaded(WORKSPACE)  # lists no queues: nothing to check against
    assert dialog.choices().queue == "high"
    listed = WorkspaceInfo(engines=WORKSPACE.engines, queues=[Queue("low"), Queue("medium")])
    dialog._workspace_loaded(listed)
    assert dialog.choices().queue == "high"
    dialog.range_edit.setText("1001-1010")
    scanned(qtbot, dialog)
    assert "The workspace has no queue 'high' (it has: low, medium)." in dialog.blocked_label.text()
    assert not dialog.submit_button.isEnabled()
