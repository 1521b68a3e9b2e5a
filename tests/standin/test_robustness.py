"""No query or request freezes, crashes or swamps the stand-in; what could freeze it runs ``accsyn-dcc server`` as a
process of its own, so that the test itself cannot freeze."""

from __future__ import annotations

import base64
import gzip
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, Tuple

import accsyn_api
import pytest
from accsyn_api.session import AccsynException
from raw_http import LOOKUP, put_login, raw, status, until
from standin_env import point_environment_at

from accsyn_dcc.api import connect
from accsyn_dcc.standin import StandinServer, load_seed
from accsyn_dcc.standin import backend as backend_module
from accsyn_dcc.standin import server as server_module

JOB = {"engine": "nuke-15", "input": "share=projects/sh040/comp.nk", "range": "1-2"}
EVIL_NAME = "a" * 40 + "!"
EVIL_QUERY = "Compute WHERE name matches '(a+)+$'"
"""Backtracks 2**40 times in Python's ``re`` against ``EVIL_NAME``, holding the interpreter lock throughout."""


@dataclass(frozen=True)
class RunningServer:
    """``accsyn-dcc server`` in a process of its own: what ``point_environment_at`` needs, and its output."""

    process: subprocess.Popen[str]
    port: int
    seed: Dict[str, Any]
    workspace: str
    output: queue.Queue[str]


