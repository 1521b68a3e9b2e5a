"""A per-user install and a studio install on one host's path: the per-user one is the only copy imported, the
studio's entries leave sys.path, the UI is added once, and the host's log says once which install is used.

The studio tree is the one ``install.py HOST --studio DIR`` builds; the per-user install is this checkout, entered
as the per-user installer writes it (the ``~/.nuke/init.py`` block, ``accsyn.mod``, the package JSON). Each host's
start-up order is emulated with the stand-in host modules in an isolated Python.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
from test_install_studio import install, printed_value, what_the_host_adds

REPO = Path(__file__).resolve().parents[2]
STANDINS = REPO / "tests" / "fake_hosts"
sys.path.insert(0, str(REPO / "install"))

from installers.base import Context  # noqa: E402
from installers.houdini import package_data  # noqa: E402
from installers.maya import module_text  # noqa: E402
from installers.nuke import INSTALLER as NUKE  # noqa: E402
from installers.studio import STUDIO_MARK  # noqa: E402

REPORT = r"""
import json
modules = {name: getattr(module, "__file__", None) for name, module in list(sys.modules.items())
           if name.split(".")[0] in ("accsyn_dcc", PACKAGE)}
print("RESULT " + json.dumps({"modules": modules, "sys_path": sys.path, **extra}))
"""

NUKE_START = r"""
import os, sys
sys.path[:0] = [STANDINS, os.path.join(REPO, "common")]
import nuke  # the stand-in reads scripts with the core: imported with it, which is then forgotten
from nuke import _ui

sys.path.remove(os.path.join(REPO, "common"))
for name in [name for name in sys.modules if name.split(".")[0] == "accsyn_dcc"]:
    del sys.modules[name]

main = {"__name__": "__main__"}
added = []


def run(folder, name):
    path = os.path.join(folder, name)
    if os.path.isfile(path):
        exec(compile(open(path).read(), path, "exec"), main)


def plugin_add_path(folder, addToSysPath=True):  # Nuke's: first on the plugin path and sys.path, its init.py run
    added.insert(0, folder)
    sys.path.insert(0, folder)
    run(folder, "init.py")


nuke.pluginAddPath = plugin_add_path
plugin_path = [HOME_NUKE, *NUKE_PATH]
sys.path[:0] = plugin_path
for folder in reversed(plugin_path):  # start-up scripts run in reverse order of the plugin path: ~/.nuke's last
    run(folder, "init.py")
for folder in reversed(added + plugin_path):
    run(folder, "menu.py")
accsyn = nuke.menu("Nuke").findItem("accsyn")
extra = {"said": [text for _, text in _ui.shown],
         "menus": [item.name() for item in nuke.menu("Nuke").items()].count("accsyn"),
         "items": [item.name() for item in accsyn.items()] if accsyn else []}
"""

MAYA_START = r"""
import os, sys, io, contextlib
sys.path.insert(0, STANDINS)
from maya import _scene

state = _scene.state()
state.ui["mainRenderMenu"] = {"kind": "menu"}
for entries in MODULES:  # MAYA_MODULE_PATH's modules first, then the user's modules folder
    sys.path.extend(entries)
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    main = {"__name__": "__main__"}
    for folder in list(sys.path):  # every userSetup.py Maya found on its script path
        path = os.path.join(folder, "userSetup.py")
        if os.path.isfile(path):
            exec(compile(open(path).read(), path, "exec"), main)
    for deferred in list(state.deferred):
        deferred()
extra = {"said": printed.getvalue().splitlines(), "menus": len(state.script_jobs),
         "items": sorted(name for name in state.ui if name.startswith("accsyn"))}
"""

HOUDINI_START = r"""
import io, sys, contextlib
sys.path.insert(0, STANDINS)
for entries in PACKAGES:  # the user's packages folder first, then HOUDINI_PACKAGE_DIR; PYTHONPATH appended
    sys.path.extend(entries)
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    import accsyn_houdini.commands  # what the Render menu entry and the shelf tool run at the first click
    from accsyn_dcc.plugin_start import missing_modules
