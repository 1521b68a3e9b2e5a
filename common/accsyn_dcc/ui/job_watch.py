"""Follow the artist's jobs: what the in-host monitors (the Qt panel, Blender's panel) show, without Qt or bpy.

``JobWatcher.poll`` runs off the host's UI thread and returns one frozen ``Poll``: the artist's jobs newest first
with their progress, the tasks of the selected job, and the jobs followed in this session that have just
finished. It goes through the API client's job calls only (``search_jobs``, ``job_metrics``, ``find_tasks``,
``task_log``, ``pause_job``, ``resume_job``, ``abort_job``, ``update_tasks``).

Requests per poll stay bounded however many jobs there are: one search, one task list (the selected job), and
``job_metrics`` for at most ``METRICS_PER_POLL`` unfinished jobs (the selected and followed first, then the least
recently measured); a finished job is measured once per status.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

FINISHED = ("done", "failed", "aborted")
STATUSES = ("init", "waiting", "running", "paused", "failed", "aborted", "done")
METRICS_PER_POLL = 12
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".exr", ".tif", ".tiff", ".dpx", ".tga", ".bmp", ".hdr")
MAX_LISTED = 20000
"""The most entries of an output folder looked at for its last frame."""
_FRAME_TOKENS = re.compile(r"%0?\d*d|#+|\$F\d?|<f\d?>|<frame>", re.I)


_submitted: Set[str] = set()
_submitted_lock = threading.Lock()


def remember_submitted(job_ids: Sequence[str]) -> None:
    """Jobs submitted in this session of the host: every monitor announces their end."""
    with _submitted_lock:
        _submitted.update(str(job_id) for job_id in job_ids)


def submitted_in_session() -> Set[str]:
    with _submitted_lock:
        return set(_submitted)


@dataclass(frozen=True)
class Progress:
    """A job's tasks counted, and its time so far and still needed (seconds; None when unknown)."""

    done: int
    failed: int
    running: int
    total: int
    elapsed: Optional[float]
    estimate: Optional[float]

    @classmethod
    def from_metrics(cls, metrics: Dict[str, Any]) -> Progress:
        return cls(
            _count(metrics.get("done")),
            _count(metrics.get("failed")),
            _count(metrics.get("running")),
            _count(metrics.get("total")),
            seconds_of(metrics.get("elapsed")),
            seconds_of(metrics.get("estimate")),
        )

    def text(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        return f"{self.done}/{self.total} done{failed}"


@dataclass(frozen=True)
class JobRow:
    """One job of the artist's, as the monitors list it."""

    id: str
    name: str
    status: str
    created: str
    output: str
    progress: Optional[Progress]
    reason: str = ""


@dataclass(frozen=True)
class TaskRow:
    """One task of the selected job."""

    id: str
    item: str
    status: str
    node: str
    started: str
    finished: str
    duration: Optional[float]
    reason: str


@dataclass(frozen=True)
class Poll:
    """What one look at accsyn found; ``requests``: how many calls it made."""

    jobs: Tuple[JobRow, ...]
    job_id: Optional[str]
    tasks: Tuple[TaskRow, ...]
    finished: Tuple[JobRow, ...]
    requests: int
    last_frame: Optional[str] = None

    def job(self, job_id: Optional[str]) -> Optional[JobRow]:
        return next((job for job in self.jobs if job.id == job_id), None)


class JobWatcher:
    """The artist's jobs on accsyn, through ``connect()`` (a logged-in client, made again after ``reconnect``)."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self._connect = connect
        self._client: Any = None
        self._lock = threading.Lock()
        self._measured: Dict[str, Tuple[str, Progress, float]] = {}
        """job id -> (status when measured, progress, when)."""
        self._followed: Dict[str, str] = {}
        """Jobs submitted in this session -> the finished status already announced ('' while unfinished)."""
        self._volumes: Optional[List[Any]] = None

    # -- connection --------------------------------------------------------------------------------------------
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def reconnect(self) -> None:
        """Forget the client: the next call connects (and logs in) again."""
        with self._lock:
            self._client = None

    # -- following ---------------------------------------------------------------------------------------------
    def follow(self, job_ids: Sequence[str]) -> None:
        """Announce these jobs when they finish (besides those ``remember_submitted`` names)."""
        with self._lock:
            for job_id in job_ids:
                self._followed.setdefault(str(job_id), "")

    def followed(self) -> Set[str]:
        with self._lock:
            return set(self._followed)

    # -- polling -----------------------------------------------------------------------------------------------
    def poll(self, job_id: Optional[str] = None, status: str = "") -> Poll:
        """The artist's jobs (only those of ``status`` when given), and the tasks of ``job_id``."""
        self.follow(sorted(submitted_in_session()))
        client = self.client()
        requests = 1
        found = client.search_jobs(f'status="{status}"' if status in STATUSES else None, finished=True)
        mine = [job for job in found if not client.user_id or str(job.get("user") or "") == client.user_id]
        jobs = newest_first(mine)
        followed = self.followed()
        now = time.monotonic()
        due = [job for job in jobs if self._due(job)]
        due.sort(key=lambda job: (job.get("id") != job_id, job.get("id") not in followed, self._when(job)))
        for job in due[:METRICS_PER_POLL]:
            progress = Progress.from_metrics(client.job_metrics(str(job["id"])))
            requests += 1
            self._measured[str(job["id"])] = (str(job.get("status")), progress, now)
        rows = tuple(self._row(job) for job in jobs)
        tasks: Tuple[TaskRow, ...] = ()
        last_frame = None
        chosen = next((row for row in rows if row.id == job_id), None)
        if chosen is not None:
            found_tasks = client.find_tasks(chosen.id)
            requests += 1
            tasks = tuple(_task_row(task, client.scrub) for task in found_tasks)
            local, asked = self._local_output(client, chosen.output)
            requests += asked
            last_frame = latest_image(local, _last_done_item(found_tasks)) if local else None
        return Poll(rows, job_id, tasks, self._newly_finished(rows), requests, last_frame)

    def _due(self, job: Dict[str, Any]) -> bool:
        measured = self._measured.get(str(job.get("id")))
        return measured is None or job.get("status") not in FINISHED or measured[0] != job.get("status")

    def _when(self, job: Dict[str, Any]) -> float:
        measured = self._measured.get(str(job.get("id")))
        return measured[2] if measured else 0.0

    def _row(self, job: Dict[str, Any]) -> JobRow:
        measured = self._measured.get(str(job.get("id")))
        shown = self.scrub
        return JobRow(
            str(job.get("id") or ""),
            shown(str(job.get("name") or job.get("code") or "")),
            str(job.get("status") or ""),
            str(job.get("created") or ""),
            str(job.get("output") or ""),
            measured[1] if measured else None,
            shown(str((job.get("metadata") or {}).get("reason") or "")),
        )

    def _newly_finished(self, rows: Sequence[JobRow]) -> Tuple[JobRow, ...]:
        announced = []
        with self._lock:
            for row in rows:
                if row.id not in self._followed:
                    continue
                if row.status not in FINISHED:
                    self._followed[row.id] = ""  # requeued or resumed: announce its next end too
                elif self._followed[row.id] != row.status:
                    self._followed[row.id] = row.status
                    announced.append(row)
        return tuple(announced)

    def _local_output(self, client: Any, output: str) -> Tuple[str, int]:
        """Where ``output`` is on this machine (a ``share=`` path through the workspace's volumes), and the
        requests it took."""
        if not output.startswith("share="):
            return output, 0
        asked = 0
        if self._volumes is None:
            self._volumes = list(client.find_volumes())
            asked = 1
        from accsyn_dcc.paths import PathMapper

        return PathMapper(self._volumes).to_local(output) or "", asked

    # -- steering ----------------------------------------------------------------------------------------------
    def pause(self, job_id: str) -> str:
        return str(self.client().pause_job(job_id).get("status") or "")

    def resume(self, job_id: str) -> str:
        return str(self.client().resume_job(job_id).get("status") or "")

    def abort(self, job_id: str) -> str:
        return str(self.client().abort_job(job_id).get("status") or "")

    def requeue_failed(self, job_id: str) -> int:
        """Queue the job's failed tasks again; how many."""
        client = self.client()
        failed = [task for task in client.find_tasks(job_id) if task.get("status") == "failed"]
        if failed:
            client.update_tasks(job_id, [{"id": task["id"], "status": "queued"} for task in failed])
        return len(failed)

    def log(self, task_id: str) -> List[str]:
        return [self.scrub(line) for line in self.client().task_log(task_id)]

    def scrub(self, text: str) -> str:
        """``text`` without the key or session, for showing."""
        client = self._client
        return client.scrub(text) if client is not None else text


def output_folder(path: str) -> str:
    """The folder of an output (the output itself when it is a folder)."""
    return path if not path or os.path.isdir(path) else os.path.dirname(path)


def latest_image(output: str, item: Optional[str]) -> Optional[str]:
    """The last rendered frame of ``output`` (a folder, or a file pattern with ``%04d``/``####``): the frame of
    ``item`` when it exists, else the newest image file in the folder; None when there is none."""
    if _FRAME_TOKENS.search(output) and item is not None and item.lstrip("-").isdigit():
        frame = _FRAME_TOKENS.sub(lambda token: _frame_text(token.group(0), int(item)), output)
        if os.path.isfile(frame):
            return frame
    folder = output_folder(output)
    stem = _FRAME_TOKENS.split(os.path.basename(output))[0] if folder != output else ""
    newest: Tuple[float, str] = (-1.0, "")
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_LISTED:
                    break
                name = entry.name
                if name.lower().endswith(IMAGE_EXTENSIONS) and name.startswith(stem) and entry.is_file():
                    newest = max(newest, (entry.stat().st_mtime, entry.path))
    except OSError:
        return None
    return newest[1] or None


def _frame_text(token: str, frame: int) -> str:
    digits = re.search(r"\d+", token)
    width = len(token) if token.startswith("#") else int(digits.group(0)) if digits and token.startswith("%") else 1
    return str(frame).zfill(width)


def _last_done_item(tasks: Sequence[Dict[str, Any]]) -> Optional[str]:
    done = [task for task in tasks if task.get("status") == "done"]
    if not done:
        return None
    return str(max(done, key=lambda task: (str(task.get("finished") or ""), str(task.get("uri")))).get("uri"))


def _task_row(task: Dict[str, Any], shown: Callable[[str], str]) -> TaskRow:
    reason = str((task.get("metadata") or {}).get("reason") or "") if task.get("status") == "failed" else ""
    return TaskRow(
        str(task.get("id") or ""),
        str(task.get("uri") if task.get("uri") is not None else task.get("item") or ""),
        str(task.get("status") or ""),
        str(task.get("node") or ""),
        str(task.get("started") or ""),
        str(task.get("finished") or ""),
        seconds_of(task.get("time")),
        shown(reason),
    )


def newest_first(jobs: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Jobs newest first; of two created in the same second, the one accsyn lists last."""
    order = sorted(enumerate(jobs), key=lambda pair: (str(pair[1].get("created") or ""), pair[0]), reverse=True)
    return [job for _index, job in order]


def duration_text(seconds: Optional[float]) -> str:
    """``m:ss`` or ``h:mm:ss``; empty when unknown."""
    if seconds is None:
        return ""
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def seconds_of(value: Any) -> Optional[float]:
    """A number of seconds as accsyn sends it; None for anything else (a missing or malformed value)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
