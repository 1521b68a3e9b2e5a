"""The local farm: run Compute jobs through their engines on this machine."""

from __future__ import annotations

from typing import Any, Mapping, Optional

from accsyn_dcc.farm.runner import FarmSummary, LocalFarm, TaskResult

__all__ = ["FarmSummary", "LocalFarm", "TaskResult", "run_local"]


def run_local(
    payload: Mapping[str, Any], *, workers: int = 2, settings: Optional[Any] = None, **options: Any
) -> FarmSummary:
    """Run ``payload`` on this machine; volumes and share mappings come from the settings (studio config)."""
    from accsyn_dcc.config import load_settings

    settings = settings or load_settings()
    farm = LocalFarm(
        payload,
        volumes=settings.workspace.volumes,
        local_share_paths=settings.local_share_paths,
        workers=workers,
        **options,
    )
    return farm.run()
