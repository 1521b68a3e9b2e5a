"""Run the stand-in's jobs on the local farm as accsyn's dispatcher does, obeying each job's and task's status.

One scheduler thread reads the store (the one truth, which clients edit) every ``POLL_SECONDS`` or when told of a
change, and starts buckets on at most ``workers`` slots, each slot a node of its own (``<host>-worker<N>``):

* a ``waiting`` or ``running`` job starts its ``queued`` tasks, bucket by bucket (a bucket's queued items only,
  so a requeued task renders alone); it turns ``running``, then ``done`` when every task is done or excluded,
  ``failed`` when one failed;
* a ``paused`` job starts nothing new; its running buckets finish; ``waiting`` resumes it where it stopped;
* an ``aborted`` job's engines are stopped at once (their process groups killed) and it stays aborted; the items
  they had not finished are ``queued`` again, so a resume renders them;
* a task set ``queued`` again renders again (the backend puts a finished job back to ``waiting``).

A task records its node, start, end, duration (``time``, seconds) and, when failed, its own reason and log. At
start, jobs a previous server left ``running`` and tasks left ``executing`` are ``waiting``/``queued`` again
(``recover``), so a restart resumes them. Every change of a job's status is told to ``on_status`` as one line.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set

from accsyn_dcc.api.transport import utc_timestamp
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.farm import LocalFarm, TaskResult
from accsyn_dcc.ranges import Bucket, consecutive_runs
from accsyn_dcc.standin.progress import moment
from accsyn_dcc.standin.store import Store
from accsyn_dcc.workspace import Volume

log = logging.getLogger(__name__)
POLL_SECONDS = 0.2
"""How often the scheduler reads the jobs' statuses when nothing tells it of a change."""
RUNNABLE_JOB_STATUSES = ("waiting", "running")
FINISHED_TASK_STATUSES = ("done", "excluded")


@dataclass(frozen=True)
class Running:
    """A bucket on a slot: its job and its items."""

    job_id: str
    items: Sequence[str]


class LocalDispatcher:
    """``start()`` the scheduler; ``dispatcher(job)`` (any created or changed job) wakes it; ``stop()`` ends it."""

    def __init__(
        self,
        store: Store,
        volumes: Sequence[Volume],
        work_root: str,
        workers: int = 2,
        on_status: Optional[Callable[[str], None]] = None,
    ) -> None:
        self.store = store
        self.on_status = on_status or (lambda line: None)
        self.volumes = list(volumes)
        self.work_root = work_root
        self.workers = workers
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._farms: Dict[str, LocalFarm] = {}
        self._slots: Dict[int, Running] = {}
        self._threads: List[threading.Thread] = []
        self._scheduler: Optional[threading.Thread] = None

    def __call__(self, job: Mapping[str, Any]) -> None:
        self._wake.set()

    def start(self) -> None:
        recover(self.store, self.on_status)
        self._scheduler = threading.Thread(target=self._schedule_loop, name="accsyn-scheduler", daemon=True)
        self._scheduler.start()

    def join(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds in all) until no bucket runs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._slots:
                    return
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the scheduler and every running engine (no orphaned render processes); their tasks are left
        ``executing`` for the next start to queue again."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            farms = list(self._farms.values())
        for farm in farms:
            farm.stop()
        if self._scheduler is not None:
            self._scheduler.join(5)
        for thread in list(self._threads):
            thread.join(5)

    # -- scheduling ------------------------------------------------------------------------------------------

    def _schedule_loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            try:
                self._schedule()
            except Exception:  # a store error (another server's lock) must not end the farm: try again
                log.exception("the stand-in's scheduler failed; trying again")

    def _schedule(self) -> None:
        jobs = self.store.jobs()
        with self._lock:
            gone = set(self._farms) - {job["id"] for job in jobs}
        for job_id in gone:  # deleted: stopped as if aborted
            self._abort(job_id)
        for job in jobs:
            status = job.get("status")
            if status == "aborted":
                self._abort(job["id"])
            elif status in RUNNABLE_JOB_STATUSES and not job.get("inactive"):
                self._start_buckets(job)

    def _abort(self, job_id: str) -> None:
        with self._lock:
            farm = self._farms.pop(job_id, None)
        if farm is not None:
            farm.stop()

    def _start_buckets(self, job: Dict[str, Any]) -> None:
        farm = self._farm(job)
        if farm is None:
            return
        tasks = self.store.changed_tasks(job["id"])
        with self._lock:
            busy = {item for running in self._slots.values() if running.job_id == job["id"] for item in running.items}
            free = [slot for slot in range(1, self.workers + 1) if slot not in self._slots]
        units = _queued_buckets(farm, tasks, busy, len(free))
        if not units and not busy:
            self._finish(job)
            return
        if units and job.get("status") == "waiting":
            self._set_status(job["id"], "running")
        for slot, bucket in zip(free, units):
            self._start(job, farm, slot, bucket)

    def _farm(self, job: Dict[str, Any]) -> Optional[LocalFarm]:
        with self._lock:
            farm = self._farms.get(job["id"])
        if farm is not None:
            return farm
        try:
            farm = LocalFarm(
                job["compute"], volumes=self.volumes, workers=self.workers, progress=False,
                work_dir=os.path.join(self.work_root, job["id"]), on_frame=lambda item: self._frame_done(job, item),
            )  # fmt: skip
        except AccsynDccError as error:
            log.warning("job %s could not run on the local farm: %s", job["id"], error)
            self._set_status(job["id"], "failed", f"cannot run on the local farm: {error}")
            return None
        with self._lock:
            self._farms[job["id"]] = farm
        return farm

    def _finish(self, job: Dict[str, Any]) -> None:
        """Nothing is left to start: the job is done, or failed when a task failed, or waiting (blocked) when only
        tasks on hold are left."""
        statuses = {task.get("status") for task in self.store.tasks(job["id"])}
        if "failed" in statuses:
            status = "failed"
        elif statuses <= set(FINISHED_TASK_STATUSES):
            status = "done"
        elif job.get("status") == "running":
            status = "waiting"
        else:
            return
        with self._lock:
            self._farms.pop(job["id"], None)
        self._set_status(job["id"], status)

    def _start(self, job: Dict[str, Any], farm: LocalFarm, slot: int, bucket: Optional[Bucket]) -> None:
        items = [str(frame) for frame in bucket.frames()] if bucket else ["all"]
        node = f"{socket.gethostname()}-worker{slot}"
        tasks = self.store.job_tasks(job["id"], items)
        started = utc_timestamp()
        for task in tasks:
            task.update(status="executing", started=started, finished=None, time=None, node=node)
            metadata = {key: value for key, value in (task.get("metadata") or {}).items() if key != "reason"}
            task["metadata"] = {**metadata, "log": farm.log_path(bucket)}
        self.store.save_tasks(tasks)
        with self._lock:
            self._slots[slot] = Running(job["id"], items)
        thread = threading.Thread(
            target=self._run, args=(job, farm, slot, bucket, node), name=f"accsyn-{job['id']}-{slot}", daemon=True
        )
        self._threads = [each for each in self._threads if each.is_alive()] + [thread]
        thread.start()

    def _run(self, job: Dict[str, Any], farm: LocalFarm, slot: int, bucket: Optional[Bucket], node: str) -> None:
        with self._lock:
            items = self._slots[slot].items
        try:
            try:
                result = farm.run_bucket(bucket, node)
            except AccsynDccError as error:
                item = bucket.item if bucket else "all"
                result = TaskResult(item, False, 1, [], 0, "", reason=str(error), reasons={})
            if not self._stopping.is_set():
                self._record(job["id"], items, result)  # before the slot is free: an idle job's tasks are all told
        finally:
            with self._lock:
                self._slots.pop(slot, None)
        self._wake.set()

    def _record(self, job_id: str, items: Sequence[str], result: TaskResult) -> None:
        job = self.store.job(job_id)
        aborted = job is None or job.get("status") == "aborted"
        done = {str(frame) for frame in result.frames_done}
        tasks = self.store.job_tasks(job_id, items)
        finished = utc_timestamp()
        for task in tasks:
            if task.get("status") != "executing":
                continue  # reported done while rendering, or edited meanwhile
            task.update(finished=finished, time=_seconds(task.get("started"), finished))
            if result.ok or task["uri"] in done:
                task["status"] = "done"
            elif aborted:
                task.update(status="queued", finished=None, time=None)
            else:
                reason = result.reasons.get(task["uri"]) or result.reason
                task["status"] = "failed"
                task["metadata"] = {**(task.get("metadata") or {}), "reason": reason}
        self.store.save_tasks(tasks)

    def _frame_done(self, job: Mapping[str, Any], item: str) -> None:
        for task in self.store.job_tasks(job["id"], [item]):
            if task.get("status") != "executing":
                continue
            finished = utc_timestamp()
            task.update(status="done", finished=finished, time=_seconds(task.get("started"), finished))
            self.store.save_tasks([task])

    def _set_status(self, job_id: str, status: str, reason: Optional[str] = None) -> None:
        _set_job_status(self.store, self.on_status, job_id, status, reason)


