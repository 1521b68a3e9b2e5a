"""The submit session: scene -> scan -> choices -> findings (pre-flight) -> payloads -> created jobs.

One Qt-free object serves the dialog of every host, every host's scripted ``submit()`` and the command line
(through ``SceneFileHost``). Every choice is one ``SubmitChoices`` field. ``initial_choices`` lays, each over
the one before: what no artist chose (``_unchosen``: the settings' ``defaults``, the engine - the caller's,
else the host's engine setting or the one for its version, else the remembered one, else the defaults', the
first the workspace has - and its default bucket size), the artist's remembered choices (dialog), the scene
(range, outputs, job name; the engine's ``default_range`` when the scene has none), then the studio's
``before_dialog`` hooks; ``starting_choices`` adds the engine of the host's family when no workspace is known.
The caller replaces any field of the record it returns. ``prepare`` is the one orchestration before a send, a
local render or a print (the dialogs call it, the command line and scripted submits through
``prepare_in_one_call``); ``plan`` adds the variables the scan calls for (``with_suggested_envs``).
"""

from __future__ import annotations

import copy
import os
import posixpath
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from accsyn_dcc.choices import REMEMBERED_FIELDS, ParsedRange, SubmitChoices, choice_values
from accsyn_dcc.compute_job import ComputeJob, JobParameters, SharePathMapping
from accsyn_dcc.config import Settings, load_credentials, load_last_workspace, load_settings, save_last_workspace
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.hooks import Hooks, plan_for
from accsyn_dcc.host_snapshot import HostSnapshot
from accsyn_dcc.hosts import CancelledCallback, HostAdapter, PendingScan, ProgressCallback
from accsyn_dcc.paths import PathMapper, default_job_name, normalise
from accsyn_dcc.payload_rules import Reviewed
from accsyn_dcc.preflight import (
    WARNING,
    Finding,
    blockers_first,
    check_dependencies,
    check_engine,
    check_extra_paths,
    check_input,
    check_outputs,
    check_queue,
    check_range,
    check_scene,
    check_share_path_entries,
    check_size,
    raise_for_blockers,
    unless_submitted_anyway,
)
from accsyn_dcc.ranges import FrameRange, bucket_size_for
from accsyn_dcc.references import absolute_path, is_absolute_path
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.sending import OnShare, SendRule
from accsyn_dcc.transfer import TransferPlan, byte_count, describe_size, plan_transfer, sent_as_they_are
from accsyn_dcc.workspace import OPERATING_SYSTEMS, Engine, WorkspaceInfo, WorkspaceOrigin

Connector = Callable[[], Any]
"""Returns a logged-in accsyn client, or raises an AccsynDccError saying why it cannot."""

NO_WORKSPACE = (
    "no workspace is known (no accsyn credentials, no 'workspace' in the studio settings, none read from accsyn "
    "before): engines and shares are not checked, and the engine defaults to the one named after the application"
)


def find_workspace(settings: Settings, connect: Optional[Connector]) -> Tuple[WorkspaceInfo, WorkspaceOrigin]:
    """Where a submit's engines and shares come from: accsyn through ``connect`` when given (read only, and cached
    for later), else the settings' ``workspace`` description, else the last workspace read from accsyn, else none."""
    if connect is not None:
        info = connect().workspace_info()
        save_last_workspace(info)
        return info, WorkspaceOrigin("accsyn")
    if settings.describes_workspace:
        return settings.workspace, WorkspaceOrigin("settings")
    cached = load_last_workspace()
    if cached is not None:
        return cached[0], WorkspaceOrigin("cache", cached[1])
    return WorkspaceInfo(), WorkspaceOrigin("none")


def host_engine(host: HostAdapter) -> str:
    """The engine for ``host`` when no workspace lists engines: its engine setting (``nuke_engine``), else its
    family (``nuke``, ``maya``, ``houdini``, ``blender``; a scene file's by its extension)."""
    override = host.engine_override()
    if override:
        return override
    if host.application is not None:  # a running application's row, or the one a scene file's extension names
        return host.application.engine
    return host.host_name if host.host_name != "file" else ""


