"""End to end: the dialog on a script in the stand-in ``nuke``, submitting to the stand-in accsyn backend."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from nuke_script import SCRIPT, Graph
from session_helpers import StubScan

from accsyn_dcc.api import connect
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.remembered import SETTINGS_KEY, RememberedSettings
from accsyn_dcc.scan.records import Dependency, ScanResult
from accsyn_dcc.standin import StandinServer
from accsyn_dcc.ui.qt import QtCore
from accsyn_dcc.ui.submit_dialog import SubmitDialog

DEMO_USER = "artist@example.com"
DEMO_KEY = "demo-0000-standin-key"


def credentials(port: int) -> Credentials:
    return Credentials(workspace="demo", user=DEMO_USER, api_key=DEMO_KEY, proxy=f"127.0.0.1:{port}")


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[StandinServer]:
    server = StandinServer(str(tmp_path / "standin")).start()
    yield server
    server.stop()


@pytest.fixture
def session(nuke_ui: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Graph:
    """The script open in Nuke 16, its live scan (stands for the Nuke scanner's), a private user config."""
    from accsyn_nuke.adapter import NukeHost

    graph = Graph()
    graph.install(nuke_ui, monkeypatch)
    result = ScanResult(
        SCRIPT,
        dependencies=[
            Dependency("/mnt/projects/plate.%04d.exr", "read", "Read1", "file", True, "1001-1100"),
            Dependency("/mnt/projects/tools/gizmos/Glow.gizmo", "gizmo", "Glow1", "", True),
        ],
    )

    def collect(self: Any, frames: Any, progress: Any, cancelled: Any) -> StubScan:
        progress(1, 1)
        return StubScan(result)

    monkeypatch.setattr(NukeHost, "collect_scan", collect)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "config" / "settings.json"))
    return graph


def open_dialog(qtbot: Any, port: int) -> SubmitDialog:
    from accsyn_dcc.config import load_settings
    from accsyn_nuke.adapter import NukeHost

    host = NukeHost(settings=load_settings().values)  # the whole settings, as the menu and batch.submit give it
    dialog = SubmitDialog(host, connect=lambda: connect(credentials(port)), settings=RememberedSettings.load())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_open_scan_edit_preview_submit_and_find_the_job(
    qtbot: Any, backend: StandinServer, session: Graph, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, backend.port)
    qtbot.waitUntil(lambda: dialog.scan is not None and dialog.engine() != "", timeout=10000)
    assert dialog.engine() == "nuke-16"  # Nuke 16.0v2 is running
    assert dialog.queue_codes() == ["", "high", "medium", "low"]
    assert dialog.env_editor.values() == {}  # the artist set none: the job gets NUKE_PATH for the gizmo, said here
    assert "NUKE_PATH = /mnt/projects/tools/gizmos (on linux)" in dialog.env_editor.suggestion.text()

    dialog.name_edit.setText("sh0040 comp")
    dialog.range_edit.setText("1001-1020")
    dialog.bucket_spin.setValue(4)
    assert dialog.select_queue("high")
    dialog.filters_editor.ram_operator.setCurrentIndex(1)
    dialog.filters_editor.ram_gb.setValue(32)
    dialog.filters_editor.sites_include.setText("hq")
    dialog.outputs_list.item(1).setCheckState(QtCore.Qt.Unchecked)  # not the review movie
    dialog.refresh_preview()
    qtbot.waitUntil(lambda: dialog.preview_text.toPlainText().startswith("{"), timeout=5000)
    preview = json.loads(dialog.preview_text.toPlainText())
    assert preview["name"] == "sh0040 comp" and preview["range"] == "1001-1020"
    assert preview["filters"] == "ram:>32g,site:hq" and preview["queue"] == "high"
    assert preview["settings"]["task_bucketsize"] == "4"
    assert preview["parameters"]["writes"] == ["Write_EXR"]
    assert preview["envs"]["linux"]["NUKE_PATH"] == "/mnt/projects/tools/gizmos"
    assert preview["input"] == "share=projects/shot/comp_v003.nk"
    assert DEMO_KEY not in dialog.preview_text.toPlainText()

    qtbot.waitUntil(dialog.submit_button.isEnabled, timeout=5000)  # the files are checked for the new range first
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=10000)
    job_id = dialog.created_jobs[0]["id"]
    assert dialog.status() == f"Submitted: job {job_id}."

    found = connect(credentials(backend.port)).find_job(job_id)
    assert found is not None and found["engine"] == "nuke-16"
    assert len(connect(credentials(backend.port)).find_tasks(job_id)) == 20  # one task per frame
    remembered = json.loads((tmp_path / "config" / "settings.json").read_text())[SETTINGS_KEY]
    assert remembered["bucket_size"] == 4 and remembered["queue"] == "high"


def test_choices_that_cannot_be_remembered_never_stop_the_submit(
    qtbot: Any, backend: StandinServer, session: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "read-only-config"
    blocker.write_text("")
    dialog = open_dialog(qtbot, backend.port)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(blocker / "settings.json"))  # unwritable from now on
    qtbot.waitUntil(lambda: dialog.scan is not None and dialog.engine() != "", timeout=10000)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=10000)
    job_id = dialog.created_jobs[0]["id"]
    assert dialog.status().startswith(f"Submitted: job {job_id}. Your choices could not be remembered ({blocker}")


def test_modified_script_is_saved_only_after_the_artist_agrees(
    qtbot: Any, backend: StandinServer, session: Graph, nuke_ui: Any
) -> None:
    session.root.setModified(True)
    dialog = open_dialog(qtbot, backend.port)
    qtbot.waitUntil(lambda: dialog.scan is not None and dialog.engine() != "", timeout=10000)
    answers = [False, True]
    questions = []
    dialog.ask = lambda question: (questions.append(question), answers.pop(0))[1]
    dialog.submit()
    assert nuke_ui._ui.saved == [] and "save the script first" in dialog.status()
    dialog.submit()
    assert nuke_ui._ui.saved == [None]
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=10000)
    assert len(questions) == 2 and "unsaved changes" in questions[0]


def test_backend_down_shows_a_sentence_and_keeps_the_payload(qtbot: Any, tmp_path: Path, session: Graph) -> None:
    server = StandinServer(str(tmp_path / "gone")).start()
    port = server.port
    server.stop()
    dialog = open_dialog(qtbot, port)
    qtbot.waitUntil(lambda: "Could not read the accsyn workspace" in dialog.connection_label.text(), timeout=20000)
    text = dialog.connection_label.text()
    assert "Traceback" not in text and DEMO_KEY not in text
    qtbot.waitUntil(lambda: dialog.scan is not None, timeout=10000)
    exported = tmp_path / "payload.json"
    dialog.set_engines([("Nuke 16", "nuke-16")])
    dialog.export_payload(str(exported))
    payload = json.loads(exported.read_text())
    assert payload["engine"] == "nuke-16" and payload["parameters"]["writes"] == ["Write_EXR", "Review.Write_MOV"]
    assert DEMO_KEY not in exported.read_text()
