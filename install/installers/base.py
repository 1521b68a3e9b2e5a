"""What every host installer shares: where things are, the actions it plans, and how they are applied.

A host module builds a list of actions (``StartupBlock``, ``OwnedFile``, ``Vendor``); ``apply``/``revert``
carry them out, each idempotent and atomic (``installers.files``): a step that fails leaves nothing of
itself. ``apply_all`` runs an install and, when a step fails, reverts the steps it had done (newest first),
so a failed install leaves nothing behind; ``describe`` says in words what would happen (``--print``),
writing nothing.
"""

from __future__ import annotations

import json
import ntpath
import os
import posixpath
import shutil
import subprocess
import sys
import textwrap
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from installers.blocks import find_block, user_lines, with_block, without_block
from installers.files import (
    InstallError,
    Ledger,
    atomic_write,
    digest,
    read_bytes,
    read_text,
    remove_empty_folders,
    remove_file,
    write_file,
)

if TYPE_CHECKING:
    from installers.studio import StudioLine, StudioTree

VENDOR_REQUIREMENTS = ("requests", "platformdirs", "qtpy")
"""accsyn_dcc's in-host runtime dependencies (setup.cfg ``install_requires``); all pure Python."""
VENDOR_PYTHON = "3.9"
"""The oldest host Python supported; pure-Python wheels chosen for it run on the newer ones too."""


@dataclass(frozen=True)
class Context:
    """Where the installer works: the user's home, the repository, and the OS path style."""

    home: str
    repo: str
    os_name: str
    """``windows``, ``mac`` or ``linux``."""

    @property
    def path(self) -> Any:
        """``ntpath`` or ``posixpath``, so Windows paths can be planned (and tested) on any machine."""
        return ntpath if self.os_name == "windows" else posixpath

    def join(self, *parts: str) -> str:
        return str(self.path.join(*parts))

    @property
    def vendor_dir(self) -> str:
        """Where the pure-Python dependencies are vendored for hosts' own Pythons (inside the repo's build/)."""
        return self.join(self.repo, "build", "python-vendor")

    @property
    def ledger(self) -> Ledger:
        """The record of files the installer wrote into users' folders (inside the repo's build/)."""
        return Ledger(self.join(self.repo, "build", "install-ledger.json"))


def current_os() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "mac" if sys.platform == "darwin" else "linux"


def resolve_home(explicit: Optional[str], environ: Mapping[str, str], os_name: str) -> str:
    """``--home``, else USERPROFILE on Windows, else HOME; the user's home as the host applications see it."""
    if explicit:
        return explicit
    keys = ("USERPROFILE", "HOME") if os_name == "windows" else ("HOME",)
    for key in keys:
        if environ.get(key):
            return environ[key]
    return os.path.expanduser("~")


class Action(ABC):
    @abstractmethod
    def describe(self, uninstall: bool) -> str: ...

    @abstractmethod
    def apply(self) -> bool:
        """Do it; True when something changed."""

    @abstractmethod
    def revert(self) -> bool:
        """Undo exactly what ``apply`` did; True when something changed."""


@dataclass(frozen=True)
class StartupBlock(Action):
    """A delimited block of Python in a host's per-user start-up file (created with its folder when absent)."""

    file: str
    body: str
    host: str
    """The installer's host name, for the block's note on how to remove it."""

    def describe(self, uninstall: bool) -> str:
        if uninstall:
            text = read_text(self.file) or ""
            kept = len(_checked(self.file, lambda: user_lines(text)))
            if kept:
                lines = f"{kept} line{'s' if kept > 1 else ''}"
                return f"remove the accsyn-dcc block from {self.file}, leaving in place the {lines} added inside it"
            return f"remove the accsyn-dcc block from {self.file} (and the file/folder if the installer created them)"
        indented = "\n".join("    " + line for line in self.body.splitlines())
        return f"add (or update) this block in {self.file}:\n{indented}"

    def apply(self) -> bool:
        folder = os.path.dirname(self.file)
        created_folder = not os.path.isdir(folder)
        current = read_text(self.file)
        updated = _checked(self.file, lambda: with_block(current, self.body, created_folder, self.host))
        if updated == current:
            return False
        write_file(self.file, updated.encode("utf-8"))
        return True

    def revert(self) -> bool:
        current = read_text(self.file)
        if current is None or _checked(self.file, lambda: find_block(current)) is None:
            return False
        remaining, facts = without_block(current)
        if facts.created_file and not remaining:
            remove_file(self.file)
            if facts.created_folder:
                remove_empty_folders([os.path.dirname(self.file)])
        else:
            atomic_write(self.file, remaining.encode("utf-8"))
        return True


