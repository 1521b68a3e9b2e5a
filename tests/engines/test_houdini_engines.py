"""The hython and husk engines against stand-in executables, on our base and on the stock one; the render
script hython runs, against a stand-in ``hou``."""

import json
import runpy
import sys
import types

import pytest

from engine_helpers import ENGINES, STOCK, run_engine, write_data

HOUDINI = ENGINES / "houdini.py"
HUSK = ENGINES / "husk.py"
SHARES = [{"id": "v1", "code": "projects", "default": True, "paths": {"windows": "P:", "linux": "/mnt/projects"}}]


def done_frames(result):
    return [json.loads(line)["uri"] for line in result.stdout.splitlines() if line.startswith('{"taskstatus"')]


@pytest.mark.parametrize("common", [ENGINES, STOCK], ids=["our-base", "stock-base"])
def test_hython_renders_the_named_rops_frame_by_frame_with_houdinis_path_map(tmp_path, fake_houdini, common):
    scene = tmp_path / "shot.hip"
    scene.write_bytes(b"070707")
    compute = {"input": str(scene), "parameters": {"rops": ["/out/karma1", "/out/geo_cache"], "remote_os": "windows"}}
    result = run_engine(HOUDINI, write_data(tmp_path, compute, shares=SHARES), item="11-13", common=common)
    assert result.returncode == 0, result.stderr
    recorded = json.loads((tmp_path / "houdini.json").read_text())
    script, options = recorded["argv"]
    assert script.endswith("accsyn_houdini_render.py")
    assert json.loads(options) == {
        "input": str(scene),
        "rops": ["/out/karma1", "/out/geo_cache"],
        "first": 11,
        "last": 13,
    }
    assert json.loads(recorded["pathmap"]) == {"P:": "/mnt/projects"}
    assert done_frames(result) == ["11", "12", "13"]
    assert scene.read_bytes() == b"070707"  # the cpio archive is never converted as text


STAGE = """#usda 1.0
def Scope "Render"
{
    def RenderProduct "beauty"
    {
        uniform token productName = "P:/shot/renders/beauty.$F4.exr"
    }
}
"""


def husk_argv(tmp_path):
    return json.loads((tmp_path / "houdini.json").read_text())["argv"]


def windows_stage(tmp_path, output, **compute):
    """A text stage submitted from Windows (products on ``P:``), localized on this node as accsyn does."""
    projects = tmp_path / "projects"
    (projects / "shot").mkdir(parents=True)
    stage = projects / "shot" / "shot.usda"
    stage.write_text(STAGE)
    shares = [{"id": "v1", "code": "projects", "default": True, "paths": {"windows": "P:", "linux": str(projects)}}]
    compute = {"input": "P:\\shot\\shot.usda", "output": output,
               "parameters": {"remote_os": "windows", "input_conversion": "always"}, **compute}  # fmt: skip
    return projects, write_data(tmp_path, compute, shares=shares)


@pytest.mark.parametrize("common", [ENGINES, STOCK], ids=["our-base", "stock-base"])
def test_husk_writes_where_the_stages_render_products_say(tmp_path, fake_houdini, common):
    """The job's output is the products' folder: husk names the images itself, never after the localized input."""
    projects, data = windows_stage(tmp_path, "P:\\shot\\renders")
    result = run_engine(HUSK, data, item="1001-1002", common=common)
    assert result.returncode == 0, result.stderr
    assert husk_argv(tmp_path) == ["--frame", "1001", "--frame-count", "2",
                                   str(projects / "shot" / "shot_accsynlocalized_hq_linux.usda")]  # fmt: skip
    assert done_frames(result) == ["1001", "1002"]


@pytest.mark.parametrize("common", [ENGINES, STOCK], ids=["our-base", "stock-base"])
def test_husk_writes_the_product_into_another_output_folder_under_the_products_name(tmp_path, fake_houdini, common):
    projects, data = windows_stage(tmp_path, "P:\\shot\\comp_in")
    result = run_engine(HUSK, data, item="1001", common=common)
    assert result.returncode == 0, result.stderr
    assert husk_argv(tmp_path)[4:-1] == ["--output", str(projects / "shot" / "comp_in" / "beauty.$F4.exr"),
                                         "--make-output-path"]  # fmt: skip


@pytest.mark.parametrize("common", [ENGINES, STOCK], ids=["our-base", "stock-base"])
def test_husk_writes_a_job_output_file_as_given(tmp_path, fake_houdini, common):
    projects, data = windows_stage(tmp_path, "P:\\shot\\out\\hero.$F4.exr", output_is_folder=False)
    result = run_engine(HUSK, data, item="1001", common=common)
    assert result.returncode == 0, result.stderr
    assert husk_argv(tmp_path)[4:-1] == ["--output", str(projects / "shot" / "out" / "hero.$F4.exr"),
                                         "--make-output-path"]  # fmt: skip


