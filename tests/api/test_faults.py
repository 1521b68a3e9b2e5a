"""Faults give typed errors that never hold the API key; retries never leave two jobs."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import gzip
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

from accsyn_dcc.api import (
    BackendError,
    NotConfigured,
    ProtocolError,
    UnreachableError,
    connect,
    connect_configured,
)
from accsyn_dcc.api.client import AccsynClient
from accsyn_dcc.api.errors import scrub
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.standin import DROP_AFTER, RecordedRequest

KEY = "secret-key-that-must-not-leak"
JOB = {"name": "drop", "engine": "blender", "input": "share=projects/shot.blend", "range": "1-3"}


def _credentials(port: int) -> Credentials:
    return Credentials("demo", "artist@example.com", KEY, hostname="127.0.0.1", proxy=f"127.0.0.1:{port}")


def _canned_server(
    status: int, body: bytes, content_type: str, headers: Optional[Dict[str, str]] = None
) -> ThreadingHTTPServer:
    class Canned(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture
def canned(request) -> Iterator[int]:
    server = _canned_server(*request.param)
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_server_down_is_unreachable():
    with pytest.raises(UnreachableError) as caught:
        connect(_credentials(_free_port()), retries=1)
    assert KEY not in str(caught.value) and "127.0.0.1" in str(caught.value)


def test_a_server_that_never_answers_ends_at_the_deadline_and_says_so():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        started = time.monotonic()
        with pytest.raises(UnreachableError, match=r"took the request but sent no reply within 1\.5 s") as caught:
            connect(_credentials(silent.getsockname()[1]), deadline=1.5)  # retries included
        assert time.monotonic() - started < 4
    assert KEY not in str(caught.value)


def test_a_server_that_trickles_its_reply_ends_at_the_deadline():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def trickle() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        while not stop.is_set():
            try:
                connection.sendall(b" ")
            except OSError:
                break
            time.sleep(0.2)
        connection.close()

    threading.Thread(target=trickle, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(UnreachableError, match=r"the reply was still coming after 1\.5 s"):
            connect(_credentials(listener.getsockname()[1]), retries=0, deadline=1.5)
        assert time.monotonic() - started < 4
    finally:
        stop.set()
        listener.close()


@pytest.mark.parametrize(
    "canned, match",
    [
        ((500, b"<html><body>Internal Server Error</body></html>", "text/html"), "HTTP 500 and no JSON"),
        ((200, b'{"result": ', "application/json"), "no JSON"),
        ((200, b"[" * 100_000 + b"]" * 100_000, "application/json"), "no JSON"),  # deeper than JSON reads
        ((200, b'{"a": ' * 600 + b"1" + b"}" * 600, "application/json"), "no JSON"),  # deeper than replies go
        ((200, b"[1, 2]", "application/json"), "not a JSON object"),
        ((200, b'{"result": {"role": "admin"}}', "application/json"), "no session"),
    ],
    indirect=["canned"],
)
def test_unreadable_replies_are_protocol_errors(canned, match):
    with pytest.raises(ProtocolError, match=match) as caught:
        connect(_credentials(canned), retries=0)
    assert KEY not in str(caught.value)


@pytest.mark.parametrize("canned", [(200, b'{"exception": "KeyError: boom"}', "application/json")], indirect=True)
def test_backend_exception_is_a_backend_error(canned):
    client = AccsynClient(_credentials(canned), retries=0)
    client._session_id = "s"  # skip the login the canned server cannot give
    with pytest.raises(BackendError, match="contact the demo admin") as caught:
        client.find_jobs()
    assert caught.value.message == "KeyError: boom"


def test_the_key_is_scrubbed_from_wrapped_transport_errors():
    client = AccsynClient(dataclasses.replace(_credentials(1), hostname=None, proxy=f"{KEY}.invalid:1"), retries=0)
    with pytest.raises(UnreachableError) as caught:
        client.login()
    assert KEY not in str(caught.value) and "***" in str(caught.value)


def test_a_refused_connection_is_named_without_the_url_and_pool_text():
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(UnreachableError) as caught:
        AccsynClient(_credentials(port), retries=0).login()
    assert str(caught.value) == f"Could not reach accsyn at 127.0.0.1:{port} (Connection refused)"


def test_payload_above_the_gzip_threshold_travels_as_gz_data(standin, credentials):
    seen: List[RecordedRequest] = []
    standin.hook = seen.append
    dependencies = [f"share=projects/plates/sh010/plate.{frame:05d}.exr" for frame in range(10_000)]
    client = connect(credentials)
    job = client.create_compute_job(dict(JOB, dependencies=dependencies))
    create = [request.payload for request in seen if request.method == "POST"]
    assert len(create) == 1 and "gz_data" in create[0] and "data" not in create[0]
    assert client.find_job(job["id"])["compute"]["dependencies"][-1] == dependencies[-1]


def test_a_ten_thousand_dependency_payload_with_a_bad_share_is_refused_by_field(credentials):
    dependencies = [f"share=projects/plates/plate.{frame:05d}.exr" for frame in range(10_000)]
    dependencies[9_999] = "share=elsewhere/plate.exr"
    with pytest.raises(BackendError, match=r"dependencies\[9999\]"):
        connect(credentials).create_compute_job(dict(JOB, dependencies=dependencies))


def _drop_first_create(seen: List[str]):
    def hook(request: RecordedRequest):
        if request.method == "POST":
            seen.append(request.method)
            return DROP_AFTER if len(seen) == 1 else None
        return None

    return hook


def test_a_create_whose_reply_is_lost_is_retried_without_a_second_job(standin, credentials):
    creates: List[str] = []
    standin.hook = _drop_first_create(creates)
    client = connect(credentials, retries=2)
    job = client.create_compute_job(JOB)
    assert len(creates) == 2  # the first reply was lost after the job was stored, then retried
    assert [listed["id"] for listed in client.find_jobs()] == [job["id"]]


def test_without_the_duplicate_guard_the_same_loss_would_make_two_jobs(standin, credentials):
    creates: List[str] = []
    standin.hook = _drop_first_create(creates)
    client = connect(credentials, retries=2)
    with pytest.raises(UnreachableError):
        client.event("POST", "compute/create", dict(JOB), retry=False)
    client.event("POST", "compute/create", dict(JOB), retry=False)
    assert len(client.find_jobs()) == 2


# -- replies of any size end within a cap -------------------------------------------------------------------------

MIB = 1024 * 1024
SLACK = 2 * MIB
"""What the socket buffers between the server and the client hold beyond what the client read (0.2 MiB measured)."""


@contextlib.contextmanager
def _streaming_server(head: bytes, total: int) -> Iterator[Tuple[int, List[int]]]:
    """Answers ``head``, then spaces until ``total`` bytes or the client hangs up; yields the port and, once the
    block ends, the number of body bytes sent."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    sent: List[int] = []

    def serve() -> None:
        connection, _ = listener.accept()
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        count = 0
        with connection:
            connection.recv(65536)
            connection.sendall(head)
            chunk = b" " * 65536
            try:
                while count < total:
                    connection.sendall(chunk)
                    count += len(chunk)
            except OSError:  # the client hung up
                pass
        sent.append(count)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], sent
    finally:
        thread.join(20)
        listener.close()


