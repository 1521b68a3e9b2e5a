"""The installer's actions for every host: atomic writes, owned files, add-on folders, shared vendoring."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "install"))

from installers.base import OwnedFile, StartupBlock, Vendor, json_package, owned_tree  # noqa: E402
from installers.files import InstallError, Ledger, atomic_write  # noqa: E402
from test_install import snapshot  # noqa: E402


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(str(tmp_path / "repo" / "build" / "install-ledger.json"))


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_write_that_fails_half_way_leaves_the_users_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "init.py"
    target.write_bytes(b"import studio_tools\r\n")
    before = snapshot(tmp_path)

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(InstallError, match=re.escape(f"cannot write {target} (No space left on device)")):
        atomic_write(str(target), b"something else entirely\n")
    monkeypatch.undo()
    assert snapshot(tmp_path) == before  # same bytes, no temporary file left behind


def test_startup_block_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    init = tmp_path / ".nuke" / "init.py"
    init.parent.mkdir()
    init.write_text("a = 1\n")
    monkeypatch.setattr(os, "replace", lambda *args: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(InstallError, match=re.escape(f"cannot write {init} (I/O error)")):
        StartupBlock(str(init), "import nuke", "nuke").apply()
    assert init.read_text() == "a = 1\n" and os.listdir(init.parent) == ["init.py"]


def test_houdini_package_json_installs_once_and_uninstalls_exactly(tmp_path: Path, ledger: Ledger) -> None:
    prefs = tmp_path / "houdini20.5"
    (prefs / "packages").mkdir(parents=True)
    (prefs / "packages" / "studio.json").write_text('{"env": [{"STUDIO": "/tools"}]}\n')
    before = snapshot(prefs)
    package = json_package(
        str(prefs / "packages" / "accsyn.json"), {"hpath": "/opt/accsyn-dcc/plugins/houdini"}, ledger
    )
    assert package.apply() is True
    assert json.loads((prefs / "packages" / "accsyn.json").read_text()) == {"hpath": "/opt/accsyn-dcc/plugins/houdini"}
    once = snapshot(prefs)
    assert package.apply() is False and snapshot(prefs) == once
    assert package.revert() is True and package.revert() is False
    assert snapshot(prefs) == before


def test_maya_module_in_a_folder_that_did_not_exist_is_removed_with_it(tmp_path: Path, ledger: Ledger) -> None:
    maya_app_dir = tmp_path / "maya"
    maya_app_dir.mkdir()
    (maya_app_dir / "2025").mkdir()
    before = snapshot(maya_app_dir)
    module = OwnedFile(
        str(maya_app_dir / "modules" / "accsyn.mod"),
        b"+ MAYAVERSION:2025 accsyn 1.0 /opt/accsyn-dcc/plugins/maya\n",
        ledger,
    )
    module.apply()
    assert (maya_app_dir / "modules" / "accsyn.mod").exists()
    module.revert()
    assert snapshot(maya_app_dir) == before


def test_a_file_accsyn_did_not_write_is_never_overwritten_or_removed(tmp_path: Path, ledger: Ledger) -> None:
    foreign = tmp_path / "packages" / "accsyn.json"
    foreign.parent.mkdir()
    foreign.write_text('{"mine": true}\n')
    owned = json_package(str(foreign), {"hpath": "/x"}, ledger)
    with pytest.raises(InstallError, match="was not written by accsyn-dcc; move it away"):
        owned.apply()
    assert owned.revert() is False
    assert foreign.read_text() == '{"mine": true}\n'


def test_a_file_changed_after_install_is_left_alone(tmp_path: Path, ledger: Ledger) -> None:
    owned = OwnedFile(str(tmp_path / "accsyn.mod"), b"+ accsyn 1.0 /x\n", ledger)
    owned.apply()
    (tmp_path / "accsyn.mod").write_bytes(b"+ accsyn 1.0 /x\nMY_VAR=1\n")
    with pytest.raises(InstallError, match="changed since accsyn-dcc wrote it"):
        owned.revert()
    with pytest.raises(InstallError, match="changed since"):
        owned.apply()
    assert (tmp_path / "accsyn.mod").read_bytes() == b"+ accsyn 1.0 /x\nMY_VAR=1\n"


def test_blender_add_on_folder_is_copied_and_removed_file_by_file(tmp_path: Path, ledger: Ledger) -> None:
    source = tmp_path / "source" / "accsyn_blender"
    (source / "ui").mkdir(parents=True)
    (source / "__init__.py").write_text("bl_info = {}\n")
    (source / "ui" / "panel.py").write_text("PANEL = 1\n")
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "x.pyc").write_bytes(b"\0")
    scripts = tmp_path / "scripts"
    (scripts / "addons" / "other_addon").mkdir(parents=True)
    before = snapshot(scripts)
    actions = owned_tree(str(source), str(scripts / "addons" / "accsyn_blender"), ledger)
    assert sorted(os.path.relpath(action.file, scripts) for action in actions) == [
        "addons/accsyn_blender/__init__.py",
        "addons/accsyn_blender/ui/panel.py",
    ]
    assert all(action.apply() for action in actions)
    assert not any(action.apply() for action in actions)
    for action in reversed(actions):
        action.revert()
    assert snapshot(scripts) == before


def test_unreadable_and_damaged_files_give_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "init.py").mkdir()
    with pytest.raises(InstallError, match="is a folder where accsyn-dcc expects a file"):
        StartupBlock(str(tmp_path / "init.py"), "import nuke", "nuke").apply()
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# caf\xe9\n")
    with pytest.raises(InstallError, match="not UTF-8"):
        StartupBlock(str(latin), "import nuke", "nuke").apply()
    damaged = tmp_path / "damaged.py"
    damaged.write_text("# >>> accsyn-dcc >>> {}\nimport nuke\n")
    with pytest.raises(InstallError, match=re.escape("damaged.py: the line '# >>> accsyn-dcc >>>' has no closing")):
        StartupBlock(str(damaged), "import nuke", "nuke").apply()


def test_a_failing_pip_is_one_line_naming_what_it_could_not_vendor(tmp_path: Path, monkeypatch) -> None:
    """A studio machine without access to the package index: pip's last line, not a traceback."""
    failing_pip = [sys.executable, "-c", "import sys; sys.exit('ERROR: No matching distribution found for requests')"]
    monkeypatch.setattr(Vendor, "command", lambda self: failing_pip)
    vendor = Vendor(str(tmp_path / "python-vendor"), user="/home/ann/.nuke/init.py")
    with pytest.raises(InstallError, match=r"^could not vendor requests.* into .*python-vendor \(ERROR: No matching"):
        vendor.apply()
    assert not (tmp_path / "python-vendor" / ".accsyn-vendor").exists()


