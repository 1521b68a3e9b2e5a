"""Typed errors of the accsyn API client; their text is for artists and never holds the API key."""

from __future__ import annotations

from typing import Optional

from accsyn_dcc.errors import AccsynDccError


class AccsynApiError(AccsynDccError):
    """Base of every error raised while talking to accsyn."""


class NotConfigured(AccsynApiError):
    """Credentials or connection settings are missing or unusable."""


class UnreachableError(AccsynApiError):
    """accsyn could not be reached: connection refused, name lookup failed or timed out."""


class AuthenticationError(AccsynApiError):
    """accsyn refused the workspace, user or API key."""


class BackendError(AccsynApiError):
    """accsyn answered with a refusal (``message`` / ``message_hr``) or a backend exception."""

    def __init__(self, message: str, message_hr: Optional[str] = None) -> None:
        self.message = message
        self.message_hr = message_hr or message
        super().__init__(self.message_hr)


class ProtocolError(AccsynApiError):
    """accsyn's reply was not what the protocol promises (not JSON, an HTML error page, no result)."""


def scrub(text: str, secret: Optional[str]) -> str:
    """``text`` with ``secret`` (and its base64 form as sent on the wire) replaced by ``***``."""
    if not secret:
        return text
    import base64

    encoded = base64.b64encode(secret.encode("utf-8")).decode("ascii")
    return text.replace(secret, "***").replace(encoded, "***")