@pytest.fixture
def running(tmp_path) -> Iterator[RunningServer]:
    process = subprocess.Popen(
        [sys.executable, "-m", "accsyn_dcc", "server", "--port", "0", "--data", str(tmp_path / "data")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # even when pytest runs with it ignored
    )  # fmt: skip
    output: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None
    threading.Thread(target=lambda: [output.put(line) for line in stdout], daemon=True).start()
    try:
        port = _port_from(output, deadline=time.monotonic() + 30)
        seed = load_seed(None)
        yield RunningServer(process, port, seed, str(seed["workspace"]), output)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _port_from(output: queue.Queue[str], deadline: float) -> int:
    while True:
        line = output.get(timeout=max(0.0, deadline - time.monotonic()))
        if "ACCSYN_PROXY=127.0.0.1:" in line:
            return int(line.rsplit(":", 1)[1])


def _in_background(call: Callable[[], Any]) -> queue.Queue[Any]:
    """The call's result (or exception) arrives on the returned queue."""
    answer: queue.Queue[Any] = queue.Queue()

    def run() -> None:
        try:
            answer.put(call())
        except Exception as error:  # handed to the test to look at
            answer.put(error)

    threading.Thread(target=run, daemon=True).start()
    return answer


def _evil_find_in_flight(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> queue.Queue[Any]:
    point_environment_at(server, monkeypatch)
    session = accsyn_api.Session(timeout=20)
    session.create("compute", dict(JOB, name=EVIL_NAME))
    answer = _in_background(lambda: session.find(EVIL_QUERY))
    time.sleep(0.5)  # the find is on its way (or, before the fix, the server is stuck in it)
    return answer


def test_a_catastrophic_pattern_does_not_stall_other_clients(running, monkeypatch):
    evil = _evil_find_in_flight(running, monkeypatch)
    started = time.monotonic()
    other = accsyn_api.Session(connect_timeout=3, timeout=3)
    assert [job["name"] for job in other.find("Compute WHERE name matches '^a+!$'")] == [EVIL_NAME]
    assert time.monotonic() - started < 3
    assert evil.get(timeout=10) == []  # answered too: nothing ends in an 'a'


def test_ctrl_c_stops_the_server_while_requests_are_being_served(running, monkeypatch):
    _evil_find_in_flight(running, monkeypatch)
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as uploading:
        uploading.sendall(b"PUT /api/v3/api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
        time.sleep(0.3)  # the server is reading the rest of this body
        started = time.monotonic()
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(timeout=5) == 130
        assert time.monotonic() - started < 3
    _assert_interrupted(running)


def test_ctrl_c_stops_the_server_while_a_request_waits_for_the_database(running, monkeypatch, tmp_path):
    point_environment_at(running, monkeypatch)
    session = accsyn_api.Session(timeout=20)
    blocker = sqlite3.connect(str(tmp_path / "data" / "standin.sqlite3"), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # as a second server on the same data folder would, for a while
    try:
        _in_background(lambda: session.create("compute", dict(JOB, name="waits")))
        time.sleep(0.5)  # the create waits (up to store.BUSY_SECONDS) for the database, holding the store
        started = time.monotonic()
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(timeout=15) == 130
        assert time.monotonic() - started < 3
    finally:
        blocker.close()
    _assert_interrupted(running)


def _assert_interrupted(server: RunningServer) -> None:
    lines = []
    while not server.output.empty():
        lines.append(server.output.get())
    assert lines[-1] == "accsyn-dcc server: interrupted\n" and not any("Traceback" in line for line in lines)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Compute WHERE name matches '('", r"Bad query .*: name matches '\(': not a regular expression"),
        ("Compute WHERE " + "(" * 2000 + "name=x" + ")" * 2000, "nests parentheses more than 32 deep"),
        ("Compute WHERE name matches '(a)\\1'", "back-references cannot run in linear time"),
    ],
)
def test_malformed_queries_are_answered_with_a_message(official_env, query, message):
    session = accsyn_api.Session()
    session.create("compute", dict(JOB, name="sh040"))
    with pytest.raises(AccsynException, match=message):
        session.find(query)


def test_a_query_that_is_not_text_is_refused(credentials):
    with pytest.raises(Exception, match="find query must be text"):
        connect(credentials).event("GET", "compute/find", {}, query={"name": "x"})


def test_bodies_read_at_once_have_a_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(server_module, "MAX_BODIES", 1000)
    with StandinServer(str(tmp_path / "data")) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as uploading:
            uploading.sendall(put_login(800)[:-790])  # 800 bytes announced, 10 sent: the server waits for the rest
            deadline = time.monotonic() + 5
            while server._httpd.bodies.used < 800 and time.monotonic() < deadline:  # the server has taken them
                time.sleep(0.02)
            reply = raw(server.port, put_login(600))
            assert status(reply) == b"503" and b"reading 1000 bytes of other requests already; try again" in reply
        reply = until(lambda: raw(server.port, put_login(600)), lambda reply: status(reply) == b"400")
        assert b"no readable JSON" in reply  # the abandoned upload's bytes are free again


def test_connections_over_the_cap_are_answered_busy_and_beyond_twice_it_closed(tmp_path, monkeypatch):
    monkeypatch.setattr(server_module, "MAX_CONNECTIONS", 2)
    monkeypatch.setattr(server_module._Busy, "timeout", 10.0)  # the idle ones answered busy wait out the test
    with StandinServer(str(tmp_path / "data")) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(2)]
        reply = until(lambda: raw(server.port, LOOKUP), lambda reply: status(reply) == b"503")
        assert status(reply) == b"503" and b"serving 2 connections already; try again" in reply
        idle += [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(2)]
        assert until(lambda: raw(server.port, LOOKUP), lambda reply: reply == b"") == b""
        for connection in idle:
            connection.close()
        assert status(until(lambda: raw(server.port, LOOKUP), lambda reply: status(reply) == b"200")) == b"200"


@pytest.mark.parametrize(
    ("packed", "message"),
    [
        (gzip.compress(b" " * 2001), "it unpacks to more than 2000 bytes"),
        (gzip.compress(b"{}")[:-5], "the gzip data ends early"),
        (gzip.compress(b"{}")[:12] + b"not deflate", "not gzip data"),
        (b"plain", "not gzip data"),
    ],
    ids=["too big", "truncated", "corrupt", "plain"],
)
def test_gz_data_is_unpacked_only_up_to_the_body_cap(standin, monkeypatch, packed, message):
    monkeypatch.setattr(backend_module, "MAX_BODY", 2000)
    event, headers = _logged_in(standin)
    gz_data = base64.b64encode(packed).decode()
    reply = standin.backend.event("POST", dict(event, uri="compute/create", gz_data=gz_data), headers)
    assert reply["message"].startswith(f"gz_data could not be decoded: {message}")


@pytest.mark.parametrize(
    ("method", "uri", "data", "message"),
    [
        ("GET", "attributes", 5, "attributes data must be an object"),
        ("PUT", "setting", True, "setting data must be an object"),
        ("GET", "workspace/file", [1], "workspace/file data must be an object"),
        ("GET", "task/find", {"attributes": [{"a": 1}]}, "find attributes must be names"),
    ],
)
def test_events_of_the_wrong_shape_are_refused(standin, method, uri, data, message):
    event, headers = _logged_in(standin)
    standin.backend.event("POST", dict(event, uri="compute/create", data=dict(JOB, name="sh040")), headers)
    reply = standin.backend.event(method, dict(event, uri=uri, data=data), headers)
    assert reply["message"].startswith(message)


def _logged_in(server: StandinServer) -> Tuple[Dict[str, Any], Dict[str, str]]:
    """An event envelope with a session of the first seed user, and the headers that go with it."""
    user = server.seed["users"][0]
    credentials = ":".join(base64.b64encode(part.encode()).decode() for part in (user["code"], user["api_key"]))
    headers = {"Authorization": f"basic {credentials}", "X-Accsyn-Workspace": server.workspace}
    assert server.backend is not None
    session = server.backend.login(headers)["result"]["session_id"]
    return {"workspace": server.workspace, "session": session}, headers
