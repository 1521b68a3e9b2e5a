"""Create a job of many frames on the stand-in (over HTTP, as a submitter does) and measure it.

    python bench/job_create_bench.py [--frames 100000] [--bucket 1] [--repeat 3]

For each run: the time of ``compute/create``, of listing every task (``task/find``), of reading the job's
metrics, the database's growth and the task folders made (none: the farm is not running, and folders are made
only when a bucket starts).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))


def measure(frames: int, bucket: int, data_dir: str) -> Dict[str, float]:
    from accsyn_dcc.api import connect
    from accsyn_dcc.credentials import Credentials
    from accsyn_dcc.standin import StandinServer
    from accsyn_dcc.standin.store import DATABASE_NAME

    with StandinServer(data_dir) as server:
        user = server.seed["users"][0]
        client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{server.port}"))
        client.find_jobs()  # log in first: only the job is timed
        database = os.path.join(data_dir, DATABASE_NAME)
        before = os.path.getsize(database)
        started = time.perf_counter()
        job = client.create_compute_job({"engine": "blender", "input": "share=projects/a.blend",
                                         "output": "share=projects/out", "range": f"1-{frames}",
                                         "settings": {"task_bucketsize": str(bucket)}})  # fmt: skip
        created = time.perf_counter() - started
        growth = os.path.getsize(database) - before
        started = time.perf_counter()
        count = len(client.find_tasks(job["id"]))
        listed = time.perf_counter() - started
        started = time.perf_counter()
        client.job_metrics(job["id"])
        metrics = time.perf_counter() - started
        client.close()
    folders = sum(len(names) for _, names, _ in os.walk(os.path.join(data_dir, "farm")))
    assert count == frames, f"{count} tasks listed for {frames} frames"
    return {"create_s": created, "db_growth_kb": growth / 1024, "list_tasks_s": listed, "metrics_s": metrics,
            "task_folders": folders}  # fmt: skip


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--bucket", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="accsyn-job-bench-") as folder:
            runs.append(measure(args.frames, args.bucket, folder))
    print(f"{args.frames} frames, bucket {args.bucket}, {args.repeat} run(s), median:")
    for name in runs[0]:
        print(f"  {name:14} {statistics.median(run[name] for run in runs):10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
