"""One Python per worker that starts its engines (POSIX): ``python <engine> <data.json>`` without a Python start-up.

The host imports the engine's ``common`` once, then forks one child per task, in the task's environment and
folder, with its own process group and its output on a pipe of the runner's: the child is what
``python <engine> <data.json>`` would be, minus the interpreter's start (30-40 ms of CPU a task). When the
runner dies, the host ends the running engine's group and itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
from typing import IO, Dict, List, Mapping, Optional

IDLE_SECONDS = 60.0
"""A host ends after this long without a task; the next task starts another."""

HOST = """
import contextlib, json, os, runpy, select, signal, socket, sys, time
script, control, idle = sys.argv[1], socket.socket(fileno=int(sys.argv[2])), float(sys.argv[3])
sys.path[0] = os.path.dirname(os.path.abspath(script))
with contextlib.suppress(Exception):  # what an engine imports first; if it fails, the engine says so itself
    import common
wake_read, wake_write = os.pipe()
os.set_blocking(wake_write, False)
signal.set_wakeup_fd(wake_write)
signal.signal(signal.SIGCHLD, lambda *_: None)


def receive():
    if not select.select([control], [], [], idle)[0]:
        return None, []
    message, fds, _, _ = socket.recv_fds(control, 1 << 20, 1)
    while message and not message.endswith(b"\\n"):
        more = control.recv(1 << 20)
        if not more:
            return None, fds
        message += more
    return (json.loads(message) if message else None), fds


def end(engine):
    with contextlib.suppress(OSError):
        os.killpg(engine, signal.SIGTERM)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and os.waitpid(engine, os.WNOHANG) == (0, 0):
        time.sleep(0.05)
    with contextlib.suppress(OSError):
        os.killpg(engine, signal.SIGKILL)


while True:
    request, fds = receive()
    if request is None:
        sys.exit(0)
    ready_read, ready_write = os.pipe()
    engine = os.fork()
    if engine == 0:  # python <engine> <data.json>, in the task's environment and folder
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        control.close()
        os.setsid()
        os.close(ready_read)
        os.write(ready_write, b".")
        os.close(ready_write)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(fds[0], 1)
        os.dup2(fds[0], 2)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        sys.argv = request["argv"]
        runpy.run_path(script, run_name="__main__")
        sys.exit(0)
    os.close(fds[0])
    os.close(ready_write)
    os.read(ready_read, 1)  # the engine leads its own group before the runner may signal it
    os.close(ready_read)
    control.sendall(b"pid %d\\n" % engine)
    while True:
        readable = select.select([control, wake_read], [], [])[0]
        if wake_read in readable:
            os.read(wake_read, 4096)
            done, status = os.waitpid(engine, os.WNOHANG)
            if done:
                control.sendall(b"exit %d %d\\n" % (engine, os.waitstatus_to_exitcode(status)))
                break
        if control in readable and not control.recv(1, socket.MSG_PEEK):  # the runner is gone
            end(engine)
            sys.exit(0)
"""


class EngineHost:
    """The runner's side of one worker's host: ``start`` runs an engine task on it."""

    def __init__(self, python: str, script: str, env: Mapping[str, str], log_path: str) -> None:
        ours, theirs = socket.socketpair()
        self.control = ours
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [python, "-c", HOST, script, str(theirs.fileno()), str(IDLE_SECONDS)],
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=[theirs.fileno()],
                start_new_session=True,
            )
        theirs.close()
        self._lines = self.control.makefile("rb")
        self._changed = threading.Condition()
        self._started: List[int] = []
        self._exits: Dict[int, int] = {}
        self._gone = False
        threading.Thread(target=self._read, daemon=True).start()

    def alive(self) -> bool:
        return not self._gone and self.process.poll() is None

    def start(self, argv: List[str], env: Mapping[str, str], cwd: str) -> HostedEngine:
        """Fork ``argv`` (the engine and its data path) in ``env`` and ``cwd``; its output comes on a new pipe."""
        read, write = os.pipe()
        try:
            request = json.dumps({"argv": argv, "env": dict(env), "cwd": cwd}).encode("utf-8") + b"\n"
            socket.send_fds(self.control, [request], [write])
        finally:
            os.close(write)
        with self._changed:
            if not self._changed.wait_for(lambda: self._started or self._gone, timeout=30) or not self._started:
                os.close(read)
                raise OSError("the engine host did not start the engine")
            pid = self._started.pop(0)
        return HostedEngine(self, pid, os.fdopen(read, "r", errors="replace"))

    def close(self) -> None:
        """End the host (it ends an engine still running), bounded."""
        with contextlib.suppress(OSError):
            self.control.shutdown(socket.SHUT_RDWR)
        self.control.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def _read(self) -> None:
        try:
            for line in self._lines:
                words = line.split()
                with self._changed:
                    if words[:1] == [b"pid"]:
                        self._started.append(int(words[1]))
                    elif words[:1] == [b"exit"]:
                        self._exits[int(words[1])] = int(words[2])
                    self._changed.notify_all()
        except (OSError, ValueError):
            pass
        with self._changed:
            self._gone = True
            self._changed.notify_all()

    def exit_code(self, pid: int, timeout: Optional[float]) -> int:
        with self._changed:
            if not self._changed.wait_for(lambda: pid in self._exits or self._gone, timeout):
                raise subprocess.TimeoutExpired(f"engine {pid}", timeout or 0)
            return self._exits.get(pid, 1)  # a host that died took its engine's exit code with it


class HostedEngine:
    """An engine forked by an ``EngineHost``: what the runner uses of a ``Popen`` (its group is ``pid``'s)."""

    def __init__(self, host: EngineHost, pid: int, stdout: IO[str]) -> None:
        self.host = host
        self.pid = pid
        self.stdout = stdout
        self.returncode: Optional[int] = None

    def poll(self) -> Optional[int]:
        with self.host._changed:
            if self.returncode is None and self.pid in self.host._exits:
                self.returncode = self.host._exits[self.pid]
        return self.returncode

    def terminate(self) -> None:
        os.killpg(self.pid, signal.SIGTERM)

    def kill(self) -> None:
        os.killpg(self.pid, signal.SIGKILL)

    def wait(self, timeout: Optional[float] = None) -> int:
        self.returncode = self.host.exit_code(self.pid, timeout)
        return self.returncode
