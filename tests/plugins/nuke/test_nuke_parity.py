"""One .nk, opened in the stand-in ``nuke`` (live) and read offline, gives one scene range and one set of outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Tuple

import pytest

from accsyn_dcc.scan.nuke import scan_file
from accsyn_dcc.scan.records import Output


def comp(tmp_path: Path, first: str = "-10", last: str = "20") -> Path:
    """Writes of every kind the output rules tell apart: movie types, a GenerateLUT, a limit below 0, a Write
    that reads its file, a Write with no file, a relative path, one in a Group and one in a disabled Group."""
    out = f"{tmp_path}/out"
    script = tmp_path / "comp.nk"
    script.write_text(
        f"Root {{\n inputs 0\n name {script}\n first_frame {first}\n last_frame {last}\n"
        ' views "left #ff0000\nright #00ff00"\n}\n'
        f"Write {{\n file {out}/comp.%04d.exr\n file_type exr\n views left\n name Write_EXR\n}}\n"
        f"Write {{\n file {out}/review.mov\n file_type mov64\n name Write_MOV64\n}}\n"
        f"Write {{\n file {out}/review.mov\n file_type mov32\n name Write_MOV32\n}}\n"
        f"Write {{\n file {out}/limited.%04d.exr\n file_type exr\n use_limit true\n first -5\n last 5\n"
        " name Write_Limited\n}\n"
        f"Write {{\n file {out}/reading.%04d.exr\n reading true\n name Write_Reading\n}}\n"
        "Write {\n name Write_Empty\n}\n"
        "Write {\n file renders/../relative.%04d.exr\n name Write_Relative\n}\n"
        f"GenerateLUT {{\n file {out}/grade.cube\n name GenerateLUT1\n}}\n"
        "Group {\n name Review\n}\n"
        f"Write {{\n file {out}/group.%04d.dpx\n name Write_InGroup\n}}\n"
        "end_group\n"
        "Group {\n name Old\n disable true\n}\n"
        f"Write {{\n file {out}/old.%04d.exr\n name Write_Old\n}}\n"
        "end_group\n"
    )
    return script


def fields(outputs: List[Output]) -> List[Tuple[Any, ...]]:
    return sorted((o.node, o.path, o.range, tuple(o.views), o.is_movie, o.file_type) for o in outputs)


@pytest.fixture
def opened(nuke_ui: Any, tmp_path: Path) -> Path:
    script = comp(tmp_path)
    nuke_ui.scriptOpen(str(script))
    return script


def test_live_and_offline_give_the_same_outputs_and_range(opened: Path) -> None:
    from accsyn_nuke import live_scan
    from accsyn_nuke.adapter import NukeHost

    offline = scan_file(str(opened), environ={"HOME": str(opened.parent)})
    live = live_scan.collect().finish()
    host = NukeHost()
    assert fields(host.outputs()) == fields(offline.outputs) == fields(live.outputs)
    assert host.frame_range() == offline.frame_range == live.frame_range
    assert str(offline.frame_range) == "0-20"
    below = [error for error in offline.errors if "below 0" in error]
    assert below and below == [error for error in live.errors if "below 0" in error]
    assert [(u.node, u.knob, u.reason) for u in offline.unresolved] == [
        (u.node, u.knob, u.reason) for u in live.unresolved
    ]


def test_the_output_rules_know_every_movie_type_and_output_class(opened: Path) -> None:
    from accsyn_nuke.adapter import NukeHost

    outputs = {output.node: output for output in NukeHost().outputs()}
    assert sorted(outputs) == [
        "GenerateLUT1", "Review.Write_InGroup", "Write_EXR", "Write_Limited", "Write_MOV32", "Write_MOV64",
        "Write_Relative",
    ]  # fmt: skip
    assert {name for name, output in outputs.items() if output.is_movie} == {"Write_MOV32", "Write_MOV64"}
    assert str(outputs["Write_Limited"].range) == "0-5" and outputs["Write_EXR"].views == ["left"]
    assert outputs["Review.Write_InGroup"].views == ["left", "right"]
    assert outputs["Write_Relative"].path == f"{opened.parent}/relative.%04d.exr"  # from the script's folder


def test_a_scene_range_below_0_is_the_farm_s_frames_and_a_finding(opened: Path) -> None:
    offline = scan_file(str(opened), environ={"HOME": str(opened.parent)})
    [finding] = [error for error in offline.errors if "root" in error]
    assert "-10" in finding and "-10 to -1" in finding and "0-20" in finding
