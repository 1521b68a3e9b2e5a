"""Scripted submits from inside Nuke (Script Editor, a pipeline tool, or ``nuke -t``), with the dialog's checks."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from accsyn_dcc.scripted import scripted_submit
from accsyn_nuke.adapter import NukeHost


def submit(
    writes: Optional[Sequence[str]] = None,
    range: Optional[str] = None,
    engine: Optional[str] = None,
    dry_run: bool = False,
    **options: Any,
) -> List[Dict[str, Any]]:
    """Submit the open Nuke script to accsyn; returns the created jobs, or with ``dry_run`` the payloads.

    ``writes``: full names of the Write nodes to render (``"Write1"``, ``"Group1.Write2"``); None renders
    every enabled Write. ``range``: an accsyn range (``"1001-1100"``); None takes the script's root range.
    ``engine``: an engine code; None picks the one matching this Nuke (``nuke-16`` for 16.x, or the
    ``nuke_engine`` setting; ``nuke`` when no workspace is known). ``options``: see
    ``accsyn_dcc.scripted.scripted_submit`` (``name``, ``bucket_size``, ``queue``, ``one_job_per_output``,
    ``allow_missing``, ``client``, ``workspace``...).

    An unsaved or modified script, missing dependencies, outputs outside the shares, an empty range or an
    unknown engine raise ``accsyn_dcc.preflight.PreflightError`` naming the node, knob or file; the script
    is never saved for you.
    """
    from accsyn_dcc.config import load_settings

    host = NukeHost(settings=load_settings().values)
    return scripted_submit(host, writes, range=range, engine=engine, dry_run=dry_run, **options)
