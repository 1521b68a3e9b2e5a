"""The local farm: run a Compute job's buckets through its engine on this machine.

Each bucket gets its own data JSON and log under the work folder and runs as
``python <engine>.py <data.json>`` with ``ACCSYN_ITEM`` set, on N parallel workers. Failed buckets
are retried a bounded number of times; finished buckets are recorded in ``state.json`` so a re-run
of the same job skips them. An interrupt stops every engine process group before returning.
"""

from __future__ import annotations

import getpass
import json
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from platformdirs import user_cache_dir

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.farm.engines import common_folder, engine_script, engines_folder
from accsyn_dcc.farm.taskdata import job_identity, task_data
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


@dataclass
class FarmSummary:
    """What a local farm run achieved."""

    job_id: str
    output: Optional[str]
    work_dir: str
    frames_done: List[int] = field(default_factory=list)
    failed_buckets: List[str] = field(default_factory=list)
    tasks: List[TaskResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed_buckets

    def to_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    def __str__(self) -> str:
        lines = [
            f"job {self.job_id}: {len(self.frames_done)} frame(s) done, {len(self.failed_buckets)} bucket(s) failed",
            f"output: {self.output or '(engine default)'}",
            f"logs:   {self.work_dir}",
        ]
        lines += [f"failed: bucket {item} (see {self._log(item)})" for item in self.failed_buckets]
        return "\n".join(lines)

    def _log(self, item: str) -> str:
        return next((task.log for task in self.tasks if task.item == item), "")


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
    ) -> None:
        if workers < 1:
            raise AccsynDccError(f"workers: at least one worker is needed (got {workers})")
        if retries < 0:
            raise AccsynDccError(f"retries: cannot be negative (got {retries})")
        self.payload = dict(payload)
        self.volumes = list(volumes)
        self.local_share_paths = dict(local_share_paths or {})
        self.workers = workers
        self.retries = retries
        self.engines_dir = engines_dir or engines_folder()
        self.script = engine_script(str(self.payload.get("engine") or ""), self.engines_dir)
        self.common_dir = common_folder(self.engines_dir)
        self.python = python or sys.executable
        self.progress = progress
        self.on_task = on_task
        self.job = job_identity(self.payload, getpass.getuser())
        self.work_dir = work_dir or os.path.join(user_cache_dir("accsyn-dcc", appauthor=False), "farm", self.job["id"])
        self._state_path = os.path.join(self.work_dir, "state.json")
        self._lock = threading.Lock()
        self._running: Dict[str, subprocess.Popen] = {}
        self._stopping = False

    def buckets(self) -> List[Optional[Bucket]]:
        """The buckets to dispatch; ``[None]`` (one ``all`` task) when the job has no range."""
        buckets = task_buckets(self.payload.get("range"), (self.payload.get("settings") or {}).get("task_bucketsize"))
        return list(buckets) or [None]

    def run(self) -> FarmSummary:
        os.makedirs(self.work_dir, exist_ok=True)
        done = self._load_state()
        summary = FarmSummary(self.job["id"], self.payload.get("output"), self.work_dir)
        buckets = self.buckets()
        pending = [bucket for bucket in buckets if _item(bucket) not in done]
        for bucket in buckets:
            if _item(bucket) in done:
                frames = list(bucket.frames()) if bucket else []
                summary.tasks.append(TaskResult(_item(bucket), True, 0, frames, 0, self._log_path(bucket), True))
        self._report(summary, len(buckets))
        pool = ThreadPoolExecutor(max_workers=self.workers)
        try:
            for result in pool.map(self._run_bucket, pending):
                summary.tasks.append(result)
                if result.ok:
                    done.add(result.item)
                    self._save_state(done)
                if self.on_task is not None:
                    self.on_task(result)
                self._report(summary, len(buckets))
        except BaseException:
            self.stop()
            raise
        finally:
            pool.shutdown(wait=True)
        for task in summary.tasks:
            summary.frames_done.extend(task.frames_done)
            if not task.ok:
                summary.failed_buckets.append(task.item)
        summary.frames_done = sorted(set(summary.frames_done))
        return summary

    def stop(self) -> None:
        """Stop every running engine (and the processes it started)."""
        with self._lock:
            self._stopping = True
            processes = list(self._running.values())
        for process in processes:
            _terminate_group(process)

    def _run_bucket(self, bucket: Optional[Bucket]) -> TaskResult:
        item = _item(bucket)
        folder = os.path.join(self.work_dir, "tasks", item)
        os.makedirs(folder, exist_ok=True)
        data_path = os.path.join(folder, "data.json")
        with open(data_path, "w", encoding="utf-8") as stream:
            json.dump(task_data(self.payload, self.job, self.volumes, self.local_share_paths), stream, indent=2)
        log_path = self._log_path(bucket)
        frames: List[int] = []
        exit_code = 1
        attempt = 0
        for attempt in range(1, self.retries + 2):
            if self._stopping:
                break
            exit_code, reported = self._execute(item, data_path, log_path, attempt)
            frames = sorted(set(frames) | set(reported))
            if exit_code == 0:
                frames = list(bucket.frames()) if bucket else frames
                break
        return TaskResult(item, exit_code == 0, exit_code, frames, attempt, log_path)

    def _execute(self, item: str, data_path: str, log_path: str, attempt: int) -> tuple[int, List[int]]:
        env = dict(os.environ)
        env["ACCSYN_ITEM"] = item
        common = self.common_dir
        env["ACCSYN_COMPUTE_COMMON_PATH"] = common
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [common, env.get("PYTHONPATH")]))
        reported: List[int] = []
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"--- attempt {attempt}: {self.script} ACCSYN_ITEM={item}\n")
            log.flush()
            process = subprocess.Popen(
                [self.python, self.script, data_path],
                cwd=os.path.dirname(data_path),
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=os.name == "posix",
            )
            with self._lock:
                self._running[item] = process
                stopping = self._stopping
            if stopping:
                _terminate_group(process)
            assert process.stdout is not None
            for line in process.stdout:
                log.write(line)
                status = _task_status(line)
                if status is not None:
                    reported.append(status)
            exit_code = process.wait()
            with self._lock:
                self._running.pop(item, None)
            log.write(f"--- exit code {exit_code}\n")
        return exit_code, reported

    def _log_path(self, bucket: Optional[Bucket]) -> str:
        return os.path.join(self.work_dir, "tasks", _item(bucket), "task.log")

    def _load_state(self) -> set[str]:
        """The buckets a previous run of this same job finished (another job's state is ignored)."""
        try:
            with open(self._state_path, encoding="utf-8") as stream:
                state = json.load(stream)
        except (OSError, ValueError):
            return set()
        return set(state.get("done", [])) if state.get("job") == self.job["id"] else set()

    def _save_state(self, done: set[str]) -> None:
        temporary = self._state_path + ".tmp"
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


def _item(bucket: Optional[Bucket]) -> str:
    return bucket.item if bucket is not None else "all"


def _task_status(line: str) -> Optional[int]:
    """The frame of a ``{"taskstatus":true,...,"status":"done"}`` line, else None."""
    text = line.strip()
    if not text.startswith('{"taskstatus"'):
        return None
    try:
        record = json.loads(text)
        return int(record["uri"]) if record.get("status") == "done" else None
    except (ValueError, KeyError, TypeError):
        return None


def _terminate_group(process: subprocess.Popen) -> None:
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
