"""The unchanged official accsyn_api.Session() against the stand-in (ACCSYN_PROXY), and persistence."""

from __future__ import annotations

import json
from importlib import resources

import accsyn_api
import pytest
from accsyn_api.session import AccsynException

from accsyn_dcc.cli import main
from accsyn_dcc.standin import StandinServer

JOB = {"name": "sh020_comp", "engine": "nuke-15", "input": "share=projects/sh020/comp.nk", "range": "1001-1010"}


def test_login_create_find_tasks_and_pause(official_env):
    session = accsyn_api.Session()
    job = session.create("compute", dict(JOB))
    assert len(job["id"]) == 24 and job["status"] == "waiting"
    found = session.find_one(f"Compute WHERE id={job['id']}")
    assert found["name"] == "sh020_comp" and found["engine_hr"] == "Nuke 15"
    tasks = session.find("Task", entityid=job["id"])
    assert [task["uri"] for task in tasks] == [str(frame) for frame in range(1001, 1011)]  # one task per item
    assert session.update("compute", job["id"], {"status": "paused"})["status"] == "paused"
    assert session.find("Compute WHERE status=paused")[0]["id"] == job["id"]


def test_task_batch_edit_and_task_filters(official_env):
    session = accsyn_api.Session()
    job = session.create("compute", dict(JOB))
    first, second = session.find("Task", entityid=job["id"])[:2]
    edited = session.update_many("Task", job["id"], [{"id": first["id"], "status": "onhold"}])
    assert [task["status"] for task in edited] == ["onhold"]
    assert [task["id"] for task in session.find("Task WHERE status=onhold", entityid=job["id"])] == [first["id"]]
    with pytest.raises(AccsynException, match="cannot be set"):
        session.update_many("Task", job["id"], [{"id": second["id"], "status": "executing"}])


def test_legacy_job_create_with_app_and_code_aliases(official_env):
    session = accsyn_api.Session()
    job = session.create("job", {"code": "legacy", "app": "blender", "input": "share=projects/a.blend", "range": "1-2"})
    assert job["name"] == "legacy" and job["engine"] == "blender"
    assert [task["uri"] for task in session.find("Task", entityid=job["id"])] == ["1", "2"]


def test_refusals_reach_the_official_client_as_messages(official_env):
    session = accsyn_api.Session()
    with pytest.raises(AccsynException, match="no such engine"):
        session.create("compute", dict(JOB, engine="nuke-99"))
    with pytest.raises(AccsynException, match="range"):
        session.create("compute", dict(JOB, range="ten"))


def test_find_options_and_workspace_entities(official_env):
    session = accsyn_api.Session()
    ids = [session.create("compute", dict(JOB, name=f"job{index}"))["id"] for index in range(3)]
    assert [job["id"] for job in session.find("Compute", limit=2)] == ids[:2]
    assert [job["id"] for job in session.find("Compute", skip=2)] == ids[2:]
    assert [set(job) for job in session.find("Compute WHERE name=job1", attributes=["name"])] == [{"id", "name"}]
    session.update("compute", ids[0], {"status": "aborted"})
    assert session.find("Compute WHERE name=job0") == []
    assert session.find("Compute WHERE name=job0", finished=True)[0]["id"] == ids[0]
    assert session.find_one("Compute WHERE name=job0")["id"] == ids[0]  # single-entity queries fall back to finished
    seeded = json.loads((resources.files("accsyn_dcc") / "data" / "standin_seed.json").read_text(encoding="utf-8"))
    compute_engines = sorted(engine["code"] for engine in seeded["engines"] if engine["type"] == "compute")
    assert sorted(engine["code"] for engine in session.find("engine where type=compute")) == compute_engines
    assert session.find_one("Volume WHERE default=true")["code"] == "projects"
    assert session.find_one("Site WHERE main=true")["code"] == "hq"
    assert session.find_one("Queue WHERE name=low")["priority"] == 1
    assert "api_key" not in session.find_one("User WHERE code=artist@example.com")
    assert "compute" in session.find("entitytypes")


def test_bad_credentials_are_refused(official_env, monkeypatch):
    monkeypatch.setenv("ACCSYN_API_KEY", "wrong")
    with pytest.raises(AccsynException, match="Wrong workspace, user or API key"):
        accsyn_api.Session()


def test_jobs_survive_a_restart_and_are_listed_by_the_cli(official_env, monkeypatch, capsys):
    job = accsyn_api.Session().create("compute", dict(JOB))
    data_dir = official_env.data_dir
    official_env.stop()
    with StandinServer(data_dir) as restarted:
        monkeypatch.setenv("ACCSYN_PROXY", f"127.0.0.1:{restarted.port}")
        assert main(["jobs"]) == 0
        listing = capsys.readouterr().out
        assert job["id"] in listing and "sh020_comp" in listing
        assert main(["job", job["id"]]) == 3  # not finished
        assert "\n1010  queued" in capsys.readouterr().out


def test_the_official_client_reads_a_jobs_metrics_and_a_tasks_log(official_env):
    session = accsyn_api.Session()
    job = session.create("compute", dict(JOB))
    metrics = session.metrics(f"Compute WHERE id={job['id']}")
    assert metrics["total"] == 10 and metrics["waiting"] == 10 and metrics["done"] == 0 and metrics["estimate"] is None
    task = session.find_one("Task WHERE uri=1001", entityid=job["id"])
    assert session.logs("task", task["id"])["result"] == []  # not run yet: no log


def test_cli_without_credentials_says_how_to_configure(monkeypatch, tmp_path, capsys):
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_DOMAIN", "ACCSYN_ORG", "ACCSYN_API_USER", "ACCSYN_API_KEY",
                 "ACCSYN_CREDENTIALS_PATH"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["engines"]) == 1
    assert "accsyn-dcc server" in capsys.readouterr().err
