"""install/install.py maya: a Maya module under MAYA_APP_DIR, idempotent, and an exact uninstall."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_install import snapshot

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "install"))

from installers.base import Context  # noqa: E402
from installers.maya import MAYA_VERSIONS, MayaInstaller, module_text  # noqa: E402


def install(maya_app_dir: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "install" / "install.py"), "maya", "--home", str(home), "--no-vendor", *args],
        capture_output=True, text=True, env={"MAYA_APP_DIR": str(maya_app_dir), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_install_twice_then_uninstall_leaves_maya_app_dir_byte_identical(tmp_path):
    home, maya = tmp_path / "home", tmp_path / "x"
    (home / "Documents").mkdir(parents=True)
    (maya / "2024" / "scripts").mkdir(parents=True)
    (maya / "2024" / "scripts" / "userSetup.py").write_bytes(b"print('studio')\r\n")
    (maya / "2024" / "prefs" / "shelves").mkdir(parents=True)
    (maya / "2024" / "prefs" / "shelves" / "shelf_Custom.mel").write_bytes(b"global proc shelf_Custom () {}\n")
    before, home_before = snapshot(maya), snapshot(home)
    first, second = install(maya, home=home), install(maya, home=home)
    assert first.returncode == second.returncode == 0, first.stderr
    assert "nothing to do" in second.stdout
    module = (maya / "modules" / "accsyn.mod").read_text()
    assert [line.split()[1] for line in module.splitlines() if line.startswith("+ ")] == [
        f"MAYAVERSION:{version}" for version in MAYA_VERSIONS
    ]
    assert snapshot(home) == home_before  # nothing written outside MAYA_APP_DIR
    assert install(maya, "--uninstall", home=home).returncode == 0
    assert snapshot(maya) == before


def test_a_module_file_accsyn_did_not_write_is_never_replaced(tmp_path):
    home, maya = tmp_path / "home", tmp_path / "x"
    home.mkdir()
    (maya / "modules").mkdir(parents=True)
    (maya / "modules" / "accsyn.mod").write_text("+ accsyn 9.9 /studio/accsyn\n")
    result = install(maya, home=home)
    assert result.returncode == 1 and "was not written by accsyn-dcc" in result.stderr
    assert (maya / "modules" / "accsyn.mod").read_text() == "+ accsyn 9.9 /studio/accsyn\n"


def test_print_writes_nothing(tmp_path):
    maya = tmp_path / "x"
    result = install(maya, "--print", home=tmp_path)
    assert result.returncode == 0 and "would write" in result.stdout and not maya.exists()


@pytest.mark.parametrize(
    ("os_name", "home", "expected"),
    [
        ("linux", "/home/ann", "/home/ann/maya/modules/accsyn.mod"),
        ("mac", "/Users/ann", "/Users/ann/Library/Preferences/Autodesk/maya/modules/accsyn.mod"),
        ("windows", "C:\\Users\\ann", "C:\\Users\\ann\\Documents\\maya\\modules\\accsyn.mod"),
    ],
)
def test_default_maya_folder_per_os(os_name, home, expected):
    context = Context(home=home, repo="/repo" if os_name != "windows" else "D:\\accsyn-dcc", os_name=os_name)
    assert MayaInstaller(environ={}).module_file(context) == expected


def test_module_puts_the_core_and_vendored_dependencies_on_pythonpath():
    context = Context(home="/home/ann", repo="/repo", os_name="linux")
    text = module_text(context, vendor=True)
    assert "+ MAYAVERSION:2025 accsyn 0.1.0 /repo/plugins/maya" in text
    assert text.count("PYTHONPATH+:=/repo/common") == len(MAYA_VERSIONS)
    assert text.count("PYTHONPATH+:=/repo/build/python-vendor") == len(MAYA_VERSIONS)
