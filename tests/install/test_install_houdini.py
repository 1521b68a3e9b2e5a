"""install/install.py houdini: a package JSON in the user's Houdini packages folder, idempotent, exact uninstall."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_install import snapshot

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "install"))

from installers.base import Context  # noqa: E402
from installers.files import InstallError  # noqa: E402
from installers.houdini import HoudiniInstaller, package_data  # noqa: E402


def install(home: Path, *args: str, environ=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "install" / "install.py"), "houdini", "--home", str(home), "--no-vendor", *args],
        capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", **(environ or {})},
    )  # fmt: skip


def test_install_twice_then_uninstall_leaves_the_preferences_byte_identical(tmp_path):
    prefs = tmp_path / "x"
    (prefs / "packages").mkdir(parents=True)
    (prefs / "packages" / "studio.json").write_text('{"env": [{"STUDIO": "/studio"}]}\r\n')
    (prefs / "houdini.env").write_bytes(b"# studio env\n")
    before = snapshot(prefs)
    environ = {"HOUDINI_USER_PREF_DIR": str(prefs)}
    first, second = install(tmp_path, environ=environ), install(tmp_path, environ=environ)
    assert first.returncode == second.returncode == 0, first.stderr
    assert "nothing to do" in second.stdout
    package = json.loads((prefs / "packages" / "accsyn.json").read_text())
    assert package["hpath"] == str(REPO / "plugins" / "houdini")
    assert install(tmp_path, "--uninstall", environ=environ).returncode == 0
    assert snapshot(prefs) == before


def test_newest_version_folder_by_default_and_for_hver(tmp_path):
    context = Context(home=str(tmp_path), repo="/repo", os_name="linux")
    for version in ("19.5", "20.0", "20.5", "9.1"):
        (tmp_path / f"houdini{version}").mkdir()
    assert HoudiniInstaller(environ={}).package_file(context) == f"{tmp_path}/houdini20.5/packages/accsyn.json"
    hver = HoudiniInstaller(environ={"HOUDINI_USER_PREF_DIR": f"{tmp_path}/houdini__HVER__"})
    assert hver.package_file(context) == f"{tmp_path}/houdini20.5/packages/accsyn.json"


def test_mac_and_windows_folders(tmp_path):
    (tmp_path / "Library" / "Preferences" / "houdini" / "20.5").mkdir(parents=True)
    mac = Context(home=str(tmp_path), repo="/repo", os_name="mac")
    assert (
        HoudiniInstaller(environ={})
        .package_file(mac)
        .endswith("/Library/Preferences/houdini/20.5/packages/accsyn.json")
    )
    windows = Context(home="C:\\Users\\ann", repo="D:\\accsyn-dcc", os_name="windows")
    chosen = HoudiniInstaller(environ={"HOUDINI_USER_PREF_DIR": "C:\\Users\\ann\\Documents\\houdini20.5"})
    assert chosen.package_file(windows) == "C:\\Users\\ann\\Documents\\houdini20.5\\packages\\accsyn.json"


def test_no_houdini_folder_is_one_clear_line(tmp_path):
    with pytest.raises(InstallError, match="no Houdini user folder found"):
        HoudiniInstaller(environ={}).package_file(Context(home=str(tmp_path), repo="/repo", os_name="linux"))
    result = install(tmp_path, environ={"HOME": str(tmp_path)})
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_package_puts_plugin_core_and_vendor_after_houdinis_own():
    data = package_data(Context(home="/home/ann", repo="/repo", os_name="linux"), vendor=True)
    assert data["env"] == [{"PYTHONPATH": {"value": ["/repo/plugins/houdini/python", "/repo/common",
                                                     "/repo/build/python-vendor"], "method": "append"}}]  # fmt: skip
