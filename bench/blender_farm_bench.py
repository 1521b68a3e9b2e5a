"""The same Blender scene and frames on the local farm, one frame per task against the engine's default buckets.

    python bench/blender_farm_bench.py OUT [--frames 20] [--workers 2] [--bucket 10]

On accsyn's own farm each task of the Blender engine starts Blender again; the local farm keeps one Blender per
worker across tasks and forks each task's engine from a Python kept per worker. This renders the demo scene's
frames twice in one run, with one frame per task and with buckets of ``--bucket`` frames, and prints both wall
times, their ratio, the time from a task's start to its first frame and the time of each further frame, read from
the task logs' timestamps.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

STAMP = re.compile(r"^!?\((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\)")


def render(root: Path, scene: str, frames: int, bucket: int, workers: int) -> Dict[str, float]:
    from session_helpers import scene_payload

    from accsyn_dcc.config import Settings
    from accsyn_dcc.farm import run_local
    from accsyn_dcc.paths import current_os

    settings = Settings({"workspace": {"volumes": [{"code": "projects", "paths": {current_os(): str(root / "p")}}]}})
    output = root / f"out-{bucket}"
    shutil.rmtree(output, ignore_errors=True)
    payload = scene_payload(scene, settings, engine="blender", range_text=f"1-{frames}", bucket_size=bucket,
                            output_folder=str(output))  # fmt: skip
    work = root / f"work-{bucket}"
    shutil.rmtree(work, ignore_errors=True)
    started = time.perf_counter()
    summary = run_local(payload, workers=workers, settings=settings, work_dir=str(work), progress=False)
    wall = time.perf_counter() - started
    if not summary.ok or len(summary.frames_done) != frames:
        raise SystemExit(f"bucket {bucket}: the render failed: {summary}")
    startups: List[float] = []
    gaps: List[float] = []
    for task in summary.tasks:
        lines = Path(task.log).read_text().splitlines()
        begun = next(_stamp(line) for line in lines if _stamp(line) is not None)
        saved = [_stamp(line) for line in lines if "Saved:" in line and _stamp(line) is not None]
        if saved:
            startups.append((saved[0] - begun).total_seconds())
            gaps += [(later - earlier).total_seconds() for earlier, later in zip(saved, saved[1:])]
    return {"wall": wall, "first_frame": statistics.median(startups), "frame": statistics.median(gaps or [0.0])}


def _stamp(line: str) -> Optional[datetime]:
    match = STAMP.match(line)
    return datetime.fromisoformat(match.group(1)) if match else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bucket", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from accsyn_dcc.demo import build_demo_project

    root = Path(args.out).resolve()
    scene = build_demo_project(str(root / "p"))
    results: Dict[int, List[Dict[str, float]]] = {1: [], args.bucket: []}
    for _ in range(args.runs):
        for bucket in results:
            results[bucket].append(render(root, scene, args.frames, bucket, args.workers))
    one = statistics.median(run["wall"] for run in results[1])
    many = statistics.median(run["wall"] for run in results[args.bucket])
    frame = statistics.median(run["frame"] for run in results[args.bucket])
    first = statistics.median(run["first_frame"] for run in results[1])
    print(f"{args.frames} frames of the demo scene on {args.workers} workers, median of {args.runs} runs:")
    print(f"  one frame per task:  {one:.2f} s ({args.frames} tasks)")
    print(f"  {args.bucket} frames per task: {many:.2f} s ({-(-args.frames // args.bucket)} tasks)")
    print(f"  one-frame tasks take {one / many:.2f}x the time of {args.bucket}-frame tasks")
    print(f"  start of a task to its first frame: {first:.2f} s; each further frame: {frame:.2f} s")
    if os.environ.get("ACCSYN_BENCH_KEEP") is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