extra = {"said": printed.getvalue().splitlines(), "menus": 1, "items": []}
"""


def host_run(code: str, **values: Any) -> Dict[str, Any]:
    """Run ``code`` in a Python with nothing of this checkout or the venv on its path, ``values`` its globals."""
    site = [entry for entry in sys.path if entry.endswith("site-packages")]  # the host's own packages (no .pth)
    prefix = f"import sys\nsys.path += {site!r}\nREPO = {str(REPO)!r}\n"
    prefix += "".join(f"{name} = {value!r}\n" for name, value in values.items())
    completed = subprocess.run([sys.executable, "-I", "-S", "-c", prefix + code + REPORT], capture_output=True,
                               text=True, check=False, cwd="/", env={"PATH": os.environ["PATH"]})  # fmt: skip
    line = next((line for line in completed.stdout.splitlines() if line.startswith("RESULT ")), None)
    assert line is not None, completed.stdout[-2000:] + completed.stderr[-2000:]
    return dict(json.loads(line[len("RESULT ") :]))


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, str]:
    """Each host's studio tree (its ``current``, as the printed environment line names it)."""
    trees: Dict[str, str] = {}
    for host, variable in (("nuke", "NUKE_PATH"), ("maya", "MAYA_MODULE_PATH"), ("houdini", "HOUDINI_PACKAGE_DIR")):
        folder = tmp_path_factory.mktemp("shared") / host
        result = install(host, "--studio", str(folder), home=tmp_path_factory.mktemp("home"))
        assert result.returncode == 0, result.stderr
        trees[host] = printed_value(result.stdout, variable)
    return trees


def tree_root(value: str) -> str:
    """The version of the studio tree the environment line names (the folder holding its marker)."""
    path = Path(value).resolve()
    return str(next(folder for folder in (path, *path.parents) if (folder / ".accsyn-studio-tree").is_file()))


def user_context(home: Path) -> Context:
    return Context(home=str(home), repo=str(REPO), os_name="linux")


def start(host: str, value: str, home: Path) -> Dict[str, Any]:
    """The host started with the studio's environment line and the per-user install both in place."""
    if host.startswith("nuke"):
        (home / ".nuke").mkdir(parents=True)
        nuke_path = [value]
        if host == "nuke":  # the per-user install's block in ~/.nuke/init.py
            (home / ".nuke" / "init.py").write_text(NUKE.block_body(user_context(home)) + "\n")
        else:  # an artist who put this checkout on NUKE_PATH before the studio's tree
            nuke_path.insert(0, str(REPO / "plugins" / "nuke"))
        return host_run(NUKE_START, STANDINS=str(STANDINS), HOME_NUKE=str(home / ".nuke"), NUKE_PATH=nuke_path,
                        PACKAGE="accsyn_nuke")  # fmt: skip
    user = home / "user"
    user.mkdir(parents=True)
    if host == "maya":
        (user / "accsyn.mod").write_text(module_text(user_context(home), vendor=False))
        modules = [what_the_host_adds("maya", value), what_the_host_adds("maya", str(user))]
        return host_run(MAYA_START, STANDINS=str(STANDINS), MODULES=modules, PACKAGE="accsyn_maya")
    (user / "accsyn.json").write_text(json.dumps(package_data(user_context(home), vendor=False)))
    packages = [what_the_host_adds("houdini", str(user)), what_the_host_adds("houdini", value)]
    return host_run(HOUDINI_START, STANDINS=str(STANDINS), PACKAGES=packages, PACKAGE="accsyn_houdini")


def test_the_plugins_know_a_studio_tree_by_the_mark_the_installer_writes() -> None:
    from accsyn_dcc import plugin_start

    assert plugin_start.STUDIO_MARK == STUDIO_MARK


