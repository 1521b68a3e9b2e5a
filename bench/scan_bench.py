"""Measure the Nuke scan on a big script next to a naive per-frame baseline, in the same run.

    python bench/scan_bench.py SCRIPT.nk

Prints parse throughput (MB/s of .nk text), the full scan time (parse included), and the file-system
calls each approach makes: the scanner lists each folder once; the baseline calls os.path.exists per frame.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Dict, Tuple

from accsyn_dcc.scan.nuke import load_script, scan_file
from accsyn_dcc.tokens import PathPattern


class CallCounter:
    """Counts calls to os.scandir and os.path.exists while active (this process only)."""

    def __init__(self) -> None:
        self.counts: Dict[str, int] = {"scandir": 0, "exists": 0}
        self._saved: Dict[str, object] = {}

    def __enter__(self) -> CallCounter:
        for name, owner in (("scandir", os), ("exists", os.path)):
            original = getattr(owner, name)
            self._saved[name] = original

            def counting(*args: object, _name: str = name, _original: object = original, **kwargs: object) -> object:
                self.counts[_name] += 1
                return _original(*args, **kwargs)  # type: ignore[operator]

            setattr(owner, name, counting)
        return self

    def __exit__(self, *exc: object) -> None:
        os.scandir = self._saved["scandir"]  # type: ignore[assignment]
        os.path.exists = self._saved["exists"]  # type: ignore[assignment]


def measure(script_path: str) -> Dict[str, Tuple[float, ...]]:
    size_mb = os.path.getsize(script_path) / 1e6
    started = time.perf_counter()
    script = load_script(script_path)
    parse_seconds = time.perf_counter() - started

    with CallCounter() as scan_calls:
        started = time.perf_counter()
        result = scan_file(script_path, environ={})
        scan_seconds = time.perf_counter() - started
    frames = [int(frame) for frame in range(int(script.root["first_frame"]), int(script.root["last_frame"]) + 1)]

    with CallCounter() as naive_calls:
        started = time.perf_counter()
        missing = 0
        for dependency in result.dependencies:
            pattern = PathPattern.parse(dependency.path)
            for frame in frames if pattern.is_sequence else [None]:
                missing += not os.path.exists(pattern.with_values(frame))
        naive_seconds = time.perf_counter() - started
    return {
        "parse": (size_mb, parse_seconds, size_mb / parse_seconds, len(script.nodes)),
        "scan": (scan_seconds, scan_calls.counts["scandir"], scan_calls.counts["exists"], len(result.dependencies)),
        "naive": (naive_seconds, naive_calls.counts["exists"], missing),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script")
    figures = measure(parser.parse_args().script)
    size_mb, parse_seconds, throughput, nodes = figures["parse"]
    scan_seconds, listings, scan_exists, dependencies = figures["scan"]
    naive_seconds, exists_calls, missing = figures["naive"]
    print(f"parse:    {size_mb:.1f} MB, {int(nodes)} nodes in {parse_seconds:.2f} s = {throughput:.1f} MB/s")
    print(f"scan:     {scan_seconds:.2f} s for {int(dependencies)} dependencies; "
          f"{int(listings)} directory listings, {int(scan_exists)} os.path.exists calls")  # fmt: skip
    print(f"baseline: {naive_seconds:.2f} s with {int(exists_calls)} os.path.exists calls ({int(missing)} missing)")
    print(f"calls:    {int(listings)} listings instead of {int(exists_calls)} per-frame checks "
          f"({exists_calls / max(listings, 1):.0f}x fewer file-server round trips)")  # fmt: skip


if __name__ == "__main__":
    main()
