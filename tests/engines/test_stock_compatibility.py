"""Our engines run on accsyn's stock ``common``, and stock engines run on ours (protocol section 4.11)."""

import ast
import importlib.util
import inspect
import json
import shutil

import pytest

from engine_helpers import ENGINES, STOCK, engine_common, run_engine, write_data

Common = engine_common().Common

NUKE = ENGINES / "nuke.py"
BLENDER = ENGINES / "blender.py"
MAYA = ENGINES / "maya.py"
HOUDINI = ENGINES / "houdini.py"
HUSK = ENGINES / "husk.py"
STYLE = ENGINES.parent / "tests" / "engines" / "style_engine.py"


def stock_common():
    spec = importlib.util.spec_from_file_location("stock_common", STOCK / "common.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Common


def public_members(cls):
    return {name for name in vars(cls) if not name.startswith("_") or name == "__revision__"}


def test_our_base_has_every_stock_member_with_the_same_parameters():
    stock = stock_common()
    missing = sorted(public_members(stock) - set(dir(Common)))
    assert missing == []
    for name in public_members(stock):
        theirs, ours = getattr(stock, name), getattr(Common, name)
        if callable(theirs):
            assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters), name
            assert isinstance(inspect.getattr_static(Common, name), staticmethod) == isinstance(
                inspect.getattr_static(stock, name), staticmethod
            ), name


def test_instance_attributes_of_the_stock_base_are_set(tmp_path):
    data = write_data(tmp_path, {"input": "x", "parameters": {}})
    engine = Common(["engine.py", str(data)])
    for name in ("data", "item", "exitcode_force", "executing", "execution_start", "process", "path_pid"):
        assert hasattr(engine, name), name
    assert engine.path_pid == str(tmp_path / "process.pid")


@pytest.mark.parametrize(
    "script", [NUKE, BLENDER, MAYA, HOUDINI, HUSK], ids=["nuke", "blender", "maya", "houdini", "husk"]
)
def test_our_engines_call_only_stock_members(script):
    """Every ``self.X``/``Common.X`` an engine uses is defined by the stock base or by the engine itself."""
    tree = ast.parse(script.read_text())
    engine_class = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Engine")
    own = {node.name for node in engine_class.body if isinstance(node, ast.FunctionDef)}
    own |= {target.id for node in engine_class.body if isinstance(node, ast.Assign) for target in node.targets
            if isinstance(target, ast.Name)}  # fmt: skip
    own |= {node.target.id for node in engine_class.body
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)}  # fmt: skip
    allowed = public_members(stock_common()) | own | {"path_pid", "item", "data", "process", "exitcode_force"}
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "engine", "Common")
    }
    assert sorted(used - allowed) == []


def test_nuke_engine_renders_on_the_stock_base(tmp_path, fake_nuke):
    script = tmp_path / "shot.nk"
    script.write_text('Read {\n file "P:/plates/plate.%04d.exr"\n}\n')
    compute = {"input": str(script), "parameters": {"input_conversion": "always", "remote_os": "windows",
                                                    "arguments": "-txV", "writes": ["Write1"]}}  # fmt: skip
    shares = [{"id": "v1", "code": "projects", "default": True, "paths": {"windows": "P:", "linux": "/mnt/projects"}}]
    data = write_data(tmp_path, compute, shares=shares)
    result = run_engine(NUKE, data, item="1001-1002", common=STOCK)
    assert result.returncode == 0, result.stderr
    argv = json.loads((tmp_path / "argv.json").read_text())
    localized = tmp_path / "shot_accsynlocalized_hq_linux.nk"
    assert argv == ["-txV", "-F", "1001-1002", "-X", "Write1", str(localized)]
    assert '"/mnt/projects/plates/plate.%04d.exr"' in localized.read_text()
    done = [json.loads(line)["uri"] for line in result.stdout.splitlines() if line.startswith('{"taskstatus"')]
    assert done == ["1001", "1002"]


def test_stock_style_engine_runs_on_our_base_and_on_the_stock_one(tmp_path):
    (tmp_path / "in.txt").write_text("x")
    data = write_data(tmp_path, {"input": str(tmp_path / "in.txt"), "parameters": {}})
    for common in (ENGINES, STOCK):
        result = run_engine(STYLE, data, item="5-7", common=common)
        assert result.returncode == 0, (common, result.stderr)
        done = [line for line in result.stdout.splitlines() if line.startswith('{"taskstatus"')]
        assert done == [
            '{"taskstatus":true,"uri":"5","status":"done"}',
            '{"taskstatus":true,"uri":"6","status":"done"}',
        ]
        assert "saw item 7" in result.stdout


def test_an_engine_folder_holding_the_stock_common_is_used_by_the_farm(tmp_path, fake_nuke):
    """The local farm runs the engines of the folder it is given, with that folder's ``common``."""
    from accsyn_dcc.farm import LocalFarm

    engines = tmp_path / "engines"
    engines.mkdir()
    shutil.copy(STOCK / "common.py", engines / "common.py")
    shutil.copy(NUKE, engines / "nuke.py")
    script = tmp_path / "shot.nk"
    script.write_text("Root {}\n")
    payload = {"engine": "nuke-15", "input": str(script), "range": "1-4", "settings": {"task_bucketsize": "2"}}
    summary = LocalFarm(payload, engines_dir=str(engines), work_dir=str(tmp_path / "work"), progress=False).run()
    assert summary.ok and summary.frames_done == [1, 2, 3, 4]
    log = (tmp_path / "work" / "tasks" / "1-2" / "task.log").read_text()
    assert str(engines / "nuke.py") in log
    assert "Running:" not in log  # our base announces the command line; the stock-style one does not


def _module_functions(path):
    tree = ast.parse(path.read_text())
    return {node.name: ast.dump(node) for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_the_helpers_each_single_file_engine_must_carry_are_the_same_in_both():
    """Engines are single files on stock ``common``, so they carry their own copies; the copies never drift."""
    engines = [_module_functions(script) for script in (NUKE, BLENDER, MAYA, HOUDINI, HUSK)]
    for other in engines[1:]:
        shared = set(engines[0]) & set(other)
        assert shared >= {"bucket_of", "conversion_pairs", "probe_application", "main"}
        assert [name for name in sorted(shared) if engines[0][name] != other[name]] == []
