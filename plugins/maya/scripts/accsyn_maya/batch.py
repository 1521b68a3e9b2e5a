"""Scripted submits from inside Maya (Script Editor, a pipeline tool, or ``mayapy``), with the dialog's checks."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.scripted import scripted_submit
from accsyn_maya.adapter import MayaHost, camera_of, layer_of


def submit(
    layers: Optional[Sequence[str]] = None,
    cameras: Optional[Sequence[str]] = None,
    range: Optional[str] = None,
    engine: Optional[str] = None,
    dry_run: bool = False,
    **options: Any,
) -> List[Dict[str, Any]]:
    """Submit the open Maya scene to accsyn; returns the created jobs, or with ``dry_run`` the payloads.

    ``layers``: render layer names (``"beauty"``, ``"masterLayer"``); None renders every renderable layer.
    ``cameras``: camera transform names to keep; None keeps each layer's renderable cameras. ``range``: an
    accsyn range (``"1001-1100"``); None takes the render settings' range. ``engine``: an engine code; None
    picks the one matching this Maya (``maya-2024``, or the ``maya_engine`` setting; ``maya`` when no
    workspace is known). ``options``: see
    ``accsyn_dcc.scripted.scripted_submit`` (``one_job_per_output=True`` makes one job per layer, ``name``,
    ``bucket_size``, ``queue``, ``allow_missing``, ``client``, ``workspace``...).

    An unsaved or modified scene, missing files, outputs outside the shares or an unknown layer raise an
    error naming the node, attribute or file; the scene is never saved for you.
    """
    from accsyn_dcc.config import load_settings

    host = MayaHost(settings=load_settings().values)
    names = None
    if layers is not None or cameras is not None:
        available = host.outputs()
        chosen = [
            output.node
            for output in available
            if (layers is None or layer_of(output) in layers) and (cameras is None or camera_of(output) in cameras)
        ]
        if not chosen:
            known = ", ".join(output.node for output in available) or "none"
            raise AccsynDccError(
                f"No renderable layer/camera matches layers={list(layers or [])} cameras={list(cameras or [])} "
                f"(renderable: {known})."
            )
        names = chosen
    return scripted_submit(host, names, range=range, engine=engine, dry_run=dry_run, **options)
