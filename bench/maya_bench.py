"""Measure the Maya scans next to their baselines, in the same run.

    python bench/maya_bench.py [--folder /tmp/maya-bench] [--file-nodes 10000] [--mesh-mb 40] [--runs 3]
                               [--getattr-us 20]

Offline: the Maya ASCII reader on a generated scene (file nodes, render setup, and meshes whose vertex
arrays make up most of the bytes, as in real scenes) in MB/s, against a bare ``re.finditer`` pass over
the same text (strings, words and semicolons, nothing built from them), and the whole scan (``scan_file``:
project, layers, every texture checked on disk and each one's Arnold ``.tx`` looked for) in CPU time. Live:
the live scan of ``--file-nodes`` file nodes through the ``maya.cmds`` stand-in, each ``getAttr`` costing
``--getattr-us`` as in Maya: the longest main-thread stall (time between two progress calls, when the dialog repaints)
against reading every node in one go, as a collector without progress would. Each figure is the median.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT / "tests" / "fake_hosts", ROOT / "plugins" / "maya" / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from scan_bench import median_seconds  # noqa: E402

from accsyn_dcc.scan.maya.ascii import load_ascii  # noqa: E402
from accsyn_dcc.scan.maya.scanner import scan_file  # noqa: E402

BARE_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|;|[^\s;"]+')
"""The first baseline: every quoted string, semicolon and word, nothing built from them."""
BARE_STATEMENT = re.compile(r'(?:[^;"]+|"(?:[^"\\]|\\.)*")*;')
"""The second baseline: whole statements (a ``;`` outside strings ends one), nothing looked at inside."""


def make_big_ma(folder: str, file_nodes: int, mesh_mb: float) -> str:
    """A Maya ASCII scene with ``file_nodes`` textures (a tenth of them on disk) and about ``mesh_mb`` MB of meshes."""
    root = Path(folder)
    textures = root / "sourceimages"
    textures.mkdir(parents=True, exist_ok=True)
    parts = ["//Maya ASCII 2024 scene\n//Name: big.ma\n//Codeset: UTF-8\n", 'requires maya "2024";\n',
             "currentUnit -l centimeter -a degree -t film;\n"]  # fmt: skip
    for index in range(file_nodes):
        name = f"tex{index:05d}.exr"
        if index % 10 == 0:
            (textures / name).write_bytes(b"x")
        parts.append(
            f'createNode file -n "file{index}";\n\trename -uid "3A1B2900-0000-1F2E-5E7A-{index:012X}";\n'
            f'\tsetAttr ".ftn" -type "string" "{textures.as_posix()}/{name}";\n\tsetAttr ".cs" -type "string" "sRGB";\n'
            f'createNode place2dTexture -n "place2dTexture{index}";\n'
        )
    vertex_line = "\t\t " + " ".join(f"{value:.6f}" for value in (0.5, -0.25, 1.75) * 6) + "\n"
    lines_per_mesh = 2000
    meshes = max(1, int(mesh_mb * 1e6 / (len(vertex_line) * lines_per_mesh)))
    for index in range(meshes):
        count = lines_per_mesh * 6
        parts.append(
            f'createNode transform -n "geo{index}";\ncreateNode mesh -n "geoShape{index}" -p "geo{index}";\n'
            f'\tsetAttr -k off ".v";\n\tsetAttr -s {count} ".vt[0:{count - 1}]"\n'
            + vertex_line * lines_per_mesh
            + "\t\t;\n"
        )
    parts.append(
        "select -ne :defaultRenderGlobals;\n\tsetAttr \".ren\" -type \"string\" \"arnold\";\n\tsetAttr \".an\" yes;\n"
        "\tsetAttr \".fs\" 1001;\n\tsetAttr \".ef\" 1100;\n// End of big.ma\n"
    )
    scene = root / "scenes" / "big.ma"
    scene.parent.mkdir(parents=True, exist_ok=True)
    scene.write_text("".join(parts), encoding="utf-8")
    return str(scene)


def measure_offline(scene: str, runs: int) -> Dict[str, float]:
    text = Path(scene).read_text(encoding="utf-8")
    size_mb = len(text.encode()) / 1e6
    nodes = len(load_ascii(scene).nodes)
    read = median_seconds(lambda: load_ascii(scene), runs)
    bare = median_seconds(lambda: sum(1 for _ in BARE_TOKEN.finditer(text)), runs)
    statements = median_seconds(lambda: sum(1 for _ in BARE_STATEMENT.finditer(text)), runs)
    read_cpu = median_cpu_seconds(lambda: load_ascii(scene), runs)
    scan_cpu = median_cpu_seconds(lambda: scan_file(scene), runs)
    return {"size_mb": size_mb, "nodes": nodes, "read_s": read, "bare_s": bare, "statements_s": statements,
            "read_mb_s": size_mb / read, "bare_mb_s": size_mb / bare, "read_cpu_s": read_cpu,
            "scan_cpu_s": scan_cpu}  # fmt: skip


def median_cpu_seconds(action: Callable[[], object], runs: int) -> float:
    """The median CPU time of ``action`` (this process's, so a busy machine's other work is not counted)."""
    times: List[float] = []
    for _ in range(runs):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times)


def measure_live(file_nodes: int, getattr_seconds: float, runs: int) -> Dict[str, float]:
    from accsyn_maya import live_scan
    from maya import _scene

    def fresh() -> None:
        state = _scene.reset(scene_name="/show/scenes/big.ma")
        for index in range(file_nodes):
            _scene.add_node("file", f"file{index}", {"fileTextureName": f"/show/tex/t{index}.exr"},
                            {"ftn": "fileTextureName"})  # fmt: skip
        if getattr_seconds:
            state.on_getattr = lambda plug: _busy_wait(getattr_seconds)

    def scan_with_progress() -> Tuple[float, float, int]:
        fresh()
        stamps: List[float] = [time.perf_counter()]
        live_scan.collect(progress=lambda done, total: stamps.append(time.perf_counter()))
        stamps.append(time.perf_counter())
        gaps = [later - earlier for earlier, later in zip(stamps, stamps[1:])]
        return max(gaps), stamps[-1] - stamps[0], len(stamps) - 2

    def read_in_one_go() -> float:
        fresh()
        started = time.perf_counter()
        live_scan.collect()  # with no progress callback the dialog could not repaint until the end
        return time.perf_counter() - started

    stalls, totals, calls = zip(*(scan_with_progress() for _ in range(runs)))
    one_go = statistics.median(read_in_one_go() for _ in range(runs))
    return {"nodes": file_nodes, "longest_stall_s": statistics.median(stalls), "total_s": statistics.median(totals),
            "progress_calls": calls[0], "one_go_stall_s": one_go}  # fmt: skip


def _busy_wait(seconds: float) -> None:
    """Spend ``seconds`` on this thread as a Maya command would (``time.sleep`` is far too coarse for microseconds)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="/tmp/maya-bench")
    parser.add_argument("--file-nodes", type=int, default=10_000)
    parser.add_argument("--mesh-mb", type=float, default=40.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--getattr-us", type=float, default=20.0)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    scene = make_big_ma(args.folder, args.file_nodes, args.mesh_mb)
    offline = measure_offline(scene, args.runs)
    print(f"offline .ma read: {offline['size_mb']:.1f} MB, {offline['nodes']:.0f} nodes kept: "
          f"{offline['read_s']:.3f} s ({offline['read_mb_s']:.0f} MB/s); bare re.finditer pass "
          f"{offline['bare_s']:.3f} s ({offline['bare_mb_s']:.0f} MB/s); "
          f"{offline['read_s'] / offline['bare_s']:.2f}x the baseline; bare statement pass "
          f"{offline['statements_s']:.3f} s, {offline['read_s'] / offline['statements_s']:.2f}x")  # fmt: skip
    print(f"offline CPU time: read {offline['read_cpu_s']:.3f} s; whole scan {offline['scan_cpu_s']:.3f} s")
    live = measure_live(args.file_nodes, args.getattr_us / 1e6, args.runs)
    print(f"live scan, {live['nodes']:.0f} file nodes at {args.getattr_us:.0f} us per getAttr: longest main-thread "
          f"stall {live['longest_stall_s'] * 1000:.1f} ms ({live['progress_calls']:.0f} progress calls, "
          f"{live['total_s']:.2f} s in all); read in one go: {live['one_go_stall_s'] * 1000:.0f} ms stall")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
