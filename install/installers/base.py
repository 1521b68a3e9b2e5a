"""What every host installer shares: where things are, the actions it plans, and how they are applied.

A host module builds a list of actions (``StartupBlock``, ``Vendor``); ``apply``/``revert`` carry them
out, and ``describe`` says in words what would happen (``--print``), writing nothing.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import shutil
import subprocess
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence

from installers.blocks import find_block, with_block, without_block

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

    def describe(self, uninstall: bool) -> str:
        if uninstall:
            return f"remove the accsyn-dcc block from {self.file} (and the file/folder if the installer created them)"
        indented = "\n".join("    " + line for line in self.body.splitlines())
        return f"add (or update) this block in {self.file}:\n{indented}"

    def apply(self) -> bool:
        folder = os.path.dirname(self.file)
        created_folder = not os.path.isdir(folder)
        current = _read(self.file)
        updated = with_block(current, self.body, created_folder)
        if updated == current:
            return False
        os.makedirs(folder, exist_ok=True)
        _write(self.file, updated)
        return True

    def revert(self) -> bool:
        current = _read(self.file)
        if current is None or find_block(current) is None:
            return False
        remaining, facts = without_block(current)
        if facts.created_file and not remaining:
            os.remove(self.file)
            folder = os.path.dirname(self.file)
            if facts.created_folder and not os.listdir(folder):
                os.rmdir(folder)
        else:
            _write(self.file, remaining)
        return True


@dataclass(frozen=True)
class Vendor(Action):
    """Pure-Python wheels of the runtime dependencies, installed by pip into the repository's build folder."""

    target: str
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
            return f"remove the vendored dependencies in {self.target}"
        return f"vendor {', '.join(self.requirements)} into {self.target}: {' '.join(self.command())}"

    def apply(self) -> bool:
        stamp = os.path.join(self.target, ".accsyn-vendor")
        wanted = " ".join(self.requirements) + f" py{self.python_version}"
        if _read(stamp) == wanted:
            return False
        subprocess.run(self.command(), check=True)
        _write(stamp, wanted)
        return True

    def revert(self) -> bool:
        if not os.path.isdir(self.target):
            return False
        shutil.rmtree(self.target)
        return True


class HostInstaller(ABC):
    """One host application: the actions that make it load accsyn-dcc for this user."""

    name: str = ""

    @abstractmethod
    def actions(self, context: Context, vendor: bool) -> List[Action]: ...


def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
