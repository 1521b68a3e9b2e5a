"""Text from a scene or a server, made safe to print: no control characters reach the terminal."""

from __future__ import annotations

from accsyn_dcc.scan.records import escape_controls


def printable(text: str) -> str:
    """``text`` with control characters (terminal escape sequences among them) shown as escapes; lines kept."""
    return escape_controls(text, keep="\n\t")


def one_line(text: str) -> str:
    """``text`` as one line of a table or message: every control character shown as its escape, line breaks too."""
    return escape_controls(text)
