"""The Blender add-on for real: installed into a user folder, enabled in bpy, submitting, uninstalled exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "install"))
from test_install import snapshot  # noqa: E402

pytestmark = pytest.mark.blender

INSIDE_BLENDER = r"""
import json, os, sys
import bpy
import addon_utils  # importable once bpy has put Blender's modules on the path

root = sys.argv[sys.argv.index("--") + 1]
found = [module.__name__ for module in addon_utils.modules()]
addon_utils.enable("accsyn_blender", default_set=True)
registered = hasattr(bpy.types, "ACCSYN_OT_submit") and "submit" in dir(bpy.ops.accsyn)
menu = [draw.__name__ for draw in bpy.types.TOPBAR_MT_render._dyn_ui_initialize()]
bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
scene.frame_start, scene.frame_end = 11, 14
scene.render.filepath = "//render/shot_####"
texture = os.path.join(root, "textures", "checker.png")
os.makedirs(os.path.dirname(texture), exist_ok=True)
image = bpy.data.images.new("checker", 4, 4)
image.filepath_raw = texture
image.file_format = "PNG"
image.save()
material = bpy.data.materials.new("Checker")
material.node_tree.nodes.new("ShaderNodeTexImage").image = image
bpy.ops.mesh.primitive_plane_add()
bpy.context.active_object.data.materials.append(material)
os.makedirs(os.path.join(root, "shots"), exist_ok=True)
bpy.ops.wm.save_as_mainfile(filepath=os.path.join(root, "shots", "shot.blend"))
import accsyn_blender
[payload] = accsyn_blender.submit(dry_run=True, engine="blender")
print("ACCSYN_TEST " + json.dumps({"found": found, "registered": registered, "menu": menu, "payload": payload}))
"""


def install(env: dict, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(REPO / "install" / "install.py"), "blender", "--no-vendor", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_install_enable_submit_and_uninstall_exactly(tmp_path):
    scripts = tmp_path / "user" / "scripts"
    (scripts / "addons" / "someone_elses").mkdir(parents=True)
    (scripts / "addons" / "someone_elses" / "__init__.py").write_text("bl_info = {'name': 'other'}\n")
    env = dict(os.environ, BLENDER_USER_SCRIPTS=str(scripts), HOME=str(tmp_path / "home"))
    env["ACCSYN_DCC_USER_CONFIG"] = str(tmp_path / "settings.json")
    env.pop("ACCSYN_DCC_STUDIO_CONFIG", None)
    before = snapshot(tmp_path / "user")
    assert install(env).returncode == 0
    once = snapshot(tmp_path / "user")
    assert "scripts/addons/accsyn_blender/__init__.py" in once and "scripts/startup/accsyn_blender_enable.py" in once
    second = install(env)
    assert second.returncode == 0 and snapshot(tmp_path / "user") == once
    assert "done" not in second.stdout.replace("nothing to do", "")

    project = tmp_path / "project"
    inside = subprocess.run([sys.executable, "-c", INSIDE_BLENDER, "--", str(project)], env=env,
                            capture_output=True, text=True, check=False)  # fmt: skip
    line = next((line for line in inside.stdout.splitlines() if line.startswith("ACCSYN_TEST ")), None)
    assert line is not None, inside.stderr[-3000:]
    facts = json.loads(line[len("ACCSYN_TEST ") :])
    assert "accsyn_blender" in facts["found"] and facts["registered"]
    assert "menu_entry" in facts["menu"]
    payload = facts["payload"]
    assert payload["engine"] == "blender" and payload["range"] == "11-14"
    assert str(project / "textures" / "checker.png") in payload["dependencies"]
    assert payload["output"] == str(project / "shots" / "render") and os.path.isabs(payload["output"])
    assert payload["input"] == str(project / "shots" / "shot.blend")

    assert install(env, "--uninstall").returncode == 0
    assert snapshot(tmp_path / "user") == before


def test_without_a_blender_user_folder_the_installer_says_what_to_set(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path / "home"))
    for name in ("BLENDER_USER_SCRIPTS", "BLENDER_USER_RESOURCES"):
        env.pop(name, None)
    result = install(env)
    assert result.returncode == 1
    assert "no Blender user folder" in result.stderr and "BLENDER_USER_SCRIPTS" in result.stderr


EXTENSION_INSIDE = r"""
import json, os, sys
import bpy
import addon_utils

extensions = os.environ["BLENDER_USER_EXTENSIONS"]
addon_utils.enable("bl_ext.user_default.accsyn_blender", default_set=True)  # installs the manifest's wheels first
site = os.path.join(extensions, ".local", "lib", "python3.11", "site-packages")
wheels = sorted(os.listdir(site)) if os.path.isdir(site) else []
import accsyn_blender
print("ACCSYN_TEST " + json.dumps({"wheels": wheels, "registered": "submit" in dir(bpy.ops.accsyn),
                                   "alias": accsyn_blender.__name__}))
