"""Run a script in a Blender process (the core itself never imports ``bpy``).

Blender (``BLENDER_EXECUTABLE``, ``blender`` on PATH) or a Python with the ``bpy`` module
(``ACCSYN_BLENDER_PYTHON``, or this interpreter when it has ``bpy``) runs a script of the installed package
(``accsyn_dcc/blender/collect.py`` for a scan, ``accsyn_dcc/blender/demo_scene.py`` for the demo) with the arguments
after ``--``; the script answers on one marked line of its standard output. Blender makes its thumbnail
folders at every start (no flag stops it): the process is given a temporary folder for them, deleted after,
so a scan never changes the user's home."""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import tempfile
from typing import Dict, List, Sequence

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.exit_status import stopped_by

BLENDER_SECONDS = 900
"""The longest a Blender subprocess may take (loading a heavy scene with its libraries) before it is stopped."""


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
    stopped = stopped_by(process.returncode)
    if stopped:  # its last log line says what it was doing, not why it ended
        raise BlenderError(f"Blender was stopped by {stopped} while trying to {what}")
    detail = (process.stderr or process.stdout).strip().splitlines()[-1:] or ["no output"]
    raise BlenderError(f"Blender could not {what} ({detail[0][:200]})")
