"""Pre-flight checks: every reason a submit would fail or lose something, each naming node, knob and path.

Each check returns ``Finding`` records; a ``blocker`` stops the submit, a ``warning`` is shown and
allowed. The words for outputs and the scene come from the host (``HostWords``). Nothing here
changes the scene: an unsaved scene is reported, and saving it is the caller's question to the artist.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence

from accsyn_dcc.errors import AccsynDccError, ValidationError
from accsyn_dcc.hosts import HostWords
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Dependency, Output, ScanResult
from accsyn_dcc.sending import PRIVATE_LOCATION, OnShare, SendRule
from accsyn_dcc.workspace import Engine, WorkspaceInfo

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

    def __init__(self, findings: Sequence[Finding], all_findings: Sequence[Finding] = ()) -> None:
        self.findings = list(findings)
        self.all_findings = list(all_findings) or self.findings
        """Every finding of the check that stopped, notes too (the command line's JSON lists them)."""
        lines = "\n".join(f"- {finding.message}" for finding in self.findings)
        super().__init__(f"The submit was stopped by {len(self.findings)} pre-flight problem(s):\n{lines}")


def blockers(findings: Sequence[Finding]) -> List[Finding]:
    return [finding for finding in findings if finding.blocks]


def raise_for_blockers(findings: Sequence[Finding]) -> None:
    """Raise PreflightError when any finding blocks the submit (it carries every finding, notes too)."""
    blocking = blockers(findings)
    if blocking:
        raise PreflightError(blocking, findings)


def unless_submitted_anyway(allow_missing: bool) -> str:
    """The severity of what blocks until the artist chooses to submit anyway: then it is a warning."""
    return WARNING if allow_missing else BLOCKER


def blockers_first(findings: Sequence[Finding]) -> List[Finding]:
    return sorted(findings, key=lambda finding: finding.severity != BLOCKER)


def check_scene(scene_path: Optional[str], modified: bool, words: HostWords) -> List[Finding]:
    if not scene_path:
        return [Finding(BLOCKER, "unsaved", f"The {words.scene} has never been saved; save it before submitting.")]
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


def check_input(
    scene_path: Optional[str], engine: Optional[Engine], workspace: Optional[WorkspaceInfo] = None
) -> List[Finding]:
    """The input must be an existing file that the chosen engine renders (``Engine.filename_extensions``: its
    own, else its stock family's); a refusal names the engines of ``workspace`` that render it."""
    if not scene_path:
        return []
    if os.path.isdir(scene_path):
        return [
            Finding(BLOCKER, "input_folder", f"{scene_path} is a folder; give the scene file to render.", scene_path)
        ]
    if not os.path.isfile(scene_path):
        return [Finding(BLOCKER, "input_missing", f"{scene_path} does not exist.", scene_path)]
    if engine is not None and not engine.accepts(scene_path):
        name = os.path.basename(scene_path)
        message = f"The engine '{engine.code}' renders {engine.filename_extensions} files, not {name}"
        if workspace is not None:
            others = sorted(item.code for item in workspace.engines if item.filename_extensions and item.accepts(name))
            if others:
                message += f"; engines of the workspace that render it: {', '.join(others)}"
            else:
                message += "; no engine of the workspace renders it"
        return [Finding(BLOCKER, "input_not_accepted", f"{message}.", scene_path)]
    return []


def check_range(range_text: str, error: Optional[ValidationError]) -> List[Finding]:
    if error is None:
        return []
    if not range_text.strip():
        return [Finding(BLOCKER, "empty_range", "The frame range is empty; enter frames such as 1001-1100.")]
    reasons = "; ".join(problem.message for problem in error.problems)
    return [Finding(BLOCKER, "bad_range", f"The frame range '{range_text}' is not valid: {reasons}.", range_text)]


def check_size(frames: Optional[FrameRange], tasks: int, scene_range: Optional[FrameRange], max_tasks: int,
               scene_word: str = "scene") -> List[Finding]:
    """A job of more tasks than the studio allows blocks; frames far outside the scene's own range are noted."""
    findings: List[Finding] = []
    if frames is None:
        return findings
    if tasks > max_tasks:
        findings.append(Finding(BLOCKER, "too_many_tasks",
                                f"The range {frames} makes {tasks} tasks, more than the {max_tasks} a job may have "
                                "(the studio's max_tasks); check the range or raise the bucket size.",
                                str(frames)))  # fmt: skip
    if scene_range is not None:
        margin = max(100, len(scene_range))
        outside = len(frames) - len(frames.clipped(scene_range.first - margin, scene_range.last + margin) or ())
        if outside:
            findings.append(Finding(WARNING, "range_beyond_scene",
                                    f"The range {frames} reaches far beyond the {scene_word}'s frames {scene_range}: "
                                    f"{outside} frames lie more than {margin} frames outside them.", str(frames)))
    return findings


def check_engine(engine: str, workspace: WorkspaceInfo) -> List[Finding]:
    if not engine:
        return [Finding(BLOCKER, "no_engine", "No engine is chosen; pick the render engine to use.")]
    if workspace.engines and workspace.engine(engine) is None:
        known = ", ".join(sorted(item.code for item in workspace.engines))
        return [
            Finding(BLOCKER, "unknown_engine", f"The workspace has no engine '{engine}' (it has: {known}).", engine)
        ]
    return []


def check_queue(queue: str, workspace: WorkspaceInfo) -> List[Finding]:
    """A queue the workspace's queues do not name (by code, name or id) blocks; none chosen: accsyn's default."""
    if not queue or not workspace.queues or any(queue in (item.code, item.name, item.id) for item in workspace.queues):
        return []
    known = ", ".join(sorted(item.code for item in workspace.queues))
    return [Finding(BLOCKER, "unknown_queue", f"The workspace has no queue '{queue}' (it has: {known}).", queue)]


def check_outputs(outputs: Sequence[Output], on_share: Optional[OnShare], words: HostWords) -> List[Finding]:
    if not outputs:
        return [Finding(BLOCKER, "no_outputs", f"No {words.output} is selected; tick at least one to render.")]
    findings: List[Finding] = []
    for output in outputs:
        if not output.path:
            findings.append(
                Finding(BLOCKER, "output_unset", f"{output.node} has no output path; set one to render.", output.node)
            )
            continue
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


@dataclass(frozen=True)
class DependencyState:
    """One state of a dependency: its code, the label a table or a listing shows with its detail, and the
    pre-flight finding it makes (``severity`` None: none)."""

    code: str
    label: str
    detail: str = ""
    severity: Optional[str] = None
    message: str = ""


OK = "ok"
"""The label of a dependency with nothing to say: found, sent as it is."""


def dependency_states(
    dependency: Dependency, rule: Optional[SendRule] = None, allow_missing: bool = False
) -> List[DependencyState]:
    """Every state of ``dependency``, the one that decides its row first: what it is (missing, missing frames,
    not needed, written by the scene, conditional, provided by the host's install, ok), then whether it is
    sent (``rule``: private, outside every share and the project, or on no share). The one table of a
    dependency's states and their words, for the pre-flight, the dialogs' rows and ``scan``'s listing."""
    where, path = f"{dependency.node}.{dependency.knob}", dependency.path
    severity = unless_submitted_anyway(allow_missing)
    after = _twin_on_disk(dependency) + (" It is left out of the job." if allow_missing else "")
    scene_word = rule.scene_word if rule is not None else "scene"
    if dependency.provided_by:  # the render node's own install of the host has it
        return [DependencyState("provided", "provided", dependency.notes)]
    if not dependency.needed:
        message = f"{where}: {path} is not read for the job's frames ({dependency.condition}); not sent."
        return [DependencyState("not_needed", "not needed", f"({dependency.condition})", WARNING, message)]
    states: List[DependencyState] = []
    if dependency.written_by and (dependency.missing or not dependency.exists):
        what = f"lacks frames {dependency.missing}" if dependency.exists else "is not on disk yet"
        detail = f"{dependency.missing} {dependency.notes}".strip()
        states.append(DependencyState("written_by_scene", "not rendered yet", detail, WARNING,
                                      f"{where}: {path} {what}; {dependency.written_by} of this {scene_word} "
                                      "writes it, so render that before this job or with it."))
    elif dependency.conditional:
        found = "found" if dependency.exists else "missing"
        states.append(DependencyState("conditional_dependency", "conditional", f"({dependency.condition})", WARNING,
                                      f"{where}: {path} ({found}) is read only if {dependency.condition}."))
    elif not dependency.exists:
        states.append(DependencyState("missing_dependency", "missing", dependency.notes, severity,
                                      f"{where}: {path} is missing.{after}"))
    elif dependency.missing:
        states.append(DependencyState("missing_frames", "missing frames",
                                      f"{dependency.missing} {dependency.notes}".strip(), severity,
                                      f"{where}: {path} is missing frames {dependency.missing}.{after}"))
    if dependency.exists and rule is not None:
        withheld = rule.withheld(path)
        if withheld is not None:
            label = "private, never sent" if withheld.code == PRIVATE_LOCATION else "outside any share and the project"
            states.insert(0, DependencyState(withheld.code, label, "", BLOCKER, f"{where}: {path} {withheld.reason}"))
        elif rule.off_share(path):
            states.append(DependencyState("dependency_outside_share", "outside any share", "", WARNING,
                                          f"{where}: {path} lies on no accsyn share; it is sent from this machine "
                                          "as it is."))
    return states or [DependencyState(OK, OK, dependency.notes)]


def check_dependencies(scan: ScanResult, allow_missing: bool, rule: SendRule) -> List[Finding]:
    """Every finding of the scan's dependencies (``dependency_states``) and of what it could not resolve: missing
    files and frames block unless the artist submits anyway; what ``rule`` withholds blocks whatever is allowed."""
    findings = [Finding(state.severity, state.code, state.message, dependency.path)
                for dependency in scan.dependencies for state in dependency_states(dependency, rule, allow_missing)
                if state.severity is not None]  # fmt: skip
    for item in scan.unresolved:
        what = f"could not resolve '{item.value}' ({item.reason}); it is not sent" if item.value else item.reason
        findings.append(Finding(WARNING, "unresolved", f"{item.node}.{item.knob}: {what}.", item.node))
    for error in scan.errors:
        findings.append(Finding(WARNING, "scan_error", f"{error}.".replace("..", "."), ""))
    return findings


def _twin_on_disk(dependency: Dependency) -> str:
    """What to say of a missing file whose folder holds it under another letter case or accent encoding."""
    if not dependency.found_as:
        return ""
    return (f" Its folder holds {dependency.found_as}: only the letter case or accents differ, which this machine "
            "may read but a Linux render node will not; rename one to match the other.")  # fmt: skip


def check_extra_paths(paths: Sequence[str], rule: SendRule) -> List[Finding]:
    """Dependencies the artist added by hand: they must exist and lie in no private place; off-share ones
    are noted (naming a file by hand is the choice to send it)."""
    findings: List[Finding] = []
    for path in paths:
        private = rule.private(path)
        if private is not None:
            findings.append(Finding(BLOCKER, private.code, f"The added dependency {path} {private.reason}", path))
        elif not os.path.exists(path):
            findings.append(Finding(BLOCKER, "extra_missing", f"The added dependency {path} does not exist.", path))
        elif rule.off_share(path):
            findings.append(
                Finding(
                    WARNING, "dependency_outside_share", f"{path} lies on no accsyn share; it is sent as it is.", path
                )
            )
    return findings


def check_share_path_entries(entries: Sequence[Mapping[str, str]]) -> List[Finding]:
    """A chosen ``mapped_share_paths`` entry limited to one OS: accsyn's stock engines apply it on every OS."""
    return [
        Finding(
            WARNING,
            "share_path_os_ignored",
            f"The mapped_share_paths entry {entry.get('remote')} -> {entry.get('local')} is meant for "
            f"{entry['os']} only, but accsyn's stock engines apply it on every OS (their normalize_path ignores 'os').",
            str(entry.get("remote")),
        )
        for entry in entries
        if entry.get("os")
    ]
