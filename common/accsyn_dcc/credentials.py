"""The secrets and connection details needed to talk to an accsyn workspace."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import FrozenSet, Optional, Union

API_KEY_ENV = "ACCSYN_API_KEY"
CREDENTIALS_FILE_ENV = "ACCSYN_CREDENTIALS_PATH"
"""Names a ``.env`` file holding the credentials."""
SECRET_VARIABLES: FrozenSet[str] = frozenset({API_KEY_ENV, CREDENTIALS_FILE_ENV})
"""This project's own variables that hold a secret or name where one is kept."""


@dataclass(frozen=True)
class Credentials:
    """How to reach and log in to a workspace. The API key never appears in ``repr`` or ``str``."""

    workspace: str
    user: str
    api_key: str = field(repr=False)
    hostname: Optional[str] = None
    """API host; None means look it up through accsyn's master host."""
    port: Optional[int] = None
    proxy: Optional[str] = None
    """``ACCSYN_PROXY`` form: ``host:port``, ``host`` or ``type:host:port``."""
    verify: Union[bool, str] = True
    """True (verify TLS with the system bundle), a CA bundle path, or False (an explicit, logged choice)."""

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace}"
