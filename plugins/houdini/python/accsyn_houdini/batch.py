"""Scripted submits from inside Houdini (Python Shell, a shelf tool, or ``hython``), with the dialog's checks."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from accsyn_dcc.scripted import scripted_submit
from accsyn_houdini.adapter import HoudiniHost


def submit(
    rops: Optional[Sequence[str]] = None,
    range: Optional[str] = None,
    engine: Optional[str] = None,
    dry_run: bool = False,
    **options: Any,
) -> List[Dict[str, Any]]:
    """Submit the open Houdini scene to accsyn; returns the created jobs, or with ``dry_run`` the payloads.

    ``rops``: full paths of the ROPs to render (``"/out/karma1"``); None renders every ROP that writes
    files. ``range``: an accsyn range; None takes the chosen ROPs' own range when they share one, else the
    playbar's. ``engine``: an engine code; None picks the one matching this Houdini (``houdini-20``, or the
    ``houdini_engine`` setting; ``houdini`` when no workspace is known). ``options``: see
    ``accsyn_dcc.scripted.scripted_submit``
    (``one_job_per_output=True`` makes one job per ROP, ``name``, ``bucket_size``, ``allow_missing``...).

    An unsaved or modified scene, missing files, an unknown ROP or outputs outside the shares raise an
    error naming the node, parm or file; the scene is never saved for you.
    """
    from accsyn_dcc.config import load_settings

    host = HoudiniHost(settings=load_settings().values)
    return scripted_submit(host, rops, range=range, engine=engine, dry_run=dry_run, **options)
