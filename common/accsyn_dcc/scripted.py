"""Scripted submits from inside any host (a script editor, ``nuke -t``, ``hython``, ``mayapy``, ``blender -b``).

Each host's ``submit()`` is a thin wrapper over ``scripted_submit``: the same session, the same
checks as the dialog (a ``PreflightError`` naming node, knob and path), the scene never saved for you.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, Dict, List, Optional, Sequence

from accsyn_dcc.choices import CHOSEN_FIELDS
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.hosts import HostAdapter
from accsyn_dcc.preflight import Finding, PreflightError
from accsyn_dcc.scan.records import Output
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import WorkspaceInfo

log = logging.getLogger(__name__)

CHOICE_OPTIONS = frozenset(CHOSEN_FIELDS) - {"engine", "range_text", "outputs"}
"""Keyword options a scripted submit takes besides ``outputs``, ``range``, ``engine`` and ``dry_run``."""


def scripted_submit(
    host: HostAdapter,
    outputs: Optional[Sequence[str]] = None,
    range: Optional[str] = None,
    engine: Optional[str] = None,
    dry_run: bool = False,
    client: Any = None,
    workspace: Optional[WorkspaceInfo] = None,
    test_render: bool = False,
    **options: Any,
) -> List[Dict[str, Any]]:
    """Submit ``host``'s open scene; returns the created jobs, or with ``dry_run`` the payloads.

    ``outputs``: full names of the outputs to render (None: every enabled one). ``range``: an accsyn
    range (None: the chosen outputs' own range when they share one, else the scene's). ``engine``: an
    engine code (None: the host's choice, else the studio default). ``options``: any ``SubmitChoices``
    field (``name``, ``bucket_size``, ``queue``, ``one_job_per_output``, ``filters``,
    ``input_conversion``, ``site_settings``, ``envs``, ``os_envs``, ``transfer_speedlimit``,
    ``mapped_share_paths``, ``allow_missing``, ...), over the studio's ``defaults``. ``dry_run`` runs every
    check and creates nothing; its workspace is found as a submit's is (``session.find_workspace``).
    ``test_render`` renders the first frame in place and on an empty site first (``SubmitSession.test_render``);
    a frame that differs stops the submit like any blocker.
    ``client``/``workspace`` replace the configured connection.
    """
    unknown = set(options) - CHOICE_OPTIONS
    if unknown:
        raise AccsynDccError(f"submit() got unknown option(s): {', '.join(sorted(unknown))}")
    session = SubmitSession(host, workspace=workspace, connector=(lambda: client) if client else None, offline=dry_run)

    def overlay(choices: SubmitChoices) -> SubmitChoices:
        """The caller's outputs and options; with outputs named and no range, the range they all share, if any."""
        chosen = tuple(_named_outputs(host, list(choices.outputs), outputs))
        own_ranges = {output.range for output in chosen}  # None: the scene's range
        changes: Dict[str, Any] = dict(options)
        if outputs is not None and len(own_ranges) == 1 and None not in own_ranges:
            changes["range_text"] = str(own_ranges.pop())  # the chosen outputs' own range (layer, Write limit)
        return replace(choices, outputs=chosen, **changes)

    try:
        prepared = session.prepare_in_one_call(overlay, range, test_render, engine=engine or "")
    except PreflightError as stopped:
        _log_notes(stopped.all_findings)
        raise
    _log_notes(prepared.findings)
    return prepared.payloads if dry_run else session.create(prepared.payloads)


def _log_notes(findings: Sequence[Finding]) -> None:
    for finding in findings:
        if not finding.blocks:
            log.warning("accsyn: %s", finding.message)


def _named_outputs(host: HostAdapter, available: List[Output], names: Optional[Sequence[str]]) -> List[Output]:
    if names is None:
        return available
    by_name = {output.node: output for output in available}
    missing = [name for name in names if name not in by_name]
    if missing:
        words = host.words
        known = ", ".join(sorted(by_name)) or "none"
        raise AccsynDccError(
            f"No enabled {words.output} named {', '.join(missing)} in the {words.scene} "
            f"(enabled {words.outputs}: {known})."
        )
    return [by_name[name] for name in names]
