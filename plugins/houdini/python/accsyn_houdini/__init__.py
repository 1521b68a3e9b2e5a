"""accsyn for Houdini: the shelf tool and Render menu entry, the host adapter for the shared submit dialog,
and scripted submits.

Scripted use (Python Shell or ``hython``)::

    from accsyn_houdini import submit
    submit(rops=["/out/karma1"], range="1001-1100", dry_run=True)
"""

from __future__ import annotations

import importlib.util
import os
import sys
from typing import Any


def _step_aside() -> None:
    """Keep one install of accsyn-dcc on ``sys.path`` before its core is imported: the per-user package's over a
    studio one's (Houdini reads the user's packages first, so this is the per-user copy), said once."""
    start = sys.modules.get("accsyn_dcc_plugin_start")
    if start is None:  # loaded by its path: which accsyn_dcc Houdini imports is what it decides
        package = os.path.dirname(os.path.realpath(__file__))
        path = os.path.join(package, "..", "..", "..", "..", "common", "accsyn_dcc", "plugin_start.py")
        spec = importlib.util.spec_from_file_location("accsyn_dcc_plugin_start", path)
        if spec is None or spec.loader is None or not os.path.isfile(path):
            return
        start = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = start
        spec.loader.exec_module(start)
    start.step_aside("accsyn_houdini", 3, print)


def submit(*args: Any, **kwargs: Any) -> Any:
    """See ``accsyn_houdini.batch.submit`` (imported on first use so Houdini's start-up stays light)."""
    from accsyn_houdini.batch import submit as batch_submit

    return batch_submit(*args, **kwargs)


_step_aside()
