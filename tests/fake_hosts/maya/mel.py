"""Stand-in ``maya.mel``: only the global variables the plugin reads."""

from __future__ import annotations

from typing import Any

GLOBALS = {"$gShelfTopLevel": "ShelfLayout", "$gMainWindow": "MayaWindow"}


def eval(command: str) -> Any:
    for name, value in GLOBALS.items():
        if name in command:
            return value
    raise RuntimeError(f"stand-in maya.mel cannot evaluate: {command}")
