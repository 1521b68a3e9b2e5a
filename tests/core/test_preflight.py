"""Pre-flight checks: each problem is found, named, and blocks or warns as documented."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, List

import pytest
from session_helpers import StubHost

from accsyn_dcc.config import Settings
from accsyn_dcc.preflight import BLOCKER, WARNING, PreflightError, raise_for_blockers
from accsyn_dcc.ranges import FrameRange, bucket_size_for
from accsyn_dcc.scan.records import Dependency, Output, ScanResult, Unresolved
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import Engine, EngineSettings, Volume, WorkspaceInfo

WORKSPACE = WorkspaceInfo(
    engines=[Engine("nuke-15"), Engine("nuke-16")], volumes=[Volume("projects", {"linux": "/mnt/projects"})]
)
WRITE = Output(node="Comp/Write1", path="/mnt/projects/shot/out.%04d.exr", range=FrameRange.parse("1001-1010"))


def checks(
    scene_path: Any = "/mnt/projects/shot/comp.nk",
    scene_modified: bool = False,
    scan: Any = None,
    submit_anyway: bool = False,
    **changes: Any,
) -> List[Any]:
    """The session's findings for a scene that exists on disk (the input check is tested on its own)."""
    values: dict = {"range_text": "1001-1010", "engine": "nuke-16", "outputs": (WRITE,)}
    values.update(changes)
    values["outputs"] = tuple(values["outputs"])
    host = StubHost(scene_path, modified=scene_modified, scan=scan or ScanResult(scene="/mnt/projects/shot/comp.nk"))
    session = SubmitSession(host, Settings({}), workspace=WORKSPACE)
    session.scan()
    findings = session.findings(SubmitChoices(allow_missing=submit_anyway, **values))
    return [finding for finding in findings if not finding.code.startswith("input_")]


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


def test_a_missing_file_whose_folder_holds_it_in_another_case_says_which() -> None:
    twin = Dependency("/mnt/projects/Grain.exr", "read", "Read4", "file", False, found_as="/mnt/projects/grain.exr")
    [finding] = checks(scan=ScanResult(scene="comp.nk", dependencies=[twin]))
    assert finding.code == "missing_dependency" and finding.message.startswith(
        "Read4.file: /mnt/projects/Grain.exr is missing. Its folder holds /mnt/projects/grain.exr: only the letter"
    )


def test_what_an_output_of_the_scene_writes_is_a_note_not_a_blocker() -> None:
    cache = Dependency("/mnt/projects/geo/out.$F4.bgeo.sc", "cache", "/obj/geo1/read_back", "file", True,
                       "1-5", "4-5", written_by="/out/geo_cache")  # fmt: skip
    [finding] = checks(scan=ScanResult(scene="shot.hip", dependencies=[cache]))
    assert (finding.code, finding.severity) == ("written_by_scene", WARNING)
    assert finding.message == (
        "/obj/geo1/read_back.file: /mnt/projects/geo/out.$F4.bgeo.sc lacks frames 4-5; /out/geo_cache of this "
        "script writes it, so render that before this job or with it."
    )


def test_missing_dependencies_block_unless_the_artist_submits_anyway() -> None:
    scan = ScanResult(
        scene="comp.nk",
        dependencies=[
            Dependency("/mnt/projects/plate.%04d.exr", "read", "Read3", "file", True, "1001-1010", "1004-1005"),
            Dependency("/mnt/projects/grain.exr", "read", "Read4", "file", False),
            Dependency("/mnt/projects/ok.exr", "read", "Read5", "file", True),
        ],
        unresolved=[
            Unresolved("Read6", "file", "[python odd()]", "python expression"),
            Unresolved("/out/karma1", "outputimage", "", "no output file set, so it writes nothing to submit"),
        ],
    )
    blocked = checks(scan=scan)
    assert [(f.code, f.severity) for f in blocked] == [
        ("missing_frames", BLOCKER),
        ("missing_dependency", BLOCKER),
        ("unresolved", WARNING),
        ("unresolved", WARNING),
    ]
    assert blocked[0].message == "Read3.file: /mnt/projects/plate.%04d.exr is missing frames 1004-1005."
    assert blocked[2].message == "Read6.file: could not resolve '[python odd()]' (python expression); it is not sent."
    assert blocked[3].message == "/out/karma1.outputimage: no output file set, so it writes nothing to submit."
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
    assert bucket_size_for(frames, 5, single_task=False) == 5
    assert bucket_size_for(frames, 5, single_task=any(output.is_movie for output in [WRITE, movie])) == 100


