"""Places whose files are never sent to a farm, whatever the flags: system folders, a home's secrets, credentials.

A scene may name ``/etc/shadow``, ``~/.ssh/id_rsa``, ``/proc/self/environ`` (which holds the API key) or the
accsyn credentials file, by mistake or on purpose; none of them belongs to a shot. Pure string logic, like
``paths``, so every OS's forms are testable anywhere; ``private_reason`` also follows links on this machine.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from functools import cached_property
from typing import Dict, Mapping, Optional, Tuple

from accsyn_dcc.credentials import CREDENTIALS_FILE_ENV
from accsyn_dcc.paths import is_windows_path, normalise

SYSTEM_FOLDERS = ("/proc", "/sys", "/dev", "/etc", "/run", "/boot", "/private/etc", "/private/var/db",
                  "C:/Windows/System32/config")  # fmt: skip
"""A machine's own configuration and its live state: never a shot's file."""
HOME_SECRETS = (
    ".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".password-store", ".local/share/keyrings",
    ".netrc", ".pgpass", ".git-credentials", ".npmrc", ".pypirc", ".vault-token", ".bash_history", ".zsh_history",
    ".config", "Library/Keychains", "Library/Preferences", "AppData/Roaming/Microsoft",
)  # fmt: skip
"""Below a home: keys, tokens, shell histories and the user's configuration folders."""


@dataclass(frozen=True)
class PrivatePlaces:
    """The places of one machine and user: the home folder and the credentials files named here.

    Made for one check of a submit (its cache of real folders would go stale in a long-lived one)."""

    home: str
    credential_files: Tuple[str, ...] = ()
    _real_folders: Dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def here(cls, environ: Optional[Mapping[str, str]] = None) -> PrivatePlaces:
        environ = os.environ if environ is None else environ
        named = environ.get(CREDENTIALS_FILE_ENV)
        return cls(os.path.expanduser("~"), (named,) if named else ())

    @cached_property
    def _places(self) -> Dict[str, str]:
        """Every private place (as compared) and its reason; a credentials file wins over the folder it is in."""
        places = {_compared(folder): f"the system folder {folder}" for folder in SYSTEM_FOLDERS}
        if self.home:
            home = _clean(self.home)
            places.update({_compared(f"{home}/{secret}"): f"the home folder's private ~/{secret}"
                           for secret in HOME_SECRETS})  # fmt: skip
        places.update({_compared(_clean(path)): "the accsyn credentials file" for path in self.credential_files})
        return places

    def reason(self, path: str) -> Optional[str]:
        """Why ``path`` is private (its words fit "... is in <reason>"), or None: each folder above it looked up."""
        compared = _compared(_clean(path))
        places = self._places
        end = compared.find("/", 1)
        while end > 0:
            if compared[:end] in places:
                return places[compared[:end]]
            end = compared.find("/", end + 1)
        return places.get(compared)

    def reason_on_disk(self, path: str) -> Optional[str]:
        """``reason`` for the path as named, then for where it is on this machine (a link may point anywhere);
        one ``realpath`` per folder, so a sequence or a folder of textures costs one."""
        named = self.reason(path)
        if named or not path:
            return named
        folder, name = os.path.split(os.path.abspath(path))
        if folder not in self._real_folders:
            try:
                self._real_folders[folder] = os.path.realpath(folder)
            except (OSError, ValueError):
                self._real_folders[folder] = folder
        real_folder = self._real_folders[folder]
        real = os.path.join(real_folder, name)
        if os.path.islink(real):
            real = os.path.realpath(real)
        return self.reason(real) if real != path else None


def _compared(path: str) -> str:
    """A cleaned path as compared: Windows paths (drive letters, UNC) ignore case."""
    return path.lower() if is_windows_path(path) else path


def _clean(path: str) -> str:
    """Forward slashes with ``.`` and ``..`` folded, so ``/proj/../etc/shadow`` is ``/etc/shadow``."""
    if path.startswith("/") and "\\" not in path and "//" not in path and "/." not in path and path[-1:] != "/":
        return path  # already clean: most paths a scan finds
    text = normalise(path)
    return posixpath.normpath(text) if text else text
