"""The local farm: run a Compute job's buckets through its engine on this machine.

Each bucket gets its own data JSON and log under the work folder and runs as
``python <engine>.py <data.json>`` with ``ACCSYN_ITEM`` set, on N parallel workers, each with a node
identity of its own (so engines' lock files exclude each other as on a real farm). The engine's
ENGINE CONFIG ``PARAMETERS`` are merged under the job's, as the backend does. Failed buckets are
retried a bounded number of times; each finished bucket is recorded in ``state.json`` at once, so a
re-run of the same job skips it (``fresh`` renders everything again). When the output is a frame pattern,
"done" means on disk: a bucket counts the frames its files hold after the task (in a folder the job owns,
when it clears its output), the run counts them again at its end, and a re-run renders again a bucket
whose frames are gone. One run at a time per work folder; a work folder that cannot be written (a full
disk) ends the run in one line naming it.
Buckets go to the nodes of the farm's sites (farm/sites.py) that the job's filters let take them; when no node
may, every bucket waits with the reason and the run ends saying so. A site with a root of its own gets the job's
input and dependencies first and sends its results back, as the job's site settings say (farm/transfer.py).
An interrupt stops every engine process group before returning. On POSIX each worker's engines are forked by a
Python of the worker's that has imported ``common`` (farm/enginehost.py), which ends the running engine's whole
process group if the runner itself is killed.
Each worker has a folder of its own (``ACCSYN_DCC_WORKER_DIR``) where its engine may keep a process across tasks
(the Blender engine keeps one Blender per worker there, named in ``resident.json``): the farm ends that process
when a task of the worker fails (the next task starts another), when the run is stopped, and when it ends.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from platformdirs import user_cache_dir

from accsyn_dcc import json_text
from accsyn_dcc.errors import AccsynDccError, ValidationError
from accsyn_dcc.exit_status import exit_status
from accsyn_dcc.farm.enginehost import EngineHost, HostedEngine
from accsyn_dcc.farm.engines import (
    common_folder,
    engine_config,
    engine_script,
    engines_folder,
    with_default_parameters,
)
from accsyn_dcc.farm.output import OutputFrames
from accsyn_dcc.farm.sites import LOCAL, FarmSite, Node, eligible, farm_sites
from accsyn_dcc.farm.taskdata import job_identity, task_data
from accsyn_dcc.farm.transfer import transfer, transfer_settings
from accsyn_dcc.payload_rules import review_payload
from accsyn_dcc.ranges import Bucket, task_buckets
from accsyn_dcc.workspace import Volume

TaskCallback = Callable[["TaskResult"], None]


@dataclass
class TaskResult:
    """How one bucket ended."""

    item: str
    ok: bool
    exit_code: int
    frames_done: List[int]
    attempts: int
    log: str
    skipped: bool = False
    reason: str = ""
    """Why the bucket failed: the error line of the item that failed, from its part of the log (empty when it
    succeeded)."""
    reasons: Dict[str, str] = field(default_factory=dict)
    """Why each item that is not done failed: the item that failed has its own error line; the items after it
    in the bucket say they were not rendered."""
    waiting: bool = False
    """No node may take it (the job's filters): it never ran, ``reason`` says why."""
    site: str = ""
    node: str = ""


@dataclass
class FarmSummary:
    """What a local farm run achieved."""

    job_id: str
    output: Optional[str]
    work_dir: str
    frames_done: List[int] = field(default_factory=list)
    failed_buckets: List[str] = field(default_factory=list)
    tasks: List[TaskResult] = field(default_factory=list)
    waiting_buckets: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed_buckets and not self.waiting_buckets

    def to_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    def __str__(self) -> str:
        skipped = sum(task.skipped for task in self.tasks)
        lines = [f"{skipped} task(s) already done, skipped (use --fresh to render them again)"] if skipped else []
        lines += [
            f"job {self.job_id}: {len(self.frames_done)} frame(s) done, {len(self.failed_buckets)} bucket(s) failed",
            f"output: {self.output or '(engine default)'}",
            f"logs:   {self.work_dir}",
        ]
        lines += [f"failed: bucket {task.item}: {task.reason} (log: {task.log})" for task in self.tasks if not task.ok
                  and not task.waiting]  # fmt: skip
        waiting = [task for task in self.tasks if task.waiting]
        if waiting:
            lines.append(f"{len(waiting)} bucket(s) waiting, the run ends here: {waiting[0].reason}")
        return "\n".join(lines)


class LocalFarm:
    """Runs one job's buckets; ``run()`` returns the summary."""

    def __init__(
        self,
        payload: Mapping[str, Any],
        volumes: Sequence[Volume] = (),
        local_share_paths: Optional[Mapping[str, str]] = None,
        workers: int = 2,
        retries: int = 1,
        work_dir: Optional[str] = None,
        engines_dir: Optional[str] = None,
        python: Optional[str] = None,
        progress: bool = True,
        on_task: Optional[TaskCallback] = None,
        fresh: bool = False,
        on_frame: Optional[Callable[[str], None]] = None,
        sites: Sequence[FarmSite] = (),
        keep_workers: bool = True,
    ) -> None:
        reviewed = review_payload(payload)  # the rules accsyn applies, so a job that runs here runs there
        if reviewed.problems:
            raise ValidationError(reviewed.problems)
        payload = reviewed.value  # as accsyn stores it: setting values as text
        if workers < 1:
            raise AccsynDccError(f"workers: at least one worker is needed (got {workers})")
        if retries < 0:
            raise AccsynDccError(f"retries: cannot be negative (got {retries})")
        self.volumes = list(volumes)
        self.local_share_paths = dict(local_share_paths or {})
        self.retries = retries
        self.engines_dir = engines_folder(engines_dir or "")
        self.script = engine_script(str(payload.get("engine") or ""), self.engines_dir)
        self.common_dir = common_folder(self.engines_dir)
        self.config = engine_config(self.script)
        self.payload = with_default_parameters(payload, self.config["PARAMETERS"])
        self.fresh = fresh
        self.on_frame = on_frame
        """Told each item as the engine reports it done, while its bucket is still rendering."""
        self.python = python or sys.executable
        self.progress = progress
        self.on_task = on_task
        self.job = job_identity(payload, getpass.getuser())
        self.work_dir = work_dir or os.path.join(user_cache_dir("accsyn-dcc", appauthor=False), "farm", self.job["id"])
        self._state_path = os.path.join(self.work_dir, "state.json")
        self.sites = tuple(sites) or farm_sites((), (), workers)
        """The farm's sites, the main one first."""
        self.main = self.sites[0]
        self._frames = {site.code: self._output_frames(site) for site in self.sites}
        self._ran_on: Dict[str, FarmSite] = {}
        self._sent: Dict[str, List[str]] = {}
        self._site_locks = {site.code: threading.Lock() for site in self.sites}
        self._lock = threading.Lock()
        self._running: Dict[str, Union[subprocess.Popen, HostedEngine]] = {}
        self._stopping = False
        self._done: set[str] = set()
        self._hosts: Dict[str, EngineHost] = {}
        self.keep_workers = keep_workers
        """Give each worker a folder where its engine may keep a process across tasks; False: none (every task
        starts its application afresh, as on a farm that offers none)."""

    def buckets(self) -> List[Optional[Bucket]]:
        """The buckets to dispatch; ``[None]`` (one ``all`` task) when the job has no range."""
        job_size = (self.payload.get("settings") or {}).get("task_bucketsize")
        buckets = task_buckets(self.payload.get("range"), job_size, self.config["SETTINGS"].get("default_bucketsize"))
        return list(buckets) or [None]

    def run(self) -> FarmSummary:
        with self._work_folder():
            os.makedirs(self.work_dir, exist_ok=True)
            with JobFolderLock(self.work_dir, self.job["id"]):
                return self._run_all()

    @contextlib.contextmanager
    def _work_folder(self) -> Iterator[None]:
        """Every write of a run goes to the work folder: one that fails (a full disk) ends the run in one line."""
        try:
            yield
        except OSError as error:
            raise AccsynDccError(
                f"work folder {self.work_dir}: cannot write ({error.strerror or error}); "
                "free some space there or give another --work-dir"
            ) from None

    def _run_all(self) -> FarmSummary:
        buckets = self.buckets()
        by_item = {_item(bucket): bucket for bucket in buckets}
        self._done = set() if self.fresh else self._load_state()
        gone = {item for item in self._done if item in by_item and self._missing(by_item[item])}
        if gone:  # the state file says done, the disk says otherwise: render those again
            self._done -= gone
            self._save_state(self._done)
        summary = FarmSummary(self.job["id"], self.payload.get("output"), self.work_dir)
        order = {_item(bucket): index for index, bucket in enumerate(buckets)}
        pending = [bucket for bucket in buckets if _item(bucket) not in self._done]
        nodes, refused = eligible(str(self.payload.get("filters") or ""), self.sites)
        if not nodes:
            reason = "waiting: no node may take it: " + "; ".join(refused)
            for bucket in pending:
                item = _item(bucket)
                waiting = TaskResult(item, False, 0, [], 0, self.log_path(bucket), reason=reason, waiting=True)
                waiting.reasons[item] = reason
                summary.tasks.append(waiting)
            pending = []
        for bucket in buckets:
            if _item(bucket) in self._done:
                frames = list(bucket.frames()) if bucket else []
                summary.tasks.append(TaskResult(_item(bucket), True, 0, frames, 0, self.log_path(bucket), True))
        self._report(summary, len(buckets))
        pool = ThreadPoolExecutor(max_workers=max(1, len(nodes)))
        free = list(nodes)
        try:
            futures = [pool.submit(self._on_free_node, free, bucket) for bucket in pending]
            for future in as_completed(futures):
                result = future.result()
                summary.tasks.append(result)
                if self.on_task is not None:
                    self.on_task(result)
                self._report(summary, len(buckets))
        except BaseException:
            self.stop()
            if self.progress:
                sys.stderr.write("\n")  # the error that follows starts a line of its own
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self._end_hosts()
            self.end_workers(signal.SIGTERM)
        summary.tasks.sort(key=lambda task: order[task.item])
        self._count_again(summary, by_item)
        for task in summary.tasks:
            summary.frames_done.extend(task.frames_done)
            if task.waiting:
                summary.waiting_buckets.append(task.item)
            elif not task.ok:
                summary.failed_buckets.append(task.item)
        summary.frames_done = sorted(set(summary.frames_done))
        return summary

    def _on_free_node(self, free: List[Node], bucket: Optional[Bucket]) -> TaskResult:
        """Run ``bucket`` on a free node (there are as many pool threads as nodes: one is always free)."""
        with self._lock:
            node = free.pop(0)
        try:
            return self.run_bucket(bucket, node)
        finally:
            with self._lock:
                free.append(node)

    def _paths(self, site: Optional[FarmSite]) -> Dict[str, str]:
        """Where ``site`` has the shares; None is the submitter's own folders."""
        return dict(self.local_share_paths) if site is None else site.share_paths(self.volumes, self.local_share_paths)

    def _hop_to(self, site: FarmSite) -> Optional[Tuple[str, Optional[FarmSite], FarmSite]]:
        """How the job's files reach ``site`` from the one before it: (settings' site, from, to); the main site
        gets them from the roaming submitter (``local``) when it has a root of its own, another site from the
        main site. None when ``site`` uses the folders before it."""
        if site.root is None:
            return None
        return (LOCAL, None, site) if site.main else (site.code, self.main, site)

    def _hops_to(self, site: FarmSite) -> List[Tuple[str, Optional[FarmSite], FarmSite]]:
        """Every hop of the job's files to ``site``: through the main site."""
        hops = [self._hop_to(self.main)] + ([] if site.main else [self._hop_to(site)])
        return [hop for hop in hops if hop is not None]

    def _hops_back(self, site: FarmSite) -> List[Tuple[str, FarmSite, Optional[FarmSite]]]:
        """How ``site``'s results come back: the way the files went, reversed."""
        return [(code, to, origin) for code, origin, to in reversed(self._hops_to(site))]

    def _results_at(self, site: FarmSite) -> Optional[FarmSite]:
        """Where ``site``'s results end up: as far back as transfers are enabled."""
        place: Optional[FarmSite] = site
        for code, _origin, target in self._hops_back(site):
            if not transfer_settings(self.payload, code, False).enable:
                break
            place = target
        return place

    def _output_frames(self, site: FarmSite) -> Optional[OutputFrames]:
        """The output's frame files where ``site``'s results end up; None for a folder."""
        paths = self._paths(self._results_at(site))
        return OutputFrames.of(self.payload, self.job["id"], self.volumes, paths, site.code)

    def _send(self, site: FarmSite) -> List[str]:
        """The job's input and dependencies to ``site`` (through the main site), once a run; what each transfer
        did."""
        with self._site_locks[site.code]:
            if site.code not in self._sent:
                lines = [] if site.main else list(self._send(self.main))
                hop = self._hop_to(site)
                if hop is not None:
                    code, origin, target = hop
                    files = [str(self.payload["input"])] if self.payload.get("input") else []
                    files += [str(path) for path in self.payload.get("dependencies") or []]
                    settings = transfer_settings(self.payload, code, True)
                    done = transfer(files, self.volumes, self._paths(origin), self._paths(target), settings)
                    lines += [f"to {target.code} ({code} settings): {line}" for line in done]
                self._sent[site.code] = lines
            return self._sent[site.code]

    def _bring_back(self, site: FarmSite) -> List[str]:
        """``site``'s results back as far as transfers are enabled; what each transfer did."""
        output = self.payload.get("output")
        if not output:
            return []
        lines = []
        for code, origin, target in self._hops_back(site):
            settings = transfer_settings(self.payload, code, False)
            done = transfer([str(output)], self.volumes, self._paths(origin), self._paths(target), settings)
            lines += [f"back from {origin.code} ({code} settings): {line}" for line in done]
            if not settings.enable:
                break
        return lines

    def _frames_of(self, item: str) -> Optional[OutputFrames]:
        """The output frames of the site that ran ``item`` (the main site's before it ran)."""
        return self._frames[self._ran_on.get(item, self.main).code]

    def _frames_on_disk(self, bucket: Optional[Bucket]) -> Optional[List[int]]:
        """The bucket's frames on disk as this job's; None when the output is no frame pattern."""
        frames = self._frames_of(_item(bucket))
        if frames is None or bucket is None:
            return None
        return frames.on_disk(bucket.frames())

    def _missing(self, bucket: Optional[Bucket]) -> List[int]:
        """The bucket's frames that are not on disk as this job's (none known when the output is a folder)."""
        return _not_on_disk(bucket, self._frames_on_disk(bucket))

    def _count_again(self, summary: FarmSummary, by_item: Mapping[str, Optional[Bucket]]) -> None:
        """Done is what the output holds at the end: another job (or a person) may have moved frames since."""
        lost = set()
        for task in summary.tasks:
            missing = self._missing(by_item[task.item]) if task.ok else []
            frames = self._frames_of(task.item)
            if missing and frames is not None:
                task.frames_done = sorted(set(task.frames_done) - set(missing))
                task.ok = False
                task.reason = frames.missing(missing, " since the task")
                lost.add(task.item)
        if lost:
            with self._lock:
                self._done -= lost
                self._save_state(self._done)

    def stop(self) -> None:
        """Stop every running engine (and the processes it started), the processes kept for the workers first."""
        with self._lock:
            self._stopping = True
            processes = list(self._running.values())
        self.end_workers(signal.SIGKILL)
        for process in processes:
            _terminate_group(process)

    def worker_folder(self, node: str) -> str:
        """The folder where ``node``'s engine may keep a process across tasks."""
        return os.path.join(self.work_dir, "workers", re.sub(r"[^\w.-]", "_", node))

    def end_workers(self, how: int) -> None:
        """End the process every worker keeps (SIGTERM when the run ends, SIGKILL to stop it at once)."""
        with contextlib.suppress(OSError):
            for node in os.listdir(os.path.join(self.work_dir, "workers")):
                _end_resident(os.path.join(self.work_dir, "workers", node), how)

    def run_bucket(self, bucket: Optional[Bucket], node: Union[Node, str]) -> TaskResult:
        """Run one bucket (retried up to ``retries`` times) on ``node`` (a name is a main site node), its site holding
        the job's files first; its folder is made now, never for a bucket that
        does not start."""
        item = _item(bucket)
        log_path = self.log_path(bucket)
        if self._stopping:
            return TaskResult(item, False, 1, [], 0, log_path, reason=STOPPED, reasons={item: STOPPED})
        node = node if isinstance(node, Node) else self._main_node(node)
        site = next(each for each in self.sites if each.code == node.site)
        self._ran_on[item] = site
        folder = os.path.join(self.work_dir, "tasks", item)
        os.makedirs(folder, exist_ok=True)
        sent = self._send(site)
        data_path = os.path.join(folder, "data.json")
        shares = self._paths(site)
        with open(data_path, "w", encoding="utf-8") as stream:
            json.dump(task_data(self.payload, self.job, self.volumes, shares, site.code), stream, indent=2)
        with open(log_path, "a", encoding="utf-8") as log:
            log.writelines(f"--- {line}\n" for line in [f"site {site.code}, node {node.name}", *sent])
        frames: List[int] = []
        exit_code = 1
        attempt = 0
        unwritten = ""
        for attempt in range(1, self.retries + 2):
            if self._stopping:
                break
            exit_code, reported = self._execute(item, data_path, log_path, attempt, node.name)
            if exit_code != 0:  # what the worker kept may be the cause: the next attempt or task starts afresh
                _end_resident(self.worker_folder(node.name), getattr(signal, "SIGKILL", signal.SIGTERM))
            with open(log_path, "a", encoding="utf-8") as log:
                log.writelines(f"--- {line}\n" for line in self._bring_back(site))
            frames = sorted(set(frames) | set(reported))
            on_disk = self._frames_on_disk(bucket)
            frames = frames if on_disk is None else on_disk
            unwritten = ""
            if exit_code != 0:
                continue
            missing = _not_on_disk(bucket, on_disk)
            output_frames = self._frames_of(item)
            if output_frames is None or not missing:
                frames = list(bucket.frames()) if bucket else frames
                break
            unwritten = output_frames.missing(missing)
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(f"--- the engine exited 0, but {unwritten}\n")
        if exit_code == 0 and not unwritten:
            with self._lock:
                self._done.add(item)
                self._save_state(self._done)
            return TaskResult(item, True, 0, frames, attempt, log_path, site=site.code, node=node.name)
        rendered = set(frames)
        left = [str(frame) for frame in (bucket.frames() if bucket else []) if frame not in rendered] or [item]
        if unwritten:
            reasons = dict.fromkeys(left, unwritten)
        else:
            reasons = dict.fromkeys(left[1:], f"not rendered: item {left[0]} of its task failed first")
            reasons[left[0]] = failure_reason(log_path, exit_code)
        return TaskResult(item, False, exit_code, frames, attempt, log_path, reason=reasons[left[0]], reasons=reasons,
                          site=site.code, node=node.name)  # fmt: skip

    def _main_node(self, name: str) -> Node:
        """The node called ``name``; a node of the main site when no site has it."""
        known = [node for site in self.sites for node in site.nodes if node.name == name]
        return known[0] if known else Node(name, socket.gethostname(), self.main.code, 0.0, 0)

    def _execute(self, item: str, data_path: str, log_path: str, attempt: int, node: str) -> tuple[int, List[int]]:
        env = dict(os.environ)
        env["ACCSYN_ITEM"] = item
        env["ACCSYN_DCC_NODE"] = node
        common = self.common_dir
        env["ACCSYN_COMPUTE_COMMON_PATH"] = common
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [common, env.get("PYTHONPATH")]))
        env.pop("ACCSYN_DCC_WORKER_DIR", None)
        if self.keep_workers:
            env["ACCSYN_DCC_WORKER_DIR"] = self.worker_folder(node)
            env["ACCSYN_DCC_FARM_PID"] = str(os.getpid())
            os.makedirs(env["ACCSYN_DCC_WORKER_DIR"], exist_ok=True)
        reported: List[int] = []
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"--- attempt {attempt}: {self.script} ACCSYN_ITEM={item}\n")
            log.flush()
            if os.name == "posix":
                process: Union[subprocess.Popen, HostedEngine] = self._start_hosted(node, env, data_path)
            else:
                process = self._popen([self.python, self.script, data_path], env, os.path.dirname(data_path))
            with self._lock:
                self._running[item] = process
                stopping = self._stopping
            if stopping:
                _terminate_group(process)
            assert process.stdout is not None
            with process.stdout:  # closed once read, whatever happens
                for line in process.stdout:
                    log.write(line)
                    status = _task_status(line)
                    if status is not None:
                        reported.append(status)
                        if self.on_frame is not None:
                            self.on_frame(str(status))
            exit_code = process.wait()
            with self._lock:
                self._running.pop(item, None)
            log.write(f"--- {exit_status(exit_code)}\n")
        return exit_code, reported

    def _popen(self, command: List[str], env: Mapping[str, str], cwd: str) -> subprocess.Popen:
        """Start an engine."""
        try:
            return subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=os.name == "posix",
            )
        except OSError as error:  # not the work folder's fault: say what could not start
            raise AccsynDccError(f"cannot start the engine with {self.python}: {error.strerror or error}") from None

    def _start_hosted(self, node: str, env: Mapping[str, str], data_path: str) -> HostedEngine:
        """Run the engine on ``data_path`` from ``node``'s engine host (started now when it has none alive)."""
        for _ in range(2):  # a host that ended idle as the task came: another one
            with self._lock:
                host = self._hosts.pop(node, None)
            if host is None or not host.alive():
                if host is not None:
                    host.close()
                folder = self.worker_folder(node)
                os.makedirs(folder, exist_ok=True)
                try:
                    host = EngineHost(self.python, self.script, env, os.path.join(folder, "engine-host.log"))
                except OSError as error:
                    raise AccsynDccError(
                        f"cannot start the engine with {self.python}: {error.strerror or error}"
                    ) from None
            with self._lock:
                self._hosts[node] = host
            try:
                return host.start([self.script, data_path], env, os.path.dirname(data_path))
            except OSError:
                continue
        raise AccsynDccError(f"cannot start the engine with {self.python}: its host process does not answer")

    def _end_hosts(self) -> None:
        """End the workers' engine hosts."""
        with self._lock:
            hosts = list(self._hosts.values())
            self._hosts.clear()
        for host in hosts:
            host.close()

    def log_path(self, bucket: Optional[Bucket]) -> str:
        """The log of a bucket (every attempt, in turn)."""
        return os.path.join(self.work_dir, "tasks", _item(bucket), "task.log")

    def _load_state(self) -> set[str]:
        """The buckets a previous run of this same job finished (another job's state is ignored)."""
        try:
            with open(self._state_path, encoding="utf-8") as stream:
                state = json_text.load(stream)
        except (OSError, ValueError):
            return set()
        return set(state.get("done", [])) if state.get("job") == self.job["id"] else set()

    def _save_state(self, done: set[str]) -> None:
        temporary = f"{self._state_path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump({"job": self.job["id"], "done": sorted(done)}, stream)
        os.replace(temporary, self._state_path)

    def _report(self, summary: FarmSummary, total: int) -> None:
        if not self.progress:
            return
        finished = len(summary.tasks)
        width = 30
        filled = width * finished // max(total, 1)
        failed = sum(1 for task in summary.tasks if not task.ok)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {finished}/{total} tasks, {failed} failed")
        sys.stderr.write("\n" if finished == total else "")
        sys.stderr.flush()


