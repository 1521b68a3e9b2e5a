"""Add and remove a clearly delimited block of lines in a user's start-up file, leaving every other byte alone.

The opening marker line carries, as JSON, what the installer created (the file, its folder) and whether
it added a line break before the block, so that removing the block restores the file byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional, Tuple

BEGIN = "# >>> accsyn-dcc >>>"
END = "# <<< accsyn-dcc <<<"


@dataclass(frozen=True)
class BlockFacts:
    """What the installer did besides writing the block lines."""

    created_file: bool = False
    created_folder: bool = False
    added_newline: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {"created_file": self.created_file, "created_folder": self.created_folder, "newline": self.added_newline},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> BlockFacts:
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError:
            data = {}
        return cls(bool(data.get("created_file")), bool(data.get("created_folder")), bool(data.get("newline")))


def find_block(text: str) -> Optional[Tuple[int, int, BlockFacts]]:
    """``(start, end, facts)`` of the block in ``text`` (end is past its last line break), or None."""
    start = text.find(BEGIN)
    if start < 0 or (start > 0 and text[start - 1] != "\n"):
        return None
    end_marker = text.find(END, start)
    if end_marker < 0:
        raise ValueError(f"the line '{BEGIN}' has no closing '{END}'; remove the damaged block by hand")
    end = end_marker + len(END)
    if text.startswith("\r\n", end):
        end += 2
    elif text.startswith("\n", end):
        end += 1
    header_end = text.find("\n", start)
    facts = BlockFacts.from_json(text[start + len(BEGIN) : header_end].strip().lstrip("#").strip())
    return start, end, facts


def render_block(body: str, facts: BlockFacts) -> str:
    """The full block: marker line with ``facts``, a note on how to remove it, ``body``, closing marker."""
    lines = [
        f"{BEGIN} {facts.to_json()}",
        "# Added by accsyn-dcc's install/install.py; remove it with: python install/install.py <host> --uninstall",
        body.rstrip("\n"),
        END,
    ]
    return "\n".join(lines) + "\n"


def with_block(text: Optional[str], body: str, created_folder: bool) -> str:
    """``text`` (None: the file does not exist) with the block added, or replaced when the body changed."""
    found = find_block(text or "")
    if found is not None:
        start, end, facts = found
        assert text is not None
        return text[:start] + render_block(body, facts) + text[end:]
    if text is None:
        return render_block(body, BlockFacts(created_file=True, created_folder=created_folder))
    needs_newline = bool(text) and not text.endswith("\n")
    facts = BlockFacts(added_newline=needs_newline)
    return text + ("\n" if needs_newline else "") + render_block(body, facts)


def without_block(text: str) -> Tuple[str, BlockFacts]:
    """``text`` with the block removed exactly as it was added, and the facts the block recorded."""
    found = find_block(text)
    if found is None:
        return text, BlockFacts()
    start, end, facts = found
    before = text[:start]
    if facts.added_newline and before.endswith("\n"):
        before = before[:-1]
    return before + text[end:], facts
