"""Raw HTTP/1.1 to a stand-in on 127.0.0.1, for requests no client library would send."""

from __future__ import annotations

import socket
import time
from typing import Callable

LOOKUP = (
    b"GET /api/v3/J3PKTtDvolDMBtTy6AFGA?%7B%22ident%22%3A%20%22demo%22%7D HTTP/1.1\r\nHost: x\r\n"
    b"Connection: close\r\n\r\n"
)
"""The master lookup of the demo workspace: answered 200 by a stand-in with the default seed."""


def raw(port: int, request: bytes, timeout: float = 5.0, half_close: bool = False) -> bytes:
    """Send ``request`` and return everything the server answers until it closes (or ``timeout`` of silence)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        if half_close:
            connection.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = connection.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def status(reply: bytes) -> bytes:
    """``b"200"`` for ``HTTP/1.1 200 OK ...``; ``b""`` when the server answered nothing."""
    parts = reply.split(b" ", 2)
    return parts[1] if len(parts) > 1 else b""


def put_login(length: int) -> bytes:
    """A login PUT with a body of ``length`` bytes (not JSON: answered 400 when read)."""
    return f"PUT /api/v3/api/login HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode() + b"x" * length


def until(call: Callable[[], bytes], wanted: Callable[[bytes], bool], seconds: float = 5.0) -> bytes:
    """Repeat ``call`` until its reply is ``wanted`` or ``seconds`` have passed; the last reply."""
    deadline = time.monotonic() + seconds
    while True:
        reply = call()
        if wanted(reply) or time.monotonic() > deadline:
            return reply
        time.sleep(0.05)
