"""The Maya engine against a stand-in ``Render`` (Maya cannot run here), on our base and on the stock one."""

import json

import pytest

from engine_helpers import ENGINES, STOCK, run_engine, write_data

MAYA = ENGINES / "maya.py"
SHARES = [{"id": "v1", "code": "projects", "default": True, "paths": {"windows": "P:", "linux": "/mnt/projects"}}]


def done_frames(result):
    return [json.loads(line)["uri"] for line in result.stdout.splitlines() if line.startswith('{"taskstatus"')]


def test_probe_finds_render(fake_render):
    result = run_engine(MAYA, args=["--probe"])
    assert result.returncode == 0, result.stderr
    assert f"Found {fake_render}" in result.stdout


@pytest.mark.parametrize("common", [ENGINES, STOCK], ids=["our-base", "stock-base"])
def test_bucket_renders_layers_and_camera_and_reports_each_frame_once_every_layer_wrote_it(
    tmp_path, fake_render, common
):
    scene = tmp_path / "show" / "scenes" / "shot.ma"
    scene.parent.mkdir(parents=True)
    scene.write_text("//Maya ASCII 2024 scene\n")
    compute = {
        "input": str(scene),
        "output": str(tmp_path / "renders"),
        "parameters": {"renderer": "arnold", "layers": ["rs_beauty", "rs_fx"], "cameras": ["shotCam"]},
    }
    result = run_engine(MAYA, write_data(tmp_path, compute), item="1001-1003", common=common)
    assert result.returncode == 0, result.stderr
    argv = json.loads((tmp_path / "render.json").read_text())["argv"]
    assert argv == ["-r", "arnold", "-s", "1001", "-e", "1003", "-b", "1", "-rl", "rs_beauty,rs_fx", "-cam", "shotCam",
                    "-proj", str(tmp_path / "show"), "-rd", str(tmp_path / "renders"), str(scene)]  # fmt: skip
    assert done_frames(result) == ["1001", "1002", "1003"]
    # beauty's images of every frame come before fx's: nothing is done until fx wrote it too
    lines = result.stdout.splitlines()
    first_done = next(index for index, line in enumerate(lines) if line.startswith('{"taskstatus"'))
    assert any("fx_beauty.1001.exr" in line for line in lines[:first_done])


def test_ma_paths_converted_and_dirmap_set_for_paths_maya_resolves_at_render_time(tmp_path, fake_render):
    scene = tmp_path / "shot.ma"
    scene.write_text(
        '//Maya ASCII 2024 scene\ncreateNode file -n "f";\n\tsetAttr ".ftn" -type "string" "P:/tex/wood.exr";\n'
    )
    compute = {"input": str(scene), "parameters": {"input_conversion": "always", "remote_os": "windows",
                                                   "project": "P:/show"}}  # fmt: skip
    result = run_engine(MAYA, write_data(tmp_path, compute, shares=SHARES), item="1", common=STOCK)
    assert result.returncode == 0, result.stderr
    recorded = json.loads((tmp_path / "render.json").read_text())
    localized = tmp_path / "shot_accsynlocalized_hq_linux.ma"
    assert '"/mnt/projects/tex/wood.exr"' in localized.read_text()
    assert recorded["argv"][-1] == str(localized)
    assert recorded["argv"][recorded["argv"].index("-proj") + 1] == "/mnt/projects/show"
    assert json.loads(recorded["pairs"]) == [["P:", "/mnt/projects"]]
    startup = tmp_path / "accsyn_maya_startup"
    assert recorded["pythonpath"].split(":")[0] == str(startup)
    assert "cmds.dirmap(mapDirectory=" in (startup / "userSetup.py").read_text()


def test_failure_exit_code_fails_the_task(tmp_path, fake_render):
    scene = tmp_path / "shot.mb"
    scene.write_bytes(b"binary")
    result = run_engine(MAYA, write_data(tmp_path, {"input": str(scene), "parameters": {}}), item="1",
                        env={"FAKE_RENDER_EXIT": "211"})  # fmt: skip
    assert result.returncode == 211
    assert "exited with code 211" in result.stderr
