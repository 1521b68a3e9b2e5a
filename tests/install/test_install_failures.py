"""A failing install (read-only home, full disk, a step that fails later) ends in one line and leaves nothing behind.

The installer runs in-process (``install.main``) so the failures can be simulated: the tests run as root,
which ignores permission bits, so a read-only home is ``os.mkdir`` and ``tempfile.mkstemp`` refusing with
EACCES, and a full disk is ``os.fsync`` refusing with ENOSPC for the files under the home.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("accsyn_install_cli", REPO / "install" / "install.py")
assert _spec is not None and _spec.loader is not None
cli: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli)

from installers.base import Vendor  # noqa: E402
from installers.blender import BlenderExtension  # noqa: E402
from test_install import snapshot  # noqa: E402


def _setup(host: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point ``host`` into ``home`` (its environment set), whose host folders do not exist yet."""
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "notes.txt").write_bytes(b"keep me\n")
    if host == "houdini":
        (home / "houdini20.5").mkdir()  # Houdini was started once; its packages folder is missing
    variables = {
        "nuke": {},
        "maya": {"MAYA_APP_DIR": str(home / "maya")},
        "houdini": {"HOUDINI_USER_PREF_DIR": str(home / "houdini20.5")},
        "blender": {"BLENDER_USER_SCRIPTS": str(home / ".config" / "blender" / "5.0" / "scripts")},
        "blender-extension": {"BLENDER_USER_EXTENSIONS": str(home / ".config" / "blender" / "5.0" / "extensions")},
    }[host]
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout of its own (the plugins linked in), so the ledger and vendor folder are the test's."""
    checkout = tmp_path / "repo"
    checkout.mkdir()
    (checkout / "plugins").symlink_to(REPO / "plugins")
    monkeypatch.setattr(cli, "REPO", str(checkout))
    monkeypatch.setattr(BlenderExtension, "wheels", lambda self: [])  # no pip: the add-on and its manifest
    for name in ("MAYA_APP_DIR", "HOUDINI_USER_PREF_DIR", "BLENDER_USER_SCRIPTS", "BLENDER_USER_EXTENSIONS",
                 "BLENDER_USER_RESOURCES"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    return checkout


def run(
    host: str, home: Path, capsys: pytest.CaptureFixture[str], *args: str, vendor: bool = False
) -> Tuple[int, str, str]:
    """``install.py`` in this process: exit code, stdout, stderr."""
    code = cli.main([host.split("-")[0], "--home", str(home), *([] if vendor else ["--no-vendor"]), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def full_disk_under(home: Path, monkeypatch: pytest.MonkeyPatch, writes_that_fit: int = 0) -> None:
    """Writes under ``home`` fail with ENOSPC once ``writes_that_fit`` of them have succeeded."""
    real_fsync = os.fsync
    done = [0]

    def fsync(descriptor: int) -> None:
        if os.readlink(f"/proc/self/fd/{descriptor}").startswith(str(home)):
            if done[0] >= writes_that_fit:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            done[0] += 1
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)


def read_only(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing can be created under ``home`` (a folder or a file): EACCES, as for a user without root."""
    real_mkdir, real_mkstemp = os.mkdir, tempfile.mkstemp

    def refuse(path: Any) -> None:
        if str(path).startswith(str(home)):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        refuse(path)
        real_mkdir(path, *args, **kwargs)

    def mkstemp(*args: Any, **kwargs: Any) -> Tuple[int, str]:
        refuse(kwargs.get("dir", ""))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def assert_one_line(err: str, *words: str) -> None:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


HOSTS = ["nuke", "maya", "houdini", "blender", "blender-extension"]


@pytest.mark.parametrize("host", HOSTS)
def test_a_full_disk_is_one_line_and_leaves_no_folder_behind(
    host: str, tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    _setup(host, home, monkeypatch)
    before = snapshot(home)
    full_disk_under(home, monkeypatch)
    code, _out, err = run(host, home, capsys)
    assert code == 1
    assert_one_line(err, f"install.py {host.split('-')[0]}: cannot write {home}", "No space left on device")
    assert snapshot(home) == before
    assert not (repo / "build" / "install-ledger.json").exists()


@pytest.mark.parametrize("host", ["blender", "blender-extension"])
def test_a_disk_that_fills_up_half_way_undoes_the_files_already_written(
    host: str, tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    _setup(host, home, monkeypatch)
    before = snapshot(home)
    full_disk_under(home, monkeypatch, writes_that_fit=3)
    code, _out, err = run(host, home, capsys)
    assert code == 1
    assert_one_line(err, "No space left on device")
    assert snapshot(home) == before
    assert not (repo / "build" / "install-ledger.json").exists()


@pytest.mark.parametrize("host", HOSTS)
def test_a_read_only_home_is_one_line_and_changes_nothing(
    host: str, tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    _setup(host, home, monkeypatch)
    before = snapshot(home)
    read_only(home, monkeypatch)
    code, _out, err = run(host, home, capsys)
    assert code == 1
    assert_one_line(err, f"install.py {host.split('-')[0]}: cannot create the folder {home}", "Permission denied")
    assert snapshot(home) == before


def test_a_folder_that_cannot_be_made_half_way_is_removed_again(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """MAYA_APP_DIR can be made, its ``modules`` folder cannot: the one made is removed again."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("MAYA_APP_DIR", str(home / "maya"))
    read_only(home / "maya" / "modules", monkeypatch)
    code, _out, err = run("maya", home, capsys)
    assert code == 1
    assert_one_line(err, f"cannot create the folder {home / 'maya' / 'modules'} (Permission denied)")
    assert snapshot(home) == {}


def test_a_folder_under_a_file_is_one_line(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No patching: MAYA_APP_DIR under a file cannot be made (ENOTDIR), whoever runs the installer."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("keep me\n")
    monkeypatch.setenv("MAYA_APP_DIR", str(home / "notes.txt" / "maya"))
    before = snapshot(home)
    code, _out, err = run("maya", home, capsys)
    assert code == 1
    assert_one_line(err, f"cannot create the folder {home / 'notes.txt' / 'maya'} (Not a directory)")
    assert snapshot(home) == before


def test_a_step_that_fails_undoes_the_steps_done_before_it(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nuke's block is written, then vendoring fails (no package index): the block is taken out again."""
    home = tmp_path / "home"
    _setup("nuke", home, monkeypatch)
    before = snapshot(home)
    monkeypatch.setattr(Vendor, "command", lambda self: ["false"])
    code, out, err = run("nuke", home, capsys, vendor=True)
    assert code == 1
    assert_one_line(err, "could not vendor", "undone: the 1 step done before it")
    assert f"undone: add (or update) this block in {home / '.nuke' / 'init.py'}" in out
    assert snapshot(home) == before


def test_an_uninstall_that_cannot_remove_a_file_is_one_line(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    _setup("nuke", home, monkeypatch)
    assert run("nuke", home, capsys)[0] == 0
    installed = snapshot(home)

    def refuse(path: Any) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(os, "remove", refuse)
    code, _out, err = run("nuke", home, capsys, "--uninstall")
    assert code == 1
    assert_one_line(err, f"cannot remove {home / '.nuke' / 'init.py'} (Permission denied)")
    assert snapshot(home) == installed


def test_a_step_that_cannot_be_undone_is_named_in_the_same_line(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    _setup("nuke", home, monkeypatch)
    monkeypatch.setattr(Vendor, "command", lambda self: ["false"])

    def refuse(path: Any) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(os, "remove", refuse)
    code, _out, err = run("nuke", home, capsys, vendor=True)
    assert code == 1
    assert_one_line(
        err,
        "could not vendor",
        "; undoing the 1 step done before it failed, remove by hand: "
        f"cannot remove {home / '.nuke' / 'init.py'} (Permission denied)",
    )


def test_vendoring_that_fails_half_way_removes_the_folder_it_made(
    tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """pip made the target folder and some packages, then failed: the vendor folder goes with it."""
    home = tmp_path / "home"
    _setup("nuke", home, monkeypatch)
    target = repo / "build" / "python-vendor"
    script = f"import os, sys; os.makedirs({str(target / 'requests')!r}); sys.exit('ERROR: disk full')"
    monkeypatch.setattr(Vendor, "command", lambda self: [sys.executable, "-c", script])
    code, _out, err = run("nuke", home, capsys, vendor=True)
    assert code == 1
    assert_one_line(err, "could not vendor", "(ERROR: disk full)")
    assert not target.exists()
