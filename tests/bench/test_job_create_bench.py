"""The job-creation benchmark measures what it claims (a small job; no timing is asserted)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))

from job_create_bench import measure


def test_the_benchmark_lists_every_task_and_counts_no_folder(tmp_path):
    figures = measure(1000, 1, str(tmp_path / "data"))
    assert set(figures) == {"create_s", "db_growth_kb", "list_tasks_s", "metrics_s", "task_folders"}
    assert figures["task_folders"] == 0 and figures["db_growth_kb"] < 64
