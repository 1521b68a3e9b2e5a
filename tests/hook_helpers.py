"""Studio configs with hook files, for the tests of studio hooks at every entry point."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any, Dict, Mapping

import pytest

STUDIO_HOOK = """
import dataclasses

def before_dialog(choices):
    return dataclasses.replace(choices, name="studio_" + choices.name)

def check(plan):
    return [("warning", "studio saw %d job(s) of %s" % (len(plan.payloads), plan.choices.name))]

def before_send(payload):
    payload["filters"] = "ram:>16g"
    payload.setdefault("envs", {})["STUDIO_HOOKED"] = "1"
    return payload
"""
RAISING = "def before_send(payload):\n    raise RuntimeError('no\\nshots today')\n"
SLOW = "import time\n\ndef before_send(payload):\n    time.sleep(3)\n    return payload\n"
MALFORMED = "def before_send(payload):\n    return ['not', 'a', 'payload']\n"
BROKEN_IMPORT = "def before_send(payload)\n    return payload\n"
FAILURES = {"raising": (RAISING, "RuntimeError: no shots today"), "slow": (SLOW, "took longer than 0.5 s"),
            "malformed": (MALFORMED, "returned list, not a dict"),
            "unimportable": (BROKEN_IMPORT, "cannot be imported: SyntaxError")}  # fmt: skip
"""Hook sources that fail, and the words of the one line each gives."""


def studio_with_hooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: Mapping[str, str], **config: Any) -> Path:
    """A studio config in ``tmp_path/studio`` whose ``hooks`` folder holds ``files`` (name -> source)."""
    folder = tmp_path / "studio"
    (folder / "hooks").mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        (folder / "hooks" / name).write_text(textwrap.dedent(source))
    path = folder / "studio.json"
    values: Dict[str, Any] = dict(config)
    path.write_text(json.dumps(values))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(path))
    return path