@pytest.mark.parametrize("host", ["nuke", "nuke-path-both", "maya", "houdini"])
def test_the_per_user_install_wins_over_the_studio_one_and_the_log_says_so(
    tmp_path: Path, studio: Dict[str, str], host: str
) -> None:
    value = studio[host.split("-")[0]]
    result = start(host, value, tmp_path)
    version = tree_root(value)
    files: List[str] = [path for path in result["modules"].values() if path]
    assert any(name == "accsyn_dcc" for name in result["modules"]), result["modules"]
    assert files and all(os.path.realpath(path).startswith(str(REPO) + os.sep) for path in files), result["modules"]
    assert not [entry for entry in result["sys_path"] if os.path.realpath(entry).startswith(version + os.sep)]
    said = [line for line in result["said"] if "accsyn" in line]
    assert said == [f"accsyn-dcc: using the per-user install at {REPO}; the studio install at {version} is not loaded"]
    assert result["menus"] == 1
    if host.startswith("nuke"):
        assert result["items"][:2] == ["Submit render...", "Submit selected Writes..."]
    if host == "maya":
        assert {"accsyn", "accsynSubmitRenderItem"} <= set(result["items"])


BLENDER_START = r"""
import importlib, io, json, os, sys, contextlib
import bpy
import addon_utils

USER, STUDIO = "bl_ext.user_default.accsyn_blender", "bl_ext.system.accsyn_blender"
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    if STUDIO_FIRST:  # enabled in the preferences before this start-up's enable script (the artist's own choice)
        addon_utils.enable(STUDIO, default_set=False)
    bpy.utils._is_factory_startup = False  # a Blender started normally runs each startup/*.py of its script paths
    for base in bpy.utils.script_paths(use_user=True):
        startup = os.path.join(base, "startup")
        if os.path.isfile(os.path.join(startup, "accsyn_blender_enable.py")):
            sys.path.insert(0, startup)
            importlib.import_module("accsyn_blender_enable").register()
    addon_utils.enable(STUDIO, default_set=False)  # the preferences' add-ons, enabled after the startup scripts
import accsyn_blender, accsyn_dcc
draws = [draw.__module__ for draw in bpy.types.TOPBAR_MT_render._dyn_ui_initialize() if draw.__name__ == "menu_entry"]
print("ACCSYN_TEST " + json.dumps({"addon": accsyn_blender.__file__, "core": accsyn_dcc.__file__, "draws": draws,
      "said": [line for line in printed.getvalue().splitlines() if "accsyn" in line]}))
"""


@pytest.mark.blender
@pytest.mark.parametrize("studio_first", [False, True], ids=["enable-script-first", "studio-enabled-first"])
def test_blender_enables_the_per_user_extension_over_the_studio_one_and_says_so(tmp_path: Path, studio_first: bool):
    """A user extension and the studio's system extension of the same add-on: one registers, the user's."""
    (tmp_path / "home" / ".config" / "blender" / "5.0").mkdir(parents=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BLENDER_", "XDG_"))}
    env.update(HOME=str(tmp_path / "home"), BLENDER_USER_EXTENSIONS=str(tmp_path / "user" / "extensions"))
    command = [sys.executable, str(REPO / "install" / "install.py"), "blender", "--no-vendor"]
    studio_folder = tmp_path / "shared" / "blender"
    for args in ((), ("--studio", str(studio_folder))):
        result = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
    try:
        value = printed_value(result.stdout, "BLENDER_SYSTEM_EXTENSIONS")
        version = tree_root(value)
        code = f"STUDIO_FIRST = {studio_first!r}\n" + BLENDER_START
        inside = subprocess.run([sys.executable, "-c", code], env=dict(env, BLENDER_SYSTEM_EXTENSIONS=value),
                                capture_output=True, text=True, check=False)  # fmt: skip
        line = next((line for line in inside.stdout.splitlines() if line.startswith("ACCSYN_TEST ")), None)
        assert line is not None, inside.stderr[-3000:]
        facts = json.loads(line[len("ACCSYN_TEST ") :])
    finally:
        for args in ((), ("--studio", str(studio_folder))):
            subprocess.run([*command, "--uninstall", *args], env=env, capture_output=True, check=False)
    user_extensions = str(tmp_path / "user" / "extensions")
    assert facts["addon"].startswith(os.path.join(user_extensions, "user_default", "accsyn_blender") + os.sep), facts
    assert facts["draws"] == ["bl_ext.user_default.accsyn_blender.ui"], facts  # one Render menu entry, the user's
    assert facts["said"] == [f"accsyn-dcc: using the per-user install at {user_extensions}; the studio install at "
                             f"{version} is not loaded"], facts  # fmt: skip
