"""Houdini's "Monitor jobs" shelf tool and Render menu entry: the shared job monitor on Houdini's main window, and a
job followed in this session announced with Houdini's own message when it ends."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any, Iterator

import pytest
from standin_env import point_environment_at

from accsyn_dcc.standin import StandinServer
from accsyn_dcc.ui import monitor as monitor_module

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "houdini"


@pytest.fixture
def configured(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandinServer]:
    with StandinServer(str(tmp_path / "data")) as server:
        point_environment_at(server, monkeypatch)
        yield server
    monitor_module._monitor.clear()
    monitor_module.set_notifier(None)


def test_the_shelf_tool_and_menu_entry_open_the_monitor() -> None:
    shelf = ElementTree.parse(PLUGIN / "toolbar" / "accsyn.shelf").getroot()
    tools = {tool.get("name"): tool for tool in shelf.findall("tool")}
    assert tools["accsyn_monitor"].get("label") == "Monitor jobs"
    assert "accsyn_houdini.commands.open_job_monitor()" in tools["accsyn_monitor"].find("script").text
    assert [member.get("name") for member in shelf.iter("memberTool")] == ["accsyn_submit", "accsyn_monitor"]
    menu = ElementTree.parse(PLUGIN / "MainMenuCommon.xml").getroot()
    items = {item.get("id"): item for item in menu.iter("scriptItem")}
    assert items["accsyn_monitor"].find("label").text == "Monitor accsyn jobs..."
    assert "open_job_monitor()" in items["accsyn_monitor"].find("scriptCode").text


def test_the_monitor_sits_on_houdinis_window_and_a_followed_job_ending_is_houdinis_message(
    configured: StandinServer, qtbot: Any
) -> None:
    import hou
    from accsyn_houdini import commands

    from accsyn_dcc.api import connect_configured
    from accsyn_dcc.ui.qt import QtWidgets

    main = QtWidgets.QMainWindow()
    qtbot.addWidget(main)
    hou.STATE.main_window = main
    monitor = commands.open_job_monitor()
    assert monitor is not None and monitor.parentWidget() is main and monitor.isWindow()
    monitor.interval_ms = 100
    client = connect_configured()
    job = str(client.create_compute_job({"engine": "blender", "input": "share=projects/b.blend", "range": "1"})["id"])
    monitor.follow([job])
    qtbot.waitUntil(lambda: monitor.last_poll is not None and monitor.last_poll.job_id == job, timeout=30000)
    client.abort_job(job)
    qtbot.waitUntil(lambda: hou.STATE.messages == ["accsyn: job b was aborted."], timeout=30000)
