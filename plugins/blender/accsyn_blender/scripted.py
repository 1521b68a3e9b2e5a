"""Scripted submits from inside Blender (the console, a pipeline tool, ``blender -b file.blend --python-expr``)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from accsyn_dcc.scripted import scripted_submit

from .host import BlenderHost


def submit(
    layers: Optional[Sequence[str]] = None,
    range: Optional[str] = None,
    engine: Optional[str] = None,
    dry_run: bool = False,
    **options: Any,
) -> List[Dict[str, Any]]:
    """Submit the open scene to accsyn; returns the created jobs, or with ``dry_run`` the payloads (offline).

    ``layers``: outputs to render by name (``"View layer 'ViewLayer'"``, ``"File Output 'Output'"``); None
    renders every view layer in use. ``range``: an accsyn range (None: the scene's start, end and step).
    ``engine``: an engine code (None: the newest ``blender`` engine, else the studio default).
    ``options``: see ``accsyn_dcc.scripted.scripted_submit``. An unsaved or modified scene, missing files
    or outputs outside the shares raise ``accsyn_dcc.preflight.PreflightError``; nothing is saved for you.
    """
    return scripted_submit(BlenderHost(), layers, range=range, engine=engine, dry_run=dry_run, **options)
