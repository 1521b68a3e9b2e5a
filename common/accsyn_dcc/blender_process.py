"""Run a script in a Blender process (the core itself never imports ``bpy``).

Blender (``BLENDER_EXECUTABLE``, ``blender`` on PATH) or a Python with the ``bpy`` module
(``ACCSYN_BLENDER_PYTHON``, or this interpreter when it has ``bpy``) runs a script of the installed package
(``accsyn_dcc/blender/collect.py`` for a scan, ``accsyn_dcc/blender/demo_scene.py`` for the demo) with the arguments
after ``--``; the script answers on one marked line of its standard output. A scan of several scenes has one
Blender answer them in turn (``run_blender_batch``), started again only after one it crashed or hung on.
Blender makes its thumbnail folders at every start (no flag stops it): the process is given a temporary
folder for them, deleted after, so a scan never changes the user's home."""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import shutil
import site
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from typing import Deque, Dict, Generator, Iterable, List, Optional, Sequence, Tuple, Union

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.exit_status import stopped_by

BLENDER_SECONDS = 900
"""The longest a Blender subprocess may take over one request (loading a heavy scene with its libraries; the
first request also Blender's start) before it is stopped."""


class BlenderError(AccsynDccError):
    """Blender is missing, or could not do what was asked."""


def blender_command(script: str) -> List[str]:
    """How to run ``script`` with Blender's Python here (arguments follow after ``--``)."""
    blender = os.environ.get("BLENDER_EXECUTABLE") or shutil.which("blender")
    if blender:
        return [blender, "-b", "--factory-startup", "--python", script]
    python = os.environ.get("ACCSYN_BLENDER_PYTHON")
    if python:
        return [python, script]
    if importlib.util.find_spec("bpy") is not None:
        return [sys.executable, script]
    raise BlenderError("no Blender found: set BLENDER_EXECUTABLE, or ACCSYN_BLENDER_PYTHON to a Python with bpy")


def blender_environment(scratch: str) -> Dict[str, str]:
    """This process's environment with Blender's thumbnail folder moved into ``scratch``: Blender puts it under
    ``XDG_CACHE_HOME`` (else ``~/.cache``) on Linux, under ``HOME`` on macOS (the Python user site kept where it
    was). Windows: Blender takes it from the user profile, which no variable moves."""
    environ = dict(os.environ)
    if sys.platform == "darwin":
        environ.update(HOME=scratch, PYTHONUSERBASE=site.getuserbase())
    elif os.name == "posix":
        environ["XDG_CACHE_HOME"] = scratch
    return environ


def run_blender_script(script: str, arguments: Sequence[str], marker: str, what: str) -> str:
    """Run ``script`` in Blender and return the text after ``marker`` on its answer line."""
    command = [*blender_command(script), "--", *arguments]
    try:
        with tempfile.TemporaryDirectory(prefix="accsyn-blender-") as scratch:
            process = subprocess.run(
                command,
                capture_output=True,
                text=True,
                errors="replace",
                check=False,
                timeout=BLENDER_SECONDS,
                env=blender_environment(scratch),
            )
    except subprocess.TimeoutExpired:
        raise BlenderError(f"Blender did not {what} within {BLENDER_SECONDS} s; it was stopped") from None
    for line in process.stdout.splitlines():
        if line.startswith(marker + " "):
            return line[len(marker) + 1 :]
    raise _ended(process.returncode, process.stderr.splitlines(), process.stdout.splitlines(), what)


def run_blender_batch(
    script: str, requests: Iterable[Tuple[Sequence[str], str]], marker: str, error_marker: str
) -> Generator[Union[str, BlenderError], None, None]:
    """Run ``script`` in one Blender for every request (its arguments, and what it asks for the messages), in turn.

    The script, given ``--batch`` after ``--``, reads one JSON list of arguments a line from its standard input
    and answers each on one line: ``marker`` and its answer, or ``error_marker`` and why it could not. Yields
    each answer, or the BlenderError of a request that failed. A request Blender crashes on, or does not answer
    within ``BLENDER_SECONDS``, ends that Blender with one error naming it; the next request starts another."""
    with tempfile.TemporaryDirectory(prefix="accsyn-blender-") as scratch:
        blender: Optional[_Batch] = None
        try:
            for arguments, what in requests:
                if blender is None:
                    blender = _Batch([*blender_command(script), "--", "--batch"], blender_environment(scratch))
                try:
                    yield blender.ask(arguments, marker, error_marker, what)
                except BlenderError as error:
                    if blender.process.poll() is not None:  # crashed or stopped: the next request starts another
                        blender = None
                    yield error
        finally:
            if blender is not None:
                blender.close()


class _Batch:
    """One Blender answering requests on its standard input; its output read by threads, so a wait is bounded."""

    def __init__(self, command: List[str], environment: Dict[str, str]) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            env=environment,
        )
        self.lines: queue.Queue[Optional[str]] = queue.Queue()
        self.output: Deque[str] = deque(maxlen=20)
        self.errors: Deque[str] = deque(maxlen=20)
        self.readers = [threading.Thread(target=read, daemon=True) for read in (self._read_output, self._read_errors)]
        for reader in self.readers:
            reader.start()

    def _read_output(self) -> None:
        """Each line of Blender's standard output into ``lines``, then None at its end."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\r\n"))
        self.lines.put(None)

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.errors.append(line.rstrip("\r\n"))

    def ask(self, arguments: Sequence[str], marker: str, error_marker: str, what: str) -> str:
        """The answer to one request, or BlenderError (Blender stopped when it did not answer in time)."""
        self.output.clear()
        self.errors.clear()
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(list(arguments)) + "\n")
            self.process.stdin.flush()
        except OSError:  # it has ended: its exit status says how
            pass
        deadline = time.monotonic() + BLENDER_SECONDS
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                self.process.kill()
                self.process.wait()
                raise BlenderError(f"Blender did not {what} within {BLENDER_SECONDS} s; it was stopped") from None
            if line is None:
                self.process.wait()
                self.readers[1].join(timeout=5)  # its last words on standard error
                raise _ended(self.process.returncode, list(self.errors), list(self.output), what)
            if line.startswith(marker + " "):
                return line[len(marker) + 1 :]
            if line.startswith(error_marker + " "):
                raise BlenderError(f"Blender could not {what} ({line[len(error_marker) + 1 :][:200]})")
            self.output.append(line)

    def close(self) -> None:
        """End Blender: its input closed, it quits; stopped if it has not within ``BLENDER_SECONDS``."""
        try:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=BLENDER_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def _ended(returncode: int, errors: List[str], output: List[str], what: str) -> BlenderError:
    """Why a Blender ended without answering: the signal that stopped it, else its last line."""
    stopped = stopped_by(returncode)
    if stopped:  # its last log line says what it was doing, not why it ended
        return BlenderError(f"Blender was stopped by {stopped} while trying to {what}")
    lines = [line.strip() for line in errors if line.strip()] or [line.strip() for line in output if line.strip()]
    detail = lines[-1:] or ["no output"]
    return BlenderError(f"Blender could not {what} ({detail[0][:200]})")
