"""accsyn API v3 client for submitters (runs inside DCCs: Python 3.9, ``requests`` only)."""

from __future__ import annotations

import math
import os
from typing import Any, Optional

from accsyn_dcc.api.client import MAX_REPLY_ENV, MIB, AccsynClient
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
    "connect_configured",
]


def connect(credentials: Credentials, **kwargs: Any) -> AccsynClient:
    """A logged-in client; ``kwargs`` go to AccsynClient (``timeout``, ``retries``)."""
    client = AccsynClient(credentials, **kwargs)
    client.login()
    return client


DEADLINE_ENV = "ACCSYN_DCC_DEADLINE"
"""Seconds one call to accsyn may take in all, retries included (default ``client.DEFAULT_DEADLINE``)."""
NOT_CONFIGURED = (
    "no accsyn workspace is configured: set ACCSYN_WORKSPACE, ACCSYN_API_USER and ACCSYN_API_KEY "
    "(or name a credentials file with ACCSYN_CREDENTIALS_PATH); to try things offline, start the local "
    "stand-in with 'accsyn-dcc server' and set the variables it prints, or render here with --local"
)


def connect_configured(credentials: Optional[Credentials] = None, **kwargs: Any) -> AccsynClient:
    """The one way in: a logged-in client for the configured workspace, or NotConfigured saying how to configure."""
    from accsyn_dcc.config import load_credentials

    credentials = credentials or load_credentials()
    if credentials is None:
        raise NotConfigured(NOT_CONFIGURED)
    deadline = _positive_setting(DEADLINE_ENV, "seconds")
    if deadline is not None and "deadline" not in kwargs:
        kwargs["deadline"] = deadline
    max_reply = _positive_setting(MAX_REPLY_ENV, "MiB")
    if max_reply is not None and "max_reply_bytes" not in kwargs:
        kwargs["max_reply_bytes"] = int(max_reply * MIB)
    return connect(credentials, **kwargs)


def _positive_setting(name: str, unit: str) -> Optional[float]:
    """The number environment variable ``name`` holds, None when it is unset; anything but a positive number is
    refused in one line."""
    text = os.environ.get(name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise NotConfigured(f"{name} must be a positive number of {unit} (got {text!r})")
    return value
