"""Maya's "Monitor jobs" shelf button and Render menu item: the shared job monitor, and a job followed in this
session announced in it (Maya's warning line is the host's message; the stand-in ``cmds`` has none)."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from standin_env import point_environment_at

from accsyn_dcc.standin import StandinServer
from accsyn_dcc.ui import monitor as monitor_module


@pytest.fixture
def configured(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandinServer]:
    with StandinServer(str(tmp_path / "data")) as server:
        point_environment_at(server, monkeypatch)
        yield server
    monitor_module._monitor.clear()
    monitor_module.set_notifier(None)


def test_the_shelf_button_and_menu_item_open_the_monitor_which_announces_a_followed_job(
    configured: StandinServer, qtbot: Any
) -> None:
    from accsyn_maya import startup
    from maya import _scene

    from accsyn_dcc.api import connect_configured

    state = _scene.state()
    state.ui["mainRenderMenu"] = {"kind": "menu"}
    startup.install_ui()
    buttons = [item for item in state.ui.values() if item["kind"] == "button"]
    assert [button["label"] for button in buttons] == ["Submit render", "Monitor jobs"]
    item = state.ui[startup.MONITOR_ITEM]
    assert item["parent"] == "mainRenderMenu" and item["label"] == "Monitor accsyn jobs..."
    buttons[1]["command"]()
    [monitor] = monitor_module._monitor
    qtbot.addWidget(monitor)
    assert monitor_module._notifier == [startup.report]
    monitor.interval_ms = 100
    client = connect_configured()
    job = str(client.create_compute_job({"engine": "blender", "input": "share=projects/c.blend", "range": "1"})["id"])
    item["command"](False)  # the menu item shows the same monitor
    assert monitor_module._monitor == [monitor]
    monitor.follow([job])
    qtbot.waitUntil(lambda: monitor.last_poll is not None and monitor.last_poll.job_id == job, timeout=30000)
    client.abort_job(job)
    qtbot.waitUntil(lambda: monitor.notices == ["accsyn: job c was aborted."], timeout=30000)
