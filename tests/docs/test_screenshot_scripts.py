"""The README's screenshots are made by scripts over the real dialog and monitor: they must keep running as the
code changes (the dialog's script had stopped, on a changed session signature, unnoticed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("script", "images"),
    [
        ("make_screenshot.py", ["submit-dialog.png", "submit-dialog-dependencies.png"]),
        ("make_monitor_screenshot.py", ["monitor.png"]),
    ],
)
def test_a_screenshot_script_writes_its_images(script: str, images: list, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(DOCS / script), str(tmp_path)], env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for name in images:
        assert (tmp_path / name).stat().st_size > 10_000, name
