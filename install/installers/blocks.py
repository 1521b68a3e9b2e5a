"""Add and remove a clearly delimited block of lines in a user's start-up file, leaving every other byte alone.

The opening marker line carries, as JSON, what the installer created (the file, its folder), whether it
added a line break before the block, and a short digest of each line it wrote, so that removing the block
restores the file byte for byte and takes out only those lines: lines a user added inside the block stay
where they are, on uninstall and when the block is updated.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple

BEGIN = "# >>> accsyn-dcc >>>"
END = "# <<< accsyn-dcc <<<"
NOTE = "# Added by accsyn-dcc's install/install.py; remove it with: python install/install.py"


def note(host: str) -> str:
    """The block's second line: who added it, and the command that removes it for ``host``."""
    return f"{NOTE} {host} --uninstall"


def _is_note(line: str) -> bool:
    return line.startswith(NOTE)


@dataclass(frozen=True)
class BlockFacts:
    """What the installer did besides writing the block lines, and which lines it wrote."""

    created_file: bool = False
    created_folder: bool = False
    added_newline: bool = False
    lines: Optional[Tuple[str, ...]] = None
    """The digests of the body lines written (``line_digest``); None in a block that predates them: every line."""

    def to_json(self) -> str:
        data = {"created_file": self.created_file, "created_folder": self.created_folder, "newline": self.added_newline}
        return json.dumps({**data, "lines": list(self.lines or ())}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> BlockFacts:
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError:
            data = {}
        lines = data.get("lines")
        return cls(
            bool(data.get("created_file")),
            bool(data.get("created_folder")),
            bool(data.get("newline")),
            tuple(str(line) for line in lines) if isinstance(lines, list) else None,
        )


def line_digest(line: str) -> str:
    """A short digest of one line (its line break left out), recorded for each line the installer writes."""
    return hashlib.sha256(line.rstrip("\r\n").encode("utf-8")).hexdigest()[:8]


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


def user_lines(text: str) -> List[str]:
    """The lines inside the block in ``text`` that the installer did not write, in order, line breaks kept."""
    found = find_block(text)
    if found is None:
        return []
    start, end, facts = found
    if facts.lines is None:
        return []
    written = [NOTE, *facts.lines]
    kept: List[str] = []
    for line in text[start:end].splitlines(keepends=True)[1:-1]:
        mark = NOTE if _is_note(line) else line_digest(line)
        if mark in written:
            written.remove(mark)
        else:
            kept.append(line)
    return kept


def render_block(body: str, facts: BlockFacts, host: str, kept: Sequence[str] = ()) -> str:
    """The full block: marker line with ``facts``, a note on how to remove it, ``body``, ``kept``, closing marker."""
    body = body.rstrip("\n")
    facts = replace(facts, lines=tuple(line_digest(line) for line in body.split("\n")))
    return f"{BEGIN} {facts.to_json()}\n{note(host)}\n{body}\n" + "".join(kept) + f"{END}\n"


def with_block(text: Optional[str], body: str, created_folder: bool, host: str) -> str:
    """``text`` (None: the file does not exist) with ``host``'s block added, or replaced when the body changed."""
    found = find_block(text or "")
    if found is not None:
        start, end, facts = found
        assert text is not None
        return text[:start] + render_block(body, facts, host, user_lines(text)) + text[end:]
    if text is None:
        return render_block(body, BlockFacts(created_file=True, created_folder=created_folder), host)
    needs_newline = bool(text) and not text.endswith("\n")
    facts = BlockFacts(added_newline=needs_newline)
    return text + ("\n" if needs_newline else "") + render_block(body, facts, host)


def without_block(text: str) -> Tuple[str, BlockFacts]:
    """``text`` with the lines the installer added taken out exactly as they were added, and the block's facts.

    Lines a user added inside the block stay where the block was (and so does a line break the installer
    added before it, which the first of them needs).
    """
    found = find_block(text)
    if found is None:
        return text, BlockFacts()
    start, end, facts = found
    kept = user_lines(text)
    before = text[:start]
    if facts.added_newline and before.endswith("\n") and not kept:
        before = before[:-1]
    return before + "".join(kept) + text[end:], facts
