"""The benchmark's measuring code counts what it claims (a tiny run; no timing is asserted)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))

from make_big_script import make
from scan_bench import measure


def test_benchmark_counts_listings_and_per_frame_checks(tmp_path):
    script = make(str(tmp_path), nodes=40, reads=20, frames=10, reads_per_folder=5)
    figures = measure(script, latency=0.0, runs=1)
    assert figures["parse"][3] == 40 + 1
    _seconds, listings, dependencies = figures["scan"]
    assert (listings, dependencies) == (4, 20)
    floor_seconds, listing_seconds, ideal_seconds = figures["floor"]
    assert floor_seconds > listing_seconds > 0  # the floor is parsing plus listing
    assert ideal_seconds > listing_seconds  # the ideal adds a bare token pass and the names looked up
    _seconds, exists_calls, missing = figures["naive"]
    assert exists_calls == 20 * 10
    assert missing == 20


def test_maya_benchmark_reads_what_it_generates_and_counts_progress_calls(tmp_path):
    from maya_bench import make_big_ma, measure_live, measure_offline

    scene = make_big_ma(str(tmp_path), file_nodes=30, mesh_mb=0.05)
    offline = measure_offline(scene, runs=1)
    assert offline["nodes"] == 30 * 2 + 2 + 1  # file and place2dTexture nodes, one mesh and its transform, globals
    live = measure_live(file_nodes=100, getattr_seconds=0.0, runs=1)
    assert live["progress_calls"] == 100 // 25 + 1  # every 25 nodes, and once at the end


def test_houdini_benchmark_reads_what_it_generates(tmp_path):
    from hip_bench import make_big_hip, measure

    figures = measure(make_big_hip(str(tmp_path), nodes=30), runs=1)
    assert figures["nodes"] == 30 + 3 and figures["dependencies"] == 3  # a File SOP after every tenth transform
