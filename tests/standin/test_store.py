"""The stand-in's store reads only the rows of the tasks asked for: a frame reported done costs one row, not the
job's every task (a long job's frames would otherwise cost the square of its length)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accsyn_dcc.standin.store import Store, new_task


def test_the_tasks_of_a_few_items_are_read_without_the_jobs_other_rows(tmp_path: Path, monkeypatch) -> None:
    store = Store(str(tmp_path))
    job = {"id": "job1", "name": "comp"}
    store.add_job(job, "fingerprint", "1-2000")
    done = [dict(new_task(job, str(frame)), status="done") for frame in range(1, 1201)]
    store.save_tasks(done)

    def every_row(job_id: str) -> dict:
        raise AssertionError("read every task row of the job")

    monkeypatch.setattr(store, "changed_tasks", every_row)
    assert [task["status"] for task in store.job_tasks("job1", ["5", "1500"])] == ["done", "queued"]
    items = [str(frame) for frame in range(1, 2001)]
    assert sum(task["status"] == "done" for task in store.job_tasks("job1", items)) == 1200  # past one query's ids


@pytest.mark.parametrize("items", [["1"], ["1", "3"]])
def test_a_job_stored_before_one_row_jobs_reads_its_tasks_rows(tmp_path: Path, items: list) -> None:
    store = Store(str(tmp_path))
    job = {"id": "old", "name": "comp"}
    store.add_job(job, "fingerprint", "1-3")
    store._db.execute("UPDATE jobs SET items = NULL WHERE id = 'old'")  # as an older data folder holds it
    rows = [dict(new_task(job, str(frame)), id=f"random-{frame}", status="done") for frame in (1, 2, 3)]
    store.save_tasks(rows)
    assert [task["id"] for task in store.job_tasks("old", items)] == [f"random-{item}" for item in items]
