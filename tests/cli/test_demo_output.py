"""``accsyn-dcc demo`` (what ``make demo`` runs) prints its own progress and results and nothing else: no Python
warning, no Blender banner; run again, it renders the frames again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import List

import pytest

pytestmark = pytest.mark.blender

OURS = [
    r"building the demo scene in \S+",
    r"scanned \S+\.blend: \d+ dependencies, 0 missing",
    r"1 job, 3 frames in 3 tasks; dependencies sync \d+ files \([\d.]+ [KM]?B\)",
    r"\[[#.]{30}\] \d/3 tasks, 0 failed",
    r"job \w+: 3 frame\(s\) done, 0 bucket\(s\) failed",
    r"output: \S+",
    r"logs: +\S+",
    r"  rendered \S+beauty_000[123]\.png",
]


def demo_lines(output: str) -> List[str]:
    """The demo's output lines (stdout, then stderr), each state the progress bar draws (after a carriage return)
    a line of its own."""
    environ = {name: value for name, value in os.environ.items() if name != "PYTHONWARNINGS"}  # as make demo runs it
    result = subprocess.run(
        [sys.executable, "-m", "accsyn_dcc", "demo", "--output", output],
        capture_output=True, text=True, env=environ, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    printed = result.stdout + result.stderr  # the progress bar is drawn on stderr
    return [part for line in printed.splitlines() for part in line.split("\r") if part]


def test_the_demo_prints_only_its_progress_and_results_and_renders_again_when_run_again(tmp_path):
    for run in (1, 2):
        lines = demo_lines(str(tmp_path / "demo"))
        strangers = [line for line in lines if not any(re.fullmatch(pattern, line) for pattern in OURS)]
        assert strangers == [], f"run {run}"
        renders = tmp_path / "demo" / "renders"
        rendered = [f"  rendered {renders}/beauty_000{frame}.png" for frame in (1, 2, 3)]
        assert [line for line in lines if "rendered" in line] == rendered
