"""Where the farm finds engine scripts, and which script runs which engine code."""

from __future__ import annotations

import os
import re

from accsyn_dcc.errors import AccsynDccError

ENGINES_ENV = "ACCSYN_DCC_ENGINES"
BUNDLED_ENGINES = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "engines"))
"""This checkout's ``engines`` folder; it holds ``common.py``, the base every engine imports."""


def engines_folder() -> str:
    """Where engine scripts are looked up: ``ACCSYN_DCC_ENGINES``, else the bundled folder."""
    return os.environ.get(ENGINES_ENV) or BUNDLED_ENGINES


def common_folder(engines_dir: str) -> str:
    """The folder whose ``common.py`` the engines import: the engine folder's own, else the bundled one."""
    return engines_dir if os.path.isfile(os.path.join(engines_dir, "common.py")) else BUNDLED_ENGINES


def engine_script(code: str, folder: str) -> str:
    """The script for an engine code: ``<code>.py`` if present, else its family (``nuke-15`` -> ``nuke.py``)."""
    if not code:
        raise AccsynDccError("engine: the job names no engine")
    family = re.split(r"-\d", code, maxsplit=1)[0]
    for name in dict.fromkeys((code, family)):
        path = os.path.join(folder, f"{name}.py")
        if os.path.isfile(path):
            return path
    raise AccsynDccError(f"engine: no engine script for '{code}' in {folder} (looked for {code}.py and {family}.py)")
