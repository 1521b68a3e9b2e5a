"""The Blender add-on's tests build their scenes with the .blend reader tests' ``blend_scenes`` (tests/scan/blend)."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[2]
for folder in (TESTS / "scan" / "blend",):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
