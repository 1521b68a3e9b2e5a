"""'Submit selected Writes...' with no Write selected says so and opens no dialog for every Write."""

from __future__ import annotations

from typing import Any, List

import pytest
from nuke_script import Graph


@pytest.fixture
def graph(nuke_ui: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Graph:
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", "")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "settings.json"))
    script = Graph()
    script.selected = ["Read1"]  # a Read is selected, no Write
    script.install(nuke_ui, monkeypatch)
    return script


def test_no_write_selected_is_one_message_and_no_dialog(
    qtbot: Any, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accsyn_dcc.ui import launch
    from accsyn_nuke import commands, startup

    reported: List[str] = []
    monkeypatch.setattr(startup, "report", reported.append)
    opened = []
    monkeypatch.setattr(launch, "_open_dialogs", opened)
    dialog = commands.open_dialog(selected_only=True)
    if dialog is not None:
        qtbot.addWidget(dialog)
    assert dialog is None and opened == []
    assert len(reported) == 1 and "No Write is selected" in reported[0]
