"""accsyn API v3 client for submitters (runs inside DCCs: Python 3.9, ``requests`` only)."""

from __future__ import annotations

import os
from typing import Any, Optional

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
    deadline = os.environ.get(DEADLINE_ENV)
    if deadline is not None and "deadline" not in kwargs:
        try:
            kwargs["deadline"] = float(deadline)
        except ValueError:
            raise NotConfigured(f"{DEADLINE_ENV} must be a number of seconds (got {deadline!r})") from None
    return connect(credentials, **kwargs)
