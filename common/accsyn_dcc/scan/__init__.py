"""Scene scanning: one entry point that picks the scanner for a scene file by its extension."""

from __future__ import annotations

import importlib
import os
from typing import Any, Callable, Optional

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.host_table import READERS
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Dependency, Output, ScanResult, Unresolved

__all__ = ["Dependency", "Output", "ScanResult", "Unresolved", "UnsupportedScene", "scan_scene", "scanner_for"]

class UnsupportedScene(AccsynDccError):
    """No offline scanner exists for this kind of scene file."""


def scanner_for(path: str) -> Callable[..., ScanResult]:
    """The scan function for ``path``'s extension; raise UnsupportedScene when there is none."""
    extension = os.path.splitext(path)[1].lower()
    target = READERS.get(extension)
    folder = os.path.isdir(path)
    if target is None or folder:
        known = ", ".join(sorted(READERS))
        what = "a folder, not a scene file" if folder else f"no scanner for '{extension}' files"
        raise UnsupportedScene(f"{path}: {what} (known: {known})")
    module_name, function_name = target.split(":")
    function: Callable[..., ScanResult] = getattr(importlib.import_module(module_name), function_name)
    return function


def scan_scene(path: str, frames: Optional[FrameRange] = None, **options: Any) -> ScanResult:
    """Scan the scene file at ``path`` for the frames given (None: the scene's own range)."""
    return scanner_for(path)(path, frames=frames, **options)