class JobFolderLock:
    """One run of a job per work folder: a second run at once would render every bucket twice."""

    def __init__(self, work_dir: str, job_id: str) -> None:
        self.path = os.path.join(work_dir, "running.lock")
        self.job_id = job_id

    def __enter__(self) -> JobFolderLock:
        while True:
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                holder = _read_pid(self.path)
                if holder is not None and _alive(holder):
                    raise AccsynDccError(
                        f"job {self.job_id} is already running from {os.path.dirname(self.path)} (process {holder}); "
                        "wait for it, or give another --work-dir"
                    ) from None
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.path)  # left by a run that was killed
                continue
            with os.fdopen(descriptor, "w") as stream:
                stream.write(str(os.getpid()))
            return self

    def __exit__(self, *exc_info: object) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.path)


def _read_pid(path: str) -> Optional[int]:
    try:
        with open(path, encoding="utf-8") as stream:
            return int(stream.read().strip() or "0") or None
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


STOPPED = "stopped before it started"
_EXCEPTION = re.compile(r"^(([A-Za-z_][\w.]*)?(Error|Exception)|ERROR)\b:?")


def failure_reason(log_path: str, exit_code: int) -> str:
    """Why the last attempt failed, from what it logged after its last item reported done (the failing item's
    part): its last exception or ``ERROR`` line, else the engine's last warning, else the render application's
    last line, else the exit code (or the signal that stopped the engine)."""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as stream:
            text = stream.read()
    except OSError:
        return exit_status(exit_code)
    attempt = [line for line in text.rsplit("--- attempt ", 1)[-1].splitlines()[1:] if line.strip()]
    reported = [index for index, line in enumerate(attempt) if _task_status(line) is not None]
    attempt = attempt[reported[-1] + 1 :] if reported else attempt
    errors = [_plain(line) for line in attempt if _EXCEPTION.match(_plain(line))]
    warnings = [_plain(line) for line in attempt if "[WARNING] [ACCSYN]" in line and "Traceback" not in line]
    public = [_plain(line) for line in attempt if line.startswith("!(")]
    chosen = (errors or warnings or public or [exit_status(exit_code)])[-1]
    return chosen[:300]


