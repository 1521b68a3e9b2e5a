"""One seeded mutator and one bounded run for every scene reader's fuzz test."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import AnyStr, Callable, Dict, Iterable, Mapping, Sequence, Union

from accsyn_dcc.errors import AccsynDccError

SECRET = "never-printed"
"""The API key every fuzzed scan is given: it must never reach a result or an error."""
SECONDS_PER_INPUT = 3.0
PEAK_BYTES = 200 * 1024 * 1024
_NUMBERS = ("0", "-1", str(10**30), str(2**63))
FUZZ_SCALE_ENV = "ACCSYN_DCC_FUZZ_SCALE"
"""How many times the usual number of mutations each fuzz test runs (1 in CI; a long run sets, e.g., 50)."""
FUZZ_SEED_ENV = "ACCSYN_DCC_FUZZ_SEED"
"""Starts another series of mutations (a long run's own seed); CI runs the series without one."""


def fuzz_rng(name: str) -> random.Random:
    """The seeded generator of the fuzz test ``name``: the same inputs every run, another series per seed."""
    return random.Random(f"{name}{os.environ.get(FUZZ_SEED_ENV, '')}")


def fuzz_count(count: int) -> int:
    """``count`` mutations times ``ACCSYN_DCC_FUZZ_SCALE``."""
    return count * max(1, int(os.environ.get(FUZZ_SCALE_ENV, "1") or 1))


def mutate(data: AnyStr, rng: random.Random, pieces: Sequence[AnyStr]) -> AnyStr:
    """One to four edits: insert (or overwrite with) a piece, cut a run, repeat a run, or insert a number."""
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(data) + 1)
        action = rng.random()
        if action < 0.4:
            piece = rng.choice(pieces)
            overwritten = len(piece) if rng.random() < 0.25 else 0
            data = data[:position] + piece + data[position + overwritten :]
        elif action < 0.7:
            data = data[:position] + data[min(len(data), position + rng.randint(1, 80)) :]
        elif action < 0.9:
            end = min(len(data), position + rng.randint(1, 200))
            data = data[:end] + data[position:end] + data[end:]
        else:
            number = rng.choice(_NUMBERS)
            data = data[:position] + (number.encode() if isinstance(data, bytes) else number) + data[position:]
    return data


def scan_each(
    scan_file: Callable[..., object], target: Path, inputs: Iterable[Union[str, bytes]], environ: Mapping[str, str]
) -> int:
    """Scan every input written to ``target``: a result or the typed error each, the key never shown, every input
    within ``SECONDS_PER_INPUT`` and all of them within ``PEAK_BYTES``. Returns how many gave a result."""
    slowest, results = 0.0, 0
    tracemalloc.start()
    try:
        for data in inputs:
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8", errors="surrogatepass")
            started = time.monotonic()
            try:
                result = scan_file(str(target), environ={**environ, "ACCSYN_API_KEY": SECRET})
            except AccsynDccError as error:
                assert SECRET not in str(error)
            else:
                results += 1
                assert SECRET not in repr(result.to_dict())
            slowest = max(slowest, time.monotonic() - started)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert slowest < SECONDS_PER_INPUT, f"one input took {slowest:.1f} s"
    assert peak < PEAK_BYTES, f"the scans peaked at {peak // 2**20} MiB"
    return results


_BOUNDED_SCAN = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
from accsyn_dcc.errors import AccsynDccError
scan_file = __import__(sys.argv[1], fromlist=["scan_file"]).scan_file
try:
    print(json.dumps({"result": scan_file(sys.argv[2], environ={}).to_dict()}))
except AccsynDccError as error:
    print(json.dumps({"error": str(error)}))
"""


def scan_bounded(scanner: str, target: Path, memory_bytes: int, seconds: float = 60.0) -> Dict[str, object]:
    """Scan ``target`` with ``scanner`` (a module's ``scan_file``) in a child process held to ``memory_bytes`` of
    address space: ``{"result": ...}`` or ``{"error": line}``. A child that runs out of memory (a traceback) or
    outlasts ``seconds`` fails the test."""
    completed = subprocess.run([sys.executable, "-c", _BOUNDED_SCAN, scanner, str(target), str(memory_bytes)],
                               capture_output=True, text=True, timeout=seconds)  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    answer: Dict[str, object] = json.loads(completed.stdout)
    return answer
