"""Split .nk text (Nuke's TCL dialect) into commands of words.

Words are separated by blanks; a command ends at a newline or ``;`` outside braces, quotes and
brackets. ``{...}`` nests across lines and is kept verbatim (without the outer braces); ``"..."``
takes backslash escapes; ``[...]`` stays intact inside a word; ``#`` starts a comment only where
a command starts. Malformed text raises ``NukeScriptError`` with line and column; it never hangs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

from accsyn_dcc.errors import AccsynDccError


class NukeScriptError(AccsynDccError):
    """A Nuke script that cannot be read, with where the problem is."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        self.path, self.line, self.column = path, line, column
        super().__init__(f"{path}:{line}:{column}: {message}")


@dataclass(frozen=True)
class Word:
    text: str
    braced: bool
    line: int
    column: int


@dataclass(frozen=True)
class Command:
    words: List[Word]

    @property
    def name(self) -> str:
        return self.words[0].text

    @property
    def line(self) -> int:
        return self.words[0].line


def tokenize(text: str, path: str = "<script>", first_line: int = 1) -> List[Command]:
    """Every command in ``text``; ``first_line`` numbers lines of a nested block in its file."""
    commands: List[Command] = []
    words: List[Word] = []
    position, line, line_start, length = 0, first_line, 0, len(text)

    def column(at: int) -> int:
        return at - line_start + 1

    while position < length:
        char = text[position]
        if char == "\n" or char == ";":
            if words:
                commands.append(Command(words))
                words = []
            if char == "\n":
                line, line_start = line + 1, position + 1
            position += 1
        elif char in " \t\r":
            position += 1
        elif char == "#" and not words:
            while position < length and text[position] != "\n":
                position += 1
        elif char == "{":
            start_line, start_column = line, column(position)
            depth, position = 1, position + 1
            body_start = position
            while position < length and depth:
                if text[position] == "\\":
                    position += 1
                elif text[position] == "{":
                    depth += 1
                elif text[position] == "}":
                    depth -= 1
                elif text[position] == "\n":
                    line, line_start = line + 1, position + 1
                position += 1
            if depth:
                raise NukeScriptError(path, start_line, start_column, "unbalanced '{': no closing '}'")
            words.append(Word(text[body_start : position - 1], True, start_line, start_column))
        elif char == "}":
            raise NukeScriptError(path, line, column(position), "unexpected '}'")
        else:
            start_line, start_column = line, column(position)
            parts: List[str] = []
            while position < length and text[position] not in " \t\r\n;":
                char = text[position]
                if char == '"':
                    position += 1
                    while position < length and text[position] != '"':
                        if text[position] == "\\" and position + 1 < length:
                            position += 1
                            parts.append({"n": "\n", "t": "\t"}.get(text[position], text[position]))
                        else:
                            if text[position] == "\n":
                                line, line_start = line + 1, position + 1
                            parts.append(text[position])
                        position += 1
                    if position >= length:
                        raise NukeScriptError(path, start_line, start_column, "unterminated '\"'")
                    position += 1
                elif char == "[":
                    depth, begin = 0, position
                    while position < length:
                        if text[position] == "[":
                            depth += 1
                        elif text[position] == "]":
                            depth -= 1
                            if depth == 0:
                                break
                        elif text[position] == "\n":
                            line, line_start = line + 1, position + 1
                        position += 1
                    if position >= length:
                        raise NukeScriptError(path, start_line, start_column, "unbalanced '[': no closing ']'")
                    position += 1
                    parts.append(text[begin:position])
                elif char == "{" or char == "}":
                    break
                elif char == "\\" and position + 1 < length:
                    parts.append(text[position + 1])
                    position += 2
                else:
                    parts.append(char)
                    position += 1
            words.append(Word("".join(parts), False, start_line, start_column))
    if words:
        commands.append(Command(words))
    return commands
