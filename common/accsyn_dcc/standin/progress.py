"""The stand-in's answers to ``<job type>/metrics`` (a job's progress) and ``log/find`` (a task's log).

Metrics of a job: how many of its tasks are done, failed, running (``executing``), waiting (``queued``, on hold),
excluded, of ``total``; ``started`` (its first task's start), ``elapsed`` seconds since (to its last task's end
once the job is finished) and ``estimate``, the seconds still needed at the pace so far (None before a task is
done). A task's log is its bucket's log, one row per line: ``{"line": n, "text": ...}``.
"""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Mapping, Optional, Sequence

DATE = "%Y-%m-%dT%H:%M:%S"
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
    starts = [moment for moment in (_moment(task.get("started")) for task in tasks) if moment is not None]
    ends = [moment for moment in (_moment(task.get("finished")) for task in tasks) if moment is not None]
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
    lines = list(enumerate(text.splitlines(), 1))
    if search:
        lines = [(number, line) for number, line in lines if search.lower() in line.lower()]
    rows: List[Dict[str, Any]] = [{"line": number, "text": line} for number, line in lines]
    if reverse:
        rows.reverse()
    rows = rows[skip:]
    return rows[:limit] if limit else rows


def _moment(value: Any) -> Optional[datetime.datetime]:
    try:
        return datetime.datetime.strptime(str(value), DATE)
    except ValueError:
        return None
