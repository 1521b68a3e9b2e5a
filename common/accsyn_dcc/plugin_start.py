"""What a host plugin does at the host's start-up: keep one install of accsyn-dcc, and check its modules.

Standard library only, and loaded by the host's start-up files by its path (as ``accsyn_dcc_plugin_start``) before any
``accsyn_dcc`` is importable: which copy of ``accsyn_dcc`` the host imports is what it decides. The missing
module names are looked up without importing them, so the host's start-up stays instant; each plugin reports
them its own way (Nuke's message, Maya's warning line).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from typing import Callable, Iterable, List, Optional, Sequence, Set, Tuple

REQUIRED_MODULES = ("accsyn_dcc", "requests", "platformdirs", "qtpy")
STUDIO_MARK = ".accsyn-studio-tree"
"""At the root of a studio tree (``install.py HOST --studio DIR`` writes it); a per-user install has none."""

_said: Set[str] = set()


def missing_modules() -> List[str]:
    """The submitter's modules this Python cannot find."""
    return [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]


def is_studio(root: str) -> bool:
    return os.path.isfile(os.path.join(root, STUDIO_MARK))


def copies(package: str, depth: int, folders: Iterable[str]) -> List[str]:
    """Roots of the installs whose plugin folder (holding ``package``, ``depth`` below the root) is in ``folders``."""
    roots: List[str] = []
    for folder in folders:
        if folder and os.path.isfile(os.path.join(folder, package, "__init__.py")):
            root = os.path.realpath(folder)
            for _ in range(depth):
                root = os.path.dirname(root)
            if root not in roots:
                roots.append(root)
    return roots


def choose_copy(roots: Sequence[str]) -> Tuple[str, List[str]]:
    """The install to load (the first per-user one, else the first) and the ones passed over."""
    chosen = next((root for root in roots if not is_studio(root)), roots[0])
    return chosen, [root for root in roots if root != chosen]


def _inside(entry: str, root: str) -> bool:
    path = os.path.realpath(entry) if entry else ""
    return path == root or path.startswith(root + os.sep)


def _described(root: str) -> str:
    return f"the {'studio' if is_studio(root) else 'per-user'} install at {root}"


def step_aside(package: str, depth: int, say: Callable[[str], None]) -> Optional[str]:
    """Keep one install of the plugin on ``sys.path``: the per-user one over a studio one; its root, or None.

    The other installs' entries (plugin, core, vendored dependencies) leave ``sys.path``, so nothing of theirs
    is imported; ``say`` (the host's own print) tells once which install is used and which is not loaded.
    """
    roots = copies(package, depth, sys.path)
    if not roots:
        return None
    chosen, passed = choose_copy(roots)
    if passed:
        sys.path[:] = [entry for entry in sys.path if not any(_inside(entry, root) for root in passed)]
        say_once(chosen, passed, say)
    return chosen


def say_once(chosen: str, passed: Sequence[str], say: Callable[[str], None]) -> None:
    """Tell which install is used and which are not loaded, once per start-up (each install's start-up asks)."""
    others = ", ".join(_described(root) for root in passed)
    text = f"accsyn-dcc: using {_described(chosen)}; {others} {'is' if len(passed) == 1 else 'are'} not loaded"
    if text not in _said:
        _said.add(text)
        say(text)


def add_core(root: str) -> None:
    """Make ``accsyn_dcc`` of the install at ``root`` importable, then its vendored dependencies after the host's."""
    common, vendor = os.path.join(root, "common"), os.path.join(root, "build", "python-vendor")
    if os.path.isdir(common) and common not in sys.path:
        sys.path.insert(0, common)
    if os.path.isdir(vendor) and vendor not in sys.path:
        sys.path.append(vendor)
