"""install/install.py: install then uninstall leaves a home byte-identical; idempotent; --print writes nothing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "install"))

from installers.base import Context, StartupBlock, resolve_home  # noqa: E402
from installers.blocks import NOTE, with_block, without_block  # noqa: E402
from installers.nuke import INSTALLER  # noqa: E402


def snapshot(home: Path) -> Dict[str, str]:
    """Every file (hashed) and folder under ``home``."""
    state: Dict[str, str] = {}
    for folder, dirs, files in os.walk(home):
        for name in dirs:
            state[os.path.relpath(os.path.join(folder, name), home) + "/"] = "dir"
        for name in files:
            path = os.path.join(folder, name)
            state[os.path.relpath(path, home)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return state


def run(home: Path, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, str(REPO / "install" / "install.py"), "nuke", "--home", str(home), "--no-vendor", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


def populated_home(tmp_path: Path, init_text: str | None) -> Path:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "notes.txt").write_bytes(b"keep me\r\n")
    if init_text is not None:
        (home / ".nuke").mkdir()
        (home / ".nuke" / "init.py").write_bytes(init_text.encode())
        (home / ".nuke" / "menu.py").write_bytes(b"import nuke\n")
    return home


@pytest.mark.parametrize(
    "init_text",
    [None, "", "import nuke\nnuke.pluginAddPath('/studio/tools')\n", "print('no final newline')", "a = 1\r\nb = 2\r\n"],
    ids=["no-nuke-folder", "empty-init", "studio-init", "no-final-newline", "crlf"],
)
def test_install_then_uninstall_leaves_home_byte_identical(tmp_path: Path, init_text: str | None) -> None:
    home = populated_home(tmp_path, init_text)
    before = snapshot(home)
    run(home)
    installed = (home / ".nuke" / "init.py").read_bytes().decode()
    assert f"nuke.pluginAddPath({str(REPO / 'plugins' / 'nuke')!r})" in installed
    if init_text:
        assert installed.startswith(init_text)
    run(home, "--uninstall")
    assert snapshot(home) == before


def test_install_twice_changes_nothing(tmp_path: Path) -> None:
    home = populated_home(tmp_path, "import os\n")
    run(home)
    once = snapshot(home)
    output = run(home)
    assert snapshot(home) == once
    assert "nothing to do" in output


def test_print_writes_nothing_and_shows_the_block_and_vendoring(tmp_path: Path) -> None:
    home = populated_home(tmp_path, None)
    before = snapshot(home)
    completed = subprocess.run(
        [sys.executable, str(REPO / "install" / "install.py"), "nuke", "--home", str(home), "--print"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert snapshot(home) == before
    assert str(home / ".nuke" / "init.py") in completed.stdout
    assert "pluginAddPath" in completed.stdout
    assert "--python-version 3.9" in completed.stdout and "requests" in completed.stdout


def test_a_home_that_does_not_exist_is_refused_and_never_made(tmp_path: Path) -> None:
    """A mistyped ``--home`` grew a home of its own (``.nuke/init.py`` in a folder nobody uses)."""
    mistyped = tmp_path / "hmoe"
    completed = subprocess.run(
        [sys.executable, str(REPO / "install" / "install.py"), "nuke", "--home", str(mistyped), "--no-vendor"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1 and not mistyped.exists()
    assert completed.stderr == f"install.py nuke: the home folder {mistyped} does not exist; name an existing one\n"


def test_uninstall_without_install_changes_nothing(tmp_path: Path) -> None:
    home = populated_home(tmp_path, "x = 1\n")
    before = snapshot(home)
    assert "nothing to do" in run(home, "--uninstall")
    assert snapshot(home) == before


def test_moved_repository_updates_the_block_in_place() -> None:
    first = with_block("a = 1\n", "import nuke\nnuke.pluginAddPath('/old')", created_folder=False, host="nuke")
    second = with_block(first, "import nuke\nnuke.pluginAddPath('/new')", created_folder=False, host="nuke")
    assert "/old" not in second and second.count("pluginAddPath") == 1
    assert without_block(second)[0] == "a = 1\n"


@pytest.mark.parametrize(
    ("os_name", "home", "repo", "init_file", "plugin_dir"),
    [
        ("windows", r"C:\Users\ann", r"D:\accsyn", r"C:\Users\ann\.nuke\init.py", r"D:\accsyn\plugins\nuke"),
        ("mac", "/Users/ann", "/Volumes/t/accsyn", "/Users/ann/.nuke/init.py", "/Volumes/t/accsyn/plugins/nuke"),
        ("linux", "/home/ann", "/opt/accsyn-dcc", "/home/ann/.nuke/init.py", "/opt/accsyn-dcc/plugins/nuke"),
    ],
)
def test_paths_per_os(os_name: str, home: str, repo: str, init_file: str, plugin_dir: str) -> None:
    context = Context(home=home, repo=repo, os_name=os_name)
    block = INSTALLER.actions(context, vendor=False)[0]
    assert isinstance(block, StartupBlock)
    assert block.file == init_file
    assert f"nuke.pluginAddPath({plugin_dir!r})" in block.body
    compile(block.body, "init.py", "exec")  # the Windows path is a valid Python literal


def test_home_resolution_per_os() -> None:
    environ = {"HOME": "/home/ann", "USERPROFILE": r"C:\Users\ann"}
    assert resolve_home(None, environ, "windows") == r"C:\Users\ann"
    assert resolve_home(None, {"HOME": r"C:\msys\ann"}, "windows") == r"C:\msys\ann"
    assert resolve_home(None, environ, "mac") == "/home/ann"
    assert resolve_home("/tmp/elsewhere", environ, "linux") == "/tmp/elsewhere"


def test_a_linked_init_py_stays_a_link_and_its_target_gets_the_block(tmp_path: Path) -> None:
    """A dotfiles setup: ``~/.nuke/init.py`` links to a file kept elsewhere; install and uninstall go through it."""
    home = populated_home(tmp_path, None)
    (home / "dotfiles").mkdir()
    (home / "dotfiles" / "init.py").write_bytes(b"import studio\r\n")
    (home / ".nuke").mkdir()
    (home / ".nuke" / "init.py").symlink_to(Path("..") / "dotfiles" / "init.py")
    before = snapshot(home)
    run(home)
    assert os.readlink(home / ".nuke" / "init.py") == str(Path("..") / "dotfiles" / "init.py")
    assert "pluginAddPath" in (home / "dotfiles" / "init.py").read_text()
    assert sorted(os.listdir(home / "dotfiles")) == ["init.py"]  # no temporary file left beside the target
    run(home, "--uninstall")
    assert os.readlink(home / ".nuke" / "init.py") == str(Path("..") / "dotfiles" / "init.py")
    assert snapshot(home) == before


def test_a_link_to_nothing_is_left_alone_in_one_line(tmp_path: Path) -> None:
    """Writing through it would create a file where the link points, replacing it would lose the link: neither."""
    home = populated_home(tmp_path, None)
    (home / ".nuke").mkdir()
    link = home / ".nuke" / "init.py"
    link.symlink_to(tmp_path / "gone" / "init.py")
    completed = subprocess.run(
        [sys.executable, str(REPO / "install" / "install.py"), "nuke", "--home", str(home), "--no-vendor"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1
    assert completed.stderr == (
        f"install.py nuke: {link} is a link to {tmp_path / 'gone' / 'init.py'}, which does not exist; "
        "accsyn-dcc changed nothing (create the file it points to, or remove the link, and run again)\n"
    )
    assert "nothing to do" in run(home, "--uninstall")
    assert os.readlink(link) == str(tmp_path / "gone" / "init.py") and os.listdir(home / ".nuke") == ["init.py"]
    assert not (tmp_path / "gone").exists()


def test_lines_added_inside_the_block_stay_on_uninstall_and_it_says_so(tmp_path: Path) -> None:
    """Only the lines the install wrote go; a studio line typed inside the block stays where it was."""
    home = populated_home(tmp_path, "print('no final newline')")
    run(home)
    init = home / ".nuke" / "init.py"
    ours = init.read_text()
    mine = "nuke.pluginAddPath('/studio/mine')\n"
    init.write_text(ours.replace("# <<< accsyn-dcc <<<", mine + "# <<< accsyn-dcc <<<"))
    assert "the 1 line added inside it" in run(home, "--print", "--uninstall")
    output = run(home, "--uninstall")
    assert init.read_text() == "print('no final newline')\n" + mine
    assert f"done: remove the accsyn-dcc block from {init}, leaving in place the 1 line added inside it" in output


def test_an_update_of_the_block_keeps_the_lines_added_inside_it() -> None:
    first = with_block("a = 1\n", "import nuke\nnuke.pluginAddPath('/old')", created_folder=False, host="nuke")
    edited = first.replace("import nuke\n", "import nuke\nimport studio  # mine\n")
    second = with_block(edited, "import nuke\nnuke.pluginAddPath('/new')", created_folder=False, host="nuke")
    assert "/old" not in second and "import studio  # mine\n" in second
    assert with_block(second, "import nuke\nnuke.pluginAddPath('/new')", created_folder=False, host="nuke") == second
    assert without_block(second)[0] == "a = 1\nimport studio  # mine\n"


def test_a_block_written_before_lines_were_recorded_comes_out_whole() -> None:
    """Its marker has no digests of the lines written: every line in it is the installer's, as it was then."""
    earlier = '# >>> accsyn-dcc >>> {"created_file": false, "created_folder": false, "newline": false}\n'
    note = NOTE + " <host> --uninstall\n"  # as blocks of that time said it
    text = "a = 1\n" + earlier + note + "import nuke\nnuke.pluginAddPath('/x')\n# <<< accsyn-dcc <<<\n"
    assert without_block(text)[0] == "a = 1\n"


def test_the_block_says_how_to_remove_it_for_its_own_host() -> None:
    block = with_block(None, "import nuke", created_folder=False, host="nuke")
    assert "remove it with: python install/install.py nuke --uninstall\n" in block
    assert "<host>" not in block
