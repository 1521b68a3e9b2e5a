"""A job created without a name is named after its input's file name without extension, from any OS's path."""

from __future__ import annotations

from typing import Any

import accsyn_api
from session_helpers import StubHost

from accsyn_dcc.config import Settings
from accsyn_dcc.scan.records import Output
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import Engine, Volume, WorkspaceInfo

WINDOWS_INPUT = "C:\\projects\\nuke\\vfx\\test_v002.nk"


def test_the_standin_names_a_nameless_job_from_a_windows_input(official_env: Any) -> None:
    job = accsyn_api.Session().create("compute", {"engine": "nuke-15", "input": WINDOWS_INPUT, "range": "1-3"})
    assert job["name"] == "test_v002"


def test_a_submit_without_a_name_is_named_from_a_windows_input() -> None:
    workspace = WorkspaceInfo(engines=[Engine("nuke-15")], volumes=[Volume("projects", {"windows": "C:\\projects"})])
    host = StubHost(WINDOWS_INPUT, outputs=[Output("Write1", "C:\\projects\\nuke\\out\\a.%04d.exr")])
    session = SubmitSession(host, Settings({}), workspace=workspace)
    [payload] = session.payloads(SubmitChoices(engine="nuke-15", range_text="1-3", outputs=tuple(host.outputs())))
    assert payload["name"] == "test_v002"
