"""accsyn API v3 client for submitters (runs inside DCCs: Python 3.9, ``requests`` only)."""

from __future__ import annotations

from typing import Any

from accsyn_dcc.api.client import AccsynClient
from accsyn_dcc.api.errors import (
    AccsynApiError,
    AuthenticationError,
    BackendError,
    NotConfigured,
    ProtocolError,
    UnreachableError,
)
from accsyn_dcc.credentials import Credentials

__all__ = [
    "AccsynApiError",
    "AccsynClient",
    "AuthenticationError",
    "BackendError",
    "NotConfigured",
    "ProtocolError",
    "UnreachableError",
    "connect",
]


def connect(credentials: Credentials, **kwargs: Any) -> AccsynClient:
    """A logged-in client; ``kwargs`` go to AccsynClient (``timeout``, ``retries``)."""
    client = AccsynClient(credentials, **kwargs)
    client.login()
    return client
