"""The stand-in accsyn backend over HTTP on 127.0.0.1 (stdlib only), for tests, demos and offline work."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Callable, Dict, Optional, Type

from accsyn_dcc import json_text
from accsyn_dcc.standin.backend import MAX_BODY, Backend, RefusedRequest, load_seed
from accsyn_dcc.standin.dispatch import LocalDispatcher, recover
from accsyn_dcc.standin.progress import StatusLog
from accsyn_dcc.standin.store import Store
from accsyn_dcc.workspace import Volume

HOST = "127.0.0.1"
LOOKUP_PATH = "/api/v3/J3PKTtDvolDMBtTy6AFGA"
LOGIN_PATH = "/api/v3/api/login"
EVENT_PATH = "/api/v3/event"
DROP = "drop"
"""Hook answer: close the connection without handling the request."""
DROP_AFTER = "drop-after"
"""Hook answer: handle the request (e.g. create the job), then close the connection without replying."""


@dataclass
class RecordedRequest:
    """One request as received: what a recording hook sees."""

    method: str
    path: str
    raw_query: str
    headers: Dict[str, str]
    body: bytes
    payload: Any = field(default=None)
    """The decoded JSON (body for POST/PUT, percent-decoded raw query for GET/DELETE), None if unreadable."""


Hook = Callable[[RecordedRequest], Optional[str]]
MAX_BODIES = 4 * MAX_BODY
"""The most bytes of request bodies read and handled at once; a body that would go beyond is answered 503."""
MAX_CONNECTIONS = 64
"""Connections served at once (accsyn allows 100 per address); as many more are answered 503, any beyond closed."""
IDLE_SECONDS = 30.0
"""A connection that sends nothing for this long is closed."""
BUSY_SECONDS = 2.0
"""How long a connection answered 503 for ``MAX_CONNECTIONS`` may take to send its request line and headers."""


class StandinServer:
    """``StandinServer(data_dir).start()``; ``.url``/``.port``; ``.stop()``; also a context manager."""

    def __init__(
        self,
        data_dir: str,
        seed_path: Optional[str] = None,
        port: int = 0,
        hook: Optional[Hook] = None,
        run_jobs: bool = False,
        on_status: Optional[Callable[[str], None]] = None,
    ) -> None:
        self.data_dir = data_dir
        self.seed = load_seed(seed_path)
        self.requested_port = port
        self.hook = hook
        self.run_jobs = run_jobs
        """Hand every created job to the local farm (``accsyn_dcc.standin.dispatch``)."""
        self.on_status = on_status
        """Told one line per job state change (the ``server`` command prints them)."""
        self.dispatcher: Optional[LocalDispatcher] = None
        self._httpd: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None
        self._store: Optional[Store] = None
        self.backend: Optional[Backend] = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the stand-in server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/api/v3"

    @property
    def workspace(self) -> str:
        return str(self.seed["workspace"])

    def start(self) -> StandinServer:
        self._store = Store(self.data_dir)
        status_log = StatusLog(self.on_status)  # the workspace's log (``log/find``): what the farm and clients did
        if self.run_jobs:
            volumes = [Volume.from_dict(volume) for volume in self.seed.get("volumes", [])]
            self.dispatcher = LocalDispatcher(
                self._store, volumes, os.path.join(self.data_dir, "farm"), on_status=status_log
            )
            self.dispatcher.start()
        else:  # no farm here: what a previous server left running waits for one
            recover(self._store, status_log)
        backend = self.backend = Backend(self.seed, self._store, self.dispatcher, status_log)
        handler = type("StandinHandler", (_Handler,), {"backend": backend, "server_hook": self})
        self._httpd = _Server((HOST, self.requested_port), handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="accsyn-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.dispatcher is not None:
            self.dispatcher.stop()
            self.dispatcher.join(timeout=10)
        if self._store is not None:
            self._store.close()
            self._store = None

    def serve_forever(self) -> None:
        """Block until interrupted (for ``accsyn-dcc server``)."""
        if self._thread is None:
            self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class _Server(HTTPServer):
    """Each connection on a daemon thread of its own, up to ``MAX_CONNECTIONS`` served and as many answered busy."""

    def __init__(self, address: Any, handler: Type[_Handler]) -> None:
        super().__init__(address, handler)
        self.serving = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.answering_busy = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.bodies = _ByteBudget(MAX_BODIES)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Never blocks the accepting loop, so ``shutdown`` (Ctrl-C) is prompt whatever the connections do."""
        if self.serving.acquire(blocking=False):
            self._start(request, client_address, self.RequestHandlerClass, self.serving)
        elif self.answering_busy.acquire(blocking=False):
            self._start(request, client_address, _Busy, self.answering_busy)
        else:
            self.shutdown_request(request)

    def _start(self, request: Any, client_address: Any, handler: Any, slot: threading.BoundedSemaphore) -> None:
        def run() -> None:
            try:
                handler(request, client_address, self)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)
                slot.release()

        threading.Thread(target=run, name="accsyn-standin-connection", daemon=True).start()


