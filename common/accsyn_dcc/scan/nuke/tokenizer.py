"""Split .nk text (Nuke's TCL dialect) into commands of words.

Words are separated by blanks; a command ends at a newline or ``;`` outside braces, quotes and
brackets. ``{...}`` nests across lines and is kept verbatim (without the outer braces); ``"..."``
takes backslash escapes; ``[...]`` stays intact inside a word; ``#`` starts a comment only where
a command starts. Malformed text raises ``NukeScriptError`` with line and column; it never hangs.
"""

from __future__ import annotations

import re
from typing import Dict, List, NamedTuple, Optional, Pattern, Sequence, Tuple

from accsyn_dcc.errors import AccsynDccError


class NukeScriptError(AccsynDccError):
    """A Nuke script that cannot be read, with where the problem is."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        """``line`` 0 for a problem of the whole file (it cannot be read, a group is never closed)."""
        self.path, self.line, self.column = path, line, column
        super().__init__(f"{path}:{line}:{column}: {message}" if line else f"{path}: {message}")


class Word(NamedTuple):
    """One word: its text (a braced body without the braces), and where it starts.

    A named tuple rather than a frozen dataclass: a script has hundreds of thousands of words.
    """

    text: str
    braced: bool
    line: int
    column: int
    plain: bool = False
    """A braced node body already known to hold only tidy knob lines (read by ``tidy_knobs``)."""


class Command(NamedTuple):
    words: Sequence[Word]

    @property
    def name(self) -> str:
        return self.words[0].text

    @property
    def line(self) -> int:
        return self.words[0].line


_WORD = r'[^ \t\r\n;"\[{}\\]+'
"""A run of characters with no special meaning: no blank, line end, ';', quote, '[', brace or backslash."""
_NEXT = re.compile(
    r"[ \t\r]*(?:"
    r"(\n|;)"  # 1: the end of a command
    r"|(#)"  # 2: a comment where a command starts
    r"|(\{)"  # 3: a braced word
    r"|(\})"  # 4: a stray closing brace
    rf"|({_WORD})(?=[ \t\r\n;{{}}]|\Z)"  # 5: a plain word (the common case)
    r")?"
)
_PLAIN = re.compile(_WORD)
_BRACE_MARK = re.compile(r"[{}\\]")
_SHALLOW_BODY = re.compile(r"[^{}\\]*(?:\{[^{}\\]*\}[^{}\\]*)*\}")  # unrolled: linear on any input
"""A body without backslashes whose braces nest at most one level, up to its closing brace."""
_QUOTE_MARK = re.compile(r'["\\]')
_BRACKET_MARK = re.compile(r"[\[\]]")
_ESCAPES = {"n": "\n", "t": "\t"}


def tokenize(text: str, path: str = "<script>", first_line: int = 1) -> List[Command]:
    """Every command in ``text``; ``first_line`` numbers lines of a nested block in its file.

    One regular expression takes each blank run and plain word; a ``{...}`` body costs one search per
    brace or backslash in it, never a step per character.
    """
    commands: List[Command] = []
    words: List[Word] = []
    position, length = 0, len(text)
    line, line_start = first_line, 0

    while position < length:
        match = _NEXT.match(text, position)
        kind = match.lastindex  # type: ignore[union-attr]
        start = match.start(kind) if kind else match.end()  # type: ignore[union-attr]
        position = match.end()  # type: ignore[union-attr]
        if kind == 1:
            if words:
                commands.append(Command(words))
                words = []
            if text[start] == "\n":
                line, line_start = line + 1, position
            continue
        if kind == 5:
            if not words:  # a command starts: take the plain nodes (``Class {`` knob lines ``}``) from here whole
                after, line, line_start = _plain_nodes(text, start, line, line_start, commands)
                if after != start:
                    position = after
                    continue
            words.append(Word(match.group(5), False, line, start - line_start + 1))  # type: ignore[union-attr]
            continue
        if kind == 2 and not words:
            end = text.find("\n", start)
            position = length if end < 0 else end
            continue
        if kind == 4:
            raise NukeScriptError(path, line, start - line_start + 1, "unexpected '}'")
        if start >= length:
            break
        column = start - line_start + 1
        if kind == 3:
            position = _brace_end(text, start + 1)
            if position < 0:
                raise NukeScriptError(path, line, column, "unbalanced '{': no closing '}'")
            words.append(Word(text[start + 1 : position - 1], True, line, column))
        else:
            position, word = _plain_word(text, start, path, line, column)
            words.append(Word(word, False, line, column))
        newlines = text.count("\n", start, position)
        if newlines:
            line, line_start = line + newlines, text.rfind("\n", start, position) + 1
    if words:
        commands.append(Command(words))
    return commands


_KNOB_LINE = (
    rf"[ \t\r]*(?:(?!#)({_WORD})"  # the knob's name; '#' would start a comment
    # then plain words, or one flat ``{...}`` word
    rf"(?:[ \t\r]+(?:({_WORD}(?:[ \t\r]+{_WORD})*)|(\{{)([^{{}}\\\n]*)\}}))?[ \t\r]*)?\n"
)
_PLAIN_BODY = re.compile(rf"(?:{_KNOB_LINE})*")
_KNOB = re.compile(_KNOB_LINE)
_BLANK_RUN = re.compile(r"[ \t\r]+")
_ODD_BLANKS = re.compile(r"[\t\r]|  ")


_TIDY_KNOB_LINE = rf" (?!#)({_WORD})(?: (?:({_WORD}(?: {_WORD})*)|(\{{)([^{{}}\\\n]*)\}}))?\n"
"""A knob line as Nuke writes it: one space before the name and between words, a flat ``{...}`` at most."""
_TIDY_KNOB = re.compile(_TIDY_KNOB_LINE)
NODE_CLASS = r"[A-Za-z_][A-Za-z0-9_.]*"
"""A node class name (``Read``, ``Blur``, ``OFXuk.co.thefoundry.keylight.keylight_v201``)."""
_PLAIN_NODE = re.compile(rf"({NODE_CLASS})[ \t]+\{{(\n(?:{_TIDY_KNOB_LINE})*)\}}[ \t\r]*(?:\n|\Z)")
"""A whole node command whose body holds only tidy knob lines, with its line end (one step each)."""


def _plain_nodes(text: str, position: int, line: int, line_start: int, commands: List[Command]) -> Tuple[int, int, int]:
    """Append the plain node commands that follow one another from ``position``; the position, line and
    line start after them (``position`` unchanged when none starts there)."""
    node = _PLAIN_NODE.match(text, position)
    while node is not None:
        body = node.group(2)
        commands.append(Command((Word(node.group(1), False, line, position - line_start + 1),
                                 Word(body, True, line, node.start(2) - line_start, True))))  # fmt: skip
        line += body.count("\n") + 1
        position = line_start = node.end()
        node = _PLAIN_NODE.match(text, position)
    return position, line, line_start


def plain_lines(text: str) -> Optional[List[Tuple[str, str]]]:
    """``(name, value)`` of each knob line of a node body, as ``tokenize`` would give them (several
    words joined by one space), when every line is plain words or a name and one flat ``{...}``;
    None otherwise. Most node bodies are such; two passes of a regular expression read them."""
    body = text if text.endswith("\n") else text + "\n"
    if not _PLAIN_BODY.fullmatch(body):
        return None
    return [
        (name, braced if brace else _BLANK_RUN.sub(" ", plain) if _ODD_BLANKS.search(plain) else plain)
        for name, plain, brace, braced in _KNOB.findall(body)
        if plain or brace
    ]


def tidy_knobs(body: str) -> Dict[str, str]:
    """The knobs of a body ``tokenize`` marked tidy (``Word.plain``): one pass, nothing to fold."""
    return {
        name: braced if brace else plain for name, plain, brace, braced in _TIDY_KNOB.findall(body) if plain or brace
    }


def _end(pattern: Pattern[str], text: str, position: int) -> int:
    match = pattern.match(text, position)
    return match.end() if match else position


def _brace_end(text: str, position: int) -> int:
    """The offset just after the ``}`` closing a body that starts at ``position``; -1 if none does."""
    shallow = _SHALLOW_BODY.match(text, position)  # the common case, in one step
    if shallow:
        return shallow.end()
    depth = 1
    while True:
        mark = _BRACE_MARK.search(text, position)
        if mark is None:
            return -1
        char, position = mark.group(), mark.end()
        if char == "\\":
            position += 1
        elif char == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return position


def _plain_word(text: str, position: int, path: str, line: int, column: int) -> Tuple[int, str]:
    """(offset after, text) of an unbraced word: quotes take escapes, ``[...]`` stays whole."""
    parts: List[str] = []
    length = len(text)
    while position < length:
        run_end = _end(_PLAIN, text, position)
        if run_end > position:
            parts.append(text[position:run_end])
            position = run_end
            continue
        char = text[position]
        if char == '"':
            position = _quoted(text, position + 1, parts)
            if position < 0:
                raise NukeScriptError(path, line, column, "unterminated '\"'")
        elif char == "[":
            end = _bracket_end(text, position)
            if end < 0:
                raise NukeScriptError(path, line, column, "unbalanced '[': no closing ']'")
            parts.append(text[position:end])
            position = end
        elif char == "\\" and position + 1 < length:
            parts.append(text[position + 1])
            position += 2
        elif char == "\\":
            parts.append(char)
            position += 1
        else:  # a blank, a newline, ';', '{' or '}' ends the word
            break
    return position, "".join(parts)


def _quoted(text: str, position: int, parts: List[str]) -> int:
    """Append a quoted string's text (escapes applied) from after its opening quote; -1 if unterminated."""
    length = len(text)
    while True:
        mark = _QUOTE_MARK.search(text, position)
        if mark is None:
            return -1
        parts.append(text[position : mark.start()])
        if mark.group() == '"':
            return mark.end()
        if mark.end() >= length:
            parts.append("\\")
            return -1
        parts.append(_ESCAPES.get(text[mark.end()], text[mark.end()]))
        position = mark.end() + 1


def _bracket_end(text: str, position: int) -> int:
    """The offset just after the ``]`` closing the ``[`` at ``position``; -1 if none does."""
    depth = 0
    while True:
        mark = _BRACKET_MARK.search(text, position)
        if mark is None:
            return -1
        position = mark.end()
        depth += 1 if mark.group() == "[" else -1
        if depth == 0:
            return position
