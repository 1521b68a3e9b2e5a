"""Measure the offline Houdini reader next to its baseline, in the same run.

    python bench/hip_bench.py [--folder /tmp/hip-bench] [--nodes 20000] [--runs 6]

A generated ``.hip`` (``--nodes`` transform SOPs and one File SOP in ten reading a sequence, in Houdini's
cpio sections) is read into the scene model in MB/s, against a bare ``re.finditer`` pass over the same
bytes (quoted strings and words, nothing built from them); then scanned in full (parse, variables,
file checks). Each figure is the least CPU time of the runs (the process's own, so a busy machine does
not inflate it).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Callable, Dict

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tests" / "scan" / "houdini") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "scan" / "houdini"))

from hip_files import HipFile, Node  # noqa: E402

from accsyn_dcc.scan.houdini import scan_file  # noqa: E402
from accsyn_dcc.scan.houdini.hip import load_hip  # noqa: E402

BARE_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[^\s"]+')
"""The baseline: every quoted string and word of the file, nothing built from them."""


def make_big_hip(folder: str, nodes: int) -> str:
    """A scene of ``nodes`` transform SOPs, with a File SOP reading a 100-frame sequence after every tenth."""
    hip = HipFile(Path(folder) / "big.hip", frame_range=(1001, 1100))
    for index in range(nodes):
        parms = {"tx": ["1.5"], "ty": ["0"], "tz": ["2"], "scale": ["1"], "group": [""]}
        hip.nodes.append(Node(f"/obj/geo{index // 50}/xform{index}", "xform", parms))
        if index % 10 == 0:
            sequence = f"$HIP/geo/g{index}.$F4.bgeo.sc"
            hip.nodes.append(Node(f"/obj/geo{index // 50}/file{index}", "file", {"file": [sequence]}))
    return str(hip.write())


def least_cpu_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return min(times)


def measure(scene: str, runs: int) -> Dict[str, float]:
    data = Path(scene).read_bytes()
    size_mb = len(data) / 1e6
    read = least_cpu_seconds(lambda: load_hip(scene), runs)
    bare = least_cpu_seconds(lambda: sum(1 for _ in BARE_TOKEN.finditer(data)), runs)
    full = least_cpu_seconds(lambda: scan_file(scene, environ={}), runs)
    return {"size_mb": size_mb, "nodes": len(load_hip(scene).nodes), "read_s": read, "bare_s": bare, "scan_s": full,
            "dependencies": len(scan_file(scene, environ={}).dependencies)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="/tmp/hip-bench")
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    Path(args.folder).mkdir(parents=True, exist_ok=True)
    figures = measure(make_big_hip(args.folder, args.nodes), args.runs)
    print(f".hip read: {figures['size_mb']:.1f} MB, {figures['nodes']:.0f} nodes: {figures['read_s']:.3f} s "
          f"({figures['size_mb'] / figures['read_s']:.0f} MB/s); bare re.finditer pass {figures['bare_s']:.3f} s; "
          f"{figures['read_s'] / figures['bare_s']:.2f}x the baseline")  # fmt: skip
    print(f"full scan: {figures['scan_s']:.3f} s for {figures['dependencies']:.0f} dependencies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