def test_shared_vendored_dependencies_stay_while_another_install_uses_them(tmp_path: Path) -> None:
    vendor = tmp_path / "build" / "python-vendor"
    vendor.mkdir(parents=True)
    first = Vendor(str(vendor), user="/home/ann/.nuke/init.py")
    (vendor / ".accsyn-vendor").write_text(" ".join(first.requirements) + f" py{first.python_version}")
    second = Vendor(str(vendor), user="/home/bob/houdini20.5/packages/accsyn.json")
    assert first.apply() and second.apply()
    assert first.apply() is False
    assert first.revert() is True and vendor.is_dir()
    assert first.users() == ["/home/bob/houdini20.5/packages/accsyn.json"]
    assert first.revert() is False
    assert second.revert() is True and not vendor.exists()


def test_an_owned_file_whose_ledger_entry_cannot_be_written_is_taken_back(
    tmp_path: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unrecorded, uninstall would never remove it: the file and the folders made for it go again."""
    maya = tmp_path / "maya"
    maya.mkdir()
    (maya / "2025").mkdir()
    before = snapshot(maya)

    def full(*args: object) -> None:
        raise InstallError("cannot write build/install-ledger.json (No space left on device)")

    monkeypatch.setattr(Ledger, "record", full)
    with pytest.raises(InstallError, match="No space left"):
        OwnedFile(str(maya / "modules" / "accsyn.mod"), b"+ accsyn 1.0 /x\n", ledger).apply()
    assert snapshot(maya) == before


def test_vendoring_leaves_the_user_s_home_as_it_was(tmp_path: Path, monkeypatch) -> None:
    """pip and what it runs write into a home (its cache, rustup's settings.toml a build backend probes for):
    they get a home and a cache of their own inside the build folder; the user's own pip config is still read."""
    home = tmp_path / "home"
    (home / ".config" / "pip").mkdir(parents=True)
    (home / ".config" / "pip" / "pip.conf").write_text("[global]\nindex-url = https://pypi.studio.example/simple\n")
    before = sorted(str(path.relative_to(home)) for path in home.rglob("*"))
    for name in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "PIP_CACHE_DIR", "PIP_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    writes_in_home = (
        "import os, pathlib\n"
        "home = pathlib.Path(os.path.expanduser('~'))\n"
        "(home / '.rustup').mkdir(); (home / '.rustup' / 'settings.toml').write_text('x')\n"
        "cache = pathlib.Path(os.environ.get('PIP_CACHE_DIR') or home / '.cache' / 'pip')\n"
        "cache.mkdir(parents=True); (cache / 'http').write_text('x')\n"
        "print(os.environ.get('PIP_CONFIG_FILE'))\n"
        "assert os.environ['PIP_CONFIG_FILE'].endswith('pip.conf')\n"
    )
    monkeypatch.setattr(Vendor, "command", lambda self: [sys.executable, "-c", writes_in_home])
    build = tmp_path / "repo" / "build"
    (build / "python-vendor").mkdir(parents=True)  # as pip --target makes it
    assert Vendor(str(build / "python-vendor"), user=str(home / ".nuke" / "init.py")).apply()
    assert sorted(str(path.relative_to(home)) for path in home.rglob("*")) == before
    assert (build / "pip-home" / ".rustup" / "settings.toml").exists() and (build / "pip-cache" / "http").exists()
