"""What a host plugin checks at the host's start-up: that the submitter's modules can be found.

Looked up without importing them, so the host's start-up stays instant; each plugin reports the
missing names its own way (Nuke's message, Maya's warning line).
"""

from __future__ import annotations

import importlib.util
from typing import List

REQUIRED_MODULES = ("accsyn_dcc", "requests", "platformdirs", "qtpy")


def missing_modules() -> List[str]:
    """The submitter's modules this Python cannot find."""
    return [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]
