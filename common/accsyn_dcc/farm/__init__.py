"""The local farm: run Compute jobs through their engines on this machine."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from accsyn_dcc.farm.runner import FarmSummary, LocalFarm, TaskResult
from accsyn_dcc.farm.sites import farm_sites

__all__ = ["FarmSummary", "LocalFarm", "TaskResult", "run_local"]


def run_local(
    payload: Mapping[str, Any],
    *,
    workers: int = 2,
    settings: Optional[Any] = None,
    sites: Sequence[str] = (),
    **options: Any,
) -> FarmSummary:
    """Run ``payload`` on this machine; volumes, share mappings and sites come from the settings (studio config),
    more sites from ``sites`` (``NAME=ROOT``)."""
    from accsyn_dcc.config import load_settings

    settings = settings or load_settings()
    described = settings.site_entries
    farm = LocalFarm(
        payload,
        volumes=settings.workspace.volumes,
        local_share_paths=settings.local_share_paths,
        workers=workers,
        sites=farm_sites(described, sites, workers),
        **options,
    )
    return farm.run()
