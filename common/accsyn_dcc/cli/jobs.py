"""``accsyn-dcc jobs``, ``accsyn-dcc job ID`` and ``accsyn-dcc engines``: look at the workspace from a shell.

What accsyn says is printed without its control characters and without the API key or session in any form.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable, Dict, List

from accsyn_dcc.api import AccsynClient, connect_configured
from accsyn_dcc.cli.terminal import one_line


def register(subparsers: Any) -> None:
    jobs = subparsers.add_parser("jobs", help="list the workspace's Compute jobs")
    jobs.add_argument("--all", action="store_true", help="include finished and aborted jobs")
    jobs.add_argument("--limit", type=int, default=None, help="at most this many jobs")
    jobs.set_defaults(handler=run_jobs)
    job = subparsers.add_parser("job", help="show one Compute job and its tasks")
    job.add_argument("job_id", metavar="ID", help="the job id")
    job.set_defaults(handler=run_job)
    engines = subparsers.add_parser("engines", help="list the workspace's compute engines")
    engines.set_defaults(handler=run_engines)


Shown = Callable[[Any], str]


def _shown_by(session: AccsynClient) -> Shown:
    """How the server's values are printed: scrubbed of the session's secrets, on one line, escaped."""
    return lambda value: one_line(session.scrub(str(value)))


def _table(rows: List[List[Any]], header: List[str], shown: Shown) -> None:
    cells = [header, *[[shown(cell) for cell in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def _job_row(job: Dict[str, Any]) -> List[Any]:
    return [job.get("id", ""), job.get("name") or job.get("code") or "", job.get("engine") or "",
            job.get("status") or "", job.get("range") or "", job.get("created") or ""]  # fmt: skip


def run_jobs(args: argparse.Namespace) -> int:
    with connect_configured() as session:
        jobs = session.find_jobs(finished=args.all, limit=args.limit)
    if not jobs:
        print("no jobs")
        return 0
    _table([_job_row(job) for job in jobs], ["ID", "NAME", "ENGINE", "STATUS", "RANGE", "CREATED"], _shown_by(session))
    return 0


def run_job(args: argparse.Namespace) -> int:
    with connect_configured() as session:
        shown = _shown_by(session)
        job = session.find_job(args.job_id)
        if job is None:
            print(f"no job {one_line(args.job_id)}")
            return 1
        tasks = session.find_tasks(args.job_id)
    _table([_job_row(job)], ["ID", "NAME", "ENGINE", "STATUS", "RANGE", "CREATED"], shown)
    print()
    _table([[task.get("uri", ""), task.get("status", ""), task.get("id", "")] for task in tasks],
           ["ITEM", "STATUS", "TASK"], shown)  # fmt: skip
    failed = [task for task in tasks if task.get("status") == "failed"]
    for task in failed:
        metadata = task.get("metadata") or {}
        reason = metadata.get("reason") or "no reason recorded"
        where = f" (log: {shown(metadata['log'])})" if metadata.get("log") else ""
        print(f"failed {shown(task.get('uri'))}: {shown(reason)}{where}")
    return 0


def run_engines(args: argparse.Namespace) -> int:
    with connect_configured() as session:
        engines = session.find_engines()
    rows = [[engine.code, engine.label, engine.settings.filename_extensions, engine.settings.default_bucketsize]
            for engine in engines]  # fmt: skip
    _table(rows, ["CODE", "NAME", "EXTENSIONS", "BUCKET"], _shown_by(session))
    return 0
