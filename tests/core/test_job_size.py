"""A job's size: more tasks than the studio allows blocks, frames far outside the scene's own range are noted."""

from __future__ import annotations

from typing import Optional

from session_helpers import StubHost

from accsyn_dcc.config import Settings
from accsyn_dcc.preflight import BLOCKER, WARNING
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import Engine, WorkspaceInfo

WRITE = Output(node="Write1", path="/mnt/projects/shot/out.%04d.exr")


def size_findings(range_text: str, bucket: int = 1, studio: Optional[dict] = None) -> list:
    host = StubHost("/mnt/projects/shot/comp.nk", scan=ScanResult(scene="/mnt/projects/shot/comp.nk"),
                    frame_range="1-6")  # fmt: skip
    session = SubmitSession(host, Settings(studio or {}), workspace=WorkspaceInfo(engines=[Engine("nuke-16")]))
    choices = SubmitChoices(engine="nuke-16", range_text=range_text, bucket_size=bucket, outputs=(WRITE,))
    return [(f.severity, f.code) for f in session.findings(choices, require_scan=False)
            if f.code in ("too_many_tasks", "range_beyond_scene")]  # fmt: skip


def test_a_million_frames_on_a_six_frame_scene_is_stopped_before_anything_is_created():
    assert size_findings("1-1000000") == [(BLOCKER, "too_many_tasks"), (WARNING, "range_beyond_scene")]


def test_the_studio_sets_how_many_tasks_a_job_may_have():
    assert size_findings("1-106", studio={"max_tasks": 100}) == [(BLOCKER, "too_many_tasks")]
    assert size_findings("1-106", bucket=2, studio={"max_tasks": 100}) == []


def test_a_range_near_the_scene_s_says_nothing():
    assert size_findings("1-6") == [] and size_findings("1-100") == []
