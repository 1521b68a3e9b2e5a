"""``accsyn-dcc jobs`` and ``job ID`` print what accsyn says without its control characters or any secret."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator

import pytest

from accsyn_dcc.cli import main

KEY = "secret-key-that-must-not-leak"
USER = "artist@example.com"
SESSION = "a-session-token-0123456789"
ESCAPES = "\x1b]0;owned\x07\x1b[2J\r"
AUTHORIZATION = (
    f"Authorization: basic {base64.b64encode(USER.encode()).decode()}:{base64.b64encode(KEY.encode()).decode()}"
)
JOB = {"id": "job1", "name": f"sh010{ESCAPES}comp\nsecond line", "engine": "nuke-15", "status": "failed",
       "range": "1-2", "created": "2026-01-02T03:04:05"}  # fmt: skip
TASKS = [
    {"id": "t1", "uri": "1", "status": "done"},
    {"id": "t2", "uri": f"2{ESCAPES}", "status": "failed",
     "metadata": {"reason": f"render failed; {AUTHORIZATION}", "log": f"/logs/2.log{ESCAPES}{KEY}"}},
]  # fmt: skip
METRICS = {"status": f"failed{ESCAPES}", "total": 2, "done": 1, "failed": 1, "running": 0, "waiting": 0,
           "elapsed": 65.0, "estimate": 0.0}  # fmt: skip
LOG = [{"line": 1, "text": f"Traceback{ESCAPES}"}, {"line": 2, "text": f"RuntimeError: {AUTHORIZATION}"}]
RESULTS: Dict[str, Any] = {"compute/find": [JOB], "task/find": TASKS, "compute/metrics": METRICS, "log/find": LOG}


@pytest.fixture
def workspace(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A workspace whose one job and its tasks are full of terminal escapes and credentials."""

    class Leaky(BaseHTTPRequestHandler):
        def _reply(self, result: Any) -> None:
            body = json.dumps({"result": result}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._reply({"session_id": SESSION, "id": "u1", "role": "standard"})

        def do_GET(self) -> None:
            event = json.loads(urllib.parse.unquote(urllib.parse.urlsplit(self.path).query))
            self._reply(RESULTS[event["uri"]])

        def log_message(self, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Leaky) as server:
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        for name in ("ACCSYN_CREDENTIALS_PATH", "ACCSYN_DOMAIN", "ACCSYN_ORG", "ACCSYN_CA_BUNDLE", "AS_DEV"):
            monkeypatch.delenv(name, raising=False)
        port = server.server_address[1]
        settings = {"ACCSYN_WORKSPACE": "demo", "ACCSYN_API_USER": USER, "ACCSYN_API_KEY": KEY,
                    "ACCSYN_API_HOSTNAME": "127.0.0.1", "ACCSYN_PROXY": f"127.0.0.1:{port}"}  # fmt: skip
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        yield
        server.shutdown()


def _assert_shown_safely(out: str) -> None:
    assert not [char for char in out if not char.isprintable() and char != "\n"], out
    assert KEY not in out and base64.b64encode(KEY.encode()).decode()[:8] not in out


def test_jobs_lists_names_with_their_control_characters_escaped(workspace, capsys):
    assert main(["jobs"]) == 0
    out = capsys.readouterr().out
    _assert_shown_safely(out)
    assert "sh010\\x1b]0;owned\\x07\\x1b[2J\\rcomp\\nsecond line" in out and len(out.splitlines()) == 2


def test_job_shows_tasks_and_failure_reasons_without_escapes_or_credentials(workspace, capsys):
    assert main(["job", "job1"]) == 1  # failed
    out = capsys.readouterr().out
    _assert_shown_safely(out)
    assert "failed\\x1b]0;owned\\x07\\x1b[2J\\r: done 1, failed 1, running 0, waiting 0 of 2 (50%); elapsed 1:05" in out
    [row] = [line for line in out.splitlines() if line.startswith("2\\x1b")]
    assert row.split()[1] == "failed" and row.endswith("render failed; Authorization: ***")


def test_a_tasks_log_is_printed_without_escapes_or_credentials(workspace, capsys):
    assert main(["job", "job1", "--log", f"2{ESCAPES}"]) == 0
    out = capsys.readouterr().out
    _assert_shown_safely(out)
    assert out == "Traceback\\x1b]0;owned\\x07\\x1b[2J\\r\nRuntimeError: Authorization: ***\n"


def test_a_big_jobs_summary_lists_its_failed_tasks_first_and_at_most_50(workspace, monkeypatch, capsys):
    many = [{"uri": str(frame), "status": "done" if frame != 777 else "failed", "metadata": {"reason": "crash"}}
            for frame in range(1, 1001)]  # fmt: skip
    monkeypatch.setitem(RESULTS, "task/find", many)
    assert main(["job", "job1"]) == 1
    rows = capsys.readouterr().out.splitlines()
    header = next(index for index, line in enumerate(rows) if line.startswith("ITEM"))
    listed = rows[header + 1 : header + 51]
    assert listed[0].split()[:2] == ["777", "failed"] and len(listed) == 50
    assert rows[header + 51] == "... and 950 more tasks (--tasks 0 lists every one)"
    assert main(["job", "job1", "--tasks", "0"]) == 1
    assert "more tasks" not in capsys.readouterr().out
