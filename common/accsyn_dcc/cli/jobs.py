"""Follow and steer jobs from a shell: ``jobs``, ``job ID`` (``--watch``, ``--log ITEM``), ``pause``, ``resume``,
``abort``, ``requeue`` and ``engines``.

``job ID`` exits 0 only for a job that is done, 1 for a failed or aborted one, ``NOT_FINISHED`` for one still
waiting, running or paused. What accsyn says is printed without its control characters and without the API key
or session in any form.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, Callable, Dict, List, Optional

from accsyn_dcc.api import AccsynClient, connect_configured
from accsyn_dcc.cli.terminal import one_line
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.ui.job_watch import FINISHED, duration_text, newest_first, seconds_of

NOT_FINISHED = 3
"""Exit code of ``job ID`` for a job still waiting, running or paused (and of ``--watch`` when it times out)."""
JOB_HEADER = ["ID", "NAME", "USER", "ENGINE", "STATUS", "RANGE", "CREATED"]
WATCH_SECONDS = 24 * 3600.0
TASKS_SHOWN = 50
"""Tasks ``job ID`` lists unless asked for more (a job of 100,000 frames has as many tasks)."""
TASK_ORDER = {"failed": 0, "executing": 1}
"""Listed first, in this order; the others keep accsyn's order."""


def register(subparsers: Any) -> None:
    jobs = subparsers.add_parser("jobs", help="list the workspace's Compute jobs, newest first")
    jobs.add_argument("--all", action="store_true", help="include finished and aborted jobs")
    jobs.add_argument("--limit", type=int, default=None, help="at most this many jobs (the newest)")
    jobs.add_argument("--status", default=None, help="only jobs with this status (e.g. running, failed)")
    jobs.add_argument("--user", default=None, help="only jobs of this user (e-mail or id)")
    jobs.add_argument("--name", default=None, help="only jobs whose name holds this text")
    jobs.add_argument("--json", action="store_true", help="print the jobs as JSON")
    jobs.set_defaults(handler=run_jobs)
    job = subparsers.add_parser("job", help="show one Compute job: progress, tasks, reasons (exit 0 only if done)")
    job.add_argument("job_id", metavar="ID", help="the job id")
    job.add_argument("--watch", action="store_true", help="show a live progress line until the job ends")
    job.add_argument("--timeout", type=float, default=WATCH_SECONDS, help="stop watching after this many seconds")
    job.add_argument("--interval", type=float, default=2.0, help="seconds between looks with --watch (default 2)")
    job.add_argument("--log", metavar="ITEM", default=None, help="print the log of the task of this item (frame)")
    job.add_argument(
        "--tasks", type=int, default=TASKS_SHOWN, metavar="N",
        help=f"list at most N tasks, failed and running first (default {TASKS_SHOWN}; 0: every task)",
    )  # fmt: skip
    job.set_defaults(handler=run_job)
    for name, verb in (("pause", "pause a job: it starts no new task"), ("resume", "resume a paused or aborted job"),
                       ("abort", "abort a job: its running tasks are stopped")):  # fmt: skip
        command = subparsers.add_parser(name, help=verb)
        command.add_argument("job_id", metavar="ID", help="the job id")
        command.set_defaults(handler=run_status_change, change=name)
    requeue = subparsers.add_parser("requeue", help="render a job's failed tasks again (or the given items)")
    requeue.add_argument("job_id", metavar="ID", help="the job id")
    requeue.add_argument("--items", default=None, metavar="RANGE", help="these items (e.g. 12-14), any status")
    requeue.set_defaults(handler=run_requeue)
    engines = subparsers.add_parser("engines", help="list the workspace's compute engines")
    engines.set_defaults(handler=run_engines)


Shown = Callable[[Any], str]


def _shown_by(session: AccsynClient) -> Shown:
    """How the server's values are printed: scrubbed of the session's secrets, on one line, escaped."""
    return lambda value: one_line(session.scrub("" if value is None else str(value)))


