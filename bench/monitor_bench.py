"""The job monitor's refresh on a big workspace: requests per refresh, its time, and the longest UI-thread stall.

    QT_QPA_PLATFORM=offscreen python bench/monitor_bench.py [--jobs 100] [--tasks 1000] [--refreshes 12]

The stand-in accsyn, in a process of its own and without its farm (nothing changes underneath), holds ``--jobs``
jobs of ``--tasks`` tasks each, all the artist's; half are finished (aborted or paused every other one), and the
selected job has tasks done, failed, on hold and waiting. The real monitor (ui/monitor.py) refreshes
``--refreshes`` times, each after the last has been shown. A 1 ms timer on the UI thread records the gaps between
its ticks meanwhile (as bench/dialog_bench.py does): the longest gap is the longest time the UI could not answer.
Baseline: the same timer with nothing to do. ``--no-delay``: the stand-in sends each reply at once (TCP_NODELAY);
without it each reply, written as headers then body, waits for the client's delayed ACK (about 40 ms on Linux).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "common")]
from ui_stall import StallMeter  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run_until(app: Any, done: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the monitor did not refresh in time")
        app.processEvents()
        time.sleep(0.0005)


DEMO_USER = "artist@example.com"
DEMO_KEY = "demo-0000-standin-key"
SERVER = (
    "import sys\n"
    "from accsyn_dcc.standin import server\n"
    "server._JsonHandler.disable_nagle_algorithm = sys.argv[2] == 'nodelay'\n"
    "from accsyn_dcc.cli import main\n"
    "sys.exit(main(['server', '--port', '0', '--data', sys.argv[1]]))\n"
)


@contextlib.contextmanager
def standin_process(data: str, no_delay: bool) -> Iterator[int]:
    """The stand-in accsyn in a process of its own (as accsyn is elsewhere: its work takes no time from the UI
    thread here); its port."""
    command = [sys.executable, "-c", SERVER, data, "nodelay" if no_delay else "delay"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "common"), os.environ.get("PYTHONPATH", "")]))
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().split("127.0.0.1:")[1].split("/")[0])
        yield port
    finally:
        server.terminate()
        server.wait(30)


def fill(client: Any, jobs: int, tasks: int) -> str:
    """``jobs`` jobs of ``tasks`` tasks; every other one finished; the newest has tasks in every state."""
    newest = ""
    for number in range(jobs):
        payload = {"engine": "blender", "input": "share=projects/a.blend", "name": f"shot{number:03d}",
                   "range": f"1-{tasks}", "settings": {"task_bucketsize": "1"}}  # fmt: skip
        newest = str(client.create_compute_job(payload)["id"])
        if number % 2:
            {0: client.abort_job, 1: client.pause_job}[number % 4 // 2](newest)
    found = client.find_tasks(newest)
    states = ["done"] * (tasks * 6 // 10) + ["failed"] * (tasks // 50) + ["onhold"] * 5
    client.update_tasks(newest, [{"id": task["id"], "status": status} for task, status in zip(found, states)])
    return newest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--refreshes", type=int, default=12)
    parser.add_argument("--no-delay", action="store_true", help="the stand-in sends each reply at once (TCP_NODELAY)")
    args = parser.parse_args()

    from accsyn_dcc.api import connect
    from accsyn_dcc.credentials import Credentials
    from accsyn_dcc.ui.job_watch import JobWatcher
    from accsyn_dcc.ui.monitor import JobMonitor
    from accsyn_dcc.ui.qt import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    meter = StallMeter(QtCore)
    meter.start()
    idle_until = time.monotonic() + 2.0
    run_until(app, lambda: time.monotonic() > idle_until, 5)
    baseline = meter.stop()

    with tempfile.TemporaryDirectory() as data, standin_process(data, args.no_delay) as port:
        client = connect(Credentials("demo", DEMO_USER, DEMO_KEY, proxy=f"127.0.0.1:{port}"))
        started = time.perf_counter()
        newest = fill(client, args.jobs, args.tasks)
        filled = time.perf_counter() - started
        monitor = JobMonitor(JobWatcher(lambda: client), interval_ms=3_600_000)
        monitor.resize(1100, 720)
        monitor.show()
        shown: List[Any] = []
        monitor.polled.connect(shown.append)
        run_until(app, lambda: bool(shown), 60)  # the first look, at opening (no job selected)
        monitor.select_job(newest)
        run_until(app, lambda: len(shown) == 2, 60)
        figures: List[Dict[str, float]] = []
        meter.start()
        for _refresh in range(args.refreshes):
            count = len(shown)
            asked = time.perf_counter()
            monitor.refresh()
            run_until(app, lambda: len(shown) > count, 60)  # noqa: B023 (waited for here, in this iteration)
            figures.append({"seconds": time.perf_counter() - asked, "requests": shown[-1].requests})
        stall = meter.stop()
        assert len(monitor.jobs_model.rows) == args.jobs and len(monitor.tasks_model.rows) == args.tasks
        monitor.close()
        monitor.deleteLater()
        app.processEvents()

    seconds = [figure["seconds"] for figure in figures]
    requests = [int(figure["requests"]) for figure in figures]
    delay = "replies sent at once" if args.no_delay else "replies wait for the delayed ACK"
    print(f"workspace: {args.jobs} jobs x {args.tasks} tasks (made in {filled:.1f} s); stand-in: {delay}")
    print(f"refresh (job list + selected job's {args.tasks} tasks), {args.refreshes} runs:")
    print(f"  time   median {statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")
    print(
        f"  requests per refresh: first {requests[0]}, then median {statistics.median(requests):g}, max {max(requests)}"
    )
    print(f"  longest UI-thread stall {stall * 1000:.1f} ms (baseline, idle timer: {baseline * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
