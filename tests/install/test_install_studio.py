"""install.py HOST --studio DIR: a shared tree the printed environment line makes loadable, swapped atomically, removed
exactly; nothing written in any home."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
from test_install import snapshot

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "install"))

from installers.studio import StudioTree  # noqa: E402

FAKE_NUKE = r"""
import os, sys, types
nuke = types.ModuleType("nuke")
dirs = [d for d in os.environ["NUKE_PATH"].split(os.pathsep) if d]
nuke.pluginPath = lambda: list(dirs)
nuke.tprint = print
sys.modules["nuke"] = nuke
for folder in dirs:  # what Nuke does with NUKE_PATH: each folder on sys.path, its init.py run
    sys.path.insert(0, folder)
    init = os.path.join(folder, "init.py")
    exec(compile(open(init).read(), init, "exec"), {"__name__": "__main__"})
"""

CHECK = r"""
import json, accsyn_dcc.plugin_start, {package}
print("LOADED " + json.dumps([accsyn_dcc.plugin_start.__file__, {package}.__file__]))
"""


def install(host: str, *args: str, home: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, str(REPO / "install" / "install.py"), host, "--home", str(home), "--no-vendor", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False,
                          env={"PATH": os.environ["PATH"], "HOME": str(home)})  # fmt: skip


def printed_value(stdout: str, variable: str) -> str:
    """The value of the linux/macOS line install.py printed, without the studio's earlier entries."""
    match = re.search(rf'linux/macOS: export {variable}="([^"$]+)', stdout)
    assert match, stdout
    return match.group(1)


def host_python(code: str, env: Dict[str, str], path: List[str]) -> List[str]:
    """A Python with nothing but ``path`` added (isolated: no PYTHONPATH, no user site, no current folder)."""
    prefix = "import sys\nsys.path[:0] = " + repr(path) + "\n"
    completed = subprocess.run([sys.executable, "-I", "-c", prefix + code], env=env, capture_output=True, text=True,
                               check=False, cwd="/")  # fmt: skip
    line = next((line for line in completed.stdout.splitlines() if line.startswith("LOADED ")), None)
    assert line is not None, completed.stderr[-2000:]
    return list(json.loads(line[len("LOADED ") :]))


def what_the_host_adds(host: str, value: str) -> List[str]:
    """The Python paths the host itself adds from the studio variable (a .mod's entry, a package's env)."""
    if host == "maya":  # MAYA_MODULE_PATH: each .mod's module root + scripts, and its PYTHONPATH+:= lines
        text = (Path(value) / "accsyn.mod").read_text()
        entry = next(line for line in text.splitlines() if line.startswith("+ MAYAVERSION:2024 "))
        root = entry.split()[-1]
        block = text.split(entry, 1)[1].split("\n\n", 1)[0]
        return [os.path.join(root, "scripts"), *re.findall(r"^PYTHONPATH\+:=(.+)$", block, re.M)]
    package = json.loads((Path(value) / "accsyn.json").read_text())  # HOUDINI_PACKAGE_DIR: each package's env
    return list(package["env"][0]["PYTHONPATH"]["value"])


@pytest.mark.parametrize("host, variable, package", [("nuke", "NUKE_PATH", "accsyn_nuke.startup"),
                                                     ("maya", "MAYA_MODULE_PATH", "accsyn_maya"),
                                                     ("houdini", "HOUDINI_PACKAGE_DIR", "accsyn_houdini")])  # fmt: skip
def test_the_printed_line_alone_loads_the_plugin_and_uninstall_removes_exactly_the_tree(
    tmp_path, host, variable, package
):
    home, shared = tmp_path / "home", tmp_path / "shared"
    (home / ".nuke").mkdir(parents=True)
    (shared / "other-tool").mkdir(parents=True)
    (shared / "other-tool" / "keep.txt").write_text("keep\n")
    before, shared_before = snapshot(home), snapshot(shared)
    studio = shared / "accsyn" / host
    result = install(host, "--studio", str(studio), home=home)
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before  # nothing in any home
    assert not (REPO / "build" / "install-ledger.json").exists() or str(studio) not in (
        REPO / "build" / "install-ledger.json").read_text()  # fmt: skip
    value = printed_value(result.stdout, variable)
    assert value.startswith(str(studio / "current"))
    assert re.search(rf'windows: +setx {variable} "', result.stdout)

    env = {"PATH": os.environ["PATH"], "HOME": str(home), variable: value}
    if host == "nuke":
        loaded = host_python(FAKE_NUKE + CHECK.format(package=package), env, [])
    else:
        loaded = host_python(CHECK.format(package=package), env, what_the_host_adds(host, value))
    version = os.path.realpath(studio / "current")
    assert loaded[0].startswith(version + os.sep), loaded  # the core of that version of the tree, pinned
    assert all(os.path.realpath(path).startswith(version + os.sep) for path in loaded), loaded
    assert install(host, "--studio", str(studio), home=home).stdout.startswith("nothing to do")

    assert install(host, "--uninstall", "--studio", str(studio), home=home).returncode == 0
    assert snapshot(shared) == shared_before and snapshot(home) == before


def test_an_upgrade_swaps_the_tree_while_a_reader_keeps_the_old_files(tmp_path):
    source = tmp_path / "source"
    (source / "pkg").mkdir(parents=True)
    (source / "pkg" / "module.py").write_text("VERSION = 1\n")
    studio = tmp_path / "studio"

    def tree() -> StudioTree:
        return StudioTree(str(studio), "nuke", ((str(source / "pkg"), "plugins/nuke/pkg"),), vendor=False)

    assert tree().apply()
    first = os.path.realpath(studio / "current")
    with open(studio / "current" / "plugins" / "nuke" / "pkg" / "module.py") as reader:
        (source / "pkg" / "module.py").write_text("VERSION = 2\n")
        assert tree().apply()
        assert (studio / "current" / "plugins" / "nuke" / "pkg" / "module.py").read_text() == "VERSION = 2\n"
        assert reader.read() == "VERSION = 1\n"
    second = os.path.realpath(studio / "current")
    assert second != first and os.path.isdir(first)  # the old version stays for hosts started before
    assert not [name for name in os.listdir(studio / "versions") if name.startswith(".")]  # no half-built tree
    (source / "pkg" / "module.py").write_text("VERSION = 3\n")
    assert tree().apply() and not os.path.exists(first)  # only the previous version is kept
    assert sorted(os.listdir(studio)) == [".accsyn-studio", "current", "versions"]
    assert tree().revert() and not studio.exists()


def test_a_studio_folder_of_another_host_or_of_other_files_is_refused(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    refused = install("nuke", "--studio", str(tmp_path / "busy"), home=home)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "not empty" in refused.stderr
    assert install("nuke", "--studio", str(tmp_path / "n"), home=home).returncode == 0
    other = install("maya", "--studio", str(tmp_path / "n"), home=home)
    assert other.returncode == 1 and "holds the studio tree of nuke" in other.stderr