def test_input_must_be_an_existing_file_the_engine_accepts(tmp_path: Any) -> None:
    from accsyn_dcc.preflight import check_input

    scene = tmp_path / "comp.nk"
    scene.write_text("Root {}\n")
    nuke = Engine("nuke-16")
    blender = Engine("blender", settings=EngineSettings(filename_extensions=".blend"))
    assert check_input(str(scene), nuke) == []
    assert [f.code for f in check_input(str(tmp_path), nuke)] == ["input_folder"]
    assert [f.code for f in check_input(str(tmp_path / "gone.nk"), nuke)] == ["input_missing"]
    [refused] = check_input(str(scene), blender)
    assert refused.message == "The engine 'blender' renders .blend files, not comp.nk."


def test_relative_outputs_are_made_absolute_beside_the_scene_and_said() -> None:
    host = StubHost(outputs=[Output("Write1", "render/out.%04d.exr")])
    session = SubmitSession(host, Settings({}), workspace=WORKSPACE)
    outputs, [finding] = session.absolute_outputs(host.outputs())
    assert outputs[0].path == "/mnt/projects/shot/render/out.%04d.exr"
    assert finding.code == "relative_output" and "render/out.%04d.exr" in finding.message


def test_blender_style_relative_output_counts_from_the_blend() -> None:
    class BlendHost(StubHost):
        def relative_to_scene(self, path: str) -> bool:
            return True

    host = BlendHost("/mnt/projects/shot/lighting.blend", outputs=[Output("ViewLayer", "//render/beauty_####")])
    session = SubmitSession(host, Settings({}), workspace=WORKSPACE)
    [output], _ = session.absolute_outputs(host.outputs())
    assert output.path == "/mnt/projects/shot/render/beauty_####"


def test_initial_choices_follow_the_precedence() -> None:
    workspace = WorkspaceInfo(
        engines=[Engine("nuke-15", settings=EngineSettings(default_bucketsize=7)), Engine("stub-1")]
    )
    settings = Settings({"defaults": {"engine": "nuke-15", "queue": "Medium", "envs": {"A": "1"}}})
    session = SubmitSession(StubHost(outputs=[WRITE]), settings, workspace=workspace)
    first = session.initial_choices()
    assert (first.engine, first.range_text, first.bucket_size, first.queue) == ("stub-1", "1001-1010", 1, "Medium")
    assert first.envs == {"A": "1"} and first.name == "comp" and first.outputs == (WRITE,)
    remembered = session.initial_choices({"bucket_size": 3, "queue": "High"})
    assert (remembered.bucket_size, remembered.queue) == (3, "High")
    studio = SubmitSession(StubHost(), settings, workspace=WorkspaceInfo(engines=workspace.engines[:1]))
    assert (studio.initial_choices().engine, studio.initial_choices().bucket_size) == ("nuke-15", 7)
    other_version = WorkspaceInfo(engines=[*workspace.engines[:1], Engine("stub-2")])  # never another version's
    assert SubmitSession(StubHost(), settings, workspace=other_version).initial_choices().engine == "nuke-15"


def test_one_job_per_output_uses_each_outputs_range_and_the_hosts_parameters() -> None:
    class WritesHost(StubHost):
        def output_parameters(self, outputs: Any) -> dict:
            return {"writes": [output.node for output in outputs]}

    movie = Output("Review.Write_MOV", "/mnt/projects/shot/review.mov", FrameRange.parse("1001-1005"), [], "mov", True)
    host = WritesHost(outputs=[WRITE, movie])
    session = SubmitSession(host, Settings({}), workspace=WORKSPACE)
    session.scan()
    choices = SubmitChoices(engine="nuke-16", range_text="1001-1010", bucket_size=2, outputs=(WRITE, movie), name="c")
    together = session.payloads(choices)
    assert [p["settings"]["task_bucketsize"] for p in together] == ["10"]
    split = session.payloads(replace(choices, one_job_per_output=True))
    summary = [(p["name"], p["range"], p["parameters"]["writes"], p["settings"]["task_bucketsize"]) for p in split]
    assert summary == [
        ("c Comp/Write1", "1001-1010", ["Comp/Write1"], "2"),
        ("c Review.Write_MOV", "1001-1005", ["Review.Write_MOV"], "5"),
    ]


