"""The submit dialog's mechanics with a scripted host: cancel mid-scan, errors as sentences, live range checks."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Callable, Dict, List, Optional

import pytest

from accsyn_dcc import preflight
from accsyn_dcc.errors import AccsynDccError, ScanCancelled
from accsyn_dcc.hosts import HostAdapter, PendingScan
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.remembered import RememberedSettings
from accsyn_dcc.scan.records import Dependency, Output, ScanResult
from accsyn_dcc.ui import submit_dialog
from accsyn_dcc.ui.qt import QtCore
from accsyn_dcc.ui.submit_dialog import SubmitDialog
from accsyn_dcc.ui.workers import describe_error
from accsyn_dcc.workspace import Engine, EngineSettings, Volume, WorkspaceInfo

SCENE_FOLDER = tempfile.mkdtemp(prefix="accsyn-dialog-")
SCENE = os.path.join(SCENE_FOLDER, "comp.nk")
with open(SCENE, "w") as scene_file:
    scene_file.write("Root {}\n")


class ScriptedHost(HostAdapter):
    """A host whose main-thread scan takes ``steps`` steps, checking for cancel at each."""

    host_name = "nuke"

    def __init__(self, steps: int = 200) -> None:
        self.steps = steps
        self.progress_seen: List[int] = []
        self.finished = False
        self.saved = 0
        self.at_step: Dict[int, Callable[[], None]] = {}
        """Actions run at a given step of the scan (e.g. posting the artist's click)."""

    @property
    def host_version(self) -> str:
        return "16.0v2"

    def scene_path(self) -> Optional[str]:
        return SCENE

    def is_modified(self) -> bool:
        return False

    def save_scene(self) -> None:
        self.saved += 1

    def frame_range(self) -> Optional[FrameRange]:
        return FrameRange.parse("1001-1010")

    def outputs(self, selected_only: bool = False) -> List[Output]:
        return [Output("Write1", os.path.join(SCENE_FOLDER, "out", "comp.%04d.exr"), FrameRange.parse("1001-1010"))]

    def collect_scan(self, frames: Any, progress: Any, cancelled: Any) -> PendingScan:
        for step in range(self.steps):
            if cancelled():
                raise ScanCancelled()
            progress(step, self.steps)
            self.progress_seen.append(step)
            if step in self.at_step:
                self.at_step[step]()
        return _Finished(self)


class RangelessHost(ScriptedHost):
    """A scene without a frame range of its own."""

    def frame_range(self) -> Optional[FrameRange]:
        return None


class _Finished(PendingScan):
    def __init__(self, host: ScriptedHost) -> None:
        self.host = host

    def finish(self) -> ScanResult:
        self.host.finished = True
        return ScanResult(SCENE, dependencies=[Dependency("/mnt/projects/plate.exr", "read", "Read1", "file", True)])


class DownBackend:
    def workspace_info(self) -> WorkspaceInfo:
        raise AccsynDccError("Could not reach 127.0.0.1:9 (connection refused)")

    def create_compute_job(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        raise AccsynDccError("Could not reach 127.0.0.1:9 (connection refused)")


class RaisingBackend:
    def workspace_info(self) -> WorkspaceInfo:
        raise KeyError("result")


def make_dialog(qtbot: Any, host: HostAdapter, connect: Any) -> SubmitDialog:
    dialog = SubmitDialog(host, connect=connect, settings=RememberedSettings(persist=False), auto_start=False)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_cancel_mid_scan_stops_the_host_scan_and_says_so(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submit_dialog, "RESPONSIVE_INTERVAL", 0.0)  # handle events at every step: deterministic
    host = ScriptedHost(steps=10_000)
    dialog = make_dialog(qtbot, host, DownBackend)

    # At step 20 the artist's click is posted as an event; the dialog must deliver it while the host scan runs.
    host.at_step[20] = lambda: QtCore.QTimer.singleShot(
        0, lambda: qtbot.mouseClick(dialog.cancel_scan_button, QtCore.Qt.LeftButton)
    )
    dialog.start_scan()
    host.at_step.clear()  # the click's closure holds the dialog, which holds the host: no cycle left behind
    assert 21 <= len(host.progress_seen) < 100
    assert not host.finished
    assert "cancelled" in dialog.status()
    assert dialog.cancel_scan_button.isHidden() and dialog.progress.isHidden()
    assert dialog.scan is None


def test_a_finished_scan_fills_the_dependency_table(qtbot: Any) -> None:
    host = ScriptedHost(steps=5)
    dialog = make_dialog(qtbot, host, DownBackend)
    dialog.start_scan()
    qtbot.waitUntil(lambda: dialog.scan is not None, timeout=5000)
    assert host.progress_seen == [0, 1, 2, 3, 4]
    assert [row.status for row in dialog.dependency_model.rows] == ["ok"]
    assert "Scan done" in dialog.status()


@pytest.mark.parametrize(
    ("backend", "expected"),
    [(DownBackend, "Could not reach 127.0.0.1:9"), (RaisingBackend, "Unexpected KeyError")],
)
def test_backend_errors_appear_as_one_sentence(qtbot: Any, backend: Any, expected: str) -> None:
    dialog = make_dialog(qtbot, ScriptedHost(), backend)
    dialog.load_workspace()
    text = dialog.connection_label.text
    qtbot.waitUntil(lambda: "Could not read the accsyn workspace" in text(), timeout=5000)
    assert expected in text()
    assert "Traceback" not in text() and "\n" not in text()
    assert "no workspace to work offline with" in text()  # no engine: nothing to export (a studio one: spine test)


def test_range_is_validated_live(qtbot: Any) -> None:
    dialog = make_dialog(qtbot, ScriptedHost(), DownBackend)
    dialog.bucket_spin.setValue(5)
    dialog.range_edit.setText("1001-1100")
    assert dialog.range_feedback.text() == "100 frames in 20 tasks"
    dialog.range_edit.setText("1100-1001")
    assert "reversed" in dialog.range_feedback.text()
    assert "frame range" in dialog.findings_label.text()


def test_engine_defaults_fill_range_and_bucket(qtbot: Any) -> None:
    workspace = WorkspaceInfo(
        engines=[
            Engine("nuke-15"),
            Engine("nuke-16", settings=EngineSettings(default_range="1-50", default_bucketsize=7)),
        ]
    )
    dialog = make_dialog(qtbot, RangelessHost(), DownBackend)  # the scene's own range would come first
    dialog._workspace_loaded(workspace)
    assert dialog.engine() == "nuke-16"
    assert dialog.bucket_spin.value() == 7
    assert dialog.range_edit.text() == "1-50"
    assert "bucket size 7" in dialog.engine_info.text()


def test_describe_error_is_one_sentence() -> None:
    assert describe_error(AccsynDccError("Bad key for ann@studio")) == "Bad key for ann@studio."
    assert describe_error(ValueError("x\ny")) == "Unexpected ValueError: x y (details are in the log)"


def test_backend_down_the_payload_can_still_be_exported_without_the_key(
    qtbot: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.setenv("ACCSYN_API_KEY", "secret-key-0123456789")
    dialog = make_dialog(qtbot, ScriptedHost(steps=3), DownBackend)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.scan is not None and "Could not" in dialog.connection_label.text(), timeout=5000)
    dialog.set_engines([("Nuke 16", "nuke-16")])
    dialog.submit()
    qtbot.waitUntil(lambda: "The submit failed" in dialog.status(), timeout=5000)
    assert "Could not reach 127.0.0.1:9" in dialog.status() and "export the payload" in dialog.status()
    exported = tmp_path / "job.json"
    dialog.export_payload(str(exported))
    payload = json.loads(exported.read_text())
    assert payload["engine"] == "nuke-16" and payload["range"] == "1001-1010"
    assert payload["parameters"].get("writes") is None  # a generic host names no Writes
    assert "secret-key" not in exported.read_text()
    dialog.refresh_preview()
    qtbot.waitUntil(lambda: dialog.preview_text.toPlainText().startswith("{"), timeout=5000)
    assert json.loads(dialog.preview_text.toPlainText()) == payload


def test_findings_under_the_tabs_stay_short_however_many_files_are_missing() -> None:
    from accsyn_dcc.preflight import BLOCKER, WARNING, Finding

    findings = [Finding(BLOCKER, "missing_dependency", f"Read{n}.file: /p/{n}.exr is missing.") for n in range(2000)]
    findings.append(Finding(WARNING, "unresolved", "Read9.file: could not resolve it."))
    text = submit_dialog.findings_text(findings)
    lines = text.splitlines()
    assert len(lines) == submit_dialog.FINDINGS_SHOWN + 1
    assert lines[0] == "Blocked: Read0.file: /p/0.exr is missing."
    assert lines[-1] == "... and 1995 more (1994 blocking); the Dependencies tab lists every file."
    assert submit_dialog.findings_text(findings[:2]).count("\n") == 1


def test_the_table_says_where_a_missing_file_is_and_what_writes_it() -> None:
    from accsyn_dcc.ui.dependency_model import rows_from_scan

    scan = ScanResult(
        "/mnt/projects/shot.nk",
        dependencies=[
            Dependency("/p/Plate.%04d.exr", "read", "Read1", "file", False, "1-3", found_as="/p/plate.0001.exr"),
            Dependency("/p/pre.%04d.exr", "read", "Read2", "file", True, "1-3", "2-3", written_by="Write_pre"),
        ],
    )
    assert [row.status_text for row in rows_from_scan(scan)] == [
        "missing (its folder holds /p/plate.0001.exr)",
        "not rendered yet 2-3 (written by Write_pre)",
    ]


def _open_use_and_close(qtbot: Any) -> None:
    dialog = SubmitDialog(ScriptedHost(steps=5), connect=DownBackend, settings=RememberedSettings(persist=False))
    dialog.show()
    dialog.start()  # the workspace lookup fails and the file checks finish, both in the background
    qtbot.waitUntil(lambda: dialog.scan is not None and "Could not" in dialog.connection_label.text(), timeout=5000)
    dialog.range_edit.setText("1100-1001")  # an invalid range: its error is kept with the choices
    dialog.close()
    dialog.deleteLater()
    qtbot.wait(20)


def test_a_closed_dialog_leaves_nothing_for_the_cycle_collector(qtbot: Any) -> None:
    """The collector frees a reference cycle on whichever thread it happens to run; one that holds the dialog's
    Qt objects crashed these tests one run in two, and would crash a host the same way."""
    import gc

    _open_use_and_close(qtbot)
    gc.collect()  # what earlier tests left
    _open_use_and_close(qtbot)
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
    finally:
        gc.set_debug(0)
    left = [type(item).__name__ for item in gc.garbage if type(item).__module__.startswith(("PySide", "accsyn_dcc"))]
    gc.garbage.clear()
    assert left == []


class OffShareHost(ScriptedHost):
    """A scene whose scan finds a LUT on no share outside the project, and a read of an SSH key."""

    def __init__(self, elsewhere: str, private: str) -> None:
        super().__init__(steps=1)
        self.found = [Dependency(elsewhere, "lut", "Vectorfield1", "vfield_file", True),
                      Dependency(private, "read", "ReadKey", "file", True)]  # fmt: skip

    def collect_scan(self, frames: Any, progress: Any, cancelled: Any) -> PendingScan:
        host = self

        class Found(PendingScan):
            def finish(self) -> ScanResult:
                return ScanResult(SCENE, dependencies=list(host.found))

        return Found()


def test_an_off_share_file_is_sent_only_when_its_row_is_ticked_and_a_private_one_never(qtbot: Any, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere" / "grade.cube"
    elsewhere.parent.mkdir()
    elsewhere.write_text("lut")
    private = "/etc/passwd"
    dialog = make_dialog(qtbot, OffShareHost(str(elsewhere), private), DownBackend)
    dialog.session.workspace = WorkspaceInfo(engines=[Engine("nuke-16")],
                                             volumes=[Volume("projects", {"linux": SCENE_FOLDER})])  # fmt: skip
    dialog.set_engines([("nuke-16", "nuke-16")])
    dialog.submit_anyway_check.setChecked(True)  # "send what exists" is about missing files only
    dialog.start_scan()
    qtbot.waitUntil(lambda: dialog.scan is not None, timeout=5000)
    model = dialog.dependency_model
    assert [(row.path, row.status) for row in model.rows] == [
        (str(elsewhere), "outside any share and the project"), (private, "private, never sent")
    ]  # fmt: skip
    codes = {finding.code for finding in preflight.blockers(dialog.findings())}
    assert codes == {"private_location", "outside_project"}

    elsewhere_cell, private_cell = model.index(0, 0), model.index(1, 0)
    assert not model.flags(private_cell) & QtCore.Qt.ItemIsUserCheckable
    assert not model.setData(private_cell, QtCore.Qt.Checked, QtCore.Qt.CheckStateRole)
    assert model.setData(elsewhere_cell, QtCore.Qt.Checked, QtCore.Qt.CheckStateRole)
    assert dialog.choices().send_off_share == (str(elsewhere),)
    assert {finding.code for finding in preflight.blockers(dialog.findings())} == {"private_location"}
    assert "/etc/passwd" in dialog.blocked_label.text()  # the table's tick re-planned the findings
    assert [payload.get("dependencies") for payload in dialog.payloads()] == [[str(elsewhere)]]


def test_the_file_findings_are_made_off_the_ui_thread_and_reused(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking 2,000 scanned files took 30-380 ms; the dialog's worker makes them after the scan, and the
    re-planning on the UI thread reuses them until the scan or the choices they depend on change."""
    import threading

    from accsyn_dcc import session as session_module

    threads: List[str] = []
    real = session_module.check_dependencies

    def recorded(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(session_module, "check_dependencies", recorded)
    dialog = make_dialog(qtbot, ScriptedHost(steps=3), DownBackend)
    dialog.start_scan()
    qtbot.waitUntil(lambda: dialog.scan is not None, timeout=5000)
    dialog.range_edit.setText("1001-1005")  # re-plans on the UI thread: the bucket, the range feedback
    dialog.findings()
    assert threads and threading.main_thread().name not in threads
    dialog.submit_anyway_check.setChecked(True)  # a choice the file findings depend on: made again
    dialog.findings()
    assert threading.main_thread().name in threads
