"""Text that came from a scene, made safe to print: no control characters reach the terminal."""

from __future__ import annotations

from accsyn_dcc.scan.records import escape_controls


def printable(text: str) -> str:
    """``text`` with control characters (terminal escape sequences among them) shown as escapes; lines kept."""
    return escape_controls(text, keep="\n\t")
