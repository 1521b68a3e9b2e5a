"""Hand the stand-in's new jobs to the local farm, so they really render, and write status back.

Each created job runs on a thread of its own through ``accsyn_dcc.farm.LocalFarm`` with the seed's
volumes as shares. Each item's task turns ``done`` as soon as the engine reports it; as each bucket
ends the rest of its items turn ``done`` (the bucket succeeded) or ``failed`` with the reason and the
log in their metadata; then the job does. Every change of a job's status is told to ``on_status`` as one line.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from accsyn_dcc.api.transport import utc_timestamp
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.farm import LocalFarm, TaskResult
from accsyn_dcc.standin.store import Store
from accsyn_dcc.workspace import Volume

log = logging.getLogger(__name__)


class LocalDispatcher:
    """``dispatcher(job)`` starts the job on the local farm; ``join()`` waits for every started job."""

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
        self._threads: List[threading.Thread] = []
        self._farms: List[LocalFarm] = []

    def __call__(self, job: Mapping[str, Any]) -> None:
        thread = threading.Thread(target=self._run, args=(dict(job),), name=f"accsyn-job-{job['id']}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def join(self, timeout: float) -> None:
        for thread in list(self._threads):
            thread.join(timeout)

    def stop(self) -> None:
        """Stop every running job's engines (no orphaned render processes)."""
        for farm in list(self._farms):
            farm.stop()

    def _run(self, job: Dict[str, Any]) -> None:
        self._set_status(job["id"], "running")
        tasks = {task["uri"]: task for task in self.store.tasks(job["id"])}

        def on_task(result: TaskResult) -> None:
            items = list(tasks) if result.item == "all" else [str(frame) for frame in _frames(result.item)]
            done = {str(frame) for frame in result.frames_done}
            changed = [tasks[item] for item in items if item in tasks]
            for task in changed:
                if result.ok or task["uri"] in done:
                    task.update(status="done", finished=utc_timestamp())
                else:
                    task.update(status="failed", finished=utc_timestamp())
                    task["metadata"] = {**(task.get("metadata") or {}), "reason": result.reason, "log": result.log}
            self.store.save_tasks(changed)

        def on_frame(item: str) -> None:
            task = tasks.get(item)
            if task is not None and task.get("status") != "done":
                task.update(status="done", finished=utc_timestamp())
                self.store.save_tasks([task])

        try:
            farm = LocalFarm(
                job["compute"], volumes=self.volumes, workers=self.workers, progress=False, on_task=on_task,
                work_dir=os.path.join(self.work_root, job["id"]), on_frame=on_frame,
            )  # fmt: skip
            self._farms.append(farm)
            status = "done" if farm.run().ok else "failed"
        except AccsynDccError as error:
            log.warning("job %s could not run on the local farm: %s", job["id"], error)
            status = "failed"
        self._set_status(job["id"], status)

    def _set_status(self, job_id: str, status: str) -> None:
        job = self.store.job(job_id)
        if job is not None:
            job.update(status=status, modified=utc_timestamp())
            self.store.save_job(job)
            self.on_status(f"job {job_id} ({job.get('name')}): {status}")


def _frames(item: str) -> range:
    first, _, last = item.partition("-")
    return range(int(first), int(last or first) + 1)
