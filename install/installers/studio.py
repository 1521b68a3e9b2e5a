"""Studio installs: one shared, read-only tree per host that every artist's host loads, no home touched.

``DIR/versions/<version>-<digest>/`` holds the plugin, ``common/accsyn_dcc`` and the vendored pure-Python
dependencies laid out as in this repository (``plugins/<host>``, ``common``, ``build/python-vendor``), so the
plugin's start-up finds them the same way, plus the host's entry file (a Maya ``.mod``, a Houdini package).
``DIR/current`` is a symbolic link to it, replaced in one rename: the new tree is built beside the old one,
a host started before an upgrade keeps the paths of its version (kept until the next upgrade), one started
after reads the new. ``DIR/.accsyn-studio`` says which host the folder is for and whether the install made
the folder, so ``--uninstall --studio DIR`` removes exactly what the install added.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from installers.base import VENDOR_PYTHON, VENDOR_REQUIREMENTS, Action, run_pip
from installers.files import InstallError, atomic_write, make_folders, read_text, remove_empty_folders, remove_file

VERSION = "0.1.0"
MARKER = ".accsyn-studio"
STUDIO_MARK = ".accsyn-studio-tree"
"""A file at the root of every studio tree: the plugin start-up tells a studio copy from a per-user one by it."""
_SKIPPED = ("__pycache__",)


def copy_tree(source: str, target: str) -> None:
    """Copy a source folder without its caches (``__pycache__``, ``.pyc``)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo"))


def tree_digest(root: str) -> str:
    """SHA-256 of every file's relative path and bytes under ``root`` (caches left out)."""
    total = hashlib.sha256()
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(name for name in dirs if name not in _SKIPPED)
        for name in sorted(names):
            path = os.path.join(folder, name)
            total.update(os.path.relpath(path, root).replace(os.sep, "/").encode("utf-8") + b"\0")
            with open(path, "rb") as handle:
                total.update(hashlib.sha256(handle.read()).digest())
    return total.hexdigest()


