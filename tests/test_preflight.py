"""Pre-flight checks: each problem is found, named, and blocks or warns as documented."""

from __future__ import annotations

from typing import Any, List

import pytest

from accsyn_dcc.preflight import (
    BLOCKER,
    WARNING,
    PreflightError,
    PreflightInput,
    bucket_size_for,
    raise_for_blockers,
    run_checks,
)
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Dependency, Output, ScanResult, Unresolved
from accsyn_dcc.workspace import Engine, WorkspaceInfo

WORKSPACE = WorkspaceInfo(engines=[Engine("nuke-15"), Engine("nuke-16")])
WRITE = Output(node="Comp/Write1", path="/mnt/projects/shot/out.%04d.exr", range="1001-1010")


def checks(**changes: Any) -> List[Any]:
    values: dict = {
        "scene_path": "/mnt/projects/shot/comp.nk",
        "scene_modified": False,
        "range_text": "1001-1010",
        "engine": "nuke-16",
        "workspace": WORKSPACE,
        "outputs": [WRITE],
        "scan": ScanResult(scene="/mnt/projects/shot/comp.nk"),
        "on_share": lambda path: path.startswith("/mnt/projects"),
    }
    values.update(changes)
    return run_checks(PreflightInput(**values))


def test_a_clean_submit_has_no_findings() -> None:
    assert checks() == []


@pytest.mark.parametrize(
    ("changes", "code", "severity", "named"),
    [
        ({"scene_path": None}, "unsaved", BLOCKER, "never been saved"),
        ({"scene_modified": True}, "modified", BLOCKER, "comp.nk"),
        ({"range_text": "  "}, "empty_range", BLOCKER, "empty"),
        ({"range_text": "1100-1001"}, "bad_range", BLOCKER, "1100-1001"),
        ({"engine": "nuke-99"}, "unknown_engine", BLOCKER, "nuke-99"),
        ({"engine": ""}, "no_engine", BLOCKER, "engine"),
        ({"outputs": []}, "no_outputs", BLOCKER, "Write"),
        (
            {"outputs": [Output(node="Write2", path="/tmp/local/out.exr")]},
            "output_outside_share",
            BLOCKER,
            "Write2",
        ),
        (
            {"outputs": [Output(node="Write3", path="/mnt/projects/a.mov", file_type="mov", is_movie=True)]},
            "movie_one_bucket",
            WARNING,
            "Write3",
        ),
    ],
)
def test_each_problem_is_found_and_named(changes: dict, code: str, severity: str, named: str) -> None:
    findings = checks(**changes)
    assert [(finding.code, finding.severity) for finding in findings] == [(code, severity)]
    assert named in findings[0].message


def test_missing_dependencies_block_unless_the_artist_submits_anyway() -> None:
    scan = ScanResult(
        scene="comp.nk",
        dependencies=[
            Dependency("/mnt/projects/plate.%04d.exr", "read", "Read3", "file", True, "1001-1010", "1004-1005"),
            Dependency("/mnt/projects/grain.exr", "read", "Read4", "file", False),
            Dependency("/mnt/projects/ok.exr", "read", "Read5", "file", True),
        ],
        unresolved=[Unresolved("Read6", "file", "[python odd()]", "python expression")],
    )
    blocked = checks(scan=scan)
    assert [(f.code, f.severity) for f in blocked] == [
        ("missing_dependency", BLOCKER),
        ("missing_dependency", BLOCKER),
        ("unresolved", WARNING),
    ]
    assert blocked[0].message == "Read3.file: /mnt/projects/plate.%04d.exr is missing frames 1004-1005."
    assert "Read4.file" in blocked[1].message
    with pytest.raises(PreflightError, match=r"Read4\.file"):
        raise_for_blockers(blocked)
    allowed = checks(scan=scan, submit_anyway=True)
    assert {f.severity for f in allowed} == {WARNING}
    raise_for_blockers(allowed)


def test_blockers_come_before_warnings() -> None:
    movie = Output(node="Write3", path="/mnt/projects/a.mov", file_type="mov", is_movie=True)
    findings = checks(outputs=[movie], scene_modified=True)
    assert [f.severity for f in findings] == [BLOCKER, WARNING]


def test_movies_render_the_whole_range_in_one_bucket() -> None:
    frames = FrameRange.parse("1001-1100")
    movie = Output(node="Write3", path="/a.mov", file_type="mov", is_movie=True)
    assert bucket_size_for([WRITE], frames, 5) == 5
    assert bucket_size_for([WRITE, movie], frames, 5) == 100
