"""The stand-in answers what section 5 promises beyond jobs, through accsyn's own client, and survives bad input."""

from __future__ import annotations

import json
import socket
import sqlite3
import time

import accsyn_api
import pytest
from accsyn_api.session import AccsynException
from raw_http import raw
from standin_env import point_environment_at

from accsyn_dcc.api import connect
from accsyn_dcc.standin import StandinServer, load_seed
from accsyn_dcc.standin import server as server_module
from accsyn_dcc.standin import store as store_module
from accsyn_dcc.standin.store import Store

JOB = {"name": "sh030", "engine": "nuke-15", "input": "share=projects/sh030/comp.nk", "range": "1-3"}


def test_find_attributes(official_env):
    session = accsyn_api.Session()
    names = session.find("attributes WHERE entitytype=job")
    assert {"id", "status", "engine", "range", "compute"} <= set(names)
    assert set(session.find("attributes WHERE entitytype=job", update=True)) == {
        "status", "priority", "name", "description", "metadata", "parameters"
    }  # fmt: skip
    assert "engine" in session.find("attributes WHERE entitytype=job", create=True)
    assert "paths" in session.find("attributes WHERE entitytype=volume")


def test_settings_calls(official_env):
    session = accsyn_api.Session()
    assert session.set_setting("workspace", "render_notes", "use the 35mm grain") is True
    assert session.get_setting("render_notes") == "use the 35mm grain"
    assert session.get_settings() == {"render_notes": "use the 35mm grain"}
    job = session.create("compute", dict(JOB))
    assert session.set_setting("job", "review", "yes", entityid=job["id"]) is True
    assert session.get_settings("job", entityid=job["id"]) == {"review": "yes"}
    assert session.delete_setting("workspace", "render_notes") is True
    assert session.get_setting("render_notes") is None
    with pytest.raises(AccsynException, match="need its id"):
        session.get_settings("job")


def test_file_calls_refuse_unknown_shares_and_paths_that_leave_them(official_env):
    session = accsyn_api.Session()
    assert session.exists("share=projects/does/not/exist.nk") is False
    with pytest.raises(AccsynException, match="leaves the share"):
        session.exists("share=projects/../../etc/passwd")
    with pytest.raises(AccsynException, match="no share 'nowhere'"):
        session.ls("share=nowhere/x")


def test_files_on_a_volume_of_this_machine(tmp_path, monkeypatch):
    from accsyn_dcc.paths import current_os

    project = tmp_path / "projects"
    (project / "sh030" / "plates").mkdir(parents=True)
    (project / "sh030" / "comp.nk").write_text("Root {}\n")
    (project / "sh030" / "plates" / "bg.0001.exr").write_bytes(b"x" * 10)
    seed = load_seed(None)
    seed["volumes"] = [{"id": "5f00000000000000000000c8", "code": "projects", "default": True,
                        "paths": {current_os(): str(project)}}]  # fmt: skip
    (tmp_path / "seed.json").write_text(json.dumps(seed))
    with StandinServer(str(tmp_path / "data"), seed_path=str(tmp_path / "seed.json")) as server:
        point_environment_at(server, monkeypatch)
        monkeypatch.chdir(tmp_path)
        session = accsyn_api.Session()
        assert session.exists("share=projects/sh030/comp.nk") is True
        listing = session.ls("share=projects/sh030", getsize=True)
        assert listing["files"] == [{"filename": "plates", "is_dir": True}, {"filename": "comp.nk", "is_dir": False,
                                                                              "size": 8}]  # fmt: skip
        assert session.getsize("share=projects/sh030") == {"size": 18}


def test_deactivated_jobs_are_hidden_until_activated(official_env):
    session = accsyn_api.Session()
    job = session.create("compute", dict(JOB))
    assert session.deactivate_one("job", job["id"]) is True
    assert session.find(f"Compute WHERE id={job['id']}") == []
    assert [found["id"] for found in session.find("Compute", inactive=True)] == [job["id"]]
    assert session.activate_one("job", job["id"]) is True
    assert session.find_one(f"Compute WHERE id={job['id']}")["id"] == job["id"]


def test_numeric_settings_are_accepted_with_a_warning(tmp_path):
    lines = []
    with StandinServer(str(tmp_path / "data"), on_status=lines.append) as server:
        user = server.seed["users"][0]
        from accsyn_dcc.credentials import Credentials

        client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{server.port}"))
        job = client.create_compute_job(dict(JOB, settings={"task_bucketsize": 5}))  # as accsyn's own example
        assert job["compute"]["settings"] == {"task_bucketsize": "5"}
    assert lines[0].endswith("created, waiting")
    warning = 'warning: settings.task_bucketsize: accsyn keeps setting values as text; stored as "5" (got 5)'
    assert lines[1].endswith(warning)


