"""Run engines the way the accsyn daemon does, on data JSON in its layout."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ENGINES = Path(__file__).parents[2] / "engines"
STOCK = Path(__file__).parent / "stock"
"""A stock-style ``common`` written from the protocol notes: only accsyn's rev-49 members."""


def engine_common():
    """Our engine base, ``engines/common.py``, imported as ``common`` without putting ``engines/`` on
    ``sys.path`` (where its ``nuke.py`` and ``maya.py`` would hide the host stand-ins from other tests)."""
    if "common" not in sys.modules:
        spec = importlib.util.spec_from_file_location("common", ENGINES / "common.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["common"] = module
        spec.loader.exec_module(module)
    return sys.modules["common"]


def write_data(folder, compute, **extra):
    """A data JSON in the accsyn daemon's layout."""
    data = {
        "compute": compute,
        "client": {"config": {"sharepaths": []}},
        "shares": [],
        "site": {"code": "hq"},
        "job": {"id": "a" * 24, "code": "job", "user": "artist", "created": "2026-11-25T01:00:00"},
    }
    data.update(extra)
    path = Path(folder) / "data.json"
    path.write_text(json.dumps(data))
    return path


def run_engine(script, data_path=None, item="all", args=(), env=None, common=ENGINES, cwd=None):
    """Run ``script`` as the daemon does, with the ``common`` in folder ``common`` (ours, or the stock-style one)."""
    environment = dict(os.environ, ACCSYN_ITEM=item, ACCSYN_COMPUTE_COMMON_PATH=str(common))
    environment["PYTHONPATH"] = str(common)
    environment.update(env or {})
    command = [sys.executable, str(script), *args] + ([str(data_path)] if data_path else [])
    if cwd is None:
        cwd = Path(data_path).parent if data_path else Path(os.environ.get("TMPDIR", "/tmp"))
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=cwd, timeout=120)
