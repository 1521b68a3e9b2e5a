"""Where the farm finds engine scripts, and which script runs which engine code."""

from __future__ import annotations

import ast
import os
import re
import textwrap
from typing import Any, Dict, Mapping

from accsyn_dcc.errors import AccsynDccError

ENGINES_ENV = "ACCSYN_DCC_ENGINES"
BUNDLED_ENGINES = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "engines"))
"""This checkout's ``engines`` folder; it holds ``common.py``, the base every engine imports."""


def engines_folder(explicit: str = "") -> str:
    """Where engine scripts are looked up: ``--engines DIR``, else ``ACCSYN_DCC_ENGINES``, else the bundled folder."""
    folder = explicit or os.environ.get(ENGINES_ENV) or BUNDLED_ENGINES
    if not os.path.isdir(folder):
        raise AccsynDccError(f"engines: {folder} is not a folder of engine scripts")
    return os.path.abspath(folder)


def common_folder(engines_dir: str) -> str:
    """The folder whose ``common.py`` the engines import: the engine folder's own, else the bundled one."""
    return engines_dir if os.path.isfile(os.path.join(engines_dir, "common.py")) else BUNDLED_ENGINES


def engine_script(code: str, folder: str) -> str:
    """The script for an engine code: ``<code>.py`` if present, else its family (``nuke-15`` -> ``nuke.py``)."""
    if not code:
        raise AccsynDccError("engine: the job names no engine")
    family = re.split(r"-\d", code, maxsplit=1)[0]
    names = [f"{name}.py" for name in dict.fromkeys((code, family))]
    for name in names:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    raise AccsynDccError(f"engine: no engine script for '{code}' in {folder} (looked for {' and '.join(names)})")


CONFIG_START = "# -- ENGINE CONFIG START --"
CONFIG_END = "# -- ENGINE CONFIG END --"


def engine_config(script: str) -> Dict[str, Dict[str, Any]]:
    """``SETTINGS``, ``PARAMETERS`` and ``ENVS`` of an engine's ENGINE CONFIG block, read as literals (never run).

    The backend reads the same block when an engine is published; the farm merges ``PARAMETERS`` into
    each job's parameters (the job's own values win) and takes ``SETTINGS`` as the engine's defaults.
    """
    try:
        with open(script, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as error:
        raise AccsynDccError(f"{script}: cannot read the engine ({error.strerror})") from None
    config: Dict[str, Dict[str, Any]] = {"SETTINGS": {}, "PARAMETERS": {}, "ENVS": {}}
    start = text.find(CONFIG_START)
    end = text.find(CONFIG_END, start)
    if start < 0 or end < 0:
        return config
    block = textwrap.dedent("\n".join(line for line in text[start:end].splitlines()[1:]))
    try:
        tree = ast.parse(block)
    except SyntaxError as error:
        raise AccsynDccError(f"{script}: the ENGINE CONFIG block is not valid Python (line {error.lineno})") from None
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in config:
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    raise AccsynDccError(f"{script}: ENGINE CONFIG {name} must be a literal") from None
                if not isinstance(value, dict):
                    raise AccsynDccError(f"{script}: ENGINE CONFIG {name} must be a dict")
                config[name] = value
    return config


def with_default_parameters(payload: Mapping[str, Any], defaults: Mapping[str, Any]) -> Dict[str, Any]:
    """``payload`` with the engine's default ``PARAMETERS`` under its own (the job's values win)."""
    merged = dict(payload)
    merged["parameters"] = {**defaults, **(payload.get("parameters") or {})}
    return merged
