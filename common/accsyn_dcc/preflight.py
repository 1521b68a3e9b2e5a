"""Pre-flight checks run before a submit, by the dialog and by scripted submits alike.

Each check returns ``Finding`` records; a ``blocker`` stops the submit, a ``warning`` is shown and
allowed. Nothing here changes the scene: an unsaved script is reported, and saving it is the
caller's question to the artist.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence

from accsyn_dcc.errors import AccsynDccError, ValidationError
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.workspace import WorkspaceInfo

BLOCKER = "blocker"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One pre-flight result: its severity, a stable code, a sentence naming the node/knob/file, and the subject."""

    severity: str
    code: str
    message: str
    subject: str = ""

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCKER

    def __str__(self) -> str:
        return self.message


class PreflightError(AccsynDccError):
    """A submit was refused by pre-flight checks; ``findings`` holds every blocker."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        lines = "\n".join(f"- {finding.message}" for finding in self.findings)
        super().__init__(f"The submit was stopped by {len(self.findings)} pre-flight problem(s):\n{lines}")


@dataclass
class PreflightInput:
    """What the checks look at; every field comes from the dialog or the scripted submit."""

    scene_path: Optional[str]
    scene_modified: bool
    range_text: str
    engine: str
    workspace: WorkspaceInfo
    outputs: Sequence[Output] = field(default_factory=list)
    scan: Optional[ScanResult] = None
    on_share: Optional[Callable[[str], bool]] = None
    """True when a path lies on one of the workspace's shares; None skips the share check."""
    submit_anyway: bool = False
    """The artist chose to submit although dependencies are missing."""


def run_checks(data: PreflightInput) -> List[Finding]:
    """Every finding for ``data``, blockers first."""
    findings: List[Finding] = []
    findings += check_scene(data.scene_path, data.scene_modified)
    findings += check_range(data.range_text)
    findings += check_engine(data.engine, data.workspace)
    findings += check_outputs(data.outputs, data.on_share)
    if data.scan is not None:
        findings += check_dependencies(data.scan, data.submit_anyway)
    return sorted(findings, key=lambda finding: finding.severity != BLOCKER)


def blockers(findings: Sequence[Finding]) -> List[Finding]:
    return [finding for finding in findings if finding.blocks]


def raise_for_blockers(findings: Sequence[Finding]) -> None:
    """Raise PreflightError when any finding blocks the submit."""
    blocking = blockers(findings)
    if blocking:
        raise PreflightError(blocking)


def check_scene(scene_path: Optional[str], modified: bool) -> List[Finding]:
    if not scene_path:
        return [Finding(BLOCKER, "unsaved", "The script has never been saved; save it before submitting.")]
    if modified:
        name = os.path.basename(scene_path)
        return [
            Finding(
                BLOCKER,
                "modified",
                f"{name} has unsaved changes; the farm renders the file on disk, so save it first.",
                scene_path,
            )
        ]
    return []


def check_range(range_text: str) -> List[Finding]:
    try:
        FrameRange.parse(range_text)
    except ValidationError as error:
        if not range_text.strip():
            return [Finding(BLOCKER, "empty_range", "The frame range is empty; enter frames such as 1001-1100.")]
        reasons = "; ".join(problem.message for problem in error.problems)
        return [Finding(BLOCKER, "bad_range", f"The frame range '{range_text}' is not valid: {reasons}.", range_text)]
    return []


def check_engine(engine: str, workspace: WorkspaceInfo) -> List[Finding]:
    if not engine:
        return [Finding(BLOCKER, "no_engine", "No engine is chosen; pick the render engine to use.")]
    if workspace.engines and workspace.engine(engine) is None:
        known = ", ".join(sorted(item.code for item in workspace.engines))
        return [
            Finding(BLOCKER, "unknown_engine", f"The workspace has no engine '{engine}' (it has: {known}).", engine)
        ]
    return []


def check_outputs(outputs: Sequence[Output], on_share: Optional[Callable[[str], bool]]) -> List[Finding]:
    if not outputs:
        return [Finding(BLOCKER, "no_outputs", "No output is selected; tick at least one Write to render.")]
    findings: List[Finding] = []
    for output in outputs:
        if on_share is not None and not on_share(output.path):
            findings.append(
                Finding(
                    BLOCKER,
                    "output_outside_share",
                    f"{output.node} writes to {output.path}, which is on no accsyn share; "
                    "the farm could not send the frames back.",
                    output.node,
                )
            )
        if output.is_movie:
            findings.append(
                Finding(
                    WARNING,
                    "movie_one_bucket",
                    f"{output.node} writes a movie ({output.file_type or 'movie file'}); "
                    "its whole range renders as one task.",
                    output.node,
                )
            )
    return findings


def check_dependencies(scan: ScanResult, submit_anyway: bool) -> List[Finding]:
    severity = WARNING if submit_anyway else BLOCKER
    findings: List[Finding] = []
    for dependency in scan.missing:
        what = f"missing frames {dependency.missing}" if dependency.exists and dependency.missing else "missing"
        findings.append(
            Finding(
                severity,
                "missing_dependency",
                f"{dependency.node}.{dependency.knob}: {dependency.path} is {what}.",
                dependency.path,
            )
        )
    for item in scan.unresolved:
        findings.append(
            Finding(
                WARNING,
                "unresolved",
                f"{item.node}.{item.knob}: could not resolve '{item.value}' ({item.reason}).",
                item.node,
            )
        )
    return findings


def bucket_size_for(outputs: Sequence[Output], frame_range: FrameRange, requested: int) -> int:
    """The bucket size to send: the whole range when any output is a movie (movies cannot be split)."""
    if any(output.is_movie for output in outputs):
        return max(len(frame_range), 1)
    return requested