def _table(rows: List[List[Any]], header: List[str], shown: Shown) -> None:
    cells = [header, *[[shown(cell) for cell in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def _job_row(job: Dict[str, Any]) -> List[Any]:
    return [job.get("id", ""), job.get("name") or job.get("code") or "", _user(job), job.get("engine") or "",
            job.get("status") or "", job.get("range") or "", job.get("created") or ""]  # fmt: skip


def _user(job: Dict[str, Any]) -> str:
    return str(job.get("user_hr") or job.get("user") or "")


# -- jobs ----------------------------------------------------------------------------------------------------


def run_jobs(args: argparse.Namespace) -> int:
    query = _jobs_query(args.status, args.name)
    finished = args.all or (args.status or "").lower() in FINISHED
    with connect_configured() as session:
        jobs = session.search_jobs(query, finished=finished)
    if args.user:
        wanted = args.user.lower()
        jobs = [job for job in jobs if wanted in (_user(job).lower(), str(job.get("user", "")).lower())]
    jobs = newest_first(jobs)
    jobs = jobs[: args.limit] if args.limit and args.limit > 0 else jobs
    if args.json:
        print(session.scrub(json.dumps(jobs, indent=2)))
        return 0
    if not jobs:
        print("no jobs")
        return 0
    _table([_job_row(job) for job in jobs], JOB_HEADER, _shown_by(session))
    return 0


def _jobs_query(status: Optional[str], name: Optional[str]) -> Optional[str]:
    """The accsyn query of ``jobs``'s filters (values quoted; a double quote cannot be searched for)."""
    parts = []
    for attribute, value in (("status", status), ("name", f"*{name}*" if name else None)):
        if value is None:
            continue
        if '"' in value:
            raise AccsynDccError(f"--{attribute}: a double quote cannot be searched for")
        parts.append(f'{attribute}="{value}"')
    return " AND ".join(parts) or None


# -- job ID --------------------------------------------------------------------------------------------------


def run_job(args: argparse.Namespace) -> int:
    with connect_configured() as session:
        shown = _shown_by(session)
        job = _job(session, args.job_id)
        if args.log is not None:
            return _print_log(session, job, args.log, shown)
        if args.watch:
            job = _watch(session, job, args.timeout, args.interval, shown)
        tasks = session.find_tasks(job["id"])
        metrics = session.job_metrics(job["id"])
    _table([_job_row(job)], JOB_HEADER, shown)
    print(shown(summary(metrics)))
    reason = (job.get("metadata") or {}).get("reason")
    if reason:
        print(f"reason: {shown(reason)}")
    print()
    listed = sorted(tasks, key=lambda task: TASK_ORDER.get(str(task.get("status")), len(TASK_ORDER)))
    listed = listed[: args.tasks] if args.tasks > 0 else listed
    rows = [[task.get("uri", ""), task.get("status", ""), task.get("node") or "", task.get("started") or "",
             task.get("finished") or "", _duration(task.get("time")),
             (task.get("metadata") or {}).get("reason", "") if task.get("status") == "failed" else ""]
            for task in listed]  # fmt: skip
    _table(rows, ["ITEM", "STATUS", "NODE", "START", "END", "DURATION", "REASON"], shown)
    if len(listed) < len(tasks):
        print(f"... and {len(tasks) - len(listed)} more tasks (--tasks 0 lists every one)")
    failed = [task for task in tasks if task.get("status") == "failed"]
    if failed:
        print(f"\nlog of a task: accsyn-dcc job {shown(job['id'])} --log {shown(failed[0].get('uri'))}")
    return exit_code(str(job.get("status")))


def exit_code(status: str) -> int:
    if status == "done":
        return 0
    return 1 if status in ("failed", "aborted") else NOT_FINISHED


def _job(session: AccsynClient, job_id: str) -> Dict[str, Any]:
    job = session.find_job(job_id)
    if job is None:
        raise AccsynDccError(f"no job {one_line(job_id)}")
    return job


def summary(metrics: Dict[str, Any]) -> str:
    """One line: done/failed/running/waiting of total, elapsed, estimate."""
    counts = ", ".join(f"{name} {metrics.get(name, 0)}" for name in ("done", "failed", "running", "waiting"))
    estimate = metrics.get("estimate")
    left = "" if estimate is None else f", about {_duration(estimate)} left" if estimate else ""
    total = metrics.get("total", 0)
    share = f" ({100 * int(metrics.get('done', 0)) // total}%)" if total else ""
    return f"{metrics.get('status')}: {counts} of {total}{share}; elapsed {_duration(metrics.get('elapsed'))}{left}"


def _duration(seconds: Any) -> str:
    return duration_text(seconds_of(seconds))


def _watch(session: AccsynClient, job: Dict[str, Any], timeout: float, interval: float, shown: Shown) -> Dict[str, Any]:
    """A progress line, redrawn while the job runs (a new line each change when not on a terminal); at most
    ``timeout`` seconds; Ctrl-C ends it quietly."""
    deadline = time.monotonic() + max(timeout, 0.0)
    live = sys.stdout.isatty()
    last = ""
    try:
        while True:
            line = shown(summary(session.job_metrics(job["id"])))
            if line != last:
                sys.stdout.write(f"\r\x1b[2K{line}" if live else f"{line}\n")
                sys.stdout.flush()
                last = line
            job = _job(session, job["id"])
            if job.get("status") in FINISHED:
                break
            if time.monotonic() >= deadline:
                sys.stdout.write("\n" if live else "")
                raise AccsynDccError(f"job {shown(job['id'])} still {shown(job.get('status'))} after {timeout:g} s")
            time.sleep(max(0.1, min(interval, deadline - time.monotonic())))
    except KeyboardInterrupt:
        sys.stdout.write("\n" if live else "")
        raise
    sys.stdout.write("\n\n" if live else "\n")
    return job


def _print_log(session: AccsynClient, job: Dict[str, Any], item: str, shown: Shown) -> int:
    task = next((task for task in session.find_tasks(job["id"]) if str(task.get("uri")) == item), None)
    if task is None:
        raise AccsynDccError(f"job {shown(job['id'])} has no task {one_line(item)}")
    lines = session.task_log(str(task["id"]))
    if not lines:
        print(f"task {shown(item)} has no log yet ({shown(task.get('status'))})")
    for line in lines:
        print(shown(line))
    return 0


# -- pause, resume, abort, requeue ---------------------------------------------------------------------------


def run_status_change(args: argparse.Namespace) -> int:
    with connect_configured() as session:
        change = {"pause": session.pause_job, "resume": session.resume_job, "abort": session.abort_job}[args.change]
        job = change(args.job_id)
        print(f"job {_shown_by(session)(job.get('id'))}: {_shown_by(session)(job.get('status'))}")
    return 0


def run_requeue(args: argparse.Namespace) -> int:
    with connect_configured() as session:
        shown = _shown_by(session)
        job = _job(session, args.job_id)
        tasks = session.find_tasks(job["id"])
        if args.items is None:
            chosen = [task for task in tasks if task.get("status") == "failed"]
        else:
            wanted = {str(frame) for frame in FrameRange.parse(args.items, "--items").frames()}
            chosen = [task for task in tasks if str(task.get("uri")) in wanted]
            unknown = sorted(wanted - {str(task.get("uri")) for task in chosen}, key=len)
            if unknown:
                raise AccsynDccError(f"job {shown(job['id'])} has no task for item(s) {', '.join(unknown[:10])}")
        if not chosen:
            print(f"job {shown(job['id'])} has no failed tasks; nothing requeued")
            return 0
        session.update_tasks(job["id"], [{"id": task["id"], "status": "queued"} for task in chosen])
    items = FrameRange.from_runs((int(t["uri"]), int(t["uri"])) for t in chosen) if _numbered(chosen) else None
    print(f"job {shown(job['id'])}: {len(chosen)} task(s) queued again ({shown(items or chosen[0].get('uri'))})")
    if job.get("status") in ("paused", "aborted"):
        print(f"the job is {shown(job['status'])}: they render when it resumes (accsyn-dcc resume {shown(job['id'])})")
    return 0


def _numbered(tasks: List[Dict[str, Any]]) -> bool:
    return all(str(task.get("uri", "")).lstrip("-").isdigit() for task in tasks)


def run_engines(args: argparse.Namespace) -> int:
    with connect_configured() as session:
        engines = session.find_engines()
    rows = [[engine.code, engine.label, engine.settings.filename_extensions, engine.settings.default_bucketsize]
            for engine in engines]  # fmt: skip
    _table(rows, ["CODE", "NAME", "EXTENSIONS", "BUCKET"], _shown_by(session))
    return 0
