"""Point accsyn's environment variables (ours and the official client's) at a running stand-in server."""

from __future__ import annotations

from typing import Any


def point_environment_at(server: Any, monkeypatch: Any) -> None:
    """The credentials of the server's first seed user, its 127.0.0.1 port, and nothing else configured."""
    user = server.seed["users"][0]
    for name in ("AS_DEV", "ACCSYN_CREDENTIALS_PATH", "ACCSYN_DOMAIN", "ACCSYN_ORG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_WORKSPACE", str(server.workspace))
    monkeypatch.setenv("ACCSYN_API_USER", user["code"])
    monkeypatch.setenv("ACCSYN_API_KEY", user["api_key"])
    monkeypatch.setenv("ACCSYN_PROXY", f"127.0.0.1:{server.port}")
