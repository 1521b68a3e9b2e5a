"""A local stand-in for the accsyn backend (accsyn-protocol.md section 5): stdlib HTTP + SQLite."""

from __future__ import annotations

from accsyn_dcc.standin.backend import DEFAULT_SEED, Backend, load_seed
from accsyn_dcc.standin.server import DROP, DROP_AFTER, RecordedRequest, StandinServer

__all__ = ["DEFAULT_SEED", "DROP", "DROP_AFTER", "Backend", "RecordedRequest", "StandinServer", "load_seed"]
