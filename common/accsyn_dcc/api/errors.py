"""Typed errors of the accsyn API client; their text is for artists and never holds the API key."""

from __future__ import annotations

import base64
import re
from typing import Iterator, Optional

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


CREDENTIAL_VALUE = re.compile(
    r"""((?:authorization|session_id)["']?[ \t]*[:=][ \t]*)("[^"\r\n]*"?|'[^'\r\n]*'?|[^\r\n]*)""", re.IGNORECASE
)
"""The value of an ``Authorization`` header or a ``session_id`` field, quoted or to the end of its line."""
SHORTEST_FRAGMENT = 6
"""Base64 fragments of a secret shorter than this are too likely to match other text to be replaced."""


def scrub(text: str, *secrets: Optional[str]) -> str:
    """``text`` with each secret replaced by ``***``: as it is, and in base64 wherever it lies in a longer base64
    text (the ``Authorization`` header, RFC 7617's ``b64(user:key)``), URL-safe too; the value of any
    ``Authorization`` or ``session_id`` it quotes goes as well."""
    forms = {form for secret in secrets if secret for form in _forms(secret)}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "***")
    return CREDENTIAL_VALUE.sub(r"\1***", text)


def _forms(secret: str) -> Iterator[str]:
    """``secret``, its base64 text, and the base64 characters that depend on it alone at each of the three
    alignments it can have inside longer base64 text."""
    yield secret
    raw = secret.encode("utf-8")
    yield base64.b64encode(raw).decode("ascii")
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + raw).decode("ascii")
        fragment = encoded[(8 * offset + 5) // 6 : 8 * (offset + len(raw)) // 6]  # whole 6-bit groups of ``raw``
        if len(fragment) >= SHORTEST_FRAGMENT:
            yield fragment
            yield fragment.replace("+", "-").replace("/", "_")
