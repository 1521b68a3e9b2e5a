"""accsyn for Nuke: the menu, the host adapter for the shared submit dialog, and scripted batch submits.

Scripted use (GUI or ``nuke -t``)::

    from accsyn_nuke import submit
    submit(writes=["Write1"], range="1001-1100", engine="nuke-16", dry_run=True)
"""

from __future__ import annotations

from typing import Any


def submit(*args: Any, **kwargs: Any) -> Any:
    """See ``accsyn_nuke.batch.submit`` (imported on first use so Nuke's start-up stays light)."""
    from accsyn_nuke.batch import submit as batch_submit

    return batch_submit(*args, **kwargs)