def recover(store: Store, on_status: Callable[[str], None]) -> None:
    """What a previous server left running is queued again: ``running`` jobs ``waiting``, ``executing`` tasks
    ``queued`` (their engines ended with that server)."""
    for job in store.jobs():
        changed = store.changed_tasks(job["id"])
        executing = [task for task in changed.values() if task.get("status") == "executing"]
        for task in executing:
            task.update(status="queued", started=None, node=None)
        if executing:
            store.save_tasks(executing)
        if job.get("status") == "running":
            _set_job_status(store, on_status, job["id"], "waiting", None, "the stand-in restarted")


def _set_job_status(
    store: Store, on_status: Callable[[str], None], job_id: str, status: str, reason: Optional[str],
    why: Optional[str] = None,
) -> None:  # fmt: skip
    job = store.job(job_id)
    if job is None:
        return
    job.update(status=status, modified=utc_timestamp())
    if reason:
        job["metadata"] = {**(job.get("metadata") or {}), "reason": reason}
    store.save_job(job)
    said = f" ({why})" if why else (f": {reason}" if reason else "")
    on_status(f"job {job_id} ({job.get('name')}): {status}{said}")


def _queued_buckets(
    farm: LocalFarm, tasks: Mapping[str, Dict[str, Any]], busy: Set[str], wanted: int
) -> List[Optional[Bucket]]:
    """Up to ``wanted`` buckets to start: each of the job's buckets cut to its runs of queued, idle items."""
    if wanted <= 0:
        return []
    units: List[Optional[Bucket]] = []
    for bucket in farm.buckets():
        if bucket is None:
            task = tasks.get("all")
            if "all" not in busy and (task is None or task.get("status") == "queued"):
                units.append(None)
            continue
        queued = [frame for frame in bucket.frames() if _queued(tasks.get(str(frame)), str(frame), busy)]
        units.extend(Bucket(first, last) for first, last in consecutive_runs(queued))
        if len(units) >= wanted:
            break
    return units[:wanted]


def _queued(task: Optional[Mapping[str, Any]], item: str, busy: Set[str]) -> bool:
    return item not in busy and (task is None or task.get("status") == "queued")


def _seconds(started: Any, finished: str) -> Optional[float]:
    begin, end = moment(started), moment(finished)
    return (end - begin).total_seconds() if begin is not None and end is not None else None