@pytest.mark.parametrize(
    ("length", "status", "message"),
    [
        ("abc", b"400", b"is not a whole number"),
        ("-5", b"400", b"is not a whole number"),
        ("999999999999", b"413", b"is larger than"),
        ("50", b"400", b"The body ended after 2 of 50 bytes"),
    ],
)
def test_bad_content_lengths_get_an_answer(standin, length, status, message):
    request = (
        f"PUT /api/v3/api/login HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{{}}"
    ).encode()
    reply = raw(standin.port, request, half_close=length == "50")  # "50": the client stops after 2 bytes
    assert reply.split(b" ")[1] == status and message in reply


def test_an_idle_connection_is_closed_and_the_server_keeps_answering(tmp_path, monkeypatch):
    monkeypatch.setattr(server_module._Handler, "timeout", 0.5)
    with StandinServer(str(tmp_path / "data")) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as idle:
            started = time.monotonic()
            assert idle.recv(1024) == b""  # closed by the server, not by us
            assert time.monotonic() - started < 4
        user = server.seed["users"][0]
        from accsyn_dcc.credentials import Credentials

        assert connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{server.port}"))


def test_a_bad_find_limit_is_refused(credentials):
    client = connect(credentials)
    with pytest.raises(Exception, match="find limit must be a whole number"):
        client.event("GET", "compute/find", {"limit": "x"})


def test_sessions_expire(tmp_path):
    from accsyn_dcc.credentials import Credentials

    with StandinServer(str(tmp_path / "data")) as server:
        user = server.seed["users"][0]
        client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{server.port}"))
        assert client.find_jobs() == []
        server.backend.session_seconds = 0.0  # every session is now too old
        with pytest.raises(Exception, match="session is not valid"):
            client.find_jobs()


def test_a_write_that_meets_another_servers_lock_rolls_back_and_the_next_one_works(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.2)
    first, second = Store(str(tmp_path)), Store(str(tmp_path))
    blocker = sqlite3.connect(first.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    job = {"id": "a" * 24, "name": "x"}
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        second.add_job(job, "fingerprint", "1")
    blocker.execute("ROLLBACK")
    second.add_job(job, "fingerprint", "1")  # no "transaction within a transaction"
    assert first.job("a" * 24) == job


def test_a_body_nested_too_deeply_gets_an_answer(standin):
    body = b"[" * 100_000
    request = (
        f"PUT /api/v3/api/login HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    reply = raw(standin.port, request)
    assert reply.split(b" ")[1] == b"400"


def _projects(root) -> list:
    from accsyn_dcc.paths import current_os

    return [{"id": "5f00000000000000000000c8", "code": "projects", "type": "volume", "default": True,
             "paths": {current_os(): str(root)}}]  # fmt: skip


ESCAPES = ["share=projects/../x", "share=projects/a/../../x", "share=projects/escape/x", "share=projects/escape",
           "share=projects/C:/Windows", "volume=(default)/../x"]  # fmt: skip


@pytest.mark.parametrize("path", ESCAPES)
def test_file_paths_never_leave_the_share(tmp_path, path):
    from accsyn_dcc.standin.workspace_calls import CallRefused, resolve

    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "escape").symlink_to(tmp_path)
    with pytest.raises(CallRefused, match="leaves the share"):
        resolve(path, _projects(tmp_path / "projects"))
    assert resolve("share=projects//etc/passwd", _projects(tmp_path / "projects")).path == str(
        tmp_path / "projects" / "etc" / "passwd"
    )


def test_a_walk_past_its_bound_is_refused(tmp_path, monkeypatch):
    from accsyn_dcc.standin import workspace_calls

    for number in range(6):
        (tmp_path / f"f{number}").write_text("x")
    monkeypatch.setattr(workspace_calls, "MAX_WALKED", 6)
    assert workspace_calls.file_call("GET", {"op": "getsize", "path": "share=projects"}, _projects(tmp_path)) == {
        "size": 6
    }
    monkeypatch.setattr(workspace_calls, "MAX_WALKED", 5)
    with pytest.raises(workspace_calls.CallRefused, match="more than 5 entries"):
        workspace_calls.file_call("GET", {"op": "ls", "path": "share=projects", "recursive": True}, _projects(tmp_path))
