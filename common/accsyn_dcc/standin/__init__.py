"""A local stand-in for the accsyn backend (accsyn-protocol.md section 5): stdlib HTTP + SQLite.

The workspace it serves comes from a seed file (``accsyn-dcc server --seed FILE``; the default is
``accsyn_dcc/data/standin_seed.json``), one JSON object:

* ``workspace``: the workspace code (``ACCSYN_WORKSPACE``); required.
* ``users``: ``id``, ``code`` (the e-mail, ``ACCSYN_API_USER``), ``name``, ``role``, ``api_key``
  (``ACCSYN_API_KEY``); the server prints the first user's credentials.
* ``engines``: ``id``, ``code``, ``name``, ``type`` (``compute``), ``status``, ``version``, ``settings`` (the
  engine's ENGINE CONFIG settings: ``items``, ``default_range``, ``default_bucketsize``,
  ``filename_extensions``...) and ``parameters``; a job names its engine by ``code``.
* ``volumes``: ``id``, ``code`` (the share of ``share=CODE/...`` paths), ``name``, ``status``, ``default``
  (``true`` on one) and ``paths``, the volume's folder per OS (``windows``, ``mac``, ``linux``); the file calls
  and the farm (``--run-jobs``) use this OS's path.
* ``folders``, ``homes``, ``collections``: ``id``, ``code``, ``parent`` (a volume's id) and ``path`` within it.
* ``sites``: ``id``, ``code``, ``name``, ``main``, ``status``; ``queues``: ``id``, ``code``, ``name``,
  ``priority``, ``default``/``compute_default``, ``status``.

Every list may be left out (it is then empty); every entry needs an ``id`` (24 hex digits) and a ``code``.
``--share CODE=FOLDER`` sets a volume's path for this OS without a seed file of one's own (``share_folders``).
"""

from __future__ import annotations

from accsyn_dcc.standin.backend import DEFAULT_SEED, Backend, load_seed, share_folders
from accsyn_dcc.standin.server import DROP, DROP_AFTER, RecordedRequest, StandinServer

__all__ = [
    "DEFAULT_SEED",
    "DROP",
    "DROP_AFTER",
    "Backend",
    "RecordedRequest",
    "StandinServer",
    "load_seed",
    "share_folders",
]
