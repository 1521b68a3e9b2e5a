"""The .nk forms real scripts use, each a hand-written script in the form Nuke saves (one per defect found)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.nuke import NukeScriptError, scan_file
from accsyn_dcc.scan.nuke.read_frames import read_timing
from accsyn_dcc.scan.nuke.scanner import _file_frames
from accsyn_dcc.scan.nuke.script import Node


def script(tmp_path: Path, body: str, first: str = "1001", last: str = "1010", name: str = "comp.nk") -> Path:
    path = tmp_path / name
    path.write_text(f"Root {{\n inputs 0\n first_frame {first}\n last_frame {last}\n}}\n{body}")
    return path


def frames(folder: Path, pattern: str, numbers) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        (folder / (pattern % number)).write_text("")


def read(file: str, name: str = "Read1", **knobs: str) -> str:
    lines = "".join(f" {key} {value}\n" for key, value in knobs.items())
    return f"Read {{\n inputs 0\n file {file}\n{lines} name {name}\n}}\n"


def scan(path: Path, frames_text: str = "1001-1010", **options):
    return scan_file(str(path), frames=FrameRange.parse(frames_text), environ={"HOME": str(path.parent)}, **options)


def only(result, node="Read1"):
    [dependency] = [dep for dep in result.dependencies if dep.node == node]
    return dependency


@pytest.mark.parametrize(
    ("knobs", "expected"),
    [
        ({"first": "1", "last": "50"}, "50"),  # after: hold (the default) reads the last frame
        ({"first": "2000", "last": "2050"}, "2000"),  # before: hold reads the first frame
        ({}, "1"),  # unsaved first/last are Nuke's defaults, 1 and 1
        ({"first": "1", "last": "4", "after": "loop"}, "1-4"),
        ({"first": "1", "last": "3", "after": "bounce"}, "1-3"),
        ({"first": "1", "last": "100", "frame_mode": '"start at"', "frame": "1001"}, "1-10"),
        ({"first": "1", "last": "100", "frame_mode": "offset", "frame": "1000"}, "1-10"),
    ],
)
def test_a_read_needs_the_file_frames_nuke_reads(tmp_path, knobs, expected):
    frames(tmp_path / "plates", "p.%04d.exr", range(1, 2100))
    result = scan(script(tmp_path, read(f"{tmp_path}/plates/p.%04d.exr", **knobs)))
    dependency = only(result)
    assert (dependency.exists, dependency.frames, dependency.missing, dependency.needed) == (True, expected, "", True)


def test_a_read_whose_frames_lie_outside_with_black_is_reported_not_needed(tmp_path):
    frames(tmp_path / "plates", "p.%04d.exr", range(1, 51))
    body = read(f"{tmp_path}/plates/p.%04d.exr", first="1", last="50", before="black", after="black")
    dependency = only(scan(script(tmp_path, body)))
    assert dependency.exists and not dependency.needed and "before/after black/black" in dependency.condition
    from accsyn_dcc.transfer import plan_transfer

    assert plan_transfer([dependency]).paths == ()


def test_a_clone_definition_is_a_node(tmp_path):
    frames(tmp_path / "plates", "p.%04d.exr", range(1001, 1011))
    body = (
        "clone node7fa9c4f1e400|Read|21345 Read {\n inputs 0\n"
        f" file {tmp_path}/plates/p.%04d.exr\n first 1001\n last 1010\n name ReadClone\n}}\n"
        "clone $C7fa9c4f1e400 {\n xpos 10\n ypos 20\n}\n"
    )
    assert only(scan(script(tmp_path, body)), "ReadClone").exists


def test_a_disabled_group_hides_only_itself_and_its_contents(tmp_path):
    (tmp_path / "a.exr").write_text("")
    body = (
        "Group {\n name Group1\n disable true\n}\n" + read(f"{tmp_path}/a.exr", "ReadIn1") + "end_group\n"
        "Group {\n name Group10\n}\n" + read(f"{tmp_path}/a.exr", "ReadIn10") + "end_group\n"
        "VariableGroup {\n name Variants\n}\n" + read(f"{tmp_path}/a.exr", "ReadInVariant") + "end_group\n"
    )
    nodes = {dep.node for dep in scan(script(tmp_path, body)).dependencies}
    assert nodes == {"Group10.ReadIn10", "Variants.ReadInVariant"}


def test_value_parent_in_a_group_and_in_a_gizmo_evaluates_where_it_is_used(tmp_path):
    (tmp_path / "elements").mkdir()
    (tmp_path / "elements" / "smoke.exr").write_text("")
    (tmp_path / "gizmos").mkdir()
    (tmp_path / "gizmos" / "Smoker.gizmo").write_text(
        "Gizmo {\n addUserKnob {20 User}\n addUserKnob {2 element}\n}\n"
        "Read {\n inputs 0\n file {[value parent.element]}\n name GizmoRead\n}\n"
        "Read {\n inputs 0\n file {[file dirname [value root.name]]/elements/smoke.exr}\n name BesideScript\n}\n"
        "end_group\n"
    )
    body = (
        "Group {\n name Group1\n addUserKnob {20 User}\n addUserKnob {2 element}\n"
        f" element {tmp_path}/elements/smoke.exr\n}}\n"
        "Read {\n inputs 0\n file {[value parent.element]}\n name Inner\n}\nend_group\n"
        f"Smoker {{\n element {tmp_path}/elements/smoke.exr\n name Smoker1\n}}\n"
    )
    result = scan_file(
        str(script(tmp_path, body)), environ={"HOME": str(tmp_path), "NUKE_PATH": str(tmp_path / "gizmos")}
    )
    found = {dep.node: (dep.path, dep.exists) for dep in result.dependencies}
    smoke = (f"{tmp_path}/elements/smoke.exr", True)
    assert found["Group1.Inner"] == smoke
    assert found["Smoker1>GizmoRead"] == smoke
    assert found["Smoker1>BesideScript"] == smoke  # root.name is the script using the gizmo, not the .gizmo
    assert result.unresolved == []


def test_a_condition_set_by_an_expression_makes_the_file_conditional(tmp_path):
    body = f"Camera3 {{\n read_from_file {{{{parent.use_cache}}}}\n file {tmp_path}/cam.abc\n name Camera1\n}}\n"
    dependency = only(scan(script(tmp_path, body)), "Camera1")
    assert dependency.conditional and "read_from_file" in dependency.condition


def test_precomp_writes_are_not_outputs_and_proxy_writes_output_their_proxy(tmp_path):
    precomp = tmp_path / "pre.nk"
    precomp.write_text("Root {\n inputs 0\n}\nWrite {\n file /tmp/precomp_own.%04d.exr\n name PreWrite\n}\n")
    body = (
        f"Precomp {{\n file {precomp}\n name Precomp1\n}}\n"
        "Write {\n file /renders/full.%04d.exr\n proxy /renders/proxy.%04d.exr\n name Write1\n}\n"
    )
    path = script(tmp_path, body)
    text = path.read_text().replace(" first_frame 1001", " proxy true\n first_frame 1001")
    path.write_text(text)
    outputs = [(output.node, output.path) for output in scan(path).outputs]
    assert outputs == [("Write1", "/renders/proxy.%04d.exr")]


def test_livegroup_contents_are_reported_once(tmp_path):
    frames(tmp_path / "plates", "p.%04d.exr", range(1001, 1011))
    live = tmp_path / "live.nk"
    live.write_text(
        "Root {\n inputs 0\n}\n" + read(f"{tmp_path}/plates/p.%04d.exr", "LiveRead", first="1001", last="1010")
    )
    body = (
        f"LiveGroup {{\n file {live}\n name LiveGroup1\n}}\n"
        + read(f"{tmp_path}/plates/p.%04d.exr", "LiveRead", first="1001", last="1010")
        + "end_group\n"
    )
    nodes = [dep.node for dep in scan(script(tmp_path, body)).dependencies if dep.kind == "read"]
    assert nodes == ["LiveGroup1.LiveRead"]


def test_builtin_nodes_are_not_taken_for_missing_gizmos(tmp_path):
    body = "".join(f"{name} {{\n name {name}1\n}}\n" for name in ("Ramp", "Add", "CurveTool", "Difference", "FFT"))
    assert scan(script(tmp_path, body)).unresolved == []


@pytest.mark.parametrize("value", ["{{1001}}", "@(frame_first)d", "inf", "nan", "1e400"])
def test_root_range_that_is_not_a_number_is_an_error_and_a_default_range(tmp_path, value):
    path = script(tmp_path, "", first=value)
    result = scan_file(str(path), environ={})
    assert str(result.frame_range) in ("1001-1010", "1-100")
    if value != "{{1001}}":
        assert any("first_frame/last_frame are not numbers" in error for error in result.errors)


def test_unsafe_inputs_end_in_an_error_or_unresolved_quickly(tmp_path):
    fifo = tmp_path / "pipe.nk"
    os.mkfifo(fifo)
    secret = tmp_path / "environ"
    secret.write_text("ACCSYN_API_KEY=secret-from-the-environment\x00HOME=/root\n")
    chain = "".join(f"NoOp {{\n name N{i}\n addUserKnob {{1 v}}\n v \"[value N{i + 1}.v][value N{i + 1}.v]\"\n}}\n"
                    for i in range(40))  # fmt: skip
    body = (
        "Precomp {\n file /dev/zero\n name PreZero\n}\n"
        f"Precomp {{\n file {fifo}\n name PreFifo\n}}\n"
        f"Precomp {{\n file {secret}\n name PreSecret\n}}\n"
        + read(f"{tmp_path}/a.%0999999999d.exr", "ReadPad")
        + read("{[getenv ACCSYN_API_KEY]}/x.exr", "ReadKey")
        + chain
        + "NoOp {\n name N40\n addUserKnob {1 v}\n v x\n}\n"
        + read("{[value N0.v]}", "ReadChain")
    )
    path = script(tmp_path, body, last="999999")
    os.environ["ACCSYN_API_KEY"] = "secret-from-the-environment"
    started = time.monotonic()
    try:
        result = scan_file(str(path), environ=dict(os.environ))
    finally:
        del os.environ["ACCSYN_API_KEY"]
    assert time.monotonic() - started < 10
    text = repr(result.to_dict())
    assert "secret-from-the-environment" not in text
    errors = " ".join(result.errors)
    assert "PreZero" in errors and "PreFifo" in errors and "not a regular file" in errors
    assert "PreSecret" in errors
    reasons = {item.node: item.reason for item in result.unresolved}
    assert "padding" in reasons["ReadPad"] and "credential" in reasons["ReadKey"]
    assert "grows beyond" in reasons["ReadChain"] or "loop" in reasons["ReadChain"]


def test_a_bom_is_read_and_deep_nesting_is_refused(tmp_path):
    bom = tmp_path / "bom.nk"
    bom.write_bytes(b"\xef\xbb\xbfRoot {\n inputs 0\n}\n")
    assert scan_file(str(bom), environ={}).errors == []
    deep = tmp_path / "deep.nk"
    deep.write_text("Group {\n}\n" * 1001 + "end_group\n" * 1001)
    with pytest.raises(NukeScriptError, match="nested deeper than 1000"):
        scan_file(str(deep), environ={})


def test_text2_font_with_a_quoted_windows_path_keeps_it_whole(tmp_path):
    body = 'Text2 {\n font {{ Arial : Regular : "C:/Windows/Fonts/arial.ttf" : 0 }}\n name Title\n}\n'
    result = scan_file(str(script(tmp_path, body)), environ={"HOME": str(tmp_path), "ACCSYN_DCC_SYSTEM_FONTS": ""})
    [font] = result.dependencies
    assert font.path == "C:/Windows/Fonts/arial.ttf" and not font.exists


def test_text2_family_and_style_are_found_through_name_tables(tmp_path):
    from font_files import make_font

    make_font(tmp_path / "studio_fonts" / "sans-bold.ttf", "Studio Sans", "Bold")
    make_font(tmp_path / "system" / "serif.ttf", "House Serif", "Regular")
    body = (
        "Text2 {\n font {{ Studio Sans : Bold :  : 0 }}\n name Title\n}\n"
        "Text2 {\n font {{ House Serif : Regular :  : 0 }}\n name Credits\n}\n"
        "Text2 {\n font {{ Nowhere Mono : Italic :  : 0 }}\n name Slate\n}\n"
    )
    environ = {"HOME": str(tmp_path), "NUKE_FONT_PATH": str(tmp_path / "studio_fonts"),
               "ACCSYN_DCC_SYSTEM_FONTS": str(tmp_path / "system")}  # fmt: skip
    result = scan_file(str(script(tmp_path, body)), environ=environ)
    found = {dep.node: dep for dep in result.dependencies}
    assert found["Title"].path == str(tmp_path / "studio_fonts" / "sans-bold.ttf") and found["Title"].exists
    assert not found["Title"].conditional
    assert found["Credits"].path == str(tmp_path / "system" / "serif.ttf")
    assert found["Credits"].conditional and "system font" in found["Credits"].condition
    [slate] = result.unresolved
    assert slate.node == "Slate" and "Nowhere Mono Italic not found" in slate.reason


def test_a_pipe_named_like_a_font_in_a_font_folder_is_never_opened(tmp_path):
    from font_files import make_font

    fonts = tmp_path / "studio_fonts"
    make_font(fonts / "sans-bold.ttf", "Studio Sans", "Bold")
    os.mkfifo(fonts / "a-pipe.ttf")
    body = "Text2 {\n font {{ Studio Sans : Bold :  : 0 }}\n name Title\n}\n"
    environ = {"HOME": str(tmp_path), "NUKE_FONT_PATH": str(fonts), "ACCSYN_DCC_SYSTEM_FONTS": ""}
    [font] = scan_file(str(script(tmp_path, body)), environ=environ).dependencies
    assert font.path == str(fonts / "sans-bold.ttf") and font.exists


@settings(max_examples=600, deadline=None)
@given(
    st.integers(-5, 40), st.integers(-5, 40), st.sampled_from(["", "offset", '"start at"']), st.integers(-30, 30),
    st.sampled_from(["hold", "loop", "bounce", "black"]), st.sampled_from(["hold", "loop", "bounce", "black"]),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 90), st.sampled_from([1, 1, 1, 3])), min_size=1, max_size=3),
)  # fmt: skip
def test_the_frames_a_read_needs_are_its_frame_by_frame_mapping(first, last, mode, frame, before, after, runs):
    knobs = {"first": str(first), "last": str(last), "before": before, "after": after}
    if mode:
        knobs.update(frame_mode=mode, frame=str(frame))
    job = FrameRange.parse(",".join(f"{start}-{start + length}x{step}" for start, length, step in runs))
    timing = read_timing(knobs)
    by_frame = {mapped for mapped in map(timing.map, (f - timing.shift for f in job.frames())) if mapped is not None}
    needed_frames, needed, _note = _file_frames(job, Node("Read", "Read1", knobs))
    if {frame for frame in by_frame if frame >= 0}:
        assert needed and set(needed_frames.frames()) == {frame for frame in by_frame if frame >= 0}
    else:
        assert not needed


@pytest.mark.parametrize(("first", "last", "knob"), [("{{parent.start}}", "1005", "first"), ("1001", "1005x", "last")])
def test_a_write_whose_limit_is_not_a_number_renders_the_job_s_frames_and_says_so(tmp_path, first, last, knob):
    body = f"Write {{\n file {tmp_path}/out.%04d.exr\n use_limit true\n first {first}\n last {last}\n name Write1\n}}\n"
    result = scan(script(tmp_path, body))
    [output] = result.outputs
    assert output.range is None
    [unresolved] = result.unresolved
    assert (unresolved.node, unresolved.knob) == ("Write1", knob) and "expression" in unresolved.reason


def test_a_huge_job_range_is_mapped_per_run_not_per_frame(tmp_path, monkeypatch):
    from accsyn_dcc.scan.nuke.read_frames import ReadTiming

    mapped = []
    monkeypatch.setattr(ReadTiming, "map", lambda self, frame: mapped.append(frame))
    modes = ["hold", "loop", "bounce", "black"]
    body = "".join(read(f"{tmp_path}/p{index}.%04d.exr", name=f"Read{index}", first="1", last="50", before=mode,
                        after=mode) for index, mode in enumerate(modes * 25))  # fmt: skip
    result = scan(script(tmp_path, body, first="0", last="999999"), "0-999999")
    assert {dep.frames for dep in result.dependencies} == {"1-50"}
    assert not mapped  # frame by frame, 100 Reads over a million frames took minutes


@pytest.mark.parametrize("knobs", [{"frame_mode": "offset", "frame": "{{x}}"}, {"before": "black", "after": "black"}])
def test_a_read_whose_own_frames_are_too_many_to_check_is_named(tmp_path, knobs):
    body = read(f"{tmp_path}/p.%04d.exr", first="2000000", last="999999999", **knobs)
    result = scan(script(tmp_path, body))
    [unresolved] = result.unresolved
    assert unresolved.node == "Read1"
    assert unresolved.reason == "998000000 frames to check, more than 100000 in its own range 2000000-999999999"


@pytest.mark.parametrize(
    ("first", "last", "frames", "said"),
    [
        ("-10", "20", "0-20", "frames -10 to -1 are left out"),
        ("-20", "-5", "0", "none can render on the farm"),
        ("1", "2000000", "1-1000000", "longer than 1000000 frames"),
        ("1001", "1010", "1001-1010", ""),
    ],
)
def test_a_root_range_the_farm_cannot_render_whole_is_cut_and_said_never_refused(tmp_path, first, last, frames, said):
    result = scan_file(str(script(tmp_path, "", first, last)), environ={"HOME": str(tmp_path)})
    assert str(result.frame_range) == frames
    root_errors = [error for error in result.errors if error.startswith("root:")]
    assert len(root_errors) == (1 if said else 0) and all(said in error for error in root_errors)


def test_a_write_limit_below_0_renders_from_0_and_one_all_below_0_renders_nothing(tmp_path):
    body = "".join(
        f"Write {{\n file {tmp_path}/{name}.%04d.exr\n use_limit true\n first {first}\n last {last}\n name {name}\n}}\n"
        for name, first, last in (("Part", -5, 5), ("None", -9, -1))
    )
    result = scan(script(tmp_path, body))
    assert [(output.node, str(output.range)) for output in result.outputs] == [("Part", "0-5")]
    assert [(u.node, u.knob) for u in result.unresolved] == [("Part", "first"), ("None", "first")]
    assert "renders 0-5" in result.unresolved[0].reason and "renders nothing" in result.unresolved[1].reason
