"""Forms found on real public Nuke scripts (``tests/fixtures/nuke/real_forms.nk``): no false blocker, every file."""

from __future__ import annotations

from pathlib import Path

import pytest

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.nuke import scan_file
from nuke_fixtures import frames, install


@pytest.fixture
def scanned(tmp_path: Path):
    root = tmp_path / "show"
    install("real_forms.nk", root / "comp" / "real_forms.nk", root)
    install("livegroup_fx_v003.nk", root / "livegroups" / "fx_v003.nk", root)
    frames(root / "deep", "early.%04d.exr", range(1, 51))
    frames(root / "plates", "fx.%04d.exr", range(1001, 1011))
    return scan_file(str(root / "comp" / "real_forms.nk"), frames=FrameRange.parse("1001-1010"),
                     environ={"HOME": str(tmp_path / "home")})  # fmt: skip


def test_fill_and_sampler_are_nukes_own_nodes(scanned):
    assert [item.node for item in scanned.unresolved] == []


def test_a_deepread_black_outside_the_job_needs_no_frame(scanned):
    [deep] = [dep for dep in scanned.dependencies if dep.node == "DeepRead1"]
    assert (deep.needed, deep.frames, deep.missing) == (False, None, "")
    assert "before/after black/black" in deep.condition


def test_a_published_livegroup_reports_the_files_of_its_own_script(scanned):
    root = Path(scanned.scene).parents[1]
    reads = {(dep.node, dep.path, dep.exists, dep.missing) for dep in scanned.dependencies if dep.kind == "read"}
    assert reads == {("LiveGroup1.FxRead", f"{root}/plates/fx.%04d.exr", True, "")}
    [live] = [dep for dep in scanned.dependencies if dep.kind == "livegroup"]
    assert (live.node, live.path, live.exists) == ("LiveGroup1", f"{root}/livegroups/fx_v003.nk", True)
    assert scanned.errors == []