class _ByteBudget:
    """Bytes in use out of ``limit``, shared by every connection's thread."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def take(self, count: int) -> bool:
        with self._lock:
            if self.used + count > self.limit:
                return False
            self.used += count
            return True

    def give_back(self, count: int) -> None:
        with self._lock:
            self.used -= count


class _JsonHandler(BaseHTTPRequestHandler):
    """Every method is ``_handle``d and every answer is JSON (accsyn-protocol.md 1.7)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """A reply is written as its headers, then its body: without this each waited for the client's delayed ACK
    (about 40 ms a call, measured by bench/monitor_bench.py)."""
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the stand-in logs nothing per request."""

    def do_GET(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        raise NotImplementedError

    def _send(self, status: int, reply: Dict[str, Any]) -> None:
        text = json.dumps(reply).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


class _Busy(_JsonHandler):
    """Answers a connection beyond ``MAX_CONNECTIONS``: 503, try again."""

    timeout = BUSY_SECONDS

    def _handle(self) -> None:
        self.close_connection = True
        busy = f"The stand-in is serving {MAX_CONNECTIONS} connections already; try again"
        self._send(503, RefusedRequest(busy).reply)


class _Handler(_JsonHandler):
    timeout = IDLE_SECONDS  # socket timeout: an idle or stalled connection is closed, never holds a thread
    backend: Backend
    server_hook: StandinServer

    def _handle(self) -> None:
        path, _, raw_query = self.path.partition("?")
        declared = (self.headers.get("Content-Length") or "0").strip()
        if not declared.isdigit():
            self._send(400, RefusedRequest(f"Content-Length {declared!r} is not a whole number of bytes").reply)
            return
        length = int(declared)
        if length > MAX_BODY:
            self.close_connection = True
            self._send(413, RefusedRequest(f"The request body ({length} bytes) is larger than {MAX_BODY}").reply)
            return
        if not self.server.bodies.take(length):
            self._discard(length)
            self.close_connection = True
            busy = f"The stand-in is reading {MAX_BODIES} bytes of other requests already; try again"
            self._send(503, RefusedRequest(busy).reply)
            return
        try:
            self._answer(path, raw_query, length)
        finally:
            self.server.bodies.give_back(length)

    def _discard(self, length: int) -> None:
        """Read and drop a body, so that the client, done sending, reads the answer (no reset)."""
        with contextlib.suppress(OSError):
            while length > 0:
                chunk = self.rfile.read(min(length, 65536))
                if not chunk:
                    return
                length -= len(chunk)

    def _answer(self, path: str, raw_query: str, length: int) -> None:
        try:
            body = self.rfile.read(length) if length else b""
        except OSError:  # the client went quiet before sending what it announced
            self.close_connection = True
            return
        if len(body) < length:
            self.close_connection = True
            self._send(400, RefusedRequest(f"The body ended after {len(body)} of {length} bytes").reply)
            return
        request = RecordedRequest(self.command, path, raw_query, dict(self.headers.items()), body)
        request.payload = _decode(self.command, raw_query, body)
        hook = self.server_hook.hook
        action = hook(request) if hook else None
        if action == DROP:
            self._drop()
            return
        reply = self._reply(request)
        if action == DROP_AFTER:
            self._drop()
            return
        self._send(400 if "message" in reply else 200, reply)

    def _reply(self, request: RecordedRequest) -> Dict[str, Any]:
        headers = {key.lower(): value for key, value in request.headers.items()}
        named = {
            "Authorization": headers.get("authorization", ""),
            "X-Accsyn-Workspace": headers.get("x-accsyn-workspace", ""),
        }
        if request.path not in (LOOKUP_PATH, LOGIN_PATH, EVENT_PATH):
            return RefusedRequest(f"No such API path {request.path}").reply
        if request.payload is None:
            return RefusedRequest("The request carries no readable JSON").reply
        if request.path == LOOKUP_PATH:
            return self.backend.lookup(request.payload, self.server_hook.port)
        if request.path == LOGIN_PATH:
            if request.method != "PUT":
                return RefusedRequest("Log in with PUT").reply
            return self.backend.login(named)
        return self.backend.event(request.method, request.payload, named)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _decode(method: str, raw_query: str, body: bytes) -> Any:
    text = urllib.parse.unquote(raw_query) if method in ("GET", "DELETE") else body.decode("utf-8", "replace")
    try:
        return json_text.loads(text) if text else None
    except ValueError:
        return None
