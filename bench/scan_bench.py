"""Measure the Nuke scan on a big script next to its baselines, in the same run.

    python bench/scan_bench.py SCRIPT.nk [--latency-ms 0.5] [--runs 3]

Parse: the script reader against a bare ``re.finditer`` token pass over the same text. Scan: the full
scan (parse, rules, file checks) against the bare per-frame calls: ``os.path.exists`` on each needed
file's path, the paths built before the clock starts. The file-system calls each makes are counted in
a run of their own, so the counting costs neither side time; ``--latency-ms`` adds that much sleep to
every ``os.listdir`` and ``os.path.exists`` call, as a file server's round trip would. Floor: parsing
plus listing the folders once each, the least any scan that lists folders must spend; and below it the
ideal: a parse as cheap as the bare token pass, the listings, and every needed file name built and
looked up in its folder's listing, with no rule, record or report at all. Each figure is the median of
the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import time
from typing import Callable, ContextManager, Dict, List, Tuple

from accsyn_dcc.scan.nuke import load_script, scan_file
from accsyn_dcc.tokens import PathPattern

BARE_TOKEN = re.compile(r'\{|\}|"(?:[^"\\]|\\.)*"|\[|\]|[^\s{}\[\]"]+|\n')
"""The baseline pass: braces, brackets, quoted strings, words and newlines, nothing built from them."""


class CallCounter:
    """Counts calls to os.listdir and os.path.exists while active (this process only), each delayed by ``latency``."""

    def __init__(self, latency: float = 0.0) -> None:
        self.counts: Dict[str, int] = {"listdir": 0, "exists": 0}
        self._saved: Dict[str, object] = {}
        self.latency = latency

    def __enter__(self) -> CallCounter:
        for name, owner in (("listdir", os), ("exists", os.path)):
            original = getattr(owner, name)
            self._saved[name] = original

            def counting(*args: object, _name: str = name, _original: object = original, **kwargs: object) -> object:
                self.counts[_name] += 1
                if self.latency:
                    time.sleep(self.latency)
                return _original(*args, **kwargs)  # type: ignore[operator]

            setattr(owner, name, counting)
        return self

    def __exit__(self, *exc: object) -> None:
        os.listdir = self._saved["listdir"]  # type: ignore[assignment]
        os.path.exists = self._saved["exists"]  # type: ignore[assignment]


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times: List[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(script_path: str, latency: float, runs: int) -> Dict[str, Tuple[float, ...]]:
    with open(script_path, encoding="utf-8") as stream:
        text = stream.read()
    size_mb = len(text.encode()) / 1e6
    script = load_script(script_path)
    parse_seconds = median_seconds(lambda: load_script(script_path), runs)
    bare_seconds = median_seconds(lambda: sum(1 for _ in BARE_TOKEN.finditer(text)), runs)

    def scan() -> object:
        return scan_file(script_path, environ={})

    def slowed() -> ContextManager[object]:
        """The injected latency while timing; nothing patched at all without one."""
        return CallCounter(latency) if latency else contextlib.nullcontext()

    with CallCounter() as scan_calls:
        result = scan_file(script_path, environ={})
    listings = scan_calls.counts["listdir"]
    with slowed():
        scan_seconds = median_seconds(scan, runs)
    frames = range(int(script.root["first_frame"]), int(script.root["last_frame"]) + 1)
    patterns = [PathPattern.parse(dependency.path) for dependency in result.dependencies]
    needed_paths: List[str] = []
    for pattern in patterns:
        needed_paths += [pattern.with_values(frame) for frame in (frames if pattern.is_sequence else [None])]

    def naive() -> int:
        exists = os.path.exists
        return sum(not exists(path) for path in needed_paths)

    with CallCounter() as naive_calls:
        missing = naive()
    exists_calls = naive_calls.counts["exists"]
    with slowed():
        naive_seconds = median_seconds(naive, runs)
    folders = sorted({os.path.dirname(pattern.path) for pattern in patterns})

    def list_folders() -> int:
        return sum(len(frozenset(os.listdir(folder))) for folder in folders)

    with slowed():
        listing_seconds = median_seconds(list_folders, runs)
    listed = {folder: frozenset(os.listdir(folder)) for folder in folders}
    sequences = [pattern.split_name() for pattern in patterns if pattern.is_sequence]

    def look_up_names() -> int:
        return sum(listed[folder].issuperset(name.frame_names(frames)) for folder, name in sequences)

    names_seconds = median_seconds(look_up_names, runs)
    return {
        "parse": (size_mb, parse_seconds, bare_seconds, len(script.nodes)),
        "scan": (scan_seconds, listings, len(result.dependencies)),
        "naive": (naive_seconds, exists_calls, missing),
        "floor": (parse_seconds + listing_seconds, listing_seconds, bare_seconds + listing_seconds + names_seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="sleep added to each file-system call")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    figures = measure(arguments.script, arguments.latency_ms / 1000, arguments.runs)
    size_mb, parse_seconds, bare_seconds, nodes = figures["parse"]
    scan_seconds, listings, dependencies = figures["scan"]
    naive_seconds, exists_calls, missing = figures["naive"]
    throughput = size_mb / parse_seconds
    print(f"parse:    {size_mb:.1f} MB, {int(nodes)} nodes in {parse_seconds:.3f} s ({throughput:.1f} MB/s); "
          f"bare token pass {bare_seconds:.3f} s; ratio {parse_seconds / bare_seconds:.1f}x")  # fmt: skip
    print(f"scan:     {scan_seconds:.3f} s for {int(dependencies)} dependencies, {int(listings)} directory listings")
    print(f"baseline: {naive_seconds:.3f} s for {int(exists_calls)} os.path.exists calls ({int(missing)} missing); "
          f"scan {naive_seconds / scan_seconds:.1f}x faster (latency {arguments.latency_ms} ms per call)")  # fmt: skip
    floor_seconds, listing_seconds, ideal_seconds = figures["floor"]
    print(f"floor:    parsing and listing the folders alone take {floor_seconds:.3f} s "
          f"(listing {listing_seconds:.3f} s): no scan that parses and lists can be more than "
          f"{naive_seconds / floor_seconds:.1f}x faster")  # fmt: skip
    print(f"ideal:    a bare token pass, the listings and every needed name looked up take {ideal_seconds:.3f} s: "
          f"{naive_seconds / ideal_seconds:.1f}x at most, with no rule, record or report")  # fmt: skip


if __name__ == "__main__":
    main()
