"""Everything the core runs for Blender ships in the core package: a pip-installed accsyn-dcc scans a .blend, and
the add-on installed as an extension scans in process with the collector of its own wheel (bpy 5, for real)."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.blender

REPO = Path(__file__).resolve().parents[3]
PIP_SECONDS = 240


def textured_scene(root: Path) -> tuple[Path, Path]:
    """``shots/shot.blend``: a plane with a material reading ``textures/checker.png``, made with this bpy."""
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    texture = root / "textures" / "checker.png"
    texture.parent.mkdir(parents=True)
    image = bpy.data.images.new("checker", 4, 4)
    image.filepath_raw = str(texture)
    image.file_format = "PNG"
    image.save()
    material = bpy.data.materials.new("Checker")
    material.node_tree.nodes.new("ShaderNodeTexImage").image = image
    mesh = bpy.data.meshes.new("Plane")
    mesh.materials.append(material)
    bpy.context.scene.collection.objects.link(bpy.data.objects.new("Plane", mesh))
    shot = root / "shots" / "shot.blend"
    shot.parent.mkdir(parents=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(shot))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    return shot, texture


def clean_env(**variables: str) -> dict:
    """This environment without any Blender, accsyn or Python path setting of the test run."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("BLENDER_", "ACCSYN_", "PYTHON", "VIRTUAL_ENV"))}  # fmt: skip
    env.update(variables)
    return env


def copy_of_repo(target: Path) -> Path:
    """The files ``pip install <repo>`` builds from, without this checkout's build/ and egg-info leftovers."""
    target.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, target / name)
    shutil.copytree(REPO / "common", target / "common",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))  # fmt: skip
    return target


def test_a_pip_installed_accsyn_dcc_scans_a_blend_with_blenders_python(tmp_path):
    """A clean virtual environment with ``pip install <repo>`` and no bpy of its own: ``accsyn-dcc scan`` runs the
    installed package's collector in Blender (here the Python with ``bpy`` that ACCSYN_BLENDER_PYTHON names)."""
    shot, texture = textured_scene(tmp_path / "project")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=clean_env())
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
         str(copy_of_repo(tmp_path / "repo"))],
        capture_output=True, text=True, check=False, timeout=PIP_SECONDS, env=clean_env(),
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-3000:]
    has_bpy = subprocess.run([str(python), "-c", "import bpy"], capture_output=True, check=False, env=clean_env())
    assert has_bpy.returncode != 0  # the clean environment has no Blender of its own

    scan = subprocess.run(
        [str(venv / "bin" / "accsyn-dcc"), "scan", str(shot), "--json"],
        capture_output=True, text=True, check=False, cwd=tmp_path, env=clean_env(ACCSYN_BLENDER_PYTHON=sys.executable),
    )  # fmt: skip
    assert scan.returncode == 0, scan.stderr[-3000:]
    textures = [dep for dep in json.loads(scan.stdout)["dependencies"] if dep["kind"] == "texture"]
    assert [(dep["path"], dep["exists"]) for dep in textures] == [(str(texture), True)]

    demo = subprocess.run(  # the demo's Blender script ships in the package too
        [str(python), "-c", "import sys; from accsyn_dcc.demo import build_demo_project; "
         "print(build_demo_project(sys.argv[1]))", str(tmp_path / "demo")],
        capture_output=True, text=True, check=False, cwd=tmp_path, env=clean_env(ACCSYN_BLENDER_PYTHON=sys.executable),
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert demo.stdout.strip() == str(tmp_path / "demo" / "shots" / "demo.blend")


EXTENSION_SCAN = r"""
import json, sys
import accsyn_dcc
import accsyn_blender
from accsyn_blender.host import BlenderHost
import bpy

bpy.ops.wm.open_mainfile(filepath=sys.argv[1], load_ui=False, use_scripts=False)
pending = BlenderHost().collect_scan(None, lambda done, total: None, lambda: False)
textures = [dep.path for dep in pending.finish().dependencies if dep.kind == "texture"]
print("ACCSYN_TEST " + json.dumps({"core": accsyn_dcc.__file__, "addon": accsyn_blender.__file__,
                                   "textures": textures}))
"""


def test_the_extension_scans_in_process_with_the_collector_of_its_own_wheel(tmp_path):
    """The installed extension's add-on and the accsyn-dcc of the wheel it bundles, not this checkout, scan."""
    shot, texture = textured_scene(tmp_path / "project")
    extensions = tmp_path / "user" / "extensions"
    env = dict(os.environ, BLENDER_USER_EXTENSIONS=str(extensions), HOME=str(tmp_path / "home"))
    env.pop("BLENDER_USER_SCRIPTS", None)
    command = [sys.executable, str(REPO / "install" / "install.py"), "blender", "--no-vendor"]
    installed = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=PIP_SECONDS)
    assert installed.returncode == 0, installed.stderr
    extension = extensions / "user_default" / "accsyn_blender"
    [wheel] = extension.glob("wheels/accsyn_dcc-*.whl")
    unpacked = tmp_path / "wheel"
    with zipfile.ZipFile(wheel) as archive:
        assert "accsyn_dcc/blender/collect.py" in archive.namelist()
        archive.extractall(unpacked)

    # The wheel first on the path, as Blender's extension site-packages would give it; the add-on by its folder.
    inside = subprocess.run(
        [sys.executable, "-c", EXTENSION_SCAN, str(shot)], capture_output=True, text=True, check=False,
        env=clean_env(PYTHONPATH=os.pathsep.join([str(unpacked), str(extension.parent)]), HOME=str(tmp_path / "home")),
    )  # fmt: skip
    line = next((line for line in inside.stdout.splitlines() if line.startswith("ACCSYN_TEST ")), None)
    assert line is not None, inside.stderr[-3000:]
    facts = json.loads(line[len("ACCSYN_TEST ") :])
    assert Path(facts["core"]).is_relative_to(unpacked) and Path(facts["addon"]).is_relative_to(extension)
    assert facts["textures"] == [str(texture)]


def test_the_core_imports_the_collector_without_blender_and_blender_runs_it_without_the_core():
    """No ``bpy`` at import time (the core runs without Blender), and only the standard library besides (Blender's
    Python runs the file as its script, without accsyn-dcc on its path)."""
    code = ("import sys; sys.modules['bpy'] = None; import accsyn_dcc.scan.blend; "
            "from accsyn_dcc.blender import collect; collect.collect()")  # fmt: skip
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=clean_env())
    assert ran.stderr.strip().splitlines()[-1] == "ModuleNotFoundError: import of bpy halted; None in sys.modules"
    from accsyn_dcc.blender import collect

    tree = ast.parse(Path(collect.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported = {name.split(".")[0] for name in imported}
    assert imported <= set(sys.stdlib_module_names)