@dataclass(frozen=True)
class OwnedFile(Action):
    """A whole file that belongs to accsyn-dcc (a Houdini package JSON, a Maya ``.mod``, an add-on's file).

    Written atomically and recorded in the ledger with the folders created for it; uninstall removes it
    (and those folders, when empty) only while it is byte for byte what was written. A file of the same
    name that accsyn-dcc did not write, or that was changed since, is never overwritten or removed.
    """

    file: str
    content: bytes
    ledger: Ledger

    def describe(self, uninstall: bool) -> str:
        if uninstall:
            return f"remove {self.file} (and the folders the install created for it, when empty)"
        return f"write {self.file} ({len(self.content)} bytes):\n" + textwrap.indent(
            self.content.decode("utf-8", "replace"), "    "
        )

    def apply(self) -> bool:
        current = read_bytes(self.file)
        entry = self.ledger.entry(self.file)
        if current is not None:
            if entry is None and current != self.content:
                raise InstallError(
                    f"{self.file} exists and was not written by accsyn-dcc; move it away, then install again"
                )
            if entry is not None and digest(current) != entry["sha256"]:
                raise InstallError(f"{self.file} was changed since accsyn-dcc wrote it; move it away to reinstall")
            if current == self.content:
                if entry is None:
                    self.ledger.record(self.file, self.content, [])
                return False
        created = write_file(self.file, self.content)
        earlier = list(entry["created_folders"]) if entry else []
        try:
            self.ledger.record(self.file, self.content, list(dict.fromkeys(earlier + created)))
        except InstallError:  # unrecorded, uninstall would not know it: put back what was there
            if current is None:
                remove_file(self.file)
                remove_empty_folders(created)
            else:
                atomic_write(self.file, current)
            raise
        return True

    def revert(self) -> bool:
        entry = self.ledger.entry(self.file)
        if entry is None:
            return False
        current = read_bytes(self.file)
        if current is not None and digest(current) != entry["sha256"]:
            raise InstallError(f"{self.file} was changed since accsyn-dcc wrote it; it is left as it is")
        if current is not None:
            remove_file(self.file)
        remove_empty_folders(list(entry.get("created_folders", [])))
        self.ledger.forget(self.file)
        return True


def json_package(file: str, data: Mapping[str, Any], ledger: Ledger) -> OwnedFile:
    """A JSON file (Houdini package) owned by accsyn-dcc, four-space indented as Houdini writes them."""
    return OwnedFile(file, (json.dumps(data, indent=4) + "\n").encode("utf-8"), ledger)


def owned_tree(source: str, target: str, ledger: Ledger) -> List[OwnedFile]:
    """Every file under ``source`` copied to the same place under ``target`` (an add-on or extension folder)."""
    files: List[OwnedFile] = []
    for folder, dirs, names in os.walk(source):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                content = handle.read()
            files.append(OwnedFile(os.path.join(target, os.path.relpath(path, source)), content, ledger))
    return files


