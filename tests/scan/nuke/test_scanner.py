"""The offline .nk scanner on realistic fixtures: exactly the expected files, nothing extra."""

import json
import shutil
from pathlib import Path

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan import scan_scene
from accsyn_dcc.scan.nuke import NukeScriptError, scan_file
from nuke_fixtures import FIXTURES, environ


def test_every_dependency_is_found_exactly(show, tmp_path):
    result = scan_file(str(show / "comp" / "shot_v012.nk"), environ=environ(show, tmp_path))
    found = {(dep.node, dep.knob, dep.kind, str(Path(dep.path).relative_to(show)), dep.exists, dep.missing)
             for dep in result.dependencies}  # fmt: skip
    assert found == {
        ("Read1", "file", "read", "plates/plate.%04d.exr", True, "1005-1006"),
        ("Read2", "file", "read", "elements/smoke.####.exr", True, ""),
        ("ReadStereo", "file", "read", "stereo/hero_%V.%04d.exr", True, "1010"),
        ("DeepRead1", "file", "deepread", "deep/d.%04d.exr", True, ""),
        ("ReadGeo1", "file", "geo", "geo/set.abc", True, ""),
        ("Camera1", "file", "camera", "cam/cam.abc", True, ""),
        ("Group1", "lut", "file", "luts/user.cube", True, ""),
        ("Group1.ReadBG", "file", "read", "bgplates/bg.exr", True, ""),
        ("Group1.Inner.OCIOFileTransform1", "file", "lut", "comp/luts/grade.cube", True, ""),
        ("Text1", "font", "font", "fonts/Inter.ttf", True, ""),
        ("Precomp1", "file", "precomp", "precomp/bg_precomp.nk", True, ""),
        ("Precomp1>ReadBGPlate", "file", "read", "plates/bg.%04d.exr", True, ""),
        ("Precomp1>PrecompBack", "file", "precomp", "comp/shot_v012.nk", True, ""),
        ("StudioGlow1", "class", "gizmo", "gizmos/StudioGlow.gizmo", True, ""),
        ("StudioGlow1>GlowLUT", "file", "lut", "gizmos/glow.cube", True, ""),
        ("WritePrev", "file", "read", "renders/prev.%04d.exr", True, ""),
        ("root", "customOCIOConfigPath", "ocio", "comp/ocio/config.ocio", True, ""),
        ("root", "customOCIOConfigPath", "lut", "comp/ocio/luts/shot_grade.cube", True, ""),
        ("root", "customOCIOConfigPath", "lut", "comp/ocio/shared/film.csp", True, ""),
        ("root", "customOCIOConfigPath", "lut", "comp/ocio/luts/missing.cube", False, ""),
    }
    read2 = next(dep for dep in result.dependencies if dep.node == "Read2")
    assert read2.frames == "1003-1004"
    assert {(item.node, item.knob) for item in result.unresolved} == {
        ("Text2", "font"),
        ("MissingThing1", "class"),
        ("ReadPython", "file"),
    }
    assert "MissingThing.gizmo not found" in next(i.reason for i in result.unresolved if i.node == "MissingThing1")
    assert len(result.errors) == 1 and "cycle" in result.errors[0]


def test_outputs_and_scene_facts(show, tmp_path):
    result = scan_file(str(show / "comp" / "shot_v012.nk"), environ=environ(show, tmp_path))
    outputs = {output.node: output for output in result.outputs}
    assert set(outputs) == {"Write1", "WriteMov"}
    assert (str(outputs["Write1"].range), outputs["Write1"].views, outputs["Write1"].is_movie) == (
        "1001-1005",
        ["left"],
        False,
    )
    assert outputs["WriteMov"].is_movie and outputs["WriteMov"].views == ["left", "right"]
    assert str(result.frame_range) == "1001-1010" and result.fps == 24.0 and result.views == ["left", "right"]
    assert result.facts["nuke_version"] == "15.1 v3"


def test_job_range_is_clipped_to_each_reads_own_range(show, tmp_path):
    result = scan_file(str(show / "comp" / "shot_v012.nk"), FrameRange.parse("1004-1008"), environ(show, tmp_path))
    read1 = next(dep for dep in result.dependencies if dep.node == "Read1")
    assert (read1.frames, read1.missing) == ("1004-1008", "1005-1006")
    read2 = next(dep for dep in result.dependencies if dep.node == "Read2")
    assert read2.frames == "1004"


def test_each_directory_is_listed_once(show, tmp_path, monkeypatch):
    import os

    calls = []
    for name in ("scandir", "listdir"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda path, real=real: calls.append(path) or real(path))
    scan_file(str(show / "comp" / "shot_v012.nk"), environ=environ(show, tmp_path))
    assert len(calls) > 10
    assert len(calls) == len(set(calls))


def test_crlf_latin1_clipboard_without_root():
    result = scan_scene(str(FIXTURES / "clipboard_crlf_latin1.nk"))
    assert [(dep.node, dep.path) for dep in result.dependencies] == [
        ("ReadCRLF", "/plates/crlf.exr"),
        ("ReadLatin", "/plates/café.exr"),
    ]
    assert str(result.frame_range) == "1-100"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("Read {\n file /a\n", "1:6", "unbalanced '{'"),
        ('Read {\n file "/a\n}\n', "2:7", "unterminated"),
        ("Group {\n}\nRead {\n}\n", "", "no end_group"),  # the whole file: no line to name
        ("end_group\n", "1:1", "end_group without a group"),
        ("}\n", "1:1", "unexpected '}'"),
        ("Read {\n file [value x\n}\n", "2:7", "unbalanced '['"),
    ],
)
def test_malformed_scripts_raise_one_error_with_position(tmp_path, text, where, message):
    path = tmp_path / "bad.nk"
    path.write_text(text)
    with pytest.raises(NukeScriptError) as caught:
        scan_file(str(path))
    assert (f"bad.nk:{where}: " if where else "bad.nk: ") in str(caught.value) and message in str(caught.value)