def test_a_reply_announcing_more_than_the_cap_is_refused_before_its_body_is_read():
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 64000000000\r\n\r\n"
    with _streaming_server(head, 32 * MIB) as (port, sent), pytest.raises(ProtocolError) as caught:
        connect(_credentials(port), retries=0)
    assert str(caught.value) == (
        f"accsyn at 127.0.0.1:{port} (PUT /api/login): the reply announces 64,000,000,000 bytes, "
        "more than the 64 MiB a reply may be (ACCSYN_DCC_MAX_REPLY_MB); gave up"
    )
    assert sent and sent[0] < SLACK


def test_an_endless_reply_is_read_no_further_than_the_cap(monkeypatch):
    monkeypatch.setenv("ACCSYN_DCC_MAX_REPLY_MB", "1")
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
    grew = r"\(PUT /api/login\): the reply grew past the 1 MiB a reply may be \(ACCSYN_DCC_MAX_REPLY_MB\); gave up$"
    with _streaming_server(head, 32 * MIB) as (port, sent), pytest.raises(ProtocolError, match=grew):
        connect_configured(_credentials(port), retries=0)
    assert sent and sent[0] < MIB + SLACK


@pytest.mark.parametrize("value", ["lots", "0", "-1", "nan", "inf"])
def test_a_cap_that_is_no_positive_number_is_not_configured(monkeypatch, value):
    monkeypatch.setenv("ACCSYN_DCC_MAX_REPLY_MB", value)
    problem = rf"^ACCSYN_DCC_MAX_REPLY_MB must be a positive number of MiB \(got '{value}'\)$"
    with pytest.raises(NotConfigured, match=problem):
        connect_configured(_credentials(1))


LOGIN_REPLY = b'{"result": {"session_id": "a-session-token-0123456789", "id": "u1", "role": "standard"}}'


@pytest.mark.parametrize(
    "canned", [(200, gzip.compress(LOGIN_REPLY), "application/json", {"Content-Encoding": "gzip"})], indirect=True
)
def test_a_gzipped_reply_is_read_unpacked(canned):
    assert connect(_credentials(canned), retries=0).role == "standard"


@pytest.mark.parametrize(
    "canned", [(200, gzip.compress(b" " * 32 * MIB), "application/json", {"Content-Encoding": "gzip"})], indirect=True
)
def test_a_small_gzipped_reply_that_unpacks_past_the_cap_is_refused(canned, monkeypatch):
    monkeypatch.setenv("ACCSYN_DCC_MAX_REPLY_MB", "1")
    with pytest.raises(ProtocolError, match="the reply grew past the 1 MiB a reply may be"):
        connect_configured(_credentials(canned), retries=0)


@pytest.mark.parametrize("canned", [(200, LOGIN_REPLY, "application/json; charset=x-no-such-codec")], indirect=True)
def test_a_reply_in_an_unknown_character_set_is_a_protocol_error(canned):
    with pytest.raises(ProtocolError) as caught:
        connect(_credentials(canned), retries=0)
    assert str(caught.value) == (
        f"accsyn at 127.0.0.1:{canned} answered PUT /api/login in an unknown character set 'x-no-such-codec'"
    )


