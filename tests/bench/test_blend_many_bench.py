"""The many-scenes benchmark counts what it claims (a tiny run; no timing is asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))

pytestmark = pytest.mark.blender


def test_every_way_of_the_benchmark_reads_each_scene_it_made(tmp_path):
    from blend_many_bench import build, measure

    files = build(tmp_path, scenes=2, textures=2)
    figures = measure(files, runs=1)
    assert figures["all"][1] == figures["each"][1] == [2 + 2, 2 + 2]  # its textures, the library and its image
    assert figures["bat"][1] == [2 + 1, 2 + 1]  # BAT lists the library, not the image the library reads
    assert all(seconds > 0 for seconds, _found in figures.values())
