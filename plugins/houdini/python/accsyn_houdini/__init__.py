"""accsyn for Houdini: the shelf tool and Render menu entry, the host adapter for the shared submit dialog,
and scripted submits.

Scripted use (Python Shell or ``hython``)::

    from accsyn_houdini import submit
    submit(rops=["/out/karma1"], range="1001-1100", dry_run=True)
"""

from __future__ import annotations

from typing import Any


def submit(*args: Any, **kwargs: Any) -> Any:
    """See ``accsyn_houdini.batch.submit`` (imported on first use so Houdini's start-up stays light)."""
    from accsyn_houdini.batch import submit as batch_submit

    return batch_submit(*args, **kwargs)