@dataclass(frozen=True)
class PlannedJob:
    """One job the session would create: the job, and what its dependencies will transfer."""

    job: ComputeJob
    transfer: TransferPlan
    hooks: Hooks = field(default_factory=Hooks, compare=False)
    frames: Optional[FrameRange] = None
    """The job's frames, as parsed once from the choices (None: the engine takes no range)."""
    tasks: int = 1

    @cached_property
    def reviewed(self) -> Reviewed:
        """The job's payload through the payload rules (``ComputeJob.review``), made once."""
        return self.job.review()

    def payload(self) -> Dict[str, Any]:
        """The payload to send: the job's (a copy of ``reviewed``), as the studio's ``before_send`` hooks return it."""
        return self.hooks.before_send(copy.deepcopy(self.reviewed.accepted()))


@dataclass(frozen=True)
class Prepared:
    """What ``SubmitSession.prepare`` made: every finding (none blocking), the planned jobs and their payloads."""

    findings: List[Finding]
    planned: List[PlannedJob]
    payloads: List[Dict[str, Any]]


class SubmitSession:
    """One submit of one host's scene; every user interface and script goes through it."""

    def __init__(
        self,
        host: HostAdapter,
        settings: Optional[Settings] = None,
        workspace: Optional[WorkspaceInfo] = None,
        connector: Optional[Connector] = None,
        offline: bool = False,
    ) -> None:
        """``offline``: create no jobs (dry runs, local renders); until ``load_workspace`` the workspace is the
        settings' description."""
        self.host = host
        self.settings = settings if settings is not None else load_settings()
        self.offline = offline
        self.workspace = workspace or (self.settings.workspace if offline else WorkspaceInfo())
        described = offline and self.settings.describes_workspace
        self.workspace_origin = WorkspaceOrigin("caller" if workspace else "settings" if described else "none")
        self._connector = connector
        self._client: Any = None
        self.scan_result: Optional[ScanResult] = None
        self._file_findings: Optional[Tuple[Tuple[Any, ...], List[Finding]]] = None
        self._mapper = PathMapper([])
        self._mapper_workspace: Optional[WorkspaceInfo] = None
        self.hooks = Hooks.from_settings(self.settings)

    # ------------------------------------------------------------------------------------------- connection
    def client(self) -> Any:
        """The logged-in client that creates jobs; an offline session has none."""
        if self.offline:
            raise AccsynDccError("this is an offline session (dry run or local render); it creates no jobs")
        return self._connected()

    def _connected(self) -> Any:
        """The one place that connects (once) or explains why it cannot."""
        if self._client is None:
            if self._connector is not None:
                self._client = self._connector()
            else:
                from accsyn_dcc.api import connect_configured

                self._client = connect_configured()
        return self._client

    def load_workspace(self) -> WorkspaceInfo:
        """The workspace (engines, volumes, sites, queues) as ``find_workspace`` finds it: an offline session reads
        accsyn only when credentials exist, and creates nothing."""
        can_read = not self.offline or self._connector is not None or load_credentials() is not None
        self.workspace, self.workspace_origin = find_workspace(self.settings, self._connected if can_read else None)
        return self.workspace

    def use_workspace_description(self) -> WorkspaceInfo:
        """When accsyn could not be read (``load_workspace`` raised): the settings' workspace description, as a dry
        run plans with, to preview and export payloads (creating jobs still needs accsyn); empty when none."""
        self.workspace = self.settings.workspace
        self.workspace_origin = WorkspaceOrigin("settings" if self.settings.describes_workspace else "none")
        return self.workspace

    def starting_choices(self, engine: str = "", selected_only: bool = False) -> SubmitChoices:
        """``initial_choices``; when no workspace is known to name an engine, the engine of the scene's host."""
        choices = self.initial_choices(selected_only=selected_only, engine=engine)
        if choices.engine or self.workspace_origin.known:
            return choices
        return replace(choices, engine=host_engine(self.host))

    def workspace_findings(self) -> List[Finding]:
        """The one warning saying no workspace is known (so engines and shares went unchecked); else none."""
        if self.workspace_origin.known:
            return []
        return [Finding(WARNING, "no_workspace", NO_WORKSPACE)]

    # ------------------------------------------------------------------------------------------- choices
    def initial_choices(
        self, remembered: Optional[Mapping[str, Any]] = None, selected_only: bool = False, engine: str = ""
    ) -> SubmitChoices:
        """The choices before the artist or the caller changes anything (see the module's precedence).

        ``remembered``: the dialog's remembered choices (a settings section: ``SubmitChoices`` names and shapes).
        ``engine``: the engine the caller chose; the range and bucket size follow it.
        """
        artist = choice_values(remembered or {})
        unchosen = self._unchosen(engine, artist.get("engine"))
        values = {**unchosen, **artist, "engine": unchosen["engine"]}
        scene = self.host.scene_path()
        scene_range = self.host.frame_range()
        values.update(
            name=default_job_name(scene) if scene else "",
            range_text=str(scene_range) if scene_range else "",
            parsed_range=ParsedRange(str(scene_range), scene_range, None) if scene_range else None,  # not re-parsed
            outputs=tuple(self.host.outputs(selected_only)),
        )
        found = self.workspace.engine(values["engine"])
        if found is not None and not values["range_text"]:
            values["range_text"] = found.settings.default_range or ""
        return self.hooks.before_dialog(SubmitChoices(**values))

    def _unchosen(self, engine: str = "", remembered_engine: Optional[str] = None) -> Dict[str, Any]:
        """The choices' values no artist chose: the settings' ``defaults``, the engine (``engine`` when the caller
        named one, else the host's, the remembered one or the defaults', the first the workspace has) and its
        default bucket size."""
        values = {**self.settings.default_choices, "engine": engine or self._unchosen_engine(remembered_engine)}
        found = self.workspace.engine(values["engine"])
        if found is not None:
            values.setdefault("bucket_size", found.settings.default_bucketsize)
        return values

    def _unchosen_engine(self, remembered_engine: Optional[str] = None) -> str:
        """The host's engine, else the remembered one, else the settings' default: the first the workspace has."""
        hosts_engine = self.host.default_engine(self.workspace.engines)
        return self._first_engine([hosts_engine, remembered_engine, self.settings.default_choices.get("engine")])

    def remembered_changes(self, choices: SubmitChoices) -> Dict[str, Any]:
        """What the dialog remembers of ``choices``: each remembered field the artist set apart from what no artist
        chose (``_unchosen``; its engine as the host or the settings would pick it, its bucket size the chosen
        engine's), so a default the studio changes later still reaches every artist who kept it."""
        unchosen = SubmitChoices(**{**self._unchosen(choices.engine), "engine": self._unchosen_engine()})
        return {name: getattr(choices, name) for name in REMEMBERED_FIELDS
                if getattr(choices, name) != getattr(unchosen, name)}  # fmt: skip

    def _first_engine(self, candidates: Sequence[Optional[str]]) -> str:
        """The first candidate the workspace has (any candidate when the workspace lists no engines)."""
        for code in candidates:
            if code and (not self.workspace.engines or self.workspace.engine(code) is not None):
                return str(code)
        return ""

    # ------------------------------------------------------------------------------------------- scan
    def collect_scan(
        self,
        frames: Optional[FrameRange],
        progress: ProgressCallback = lambda done, total: None,
        cancelled: CancelledCallback = lambda: False,
    ) -> PendingScan:
        """The host's main-thread part of the scan."""
        return self.host.collect_scan(frames, progress, cancelled)

    def finish_scan(self, pending: PendingScan) -> ScanResult:
        """The file checks (any thread); the result is kept for findings and payloads."""
        self.scan_result = pending.finish()
        return self.scan_result

    def scan(self, frames: Optional[FrameRange] = None) -> ScanResult:
        """Both parts at once, for scripts and the command line."""
        return self.finish_scan(self.collect_scan(frames))

    def on_snapshot(self, outputs: Sequence[Output]) -> SubmitSession:
        """This session planning with the host's answers read now, on the host's main thread (``HostSnapshot``), so
        its ``prepare`` and ``payloads`` may run on a worker thread; the scan, workspace and hooks are shared."""
        planner = copy.copy(self)
        planner.host = HostSnapshot(self.host, outputs)
        return planner

    # ------------------------------------------------------------------------------------------- checks
    @property
    def mapper(self) -> PathMapper:
        """The path mapper for the current workspace (made again when the workspace changes)."""
        if self._mapper_workspace is not self.workspace:
            self._mapper = PathMapper(self.workspace.volumes, self.settings.local_share_paths)
            self._mapper_workspace = self.workspace
        return self._mapper

    def on_share(self) -> Optional[OnShare]:
        """``on_share(path)`` against the workspace's volumes; None when the workspace names none."""
        if not self.workspace.volumes:
            return None
        mapper = self.mapper
        return lambda path: mapper.to_accsyn(path) is not None

    def findings(self, choices: SubmitChoices, require_scan: bool = True, saves_first: bool = False) -> List[Finding]:
        """Every pre-flight finding for ``choices``, blockers first.

        ``saves_first``: the caller saves a modified scene before it submits (the dialog asks the artist), so
        unsaved changes are a note (code ``modified``), not a blocker."""
        words = self.host.words
        scene = self.host.scene_path()
        on_share = self.on_share()
        outputs, output_findings = self.absolute_outputs(choices.outputs)
        findings = self.workspace_findings() + check_scene(scene, self.host.is_modified(), words)
        if saves_first:
            findings = [
                replace(finding, severity=WARNING, message=f"{os.path.basename(finding.subject)} has unsaved "
                        "changes; it is saved before the submit (the farm renders the file on disk).")
                if finding.code == "modified" else finding
                for finding in findings
            ]  # fmt: skip
        findings += check_input(scene, self.workspace.engine(choices.engine), self.workspace)
        findings += check_range(choices.range_text, choices.range_error)
        frames, _size, tasks = self.task_split(choices)
        findings += check_size(frames, tasks, self.host.frame_range(), self.settings.max_tasks, words.scene)
        findings += check_engine(choices.engine, self.workspace) + check_queue(choices.queue, self.workspace)
        findings += output_findings + check_outputs(outputs, on_share, words)
        rule = self.send_rule(choices)
        findings += check_extra_paths(choices.extra_dependencies, rule)
        findings += check_share_path_entries(choices.mapped_share_paths)
        if self.scan_result is not None:
            findings += self.file_findings(choices, rule)
        elif require_scan:
            severity = unless_submitted_anyway(choices.allow_missing)
            findings.append(
                Finding(severity, "not_scanned", f"The {words.scene}'s files have not been checked yet; scan it first.")
            )
        findings += self.hooks.check(lambda: plan_for(self, choices))
        return blockers_first(findings)

    def file_findings(self, choices: SubmitChoices, rule: SendRule) -> List[Finding]:
        """The findings of the scanned files (``check_dependencies``; any thread, given a ``rule`` made where the
        host may be asked). Kept for the same scan, workspace and choices they depend on, so a dialog re-planning
        on its UI thread reuses what its worker made right after the scan (2,000 files cost it 30-380 ms)."""
        scan = self.scan_result
        if scan is None:
            return []
        key = (id(scan), id(self.workspace), choices.allow_missing, tuple(choices.send_off_share), rule.scene_folder)
        kept = self._file_findings
        if kept is None or kept[0] != key:
            kept = (key, check_dependencies(scan, choices.allow_missing, rule))
            self._file_findings = kept
        return list(kept[1])

    def send_rule(self, choices: SubmitChoices) -> SendRule:
        """Which existing files this submit may send (the findings say why the others are not)."""
        scene = self.host.scene_path()
        folder = os.path.dirname(scene) if scene else ""
        return SendRule(self.on_share(), folder, choices.send_off_share, scene_word=self.host.words.scene)

    def absolute_outputs(self, outputs: Sequence[Output]) -> Tuple[List[Output], List[Finding]]:
        """Outputs with relative paths made absolute against the scene's folder, each change a finding."""
        scene = self.host.scene_path()
        folder = os.path.dirname(scene) if scene else os.getcwd()
        made: List[Output] = []
        findings: List[Finding] = []
        for output in outputs:
            path = output.path
            beside_scene = self.host.relative_to_scene(path) and path.startswith("//")
            if not path or (is_absolute_path(path) and not beside_scene):
                made.append(output)
                continue
            absolute = absolute_path(path, folder, beside_scene)
            findings.append(
                Finding(
                    WARNING,
                    "relative_output",
                    f"{output.node} writes to the relative path {path}; it renders to {absolute} "
                    f"(beside the {self.host.words.scene}).",
                    output.node,
                )
            )
            made.append(replace(output, path=absolute))
        return made, findings

    # ------------------------------------------------------------------------------------------- payloads
    def plan(self, choices: SubmitChoices) -> List[PlannedJob]:
        """The job(s) ``choices`` make (one per output when asked), with the variables the scan calls for
        (``with_suggested_envs``); raises an AccsynDccError naming the field."""
        choices = self.with_suggested_envs(choices)
        scene = self.host.scene_path()
        if not scene:
            raise AccsynDccError(f"The {self.host.words.scene} has never been saved, so there is nothing to submit.")
        if not choices.engine:
            raise AccsynDccError(f"engine: no engine is chosen, and none of the workspace's is known to render this "
                                 f"{self.host.words.scene}: name one")
        if choices.range_error is not None and choices.range_text.strip():
            raise choices.range_error
        outputs, _ = self.absolute_outputs(choices.outputs)
        if not choices.one_job_per_output or len(outputs) < 2:
            return [self._plan_one(scene, choices, outputs, choices.name)]
        return [
            self._plan_one(scene, replace(choices, range_text=_output_range(choices, output)), [output],
                           f"{choices.name} {output.node}".strip())
            for output in outputs
        ]  # fmt: skip

    def payloads(self, choices: SubmitChoices) -> List[Dict[str, Any]]:
        return [planned.payload() for planned in self.plan(choices)]

    def prepare(
        self,
        choices: SubmitChoices,
        test_render: bool = False,
        require_scan: bool = True,
        notes: Sequence[Finding] = (),
    ) -> Prepared:
        """The one orchestration every entry point runs before it sends, renders here or prints: every finding
        (``notes`` the caller adds, where the workspace came from, the choices, the files, the studio's hooks),
        stopped by any blocker (PreflightError, carrying them all); the planned jobs and their payloads; and, when
        asked, the test render of the first frame, stopped again if it differs."""
        findings = [*notes, *self.findings(choices, require_scan=require_scan)]
        raise_for_blockers(findings)
        planned = self.plan(choices)
        findings += [
            Finding(WARNING, "payload_changed", f"{change.field}: {change.message}")
            for job in planned
            for change in job.reviewed.warnings
        ]  # what the payload rules change on the way is said, never done silently
        payloads = [job.payload() for job in planned]
        if test_render:
            findings.append(self.test_render(payloads))
            raise_for_blockers(findings)
        return Prepared(findings, planned, payloads)

    def prepare_in_one_call(
        self,
        overlay: Callable[[SubmitChoices], SubmitChoices] = lambda choices: choices,
        range_text: Optional[str] = None,
        test_render: bool = False,
        engine: str = "",
    ) -> Prepared:
        """Choices, scan, findings and payloads in one call, for the command line and scripted submits: the workspace
        (``load_workspace``, unless the caller gave one), the starting choices for the caller's ``engine`` (its
        range and bucket size follow it) with the caller's ``overlay`` and ``range_text`` over them, the scene
        scanned for their frames, then ``prepare``. A scene file (``HostAdapter.choices_from_scan``) is scanned
        first, for the range asked: its own range and outputs come from the scan; one that no reader reads is a
        note (its files go unchecked). An invalid range stops it as every entry point's pre-flight says."""
        if self.workspace_origin.source != "caller":
            self.load_workspace()
        notes: List[Finding] = []
        asked = SubmitChoices(range_text=range_text) if range_text is not None else None
        if self.host.choices_from_scan:  # for the frames asked (an invalid range: the scene's; the checks say why)
            notes = self._scan_noting_unread(asked.frames if asked is not None else None)
        choices = overlay(self.starting_choices(engine=engine))
        if asked is not None:
            choices = replace(choices, range_text=asked.range_text, parsed_range=asked.parsed_range)
        if not self.host.choices_from_scan:
            notes = self._scan_noting_unread(choices.frames)
        return self.prepare(choices, test_render, require_scan=not notes, notes=notes)

    def _scan_noting_unread(self, frames: Optional[FrameRange]) -> List[Finding]:
        """``scan``; a scene no reader reads is a note saying its files go unchecked."""
        from accsyn_dcc.scan import UnsupportedScene

        try:
            self.scan(frames)
        except UnsupportedScene as error:
            return [Finding(WARNING, "not_scanned", f"{error}; its dependencies are not checked")]
        return []

    def suggested_envs(self, choices: SubmitChoices) -> Dict[str, Dict[str, str]]:
        """The variables the scan calls for that ``choices`` set not, as per-OS ``envs`` (``common`` or an OS): the
        host row's ``plugin_path`` (``NUKE_PATH``) listing the folders of its plugins (gizmos). When every folder is on
        a share, the value of each OS the share is mounted on, as that OS mounts it; else the folders as found here."""
        application, scan = self.host.application, self.scan_result
        if application is None or scan is None or not application.plugin_path:
            return {}
        name = application.plugin_path
        if name in choices.envs or any(name in values for values in choices.os_envs.values()):
            return {}
        kinds = application.plugin_kinds
        folders = sorted({os.path.dirname(found.path) for found in scan.dependencies if found.kind in kinds})
        if not folders:
            return {}
        mapper = self.mapper
        shared = [mapper.to_accsyn(folder) for folder in folders]
        if not all(shared):
            return {"common": {name: os.pathsep.join(folders)}}
        suggested: Dict[str, Dict[str, str]] = {}
        for os_name in OPERATING_SYSTEMS:
            native = [mapper.to_native(path, os_name) for path in shared if path]
            if native and all(native):
                suggested[os_name] = {name: (";" if os_name == "windows" else ":").join(map(str, native))}
        return suggested

    def with_suggested_envs(self, choices: SubmitChoices) -> SubmitChoices:
        """``choices`` with the variables ``suggested_envs`` adds (every plan has them: the job's envs)."""
        return choices.with_envs(self.suggested_envs(choices))

    def submit(self, choices: SubmitChoices, test_render: bool = False) -> List[Dict[str, Any]]:
        """``prepare``, then create every job; returns the created job records."""
        return self.create(self.prepare(choices, test_render).payloads)

    def test_render(self, payloads: Sequence[Mapping[str, Any]]) -> Finding:
        """The test render of the first job's first frame, in place and on an empty site (``farm.trial``): one
        finding. It renders, so it runs only when asked, off any UI thread, never in live re-planning."""
        from accsyn_dcc.farm.trial import trial_render

        return trial_render(payloads[0], self.settings)

    def create(self, payloads: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Create jobs from payloads already checked; returns the created job records (each with its ``id``)."""
        client = self.client()
        return self._created([dict(client.create_compute_job(payload)) for payload in payloads])

    def send(self, payloads: Sequence[Dict[str, Any]], duplicate: bool = False) -> List[Any]:
        """Like ``create``, saying of each job whether it was there before (``api.Submitted``: a repeat of an
        unfinished job is answered with it, unless ``duplicate``); the studio's ``after_submit`` hooks run alike."""
        client = self.client()
        sent = [client.submit_job(payload, duplicate=duplicate) for payload in payloads]
        self._created([submitted.job for submitted in sent])
        return sent

    def _created(self, jobs: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """What follows every job creation: the host's job monitors announce their end (``remember_submitted``: a
        scripted submit's jobs too), and the studio's ``after_submit`` hooks are told."""
        from accsyn_dcc.ui.job_watch import remember_submitted

        remember_submitted([str(job.get("id")) for job in jobs])
        return self.hooks.after_submit(jobs)

    def summary(self, planned: Sequence[PlannedJob]) -> str:
        """One line: jobs, frames and tasks, and what the dependencies will sync (stats files: off the UI thread)."""
        files = {path for job in planned for path in job.transfer.files}
        size = describe_size(byte_count(files))
        frames = sum(len(job.frames) for job in planned if job.frames is not None)
        tasks = sum(job.tasks for job in planned)
        jobs = f"{len(planned)} job" + ("s" if len(planned) != 1 else "")
        return f"{jobs}, {frames} frames in {tasks} tasks; dependencies sync {len(files)} files ({size})"

    def task_split(self, choices: SubmitChoices) -> Tuple[Optional[FrameRange], int, int]:
        """How one job of ``choices`` splits into tasks, as its payload sends it: the frames (None when the range
        is invalid or the engine takes none), the bucket size (the whole range for a movie output), the task count."""
        engine = self.workspace.engine(choices.engine)
        frames = choices.frames
        if frames is None or (engine is not None and not engine.settings.items):
            return None, 0, 1
        size = bucket_size_for(frames, choices.bucket_size, any(output.is_movie for output in choices.outputs))
        return frames, size, len(frames.buckets(size))

    def _plan_one(self, scene: str, choices: SubmitChoices, outputs: List[Output], name: str) -> PlannedJob:
        engine = self.workspace.engine(choices.engine)
        frames, bucket_size, tasks = self.task_split(replace(choices, outputs=tuple(outputs)))
        range_text = str(frames) if frames is not None else None
        settings_values: Dict[str, Any] = {}
        if frames is not None:
            settings_values["task_bucketsize"] = bucket_size
        if choices.transfer_speedlimit is not None:
            settings_values["transfer_speedlimit"] = choices.transfer_speedlimit

        transfer = self._transfer(choices)
        output = os.path.abspath(choices.output_folder) if choices.output_folder else _output_folder(outputs)
        mapper = self.mapper
        mapping = mapper.map_all([scene] + ([output] if output else []) + list(transfer.paths))
        mapped = {item.original: item.share_path or item.original for item in mapping.mapped}
        share_paths = [SharePathMapping(**entry) for entry in mapper.mapped_share_paths(mapping.volumes)]
        share_paths += [SharePathMapping(**dict(entry)) for entry in choices.mapped_share_paths]
        job = ComputeJob(
            engine=choices.engine,
            input=mapped[scene],
            name=name or default_job_name(scene),
            range=range_text,
            output=mapped[output] if output else None,
            dependencies=[mapped[path] for path in transfer.paths],
            filters=choices.filters or None,
            settings=settings_values,
            envs=dict(choices.envs),
            os_envs={os_name: dict(values) for os_name, values in choices.os_envs.items()},
            queue=choices.queue or None,
            parameters=JobParameters(
                arguments=choices.arguments,
                input_conversion=_input_conversion(choices, engine, scene),
                remote_os=mapper.local_os,
                mapped_share_paths=share_paths,
                site={site: {key: dict(values) for key, values in body.items()}
                      for site, body in choices.site_settings.items()},
                clear_output_directory=choices.clear_output_directory,
                extra={**self.host.output_parameters(outputs), **dict(choices.parameters)},
            ),
        )  # fmt: skip
        return PlannedJob(job, transfer, self.hooks, frames, tasks)

    def _transfer(self, choices: SubmitChoices) -> TransferPlan:
        """What the dependencies send: never a file the send rule withholds, whatever the findings allowed."""
        rule = self.send_rule(choices)
        found = self.scan_result.dependencies if self.scan_result else []
        scanned = plan_transfer([dependency for dependency in found if rule.withheld(dependency.path) is None])
        added = (os.path.abspath(path) for path in choices.extra_dependencies)
        return scanned + sent_as_they_are(path for path in added if rule.private(path) is None)


def _output_range(choices: SubmitChoices, output: Output) -> str:
    """The job range limited to the output's own range (Nuke ``use_limit``, a layer's own frames)."""
    limit = output.range
    if limit is None or choices.frames is None:
        return choices.range_text
    clipped = choices.frames.clipped(limit.first, limit.last)
    return str(clipped) if clipped is not None else choices.range_text


def _output_folder(outputs: Sequence[Output]) -> Optional[str]:
    """The folder the render writes to: the common folder of every output path (any OS's path form)."""
    folders = [normalise(output.path).rpartition("/")[0] for output in outputs if output.path]
    if not folders:
        return None
    return posixpath.commonpath(folders) if len(folders) > 1 else folders[0]


def _input_conversion(choices: SubmitChoices, engine: Optional[Engine], scene: str) -> Optional[str]:
    """The choice made, else ``auto`` for text scenes and nothing for binary ones."""
    if choices.input_conversion:
        return choices.input_conversion
    binary = engine.settings.binary_filename_extensions if engine else ""
    extension = os.path.splitext(scene)[1].lower()
    if binary == "*" or (extension and extension in binary.lower()):
        return None
    return "auto"