def test_husk_names_a_stage_without_products_after_the_scene_as_submitted(tmp_path, fake_houdini):
    projects, data = windows_stage(tmp_path, "P:\\shot\\renders")
    (projects / "shot" / "shot.usda").write_text("#usda 1.0\n")
    assert run_engine(HUSK, data, item="1001").returncode == 0
    assert husk_argv(tmp_path)[4:-1] == ["--output", str(projects / "shot" / "renders" / "shot.$F4.exr"),
                                         "--make-output-path"]  # fmt: skip


def test_husk_leaves_several_products_outside_the_output_where_the_stage_says(tmp_path, fake_houdini):
    projects, data = windows_stage(tmp_path, "P:\\shot\\comp_in")
    (projects / "shot" / "shot.usda").write_text(STAGE.replace("}\n}", "}\n    def RenderProduct \"depth\"\n    {\n"
        "        uniform token productName = 'P:/shot/renders/depth.$F4.exr'\n    }\n}"))  # fmt: skip
    result = run_engine(HUSK, data, item="1001")
    assert result.returncode == 0, result.stderr
    assert "--output" not in husk_argv(tmp_path)
    assert "2 render products write outside the job's output" in result.stderr


@pytest.mark.parametrize("common", [ENGINES, STOCK], ids=["our-base", "stock-base"])
def test_husk_renders_a_binary_stage_into_its_products(tmp_path, fake_houdini, common):
    """A binary stage's products cannot be read here: the job's output folder is the one the submitter found
    for them, so husk names the images itself."""
    scene = tmp_path / "shot.usd"
    scene.write_bytes(b"PXR-USDC")
    compute = {"input": str(scene), "output": str(tmp_path / "renders"),
               "parameters": {"renderer": "BRAY_HdKarmaXPU", "render_settings": "/Render/rendersettings"}}  # fmt: skip
    result = run_engine(HUSK, write_data(tmp_path, compute), item="1001-1003", common=common)
    assert result.returncode == 0, result.stderr
    assert husk_argv(tmp_path) == ["--frame", "1001", "--frame-count", "3", "--renderer", "BRAY_HdKarmaXPU",
                                   "--settings", "/Render/rendersettings", str(scene)]  # fmt: skip
    assert done_frames(result) == ["1001", "1002", "1003"]


class _Rop:
    def __init__(self, path, calls):
        self.path, self.calls = path, calls

    def render(self, **kwargs):
        self.calls.append((self.path, kwargs.get("frame_range")))


def _fake_hou(calls, nodes):
    module = types.ModuleType("hou")
    module.RopNode = _Rop
    module.hipFile = types.SimpleNamespace(load=lambda path, **kwargs: calls.append(("load", path)))
    module.node = lambda path: nodes.get(path)
    return module


def _render_script():
    """The script the engine writes for hython, read from its source (importing it needs ``common``)."""
    source = HOUDINI.read_text()
    begin = source.index('RENDER_SCRIPT = r"""') + len('RENDER_SCRIPT = r"""')
    return source[begin : source.index('"""', begin)]


def test_the_render_script_renders_each_frame_of_each_rop_in_order(tmp_path, monkeypatch, capsys):
    calls = []
    nodes = {"/out/a": _Rop("/out/a", calls), "/out/b": _Rop("/out/b", calls)}
    monkeypatch.setitem(sys.modules, "hou", _fake_hou(calls, nodes))
    script = tmp_path / "render.py"
    script.write_text(_render_script())
    options = {"input": "/show/shot.hip", "rops": ["/out/a", "/out/b"], "first": 5, "last": 6}
    monkeypatch.setattr(sys, "argv", [str(script), json.dumps(options)])
    runpy.run_path(str(script), run_name="__main__")
    assert calls == [("load", "/show/shot.hip"), ("/out/a", (5, 5, 1)), ("/out/b", (5, 5, 1)),
                     ("/out/a", (6, 6, 1)), ("/out/b", (6, 6, 1))]  # fmt: skip
    assert capsys.readouterr().out.splitlines() == ["accsyn: frame 5 rendered", "accsyn: frame 6 rendered"]


def test_the_render_script_stops_on_a_rop_the_scene_does_not_have(tmp_path, monkeypatch, capsys):
    calls = []
    monkeypatch.setitem(sys.modules, "hou", _fake_hou(calls, {}))
    script = tmp_path / "render.py"
    script.write_text(_render_script())
    monkeypatch.setattr(sys, "argv", [str(script), json.dumps({"input": "/s.hip", "rops": ["/out/gone"],
                                                               "first": 1, "last": 1})])  # fmt: skip
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(script), run_name="__main__")
    assert stopped.value.code == 3
    assert "accsyn: no ROP /out/gone in /s.hip" in capsys.readouterr().out
