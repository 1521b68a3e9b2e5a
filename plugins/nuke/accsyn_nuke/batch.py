"""Scripted submits from inside Nuke (Script Editor, a pipeline tool, or ``nuke -t``), with the dialog's checks."""

from __future__ import annotations

import logging
import os
from dataclasses import fields
from typing import Any, Dict, List, Optional, Sequence

from accsyn_dcc import preflight
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.ui import jobs
from accsyn_dcc.workspace import WorkspaceInfo
from accsyn_nuke.adapter import NukeHost

log = logging.getLogger(__name__)

_CHOICE_FIELDS = {item.name for item in fields(jobs.Choices)} - {"engine", "range_text", "outputs"}


def submit(
    writes: Optional[Sequence[str]] = None,
    range: Optional[str] = None,
    engine: Optional[str] = None,
    dry_run: bool = False,
    **overrides: Any,
) -> List[Dict[str, Any]]:
    """Submit the open Nuke script to accsyn; returns the created jobs, or with ``dry_run`` the payloads.

    ``writes``: full names of the Write nodes to render (``"Write1"``, ``"Group1.Write2"``); None renders
    every enabled Write. ``range``: an accsyn range (``"1001-1100"``, ``"1001-1100x2"``); None takes the
    script's root range. ``engine``: an engine code; None picks the one matching this Nuke (``nuke-16`` for
    16.x, or the ``nuke_engine`` setting). ``overrides``: any ``accsyn_dcc.ui.jobs.Choices`` field (``name``,
    ``bucket_size``, ``queue``, ``one_job_per_output``, ``filters_ram``, ``filters``, ``input_conversion``,
    ``site_settings``, ``envs``), plus ``submit_anyway=True`` to submit although dependencies are missing,
    ``client=`` an accsyn client and ``workspace=`` a ``WorkspaceInfo`` (both looked up when not given).

    The checks are the dialog's: an unsaved or modified script, missing dependencies, outputs outside the
    shares, an empty range or an unknown engine raise ``accsyn_dcc.preflight.PreflightError`` naming the
    node, knob or file; the script is never saved for you.
    """
    unknown = set(overrides) - _CHOICE_FIELDS - {"submit_anyway", "client", "workspace"}
    if unknown:
        raise AccsynDccError(f"submit() got unknown option(s): {', '.join(sorted(unknown))}")
    submit_anyway = bool(overrides.pop("submit_anyway", False))
    client = overrides.pop("client", None)
    workspace: Optional[WorkspaceInfo] = overrides.pop("workspace", None)
    host = NukeHost()
    if workspace is None:
        client, workspace = _workspace(client, dry_run)

    outputs = _outputs(host, writes)
    root_range = host.frame_range()
    range_text = range if range is not None else (str(root_range) if root_range else "")
    chosen_engine = engine or host.default_engine(workspace.engines) or ""
    engine_record = workspace.engine(chosen_engine)
    default_bucket = engine_record.settings.default_bucketsize if engine_record else 1
    bucket_size = int(overrides.pop("bucket_size", 0) or default_bucket)
    choices = jobs.Choices(
        name=str(overrides.pop("name", "") or _default_name(host)),
        engine=chosen_engine,
        range_text=range_text,
        bucket_size=bucket_size,
        outputs=outputs,
        parameters=dict(overrides.pop("parameters", None) or host.output_parameters(outputs)),
        **overrides,
    )
    scan = None
    frames = _frames(range_text)
    if frames is not None:
        collected = host.collect_scan(frames, lambda done, total: None, lambda: False)
        scan = host.finish_scan(collected)
    on_share = jobs.share_checker(workspace) if workspace.volumes else None
    findings = preflight.run_checks(
        preflight.PreflightInput(
            scene_path=host.scene_path(),
            scene_modified=host.is_modified(),
            range_text=range_text,
            engine=chosen_engine,
            workspace=workspace,
            outputs=outputs,
            scan=scan,
            on_share=on_share,
            submit_anyway=submit_anyway,
        )
    )
    for finding in findings:
        if not finding.blocks:
            log.warning("accsyn: %s", finding.message)
    preflight.raise_for_blockers(findings)
    scene = host.scene_path()
    assert scene is not None  # the checks refuse an unsaved script
    payloads = jobs.build_payloads(scene, choices, workspace, scan)
    if dry_run:
        return payloads
    return jobs.create_jobs(client or jobs.default_connect(), payloads)


def _workspace(client: Any, dry_run: bool) -> Any:
    try:
        client = client or jobs.default_connect()
        return client, client.workspace_info()
    except AccsynDccError as error:
        if not dry_run:
            raise
        log.warning("accsyn: dry run without the workspace (%s)", error)
        return None, WorkspaceInfo()


def _outputs(host: NukeHost, writes: Optional[Sequence[str]]) -> List[Any]:
    available = host.outputs()
    if writes is None:
        return available
    by_name = {output.node: output for output in available}
    missing = [name for name in writes if name not in by_name]
    if missing:
        known = ", ".join(sorted(by_name)) or "none"
        raise AccsynDccError(f"No enabled Write named {', '.join(missing)} in the script (enabled Writes: {known}).")
    return [by_name[name] for name in writes]


def _frames(range_text: str) -> Optional[FrameRange]:
    try:
        return FrameRange.parse(range_text)
    except AccsynDccError:
        return None


def _default_name(host: NukeHost) -> str:
    scene = host.scene_path()
    return os.path.splitext(os.path.basename(scene))[0] if scene else ""
