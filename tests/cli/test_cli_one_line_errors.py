"""Wrong paths, settings and replies given to the command line end in one line naming what is wrong; a closed
output ends it quietly."""

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from accsyn_dcc.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nuke"


def test_a_folder_given_to_scan_is_named_as_a_folder(tmp_path, capsys):
    assert main(["scan", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith(f"accsyn-dcc scan: {tmp_path}: a folder, not a scene file (known: .blend")


@pytest.mark.parametrize("name, reason", [("absent.json", "No such file or directory"), ("", "Is a directory")])
def test_a_payload_that_cannot_be_read_says_why_without_repeating_the_path(tmp_path, capsys, name, reason):
    payload = tmp_path / name
    assert main(["farm", "run", str(payload)]) == 1
    assert capsys.readouterr().err == f"accsyn-dcc farm: {payload}: cannot read the payload ({reason})\n"


def test_a_stand_in_data_folder_that_cannot_be_made_is_named_not_the_port(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["server", "--port", "0", "--data", str(blocker / "data")]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"accsyn-dcc server: cannot start the stand-in ({blocker}") and "127.0.0.1" not in error


ACCSYN_VARIABLES = ("ACCSYN_CREDENTIALS_PATH", "ACCSYN_DOMAIN", "ACCSYN_ORG", "ACCSYN_PROXY", "ACCSYN_API_HOSTNAME",
                    "ACCSYN_API_PORT", "ACCSYN_CA_BUNDLE", "ACCSYN_DCC_INSECURE", "ACCSYN_DCC_DEADLINE",
                    "ACCSYN_DCC_MAX_REPLY_MB", "AS_DEV")  # fmt: skip


def _configure(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name in ACCSYN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_WORKSPACE", "demo")
    monkeypatch.setenv("ACCSYN_API_USER", "artist@example.com")
    monkeypatch.setenv("ACCSYN_API_KEY", "secret-key-that-must-not-leak")
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_a_ca_bundle_that_does_not_exist_is_named_with_its_variable(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "studio-ca.pem"
    _configure(monkeypatch, ACCSYN_API_HOSTNAME="127.0.0.1", ACCSYN_API_PORT="1", ACCSYN_CA_BUNDLE=str(missing))
    assert main(["jobs"]) == 1
    assert capsys.readouterr().err == f"accsyn-dcc jobs: ACCSYN_CA_BUNDLE names {missing}, a file that does not exist\n"


def test_a_reply_in_an_unknown_character_set_is_one_line(monkeypatch, capsys):
    body = b'{"result": {"session_id": "a-session-token-0123456789"}}'

    class UnknownCharset(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=x-no-such-codec")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), UnknownCharset) as server:
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        _configure(monkeypatch, ACCSYN_API_HOSTNAME="127.0.0.1", ACCSYN_PROXY=f"127.0.0.1:{server.server_address[1]}")
        assert main(["jobs"]) == 1
        server.shutdown()
    assert capsys.readouterr().err == (
        f"accsyn-dcc jobs: accsyn at 127.0.0.1:{server.server_address[1]} answered PUT /api/login "
        "in an unknown character set 'x-no-such-codec'\n"
    )


def test_a_closed_standard_output_ends_the_command_quietly():
    reading, writing = os.pipe()
    os.close(reading)  # as `| head -1` does once it has its line
    with os.fdopen(writing, "wb") as closed:
        finished = subprocess.run(
            [sys.executable, "-m", "accsyn_dcc", "scan", str(FIXTURES / "shot_v012.nk"), "--json"],
            stdout=closed, stderr=subprocess.PIPE, timeout=120,
        )  # fmt: skip
    assert (finished.returncode, finished.stderr.decode()) == (141, "")
