"""The Qt dialog sends what the studio hooks make, shows their findings, and sends nothing when one fails."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from hook_helpers import FAILURES, STUDIO_HOOK, studio_with_hooks
from test_dialog_mechanics import SCENE_FOLDER, ScriptedHost, make_dialog

from accsyn_dcc.workspace import Engine, Volume, WorkspaceInfo


class RecordingBackend:
    """A workspace whose shares hold the scene, recording each job it is asked to create."""

    def __init__(self) -> None:
        self.created: List[Dict[str, Any]] = []

    def workspace_info(self) -> WorkspaceInfo:
        volumes = [Volume("projects", {"linux": "/mnt/projects"}), Volume("scenes", {"linux": SCENE_FOLDER})]
        return WorkspaceInfo(engines=[Engine("nuke-16")], volumes=volumes)

    def create_compute_job(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        self.created.append(payload)
        return {"id": f"j{len(self.created)}", **payload}


@pytest.fixture
def backend(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> RecordingBackend:
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    return RecordingBackend()


def started(qtbot: Any, backend: RecordingBackend) -> Any:
    dialog = make_dialog(qtbot, ScriptedHost(steps=3), lambda: backend)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.scan is not None and "Connected" in dialog.connection_label.text(), timeout=5000)
    return dialog


def test_the_dialog_opens_checks_and_sends_as_the_hooks_say(
    qtbot: Any, tmp_path: Any, monkeypatch: Any, backend: RecordingBackend
) -> None:
    studio_with_hooks(tmp_path, monkeypatch, {"20_studio.py": STUDIO_HOOK})
    dialog = started(qtbot, backend)
    assert dialog.name_edit.text() == "studio_comp"  # before_dialog
    qtbot.waitUntil(lambda: "studio saw 1 job(s) of studio_comp" in dialog.findings_label.text(), timeout=5000)
    dialog.submit()
    qtbot.waitUntil(lambda: "Submitted" in dialog.status(), timeout=5000)
    [sent] = backend.created
    assert sent["name"] == "studio_comp" and sent["filters"] == "ram:>16g" and sent["envs"]["STUDIO_HOOKED"] == "1"


@pytest.mark.parametrize("kind", ["malformed", "raising", "slow"])
def test_a_failing_before_send_is_one_sentence_and_sends_nothing(
    kind: str, qtbot: Any, tmp_path: Any, monkeypatch: Any, backend: RecordingBackend
) -> None:
    source, words = FAILURES[kind]
    studio_with_hooks(tmp_path, monkeypatch, {f"50_{kind}.py": source}, hook_timeout=0.5)
    dialog = started(qtbot, backend)
    dialog.submit()
    qtbot.waitUntil(lambda: "The submit failed" in dialog.status(), timeout=5000)
    assert f"studio hook 50_{kind}.py: before_send(): " in dialog.status() and words in dialog.status()
    assert "\n" not in dialog.status() and "Traceback" not in dialog.status()
    assert backend.created == []


def test_a_hook_that_cannot_be_imported_blocks_the_submit(
    qtbot: Any, tmp_path: Any, monkeypatch: Any, backend: RecordingBackend
) -> None:
    source, words = FAILURES["unimportable"]
    studio_with_hooks(tmp_path, monkeypatch, {"50_unimportable.py": source})
    dialog = started(qtbot, backend)
    qtbot.waitUntil(lambda: "studio hook 50_unimportable.py " + words in dialog.findings_label.text(), timeout=5000)
    dialog.submit()  # (the button is disabled; a script calling submit() is stopped by the same check)
    qtbot.waitUntil(lambda: dialog.status().startswith("Not submitted: "), timeout=5000)
    assert dialog.status().startswith("Not submitted: studio hook 50_unimportable.py cannot be imported")
    assert backend.created == []
