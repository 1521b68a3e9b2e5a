"""accsyn for Maya: the shelf and Render menu, the host adapter for the shared submit dialog, scripted submits.

Scripted use (Script Editor or ``mayapy``)::

    from accsyn_maya import submit
    submit(layers=["beauty"], range="1001-1100", engine="maya-2024", dry_run=True)
"""

from __future__ import annotations

from typing import Any


def submit(*args: Any, **kwargs: Any) -> Any:
    """See ``accsyn_maya.batch.submit`` (imported on first use so Maya's start-up stays light)."""
    from accsyn_maya.batch import submit as batch_submit

    return batch_submit(*args, **kwargs)