def _plain(line: str) -> str:
    """A log line without the protocol's date and tag prefixes."""
    return re.sub(r"^!?\([0-9: .-]+\)\s*(\[(INFO|WARNING)\] \[ACCSYN\]\s*)?", "", line.strip()).strip()


def _not_on_disk(bucket: Optional[Bucket], on_disk: Optional[List[int]]) -> List[int]:
    """The bucket's frames not among ``on_disk`` (none known when the output is a folder: ``on_disk`` None)."""
    return [] if on_disk is None or bucket is None else sorted(set(bucket.frames()) - set(on_disk))


def _item(bucket: Optional[Bucket]) -> str:
    return bucket.item if bucket is not None else "all"


def _task_status(line: str) -> Optional[int]:
    """The frame of a ``{"taskstatus":true,...,"status":"done"}`` line, else None."""
    text = line.strip()
    if not text.startswith('{"taskstatus"'):
        return None
    try:
        record = json_text.loads(text)
        return int(record["uri"]) if record.get("status") == "done" else None
    except (ValueError, KeyError, TypeError):
        return None


RESIDENT = "resident.json"
"""In a worker's folder: ``{"pid": ...}`` of the process its engine keeps there (in a process group of its own)."""


def _end_resident(folder: str, how: int) -> None:
    """End the process kept in a worker's ``folder`` (its whole group), if any, and forget it."""
    path = os.path.join(folder, RESIDENT)
    try:
        with open(path, encoding="utf-8") as stream:
            pid = int(json_text.load(stream)["pid"])
        os.remove(path)
    except (OSError, ValueError, KeyError, TypeError):
        return
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(pid, how)
        else:
            os.kill(pid, how)


def _terminate_group(process: Union[subprocess.Popen, HostedEngine]) -> None:
    """SIGTERM the engine's process group, then SIGKILL whatever is left."""
    if process.poll() is not None:
        return
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        process.wait(10)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except ProcessLookupError:
        pass
