"""Scripted submits from inside any host (a script editor, ``nuke -t``, ``hython``, ``mayapy``, ``blender -b``).

Each host's ``submit()`` is a thin wrapper over ``scripted_submit``: the same session, the same
checks as the dialog (a ``PreflightError`` naming node, knob and path), the scene never saved for you.
"""

from __future__ import annotations

import logging
from dataclasses import fields, replace
from typing import Any, Dict, List, Optional, Sequence

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.hosts import HostAdapter
from accsyn_dcc.preflight import Finding, PreflightError
from accsyn_dcc.scan.records import Output
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import WorkspaceInfo

log = logging.getLogger(__name__)

CHOICE_OPTIONS = frozenset(item.name for item in fields(SubmitChoices)) - {"engine", "range_text", "outputs"}
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
    ``input_conversion``, ``site_settings``, ``envs``, ``allow_missing``, ...). ``dry_run`` runs every
    check and creates nothing; its workspace is found as a submit's is (``session.find_workspace``).
    ``test_render`` renders the first frame in place and on an empty site first (``SubmitSession.test_render``);
    a frame that differs stops the submit like any blocker.
    ``client``/``workspace`` replace the configured connection.
    """
    unknown = set(options) - CHOICE_OPTIONS
    if unknown:
        raise AccsynDccError(f"submit() got unknown option(s): {', '.join(sorted(unknown))}")
    session = SubmitSession(host, workspace=workspace, connector=(lambda: client) if client else None, offline=dry_run)
    if workspace is None:
        session.load_workspace()
    choices = session.starting_choices()
    choices = replace(choices, outputs=tuple(_named_outputs(host, list(choices.outputs), outputs)))
    changes: Dict[str, Any] = dict(options)
    own_ranges = {output.range for output in choices.outputs}  # None: the scene's range
    if range is not None:
        changes["range_text"] = range
    elif outputs is not None and len(own_ranges) == 1 and None not in own_ranges:
        changes["range_text"] = str(own_ranges.pop())  # every chosen output's own range (a layer's, a limited Write's)
    if engine is not None:
        changes["engine"] = engine
    choices = replace(choices, **changes)
    if choices.frames is not None:
        session.scan(choices.frames)
    try:
        prepared = session.prepare(choices, test_render)
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