def _one_answer(answer: bytes, then_wait: float = 0.0) -> Tuple[socket.socket, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(answer)
            time.sleep(then_wait)

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


def test_a_reply_that_breaks_off_is_unreachable_in_one_line():
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    listener, port = _one_answer(head + b'{"result": ')
    with listener, pytest.raises(UnreachableError) as caught:
        connect(_credentials(port), retries=0)
    assert str(caught.value) == (
        f"accsyn at 127.0.0.1:{port} (PUT /api/login): the reply broke off after 11 of 1,000 bytes"
    )


def test_a_reply_that_stops_coming_is_unreachable_in_one_line():
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    listener, port = _one_answer(head + b'{"result": ', then_wait=3)
    with listener, pytest.raises(UnreachableError) as caught:
        AccsynClient(_credentials(port), timeout=(5, 0.5), retries=0).login()
    assert str(caught.value) == (
        f"accsyn at 127.0.0.1:{port} (PUT /api/login): the reply stopped coming for 0.5 s; gave up"
    )


def test_a_ca_bundle_that_does_not_exist_is_not_configured(tmp_path):
    missing = tmp_path / "missing.pem"
    with pytest.raises(NotConfigured) as caught:
        AccsynClient(dataclasses.replace(_credentials(1), proxy=None, verify=str(missing)))
    assert str(caught.value) == f"ACCSYN_CA_BUNDLE names {missing}, a file that does not exist"


# -- no server text shows a secret --------------------------------------------------------------------------------

USER = "artist@example.com"
SESSION = "a-session-token-0123456789"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


SECRET_FORMS = {
    "the key": KEY,
    "the key in base64": _b64(KEY),
    "the key in URL-safe base64 inside longer text": base64.urlsafe_b64encode(f"x?{KEY}".encode()).decode(),
    "RFC 7617 basic credentials": _b64(f"{USER}:{KEY}"),
    "the session": SESSION,
}


def test_scrub_removes_each_form_of_a_secret_and_any_credential_value():
    text = " ".join(f"{name}: [{form}]" for name, form in SECRET_FORMS.items())
    assert scrub(text, KEY, SESSION) == (  # what is left of a base64 form are bits of the text around the secret
        "the key: [***] the key in base64: [***] the key in URL-safe base64 inside longer text: [eD9***w==] "
        "RFC 7617 basic credentials: [YXJ0aXN0QGV4YW1wbGUuY29tOn***] the session: [***]"
    )
    assert scrub("sent Authorization: Bearer abc.def\nnext line", None) == "sent Authorization: ***\nnext line"
    assert scrub('{"Authorization": "basic eA==:eQ==", "session_id": "tok", "n": 1}', None) == (
        '{"Authorization": ***, "session_id": ***, "n": 1}'
    )


def _refusal(message: str) -> bytes:
    return json.dumps({"message": message, "message_hr": f"refused: {message}"}).encode()


SENT_HEADER = f"Authorization: basic {_b64(USER)}:{_b64(KEY)}"
LEAKY = f"bad request; headers {SENT_HEADER} X-Y: 1; rfc {_b64(USER + ':' + KEY)}; key {KEY}; session {SESSION}"


@pytest.mark.parametrize("canned", [(200, _refusal(LEAKY), "application/json")], indirect=True)
def test_a_refusal_quoting_the_credentials_shows_none_of_them(canned):
    client = AccsynClient(_credentials(canned), retries=0)
    client._session_id = SESSION
    with pytest.raises(BackendError) as caught:
        client.find_jobs()
    shown = f"{caught.value} {caught.value.message} {caught.value.message_hr}"
    assert not [name for name, form in SECRET_FORMS.items() if form[2:-2] in shown], shown
    assert _b64(KEY)[:8] not in shown and caught.value.message.startswith("bad request; headers Authorization: ***")


@pytest.mark.parametrize("canned", [(200, _refusal(f"no workspace for key {KEY}"), "application/json")], indirect=True)
def test_a_host_lookup_refusal_quoting_the_key_does_not_show_it(canned):
    client = AccsynClient(dataclasses.replace(_credentials(canned), hostname=None), retries=0)
    with pytest.raises(NotConfigured) as caught:
        client.endpoint()
    assert KEY not in str(caught.value) and "no workspace for key ***" in str(caught.value)


@pytest.mark.parametrize(
    "canned", [(502, f"<p>{'x' * 185} {form}</p>".encode(), "text/html") for form in (KEY, _b64(KEY))], indirect=True
)
def test_a_key_cut_by_the_end_of_a_quoted_page_shows_no_part_of_it(canned):
    with pytest.raises(ProtocolError) as caught:
        connect(_credentials(canned), retries=0)
    assert KEY[:5] not in str(caught.value) and _b64(KEY)[:5] not in str(caught.value)
    assert str(caught.value).endswith("HTTP 502 and no JSON: '<p>" + "x" * 185 + " ***</p>'")