def test_scan_cli_json_shape(show, tmp_path, monkeypatch, capsys):
    for name, value in environ(show, tmp_path).items():
        monkeypatch.setenv(name, value)
    assert main(["scan", str(show / "comp" / "shot_v012.nk"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"scene", "frame_range", "dependencies", "outputs", "unresolved", "errors", "facts"}
    assert {"path", "kind", "node", "knob", "exists", "frames", "missing"} <= set(data["dependencies"][0])
    assert {"node", "path", "range", "views"} <= set(data["outputs"][0])
    assert {"node", "knob", "value", "reason"} == set(data["unresolved"][0])


def test_scan_cli_human_summary_and_unreadable(show, tmp_path, monkeypatch, capsys):
    for name, value in environ(show, tmp_path).items():
        monkeypatch.setenv(name, value)
    assert main(["scan", str(show / "comp" / "shot_v012.nk")]) == 0
    out = capsys.readouterr().out
    assert f"MISSING FRAMES Read1 read {show}/plates/plate.%04d.exr: 1005-1006" in out
    assert main(["scan", str(tmp_path / "absent.nk")]) == 1
    assert "cannot read the script" in capsys.readouterr().err


def test_fixture_copies_are_independent(show):
    shutil.rmtree(show / "deep")
    assert not (show / "deep").exists()


def test_other_os_paths_are_kept_absolute_and_reported_missing(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "StudioSans.ttf").write_text("")
    result = scan_file(str(FIXTURES / "windows_paths.nk"), environ={"NUKE_FONT_PATH": str(fonts)})
    found = {(dep.node, dep.path, dep.exists, dep.missing) for dep in result.dependencies}
    assert found == {
        ("ReadDrive", "P:/show/plates/plate.####.exr", False, "1-3"),
        ("ReadUNC", "//fileserver/vfx/elements/dust.%04d.exr", False, "1-3"),
        ("ReadMac", "/Volumes/projects/show/ref.jpg", False, ""),
        ("TextStudio", str(fonts / "StudioSans.ttf"), True, ""),
    }


def test_scan_several_scripts_and_a_gizmo_in_one_process(show, tmp_path, monkeypatch, capsys):
    for name, value in environ(show, tmp_path).items():
        monkeypatch.setenv(name, value)
    scenes = [show / "comp" / "shot_v012.nk", show / "gizmos" / "StudioGlow.gizmo", tmp_path / "absent.nk"]
    assert main(["scan", *map(str, scenes), "--json"]) == 1  # one could not be read; the others were scanned
    documents = json.loads(capsys.readouterr().out)
    assert [document["scene"] for document in documents] == [str(scene) for scene in scenes]
    assert documents[1]["dependencies"][0]["path"].endswith("glow.cube")
    assert "cannot read the script" in documents[2]["error"]


def test_terminal_escapes_from_a_script_never_reach_the_terminal(tmp_path, capsys):
    script = tmp_path / "evil.nk"
    script.write_text('Root {\n inputs 0\n}\nRead {\n inputs 0\n file "/x/\x1b]2;owned\x07\x1b[31m.exr"\n name R\n}\n')
    assert main(["scan", str(script)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b" in out


def test_a_read_of_what_a_write_of_the_script_renders_is_marked_written_by_it(tmp_path):
    """A precomp rendered by Write_pre and read back by Read_pre: its frames are the render's to make."""
    (tmp_path / "pre").mkdir()
    (tmp_path / "pre" / "pre.0001.exr").write_bytes(b"")
    script = tmp_path / "comp.nk"
    script.write_text(
        "Root {\n inputs 0\n first_frame 1\n last_frame 3\n}\n"
        f"Write {{\n file {tmp_path}/pre/pre.%04d.exr\n name Write_pre\n}}\n"
        f"Read {{\n inputs 0\n file {tmp_path}/pre/pre.%04d.exr\n first 1\n last 3\n name Read_pre\n}}\n"
        f"Write {{\n file {tmp_path}/out/comp.%04d.exr\n name Write_comp\n}}\n"
    )
    [read_back] = scan_file(str(script), environ={}).dependencies
    assert (read_back.node, read_back.written_by, read_back.missing) == ("Read_pre", "Write_pre", "2-3")


def test_a_write_with_no_file_is_a_finding_not_an_output_left_out_unsaid(tmp_path):
    script = tmp_path / "comp.nk"
    script.write_text(
        "Root {\n inputs 0\n first_frame 1\n last_frame 3\n}\n"
        "Write {\n name Write_new\n}\n"  # Nuke saves no file knob for a Write whose file was never set
        f"Write {{\n file {tmp_path}/out/comp.%04d.exr\n name Write_comp\n}}\n"
    )
    result = scan_file(str(script), environ={})
    assert [output.node for output in result.outputs] == ["Write_comp"]
    assert [(item.node, item.knob, item.reason) for item in result.unresolved] == [
        ("Write_new", "file", "no output file set, so it writes nothing to submit")
    ]
