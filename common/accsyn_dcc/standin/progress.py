"""The stand-in's answers to ``<type>/metrics`` (a job's progress, or several jobs') and ``log/find`` (a task's log,
or the workspace's: its status lines).

Metrics of a job: how many of its tasks are done, failed, running (``executing``), waiting (``queued``, on hold),
excluded, of ``total``; ``started`` (its first task's start), ``elapsed`` seconds since (to its last task's end
once the job is finished) and ``estimate``, the seconds still needed at the pace so far (None before a task is
done). A task's log is its bucket's log, one row per line: ``{"line": n, "text": ...}``.
"""

from __future__ import annotations

import collections
import datetime
import threading
from typing import Any, Callable, Deque, Dict, List, Mapping, Optional, Sequence

from accsyn_dcc.api.transport import utc_timestamp

DATE = "%Y-%m-%dT%H:%M:%S"
MAX_STATUS_LINES = 10000
"""The workspace log's lines kept (the oldest go first)."""
MAX_LOG_BYTES = 4 * 1024 * 1024
"""The most of a log's end that is read (a render log of a long bucket can be large)."""
COUNTED = {"done": ("done",), "failed": ("failed",), "running": ("executing", "booting"),
           "waiting": ("queued", "pending", "onhold"), "excluded": ("excluded",)}  # fmt: skip


def job_metrics(
    job: Mapping[str, Any], tasks: Sequence[Mapping[str, Any]], total: int, now: datetime.datetime
) -> Dict[str, Any]:
    """The metrics of a job of ``total`` tasks, of which ``tasks`` are not as created (the others wait)."""
    counts = {name: sum(1 for task in tasks if task.get("status") in statuses) for name, statuses in COUNTED.items()}
    counts["waiting"] += total - len(tasks)
    starts = [moment for moment in (moment(task.get("started")) for task in tasks) if moment is not None]
    ends = [moment for moment in (moment(task.get("finished")) for task in tasks) if moment is not None]
    started = min(starts) if starts else None
    finished = job.get("status") in ("done", "failed", "aborted")
    until = max(ends) if finished and ends else now
    elapsed = max((until - started).total_seconds(), 0.0) if started else 0.0
    left = counts["running"] + counts["waiting"]
    estimate: Optional[float] = None
    if not left:
        estimate = 0.0
    elif counts["done"]:
        estimate = round(elapsed / counts["done"] * left, 1)
    return {
        "id": job.get("id"),
        "status": job.get("status"),
        "total": total,
        **counts,
        "started": started.strftime(DATE) if started else None,
        "elapsed": round(elapsed, 1),
        "estimate": estimate,
    }


def log_rows(path: Optional[str], search: Optional[str], reverse: bool, skip: int, limit: int) -> List[Dict[str, Any]]:
    """The lines of the log at ``path`` (none when it does not exist yet), optionally only those holding ``search``."""
    if not path:
        return []
    try:
        with open(path, "rb") as stream:
            stream.seek(0, 2)
            size = stream.tell()
            stream.seek(max(size - MAX_LOG_BYTES, 0))
            text = stream.read().decode("utf-8", "replace")
    except OSError:
        return []
    rows = [{"line": number, "text": line} for number, line in enumerate(text.splitlines(), 1)]
    return page_rows(rows, search, reverse, skip, limit)


def page_rows(
    rows: List[Dict[str, Any]], search: Optional[str], reverse: bool, skip: int, limit: int
) -> List[Dict[str, Any]]:
    """Log rows holding ``search`` (any case), in reverse when asked, ``skip`` of them left out, ``limit`` kept."""
    if search:
        rows = [row for row in rows if search.lower() in str(row["text"]).lower()]
    if reverse:
        rows = rows[::-1]
    rows = rows[skip:]
    return rows[:limit] if limit else rows


class StatusLog:
    """The workspace's log: each status line told to the stand-in (jobs created, statuses, warnings), dated, the
    last ``MAX_STATUS_LINES`` kept in memory; every line is passed on to ``on_status``."""

    def __init__(self, on_status: Optional[Callable[[str], None]] = None) -> None:
        self.on_status = on_status or (lambda line: None)
        self._lines: Deque[Dict[str, Any]] = collections.deque(maxlen=MAX_STATUS_LINES)
        self._count = 0
        self._lock = threading.Lock()

    def __call__(self, line: str) -> None:
        with self._lock:
            self._count += 1
            self._lines.append({"line": self._count, "date": utc_timestamp(), "text": line})
        self.on_status(line)

    def rows(self, entity_id: Optional[str]) -> List[Dict[str, Any]]:
        """Every kept line, or those naming ``entity_id`` (a job's)."""
        with self._lock:
            rows = list(self._lines)
        return [row for row in rows if entity_id in row["text"]] if entity_id else rows


def combined_metrics(metrics: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
    """The metrics of several jobs (a queue's, the workspace's): how many jobs, by status, and their tasks counted."""
    statuses: Dict[str, int] = {}
    for each in metrics:
        statuses[str(each.get("status"))] = statuses.get(str(each.get("status")), 0) + 1
    counted = ("total", *COUNTED)
    return {"jobs": len(metrics), "statuses": statuses, **{name: sum(m[name] for m in metrics) for name in counted}}


def moment(value: Any) -> Optional[datetime.datetime]:
    """A stored timestamp as a time; None for anything else."""
    try:
        return datetime.datetime.strptime(str(value), DATE)
    except ValueError:
        return None
