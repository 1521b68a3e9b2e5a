"""accsyn > Monitor jobs... in Nuke: opens the shared job monitor on the configured accsyn, and a job followed in
this session is announced with Nuke's own message when it ends."""

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


def test_monitor_jobs_opens_the_monitor_and_a_followed_job_ending_is_nukes_message(
    nuke_ui: Any, configured: StandinServer, qtbot: Any
) -> None:
    from accsyn_dcc.api import connect_configured
    from accsyn_nuke import startup

    startup.install_menu()
    nuke_ui.menu("Nuke").findItem("accsyn/Monitor jobs...").invoke()
    [monitor] = monitor_module._monitor
    qtbot.addWidget(monitor)
    monitor.interval_ms = 100
    client = connect_configured()
    job = str(client.create_compute_job({"engine": "blender", "input": "share=projects/a.blend", "range": "1-2"})["id"])
    monitor.follow([job])
    qtbot.waitUntil(lambda: monitor.last_poll is not None and monitor.last_poll.job_id == job, timeout=30000)
    client.abort_job(job)
    qtbot.waitUntil(lambda: ("message", "accsyn: job a was aborted.") in nuke_ui._ui.shown, timeout=30000)
    assert monitor.notices == ["accsyn: job a was aborted."]
