"""Run one of the Blender plug-in's scripts in a Blender process (the core itself never imports ``bpy``).

Blender (``BLENDER_EXECUTABLE``, ``blender`` on PATH) or a Python with the ``bpy`` module
(``ACCSYN_BLENDER_PYTHON``, or this interpreter when it has ``bpy``) runs a script from
``plugins/blender/accsyn_blender/`` with the arguments after ``--``; the script answers on one
marked line of its standard output.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from typing import List, Sequence

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.exit_status import stopped_by

PLUGIN_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "plugins", "blender", "accsyn_blender"
)


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


def run_plugin_script(name: str, arguments: Sequence[str], marker: str, what: str) -> str:
    """Run ``plugins/blender/accsyn_blender/<name>`` and return the text after ``marker`` on its answer line."""
    script = os.path.join(PLUGIN_DIR, name)
    if not os.path.isfile(script):
        raise BlenderError(
            f"{script}: the Blender plug-in's script is missing (is accsyn-dcc installed from its folder?)"
        )
    try:
        process = subprocess.run(
            [*blender_command(script), "--", *arguments],
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            timeout=BLENDER_SECONDS,
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