def test_a_studio_share_path_entry_for_one_os_is_flagged() -> None:
    entries = [{"remote": "/mnt/old", "local": "share=projects", "os": "linux"}, {"remote": "X:", "local": "P:"}]
    settings = Settings({"defaults": {"mapped_share_paths": entries}})
    session = SubmitSession(StubHost(outputs=[WRITE]), settings, workspace=WORKSPACE)
    session.scan()
    choices = replace(session.initial_choices(), engine="nuke-16", range_text="1", outputs=(WRITE,))
    [finding] = [f for f in session.findings(choices) if f.code == "share_path_os_ignored"]
    assert "/mnt/old -> share=projects is meant for linux only" in finding.message and not finding.blocks


def test_a_file_on_no_share_outside_the_scenes_folder_is_sent_only_when_chosen_by_name() -> None:
    scan = ScanResult(
        scene="/mnt/projects/shot/comp.nk",
        dependencies=[
            Dependency("/opt/elsewhere/grade.cube", "read", "ReadOdd", "file", True),
            Dependency("/mnt/projects/shot/lut.cube", "lut", "Vectorfield1", "vfield_file", True),
        ],
    )
    for submit_anyway in (False, True):  # --allow-missing is about missing files, nothing else
        blocked = checks(scan=scan, submit_anyway=submit_anyway)
        assert [(f.code, f.severity) for f in blocked] == [("outside_project", BLOCKER)]
    assert "ReadOdd.file: /opt/elsewhere/grade.cube lies on no accsyn share and outside the script's folder" in (
        blocked[0].message
    )
    for chosen in ("/opt/elsewhere/grade.cube", "/opt/elsewhere"):
        sent = checks(scan=scan, send_off_share=(chosen,))
        assert [(f.code, f.severity) for f in sent] == [("dependency_outside_share", WARNING)]


@pytest.mark.parametrize("submit_anyway", [False, True])
def test_a_file_in_a_private_place_blocks_whatever_is_allowed_or_chosen(submit_anyway) -> None:
    scan = ScanResult(scene="/mnt/projects/shot/comp.nk",
                      dependencies=[Dependency("/etc/shadow", "read", "ReadOdd", "file", True)])  # fmt: skip
    blocked = checks(scan=scan, submit_anyway=submit_anyway, send_off_share=("/etc/shadow",))
    assert [(f.code, f.severity) for f in blocked] == [("private_location", BLOCKER)]
    assert blocked[0].message.startswith("ReadOdd.file: /etc/shadow is in the system folder /etc; files there are")


def test_choices_with_a_bad_range_are_freed_without_the_cycle_collector() -> None:
    """An error kept with its traceback made the choices a cycle (choices, error, frames). The collector frees
    such a cycle on whichever thread it runs, and one that reaches a dialog's Qt objects crashes the host."""
    import gc
    import weakref

    gc.disable()
    try:
        choices = SubmitChoices(range_text="1001-x")
        assert choices.range_error is not None and choices.frames is None
        freed = weakref.ref(choices)
        del choices
        assert freed() is None
    finally:
        gc.enable()


def test_a_queue_is_checked_by_code_name_or_id_when_the_workspace_lists_queues():
    from accsyn_dcc.preflight import check_queue
    from accsyn_dcc.workspace import Queue

    listed = WorkspaceInfo(queues=[Queue("high", id="q1", name="High priority"), Queue("low")])
    assert [check_queue(queue, listed) for queue in ("high", "q1", "High priority", "")] == [[], [], [], []]
    [blocker] = check_queue("urgent", listed)
    assert blocker.blocks and blocker.message == "The workspace has no queue 'urgent' (it has: high, low)."
    assert check_queue("urgent", WorkspaceInfo()) == []  # no queues listed: nothing to check against