"""


def test_blender_4_2_extension_with_its_wheels_installs_and_uninstalls(tmp_path):
    user = tmp_path / "user"
    (user / "extensions" / "user_default" / "other_extension").mkdir(parents=True)
    (user / "extensions" / "user_default" / "other_extension" / "__init__.py").write_text("x = 1\n")
    env = dict(os.environ, BLENDER_USER_EXTENSIONS=str(user / "extensions"), HOME=str(tmp_path / "home"))
    env.pop("BLENDER_USER_SCRIPTS", None)
    before = snapshot(user)
    result = install(env)
    assert result.returncode == 0, result.stderr
    folder = user / "extensions" / "user_default" / "accsyn_blender"
    manifest = (folder / "blender_manifest.toml").read_text()
    assert 'id = "accsyn_blender"' in manifest and "./wheels/accsyn_dcc-0.1.0-py3-none-any.whl" in manifest
    assert sorted(path.name.split("-")[0] for path in (folder / "wheels").iterdir()) == [
        "accsyn_dcc", "certifi", "charset_normalizer", "idna", "platformdirs", "requests", "urllib3"
    ]  # fmt: skip
    # where this Blender reads start-up scripts (BLENDER_USER_EXTENSIONS moves only the extensions)
    scripts = tmp_path / "home" / ".config" / "blender" / "5.0" / "scripts"
    assert (scripts / "startup" / "accsyn_blender_enable.py").exists()
    assert install(env).returncode == 0 and "done" not in install(env).stdout.replace("nothing to do", "")

    inside = subprocess.run([sys.executable, "-c", EXTENSION_INSIDE], env=env, capture_output=True, text=True,
                            check=False)  # fmt: skip
    line = next((line for line in inside.stdout.splitlines() if line.startswith("ACCSYN_TEST ")), None)
    assert line is not None, inside.stderr[-3000:]
    facts = json.loads(line[len("ACCSYN_TEST ") :])
    assert "accsyn_dcc" in facts["wheels"] and "requests" in facts["wheels"]  # Blender installed our wheels
    assert facts["registered"] and facts["alias"] == "bl_ext.user_default.accsyn_blender"

    assert install(env, "--uninstall").returncode == 0
    blender_managed = {key for key in snapshot(user) if key.startswith(("extensions/.local", "extensions/.cache"))}
    assert {key: value for key, value in snapshot(user).items() if key not in blender_managed} == before


STARTUP_AS_BLENDER = r"""
import importlib, json, os, sys
import bpy
import addon_utils

# The bpy module starts as factory settings; a Blender started normally runs each startup/*.py of its script paths.
bpy.utils._is_factory_startup = False
for base in bpy.utils.script_paths(use_user=True):
    startup = os.path.join(base, "startup")
    if os.path.isfile(os.path.join(startup, "accsyn_blender_enable.py")):
        sys.path.insert(0, startup)
        importlib.import_module("accsyn_blender_enable").register()
enabled = [name for name in ("bl_ext.user_default.accsyn_blender", "accsyn_blender") if addon_utils.check(name)[1]]
print("ACCSYN_TEST " + json.dumps({"enabled": enabled, "registered": "submit" in dir(bpy.ops.accsyn)}))
"""


def run_blender(code: str, env: dict) -> dict:
    inside = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    line = next((line for line in inside.stdout.splitlines() if line.startswith("ACCSYN_TEST ")), None)
    assert line is not None, inside.stderr[-3000:]
    return dict(json.loads(line[len("ACCSYN_TEST ") :]))


def blender_env(tmp_path: Path, **variables: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BLENDER_", "XDG_"))}
    env.update(HOME=str(tmp_path / "home"), **variables)
    return env


@pytest.mark.parametrize("variables", [("EXTENSIONS",), ("EXTENSIONS", "CONFIG"), ("RESOURCES",),
                                       ("EXTENSIONS", "SCRIPTS"), ("RESOURCES", "EXTENSIONS"), ()],
                         ids=lambda names: "+".join(names) or "none")  # fmt: skip
def test_the_enable_script_goes_where_blender_reads_it_and_the_home_ends_byte_identical(tmp_path, variables):
    """With only BLENDER_USER_EXTENSIONS the enable script went to a folder Blender never reads; and Blender's
    unpacked wheels (extensions/.local) and .cache stayed after uninstall."""
    (tmp_path / "home" / ".config" / "blender" / "5.0").mkdir(parents=True)  # a Blender 5.0 user folder
    env = blender_env(tmp_path, **{f"BLENDER_USER_{name}": str(tmp_path / "user" / name.lower()) for name in variables})
    run_blender("import bpy; print('ACCSYN_TEST {}')", env)  # Blender's own first start (its thumbnail cache...)
    before = snapshot(tmp_path)
    result = install(env)
    assert result.returncode == 0, result.stderr
    facts = run_blender(STARTUP_AS_BLENDER, env)
    assert facts["enabled"] and facts["registered"], facts
    assert install(env, "--uninstall").returncode == 0
    assert {key: value for key, value in snapshot(tmp_path).items() if "__pycache__" not in key} == {
        key: value for key, value in before.items() if "__pycache__" not in key}  # fmt: skip


STUDIO_INSIDE = r"""
import json
import bpy, addon_utils
addon_utils.enable("bl_ext.system.accsyn_blender", default_set=False)
import accsyn_blender, accsyn_dcc
print("ACCSYN_TEST " + json.dumps({"registered": "submit" in dir(bpy.ops.accsyn), "addon": accsyn_blender.__file__}))
"""


def test_a_studio_tree_is_blenders_system_extensions_repository(tmp_path):
    (tmp_path / "home").mkdir()
    studio = tmp_path / "shared" / "blender"
    env = blender_env(tmp_path)
    result = install(env, "--studio", str(studio))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "home").exists() or snapshot(tmp_path / "home") == {}
    value = result.stdout.split('export BLENDER_SYSTEM_EXTENSIONS="', 1)[1].split('"', 1)[0]
    tree = os.path.realpath(value)
    subprocess.run(["chmod", "-R", "a-w", tree], check=True)  # read-only, as on a studio share
    try:
        facts = run_blender(STUDIO_INSIDE, dict(env, BLENDER_SYSTEM_EXTENSIONS=value))
    finally:
        subprocess.run(["chmod", "-R", "u+w", tree], check=True)
    assert facts["registered"] and facts["addon"].startswith(str(studio / "current" / "system" / "accsyn_blender"))
    assert install(env, "--uninstall", "--studio", str(studio)).returncode == 0
    assert not studio.exists() and not studio.parent.exists()
