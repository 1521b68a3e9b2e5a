"""Text that came from a scene, made safe to print: no control characters reach the terminal."""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` with control characters (terminal escape sequences among them) shown as escapes; lines kept."""
    return "\n".join(
        "".join(char if char.isprintable() or char == "\t" else repr(char)[1:-1] for char in line)
        for line in text.split("\n")
    )