HOME_VARIABLES = ("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                  "XDG_DATA_HOME", "XDG_STATE_HOME")  # fmt: skip
"""Where pip and what it runs (build backends, keyrings, rustup's toolchain probe) would write in a home."""


def pip_environment(build: str, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The environment pip runs in: a home and a cache of its own inside ``build``, so the user's stays as it
    was; the user's own pip configuration (a studio's index) is still read."""
    environment = {**os.environ, **(extra or {})}
    user_config = _user_pip_config()
    home = os.path.join(build, "pip-home")
    environment.update({name: os.path.join(home, name.lower()) for name in HOME_VARIABLES})
    environment.update(HOME=home, USERPROFILE=home, PIP_CACHE_DIR=os.path.join(build, "pip-cache"))
    if user_config and "PIP_CONFIG_FILE" not in environment:
        environment["PIP_CONFIG_FILE"] = user_config
    return environment


def _user_pip_config() -> Optional[str]:
    """The user's pip configuration file, where one exists (read through ``PIP_CONFIG_FILE`` once HOME moves)."""
    home = os.path.expanduser("~")
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    candidates = [os.path.join(config_home, "pip", "pip.conf"), os.path.join(home, ".pip", "pip.conf"),
                  os.path.join(os.environ.get("APPDATA", home), "pip", "pip.ini")]  # fmt: skip
    return next((path for path in candidates if os.path.isfile(path)), None)


def run_pip(command: Sequence[str], what: str, build: str, extra: Optional[Mapping[str, str]] = None) -> None:
    """Run pip with its home and cache inside ``build`` (``pip_environment``); when it fails (offline, no wheel
    for that Python...), an InstallError with its last line."""
    environment = pip_environment(build, extra)
    os.makedirs(environment["HOME"], exist_ok=True)
    completed = subprocess.run(list(command), capture_output=True, text=True, check=False, env=environment)
    if completed.returncode != 0:
        last = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["no output"]
        raise InstallError(f"could not {what} ({last[0]})")


@dataclass(frozen=True)
class Vendor(Action):
    """Pure-Python wheels of the runtime dependencies, installed by pip into the repository's build folder.

    Shared by every host and user installed from this folder: each install adds its ``user`` (the file
    it wrote) to ``.accsyn-users`` there, and the folder goes only when the last one uninstalls.
    """

    target: str
    user: str
    requirements: Sequence[str] = VENDOR_REQUIREMENTS
    python_version: str = VENDOR_PYTHON

    def command(self) -> List[str]:
        return [
            sys.executable, "-m", "pip", "install", "--quiet", "--upgrade",
            "--target", self.target,
            "--python-version", self.python_version,
            "--implementation", "py",
            "--only-binary=:all:",
            *self.requirements,
        ]  # fmt: skip

    def describe(self, uninstall: bool) -> str:
        if uninstall:
            return f"remove the vendored dependencies in {self.target} (when no other install uses them)"
        return f"vendor {', '.join(self.requirements)} into {self.target}: {' '.join(self.command())}"

    @property
    def users_file(self) -> str:
        return os.path.join(self.target, ".accsyn-users")

    def users(self) -> List[str]:
        return [line for line in (read_text(self.users_file) or "").splitlines() if line]

    def apply(self) -> bool:
        stamp = os.path.join(self.target, ".accsyn-vendor")
        wanted = " ".join(self.requirements) + f" py{self.python_version}"
        changed = False
        if read_text(stamp) != wanted:
            made = not os.path.isdir(self.target)
            try:
                what = f"vendor {' '.join(self.requirements)} into {self.target}"
                run_pip(self.command(), what, os.path.dirname(self.target))
                atomic_write(stamp, wanted.encode("utf-8"))
            except InstallError:
                if made:  # a half-filled folder that no install uses
                    shutil.rmtree(self.target, ignore_errors=True)
                raise
            changed = True
        users = self.users()
        if self.user not in users:
            atomic_write(self.users_file, "".join(f"{user}\n" for user in [*users, self.user]).encode("utf-8"))
            changed = True
        return changed

    def revert(self) -> bool:
        if not os.path.isdir(self.target):
            return False
        users = self.users()
        others = [user for user in users if user != self.user]
        if others:
            if len(others) == len(users):
                return False
            atomic_write(self.users_file, "".join(f"{user}\n" for user in others).encode("utf-8"))
            return True
        try:
            shutil.rmtree(self.target)
        except OSError as error:
            raise InstallError(f"cannot remove {error.filename or self.target} ({error.strerror})") from None
        return True


class HostInstaller(ABC):
    """One host application: the actions that make it load accsyn-dcc for this user."""

    name: str = ""

    @abstractmethod
    def actions(self, context: Context, vendor: bool) -> List[Action]: ...

    @abstractmethod
    def studio(self, context: Context, folder: str, vendor: bool) -> Tuple[StudioTree, StudioLine]:
        """The host's shared tree in ``folder`` and the environment line that makes the host load it."""


def apply_all(actions: Sequence[Action], say: Callable[[str], None]) -> None:
    """Apply the actions in order, saying what each did; when one fails, revert those that changed something.

    They are reverted newest first, each said as ``undone: ...``; then one InstallError names the failure
    and what was undone (and anything that could not be, to remove by hand).
    """
    done: List[Action] = []
    for action in actions:
        try:
            changed = action.apply()
        except (InstallError, OSError) as error:
            raise InstallError(_failure(error) + _rolled_back(done, say)) from None
        say(f"{'done' if changed else 'nothing to do'}: {action.describe(False).splitlines()[0]}")
        if changed:
            done.append(action)


def revert_all(actions: Sequence[Action], say: Callable[[str], None]) -> None:
    """Revert the actions, last first, saying what each did; the first failure stops it as one InstallError."""
    for action in reversed(actions):
        said = action.describe(True).splitlines()[0]
        try:
            changed = action.revert()
        except OSError as error:
            raise InstallError(_failure(error)) from None
        say(f"{'done' if changed else 'nothing to do'}: {said}")


def _rolled_back(done: List[Action], say: Callable[[str], None]) -> str:
    """Revert ``done`` newest first; the words to add to the failure."""
    if not done:
        return ""
    left: List[str] = []
    for action in reversed(done):
        try:
            action.revert()
        except (InstallError, OSError) as error:
            left.append(_failure(error))
            continue
        say(f"undone: {action.describe(False).splitlines()[0]}")
    steps = f"the {len(done)} step{'s' if len(done) > 1 else ''} done before it"
    if not left:
        return f"; undone: {steps}"
    return f"; undoing {steps} failed, remove by hand: {'; '.join(left)}"


def _failure(error: Exception) -> str:
    """One line for a failed step: an InstallError's own words, or the file and reason of an OSError."""
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror}"
    return str(error)


def _checked(path: str, step: Callable[[], Any]) -> Any:
    """Run a block edit; a damaged block becomes an InstallError naming the file."""
    try:
        return step()
    except ValueError as error:
        raise InstallError(f"{path}: {error}") from None
