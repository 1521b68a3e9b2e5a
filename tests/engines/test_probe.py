"""``python <engine>.py --probe``: one line saying whether the application is there, and nothing left behind."""

import pytest

from engine_helpers import ENGINES, STOCK, run_engine

PROBES = {
    "nuke": "NUKE_EXECUTABLE",
    "blender": "BLENDER_EXECUTABLE",
    "maya": "MAYA_RENDER_EXECUTABLE",
    "houdini": "HOUDINI_HYTHON",
    "husk": "HUSK_EXECUTABLE",
}
BASES = pytest.mark.parametrize("common", [ENGINES, STOCK], ids=["our-base", "stock-base"])


def _last_line(result):
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    return lines[-1]


@BASES
@pytest.mark.parametrize("engine", sorted(PROBES))
def test_probe_without_the_application_says_so_in_one_line_and_writes_nothing_here(tmp_path, engine, common):
    here = tmp_path / "here"
    here.mkdir()
    variable = PROBES[engine]
    result = run_engine(ENGINES / f"{engine}.py", args=["--probe"], env={variable: str(tmp_path / "nope")},
                        common=common, cwd=here)  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    last = _last_line(result)
    assert "not found" in last and variable in last and str(tmp_path / "nope") in last, last
    assert list(here.iterdir()) == []


@BASES
@pytest.mark.parametrize("engine", sorted(PROBES))
def test_probe_with_the_application_names_it_and_writes_nothing_here(tmp_path, engine, common):
    here = tmp_path / "here"
    here.mkdir()
    application = tmp_path / "app"
    application.write_text("")
    variable = PROBES[engine]
    result = run_engine(ENGINES / f"{engine}.py", args=["--probe"], env={variable: str(application)},
                        common=common, cwd=here)  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = _last_line(result)
    assert f"Found {application}" in last and variable in last, last
    assert list(here.iterdir()) == []
