"""Writing a user's files safely: atomic replacement, clear errors, and a ledger of what the installer owns.

Every write goes to a temporary file beside the target and is renamed over it, so a failure half-way
leaves the user's file exactly as it was; a write through a symbolic link (a dotfiles setup) replaces
the link's target and keeps the link, and a link to nothing is refused, never replaced. Every failure
is an ``InstallError`` naming the file or folder and the reason. The ledger
(``build/install-ledger.json`` in the repository, never in the user's folders) remembers each file the
installer wrote (its SHA-256) and the folders it created for it, so uninstalling removes exactly those
and nothing a user changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Any, Dict, List, Optional


class InstallError(Exception):
    """An install or uninstall step cannot be done safely; the message names the file and the way out."""


def read_bytes(path: str) -> Optional[bytes]:
    """The file's bytes; None when it does not exist; InstallError when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        raise InstallError(f"{path} is a folder where accsyn-dcc expects a file; move it away first") from None
    except OSError as error:
        raise InstallError(f"{path} cannot be read ({error.strerror}); check its permissions") from None


def read_text(path: str) -> Optional[str]:
    data = read_bytes(path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InstallError(f"{path} is not UTF-8 text; accsyn-dcc will not edit it (add its lines by hand)") from None


def atomic_write(path: str, data: bytes) -> None:
    """Replace ``path`` (a link's target) with ``data`` in one rename, keeping its permissions; never truncate it."""
    if os.path.islink(path):
        if not os.path.exists(path):
            raise InstallError(
                f"{path} is a link to {os.readlink(path)}, which does not exist; accsyn-dcc changed nothing "
                "(create the file it points to, or remove the link, and run again)"
            )
        path = os.path.realpath(path)
    folder = os.path.dirname(path) or "."
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".accsyn-", suffix=".tmp")
    except OSError as error:
        raise InstallError(f"cannot write in {folder} ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if os.path.exists(path):
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise InstallError(f"cannot write {path} ({error.strerror})") from None
        raise


def write_file(path: str, data: bytes) -> List[str]:
    """Make the file's missing folders and write it atomically; the folders made, which go again if it fails."""
    created = make_folders(os.path.dirname(path))
    try:
        atomic_write(path, data)
    except InstallError:
        remove_empty_folders(created)
        raise
    return created


def remove_file(path: str) -> None:
    """Remove a file the installer wrote (one already gone is fine)."""
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise InstallError(f"cannot remove {path} ({error.strerror})") from None


def make_folders(folder: str) -> List[str]:
    """Create ``folder`` and its missing parents; return the ones created, outermost first.

    When one cannot be made, those made before it are removed and an InstallError names it.
    """
    missing: List[str] = []
    current = folder
    while current and not os.path.lexists(current):
        missing.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    created: List[str] = []
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except OSError as error:
            remove_empty_folders(created)
            raise InstallError(f"cannot create the folder {path} ({error.strerror})") from None
        created.append(path)
    return created


def remove_empty_folders(folders: List[str]) -> None:
    """Remove the given folders (innermost first) while they are empty."""
    for folder in sorted(folders, key=len, reverse=True):
        try:
            os.rmdir(folder)
        except OSError:
            return


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Ledger:
    """What the installer wrote: ``{path: {"sha256": ..., "created_folders": [...]}}`` in one JSON file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def _load(self) -> Dict[str, Any]:
        text = read_text(self.path)
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            raise InstallError(f"{self.path} is damaged (not JSON); remove it and install again") from None
        return data if isinstance(data, dict) else {}

    def entry(self, path: str) -> Optional[Dict[str, Any]]:
        found = self._load().get(path)
        return found if isinstance(found, dict) else None

    def record(self, path: str, data: bytes, created_folders: List[str]) -> None:
        entries = self._load()
        entries[path] = {"sha256": digest(data), "created_folders": created_folders}
        self._save(entries)

    def paths(self) -> List[str]:
        """Every file the ledger records."""
        return sorted(self._load())

    def forget(self, path: str) -> None:
        entries = self._load()
        if entries.pop(path, None) is not None:
            self._save(entries)

    def _save(self, entries: Dict[str, Any]) -> None:
        if not entries:
            remove_file(self.path)
            return
        write_file(self.path, (json.dumps(entries, indent=2, sort_keys=True) + "\n").encode("utf-8"))
