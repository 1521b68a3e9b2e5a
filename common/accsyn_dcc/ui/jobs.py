"""What the submit dialog and scripted submits do with the artist's choices, without any Qt.

``Choices`` holds what was chosen; ``build_payloads`` turns it into Compute payloads through the
shared payload builder (one per output when asked); ``create_jobs`` sends them; ``RememberedSettings``
keeps the choices per user (platform config folder, over the studio defaults).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.preflight import bucket_size_for
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.workspace import WorkspaceInfo

SETTINGS_KEY = "submit"
"""Section of the per-user settings holding the dialog's remembered choices."""


@dataclass
class Choices:
    """Everything an artist (or a script) chose for a submit."""

    name: str = ""
    engine: str = ""
    range_text: str = ""
    bucket_size: int = 1
    queue: str = ""
    outputs: List[Output] = field(default_factory=list)
    one_job_per_output: bool = False
    filters_ram: Optional[str] = None
    filters: Dict[str, List[str]] = field(default_factory=dict)
    input_conversion: str = "auto"
    site_settings: Dict[str, Dict[str, Dict[str, str]]] = field(default_factory=dict)
    envs: Dict[str, str] = field(default_factory=dict)
    parameters: Dict[str, Any] = field(default_factory=dict)
    """Engine-specific parameters from the host (e.g. ``writes`` for Nuke)."""

    def per_output(self) -> List[Choices]:
        """One ``Choices`` per output (its own range and name) when asked, else just this one."""
        if not self.one_job_per_output or len(self.outputs) < 2:
            return [self]
        return [
            replace(
                self,
                name=f"{self.name} {output.node}".strip(),
                range_text=_output_range(self.range_text, output),
                outputs=[output],
                one_job_per_output=False,
                parameters={**self.parameters, "writes": [output.node]} if "writes" in self.parameters else {},
            )
            for output in self.outputs
        ]


def _output_range(range_text: str, output: Output) -> str:
    """The job range limited to the output's own (``use_limit``) range."""
    if not output.range:
        return range_text
    job = FrameRange.parse(range_text)
    limit = FrameRange.parse(output.range)
    clipped = job.clipped(limit.first, limit.last)
    return str(clipped) if clipped is not None else range_text


def output_folder(outputs: Sequence[Output]) -> str:
    """The folder the render writes to: the common folder of every output path."""
    folders = [os.path.dirname(output.path) for output in outputs if output.path]
    if not folders:
        return ""
    return os.path.commonpath(folders) if len(folders) > 1 else folders[0]


def filter_text(ram: Optional[str], values: Mapping[str, Sequence[str]]) -> str:
    """The accsyn ``filters`` string through the shared filters module."""
    from accsyn_dcc import filters

    return str(
        filters.build_filters(
            ram=ram,
            hostname_include=list(values.get("hostname_include", ())),
            hostname_exclude=list(values.get("hostname_exclude", ())),
            site_include=list(values.get("site_include", ())),
            site_exclude=list(values.get("site_exclude", ())),
        )
    )


def build_payloads(
    scene: str, choices: Choices, workspace: WorkspaceInfo, scan: Optional[ScanResult]
) -> List[Dict[str, Any]]:
    """The Compute payload(s) for ``choices``; raises an AccsynDccError naming the field at fault.

    A job writing a movie renders its whole range as one bucket (a movie cannot be split).

    ``scan`` None means "not scanned": the payload then lists no dependencies (the scene is not
    scanned again here, so building a preview never blocks a host's UI thread).
    """
    from accsyn_dcc.submission import SubmitOptions, prepare_submission

    if scan is None:
        scan = ScanResult(scene=scene, outputs=list(choices.outputs))
    payloads: List[Dict[str, Any]] = []
    for one in choices.per_output():
        bucket_size = one.bucket_size
        if one.range_text:
            bucket_size = bucket_size_for(one.outputs, FrameRange.parse(one.range_text), bucket_size)
        options = SubmitOptions(
            name=one.name or None,
            engine=one.engine,
            range=one.range_text,
            output=output_folder(one.outputs) or None,
            filters=filter_text(one.filters_ram, one.filters) or None,
            bucket_size=bucket_size,
            queue=one.queue or None,
            input_conversion=one.input_conversion,
            site_settings=one.site_settings,
            envs=one.envs,
            parameters=dict(one.parameters),
        )
        submission = prepare_submission(scene, options, workspace, scan=replace(scan, outputs=list(one.outputs)))
        payloads.append(submission.job.to_payload())
    return payloads


def create_jobs(client: Any, payloads: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Create every job; returns the created job records (each with its ``id``)."""
    return [dict(client.create_compute_job(payload)) for payload in payloads]


def default_connect() -> Any:
    """A client for the configured workspace; a clear sentence when none is configured."""
    from accsyn_dcc.api import connect
    from accsyn_dcc.config import load_credentials

    credentials = load_credentials()
    if credentials is None:
        raise AccsynDccError(
            "No accsyn workspace is configured: set ACCSYN_WORKSPACE, ACCSYN_API_USER and ACCSYN_API_KEY "
            "(or start the local stand-in with 'accsyn-dcc server')."
        )
    return connect(credentials)


def share_checker(workspace: WorkspaceInfo) -> Callable[[str], bool]:
    """``on_share(path)``: True when ``path`` lies on one of the workspace's volumes."""
    from accsyn_dcc.config import load_settings
    from accsyn_dcc.paths import PathMapper

    mapper = PathMapper(workspace.volumes, load_settings().local_share_paths)

    def on_share(path: str) -> bool:
        return mapper.to_accsyn(path) is not None

    return on_share


class RememberedSettings:
    """The dialog's choices, remembered per user over the studio defaults (never beside the shot).

    Stored in the ``submit`` section of the per-user settings (``accsyn_dcc.config``); a studio can
    preset any of them in its defaults file. Environment variables are kept as ``[name, value]`` pairs so
    a variable the artist removed stays removed (settings files merge objects key by key).
    """

    def __init__(self, values: Optional[Dict[str, Any]] = None, persist: bool = True) -> None:
        self.values: Dict[str, Any] = dict(values or {})
        self._persist = persist

    @classmethod
    def load(cls) -> RememberedSettings:
        from accsyn_dcc.config import load_settings

        settings = load_settings()
        return cls(dict(settings.get(SETTINGS_KEY) or {}))

    def update(self, **values: Any) -> None:
        self.values.update(values)
        if self._persist:
            from accsyn_dcc.config import save_user_settings

            save_user_settings({SETTINGS_KEY: self.values})