@dataclass(frozen=True)
class StudioTree(Action):
    """A host's studio tree in ``folder``: built beside the current one, then swapped in by renaming a link."""

    folder: str
    host: str
    sources: Tuple[Tuple[str, str], ...]
    """(source folder, its place in the tree) pairs, copied without caches."""
    entry: Callable[[str], Dict[str, bytes]] = field(default=lambda final: {})
    """The host's own files (relative path -> bytes), given the tree's final folder (their paths point into it)."""
    vendor: bool = True

    @property
    def current(self) -> str:
        return os.path.join(self.folder, "current")

    @property
    def versions(self) -> str:
        return os.path.join(self.folder, "versions")

    @property
    def marker(self) -> str:
        return os.path.join(self.folder, MARKER)

    def describe(self, uninstall: bool) -> str:
        if uninstall:
            return f"remove the {self.host} studio tree from {self.folder} (and the folder, if the install made it)"
        return (
            f"build the {self.host} studio tree in {self.versions} beside the current one, then point "
            f"{self.current} at it (the previous version stays for the {self.host} sessions still running it)"
        )

    def _recorded(self) -> Optional[Dict[str, object]]:
        text = read_text(self.marker)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            raise InstallError(f"{self.marker} is damaged (not JSON); remove {self.folder} by hand") from None
        if not isinstance(data, dict) or data.get("host") != self.host:
            owner = data.get("host") if isinstance(data, dict) else "?"
            raise InstallError(
                f"{self.folder} holds the studio tree of {owner}, not {self.host}; give {self.host} a folder of its own"
            )
        return data

    def apply(self) -> bool:
        recorded = self._recorded()
        if recorded is None and os.path.isdir(self.folder) and os.listdir(self.folder):
            raise InstallError(f"{self.folder} is not empty and holds no accsyn-dcc studio tree; name an empty folder")
        created = make_folders(self.versions)
        staging = made = ""
        try:
            staging = tempfile.mkdtemp(dir=self.versions, prefix=".staging-")
            self._fill(staging)
            final = os.path.join(self.versions, f"{VERSION}-{self._digest(staging)}")
            new_tree = not os.path.isdir(final)
            if new_tree:
                for relative, content in self.entry(final).items():
                    path = os.path.join(staging, relative)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "wb") as handle:
                        handle.write(content)
                os.rename(staging, final)
                made = final
            else:
                shutil.rmtree(staging)
            staging = ""
            if recorded is None:
                facts = {"host": self.host, "created_folders": [path for path in created if path != self.versions]}
                atomic_write(self.marker, json.dumps(facts).encode("utf-8"))
            previous = self._pointed()
            target = os.path.join("versions", os.path.basename(final))
            if previous == target:
                return False
            self._point(target)
        except BaseException as error:
            for half in (staging, made):
                if half:
                    shutil.rmtree(half, ignore_errors=True)
            if recorded is None:
                self._remove_everything([path for path in created if path != self.versions])
            if isinstance(error, OSError):
                raise InstallError(f"cannot build the studio tree in {self.versions} ({error.strerror})") from None
            raise
        self._prune(keep={os.path.basename(final), os.path.basename(previous or "")})
        return True

    def _fill(self, staging: str) -> None:
        for source, relative in self.sources:
            copy_tree(source, os.path.join(staging, relative))
        with open(os.path.join(staging, STUDIO_MARK), "wb") as handle:
            handle.write(f"accsyn-dcc {VERSION} studio tree for {self.host}\n".encode())
        if self.vendor:
            target = os.path.join(staging, "build", "python-vendor")
            command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--target", target,
                       "--python-version", VENDOR_PYTHON, "--implementation", "py", "--only-binary=:all:",
                       *VENDOR_REQUIREMENTS]  # fmt: skip
            run_pip(command, f"vendor {' '.join(VENDOR_REQUIREMENTS)} into the studio tree",
                    os.path.join(os.path.dirname(self.versions), ".pip"))  # fmt: skip
            shutil.rmtree(os.path.join(os.path.dirname(self.versions), ".pip"), ignore_errors=True)

    def _digest(self, staging: str) -> str:
        total = hashlib.sha256(tree_digest(staging).encode())
        for relative, content in sorted(self.entry("").items()):
            total.update(relative.encode() + b"\0" + hashlib.sha256(content).digest())
        return total.hexdigest()[:12]

    def _pointed(self) -> Optional[str]:
        return os.readlink(self.current) if os.path.islink(self.current) else None

    def _point(self, target: str) -> None:
        """Point ``current`` at ``target`` in one rename (a host reading the old tree never sees a gap)."""
        link = os.path.join(self.folder, f".current-{os.getpid()}")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(target, link, target_is_directory=True)
        try:
            os.replace(link, self.current)
        except OSError:
            os.remove(link)
            raise

    def _prune(self, keep: set) -> None:
        for name in os.listdir(self.versions):
            if name not in keep:
                shutil.rmtree(os.path.join(self.versions, name), ignore_errors=True)

    def revert(self) -> bool:
        recorded = self._recorded()
        if recorded is None:
            return False
        folders = recorded.get("created_folders")
        self._remove_everything([str(path) for path in folders] if isinstance(folders, list) else [])
        return True

    def _remove_everything(self, created_folders: List[str]) -> None:
        try:
            if os.path.islink(self.current):
                os.remove(self.current)
            if os.path.isdir(self.versions):
                shutil.rmtree(self.versions)
        except OSError as error:
            raise InstallError(f"cannot remove {error.filename or self.folder} ({error.strerror})") from None
        remove_file(self.marker)
        remove_empty_folders(created_folders)


@dataclass(frozen=True)
class StudioLine:
    """The environment variable a TD sets for the studio, and the path in the tree it names."""

    variable: str
    relative: Tuple[str, ...]
    is_list: bool = True
    """A search path (the studio's own entries stay after the tree's) rather than one folder."""

    def lines(self, folder: str) -> List[str]:
        """One line per operating system: the variable, the tree's path first, then what the studio had."""
        posix = "/".join((folder.rstrip("/"), "current", *self.relative))
        windows = "\\".join((folder.replace("/", "\\").rstrip("\\"), "current", *self.relative))
        name = self.variable
        if not self.is_list:
            return [f'linux/macOS: export {name}="{posix}"', f'windows:     setx {name} "{windows}"']
        return [
            f'linux/macOS: export {name}="{posix}${{{name}:+:${name}}}"',
            f'windows:     setx {name} "{windows};%{name}%"',
        ]
