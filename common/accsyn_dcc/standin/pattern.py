"""The regular expressions of ``matches``, run in time linear in the text: no pattern can stall the stand-in.

Python's ``re`` backtracks, and holds the interpreter lock while it does: ``(a+)+$`` against forty ``a`` and a
``!`` would freeze every thread of the server. Here a pattern is read by ``re``'s own parser (same syntax, same
error messages) and run as a Thompson automaton (Pike VM) that follows every way through it at once, so each
character of the text costs at most one step per instruction. What that cannot run is refused with
``PatternError``: back-references, look-arounds, possessive and atomic groups, the ASCII flag and flags scoped to
a group. Matching is case-insensitive, as every comparison in a find query is.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any, Callable, Dict, FrozenSet, List, Set

_parser: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")

MAX_PATTERN = 256
"""The longest pattern read, in characters (it also bounds how deep groups nest)."""
MAX_PROGRAM = 1000
"""The most instructions (and parse nodes) a pattern may compile to: ``a{100000}`` is refused, not expanded."""
_ALLOWED_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.UNICODE

_UNSUPPORTED = {
    "GROUPREF": "back-references", "GROUPREF_EXISTS": "back-references", "ASSERT": "look-arounds",
    "ASSERT_NOT": "look-arounds", "POSSESSIVE_REPEAT": "possessive repeats", "ATOMIC_GROUP": "atomic groups",
}  # fmt: skip
"""What the linear-time engine refuses, by ``re`` parser opcode name (the last two exist from Python 3.11)."""

CharTest = Callable[[str, FrozenSet[int]], bool]
"""Whether one character (given with the code points of its cases) is matched."""
Spend = Callable[[int], None]
"""Told the steps each character of the text took; raises to stop the search."""
_CHAR, _SPLIT, _JUMP, _ASSERT, _MATCH = range(5)


class PatternError(ValueError):
    """A pattern that is not a regular expression, or one the linear-time engine cannot run."""


class Pattern:
    """``Pattern(text).search(subject, spend)``: does the pattern match anywhere in ``subject``?"""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_PATTERN:
            raise PatternError(f"the pattern is {len(text)} characters long; the stand-in reads up to {MAX_PATTERN}")
        try:
            parsed = _parser.parse(text, re.IGNORECASE)
        except (re.error, OverflowError) as error:  # OverflowError: a repeat count past what re can count
            raise PatternError(f"not a regular expression ({error})") from None
        flags = int(parsed.state.flags)
        if flags & ~_ALLOWED_FLAGS or not flags & re.UNICODE:
            raise PatternError("the ASCII flag (?a) is not supported by the stand-in")
        self._multiline = bool(flags & re.MULTILINE)
        self._dotall = bool(flags & re.DOTALL)
        self._nodes = 0
        self._program: List[List[Any]] = []
        self._sequence(parsed)
        self._emit(_MATCH)

    def search(self, subject: str, spend: Spend) -> bool:
        program = self._program
        final = len(program) - 1
        current: List[int] = []
        seen: Set[int] = set()
        for position in range(len(subject) + 1):
            self._follow(0, subject, position, current, seen)  # a match may start at every position
            spend(len(seen))
            if final in seen:
                return True
            if position == len(subject):
                break
            char = subject[position]
            cases = _cases(char)
            following: List[int] = []
            reached: Set[int] = set()
            for pc in current:
                instruction = program[pc]
                if instruction[0] == _CHAR and instruction[1](char, cases):
                    self._follow(pc + 1, subject, position + 1, following, reached)
            current, seen = following, reached
        return False

    def _follow(self, start: int, subject: str, position: int, threads: List[int], seen: Set[int]) -> None:
        """Add to ``threads`` every instruction that reads a character (or matches) reachable from ``start``."""
        stack = [start]
        while stack:
            pc = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            kind, first, second = self._program[pc]
            if kind == _JUMP:
                stack.append(first)
            elif kind == _SPLIT:
                stack.extend((second, first))
            elif kind == _ASSERT:
                if first(subject, position):
                    stack.append(pc + 1)
            else:
                threads.append(pc)

    # -- compiling ---------------------------------------------------------------------------------------------

    def _emit(self, kind: int, first: Any = None, second: Any = None) -> int:
        if len(self._program) >= MAX_PROGRAM:
            raise PatternError(f"the pattern needs more than {MAX_PROGRAM} instructions; write it shorter")
        self._program.append([kind, first, second])
        return len(self._program) - 1

    def _sequence(self, nodes: Any) -> None:
        for op, argument in nodes:
            self._nodes += 1
            if self._nodes > MAX_PROGRAM:
                raise PatternError(f"the pattern needs more than {MAX_PROGRAM} instructions; write it shorter")
            self._node(op, argument)

    def _node(self, op: Any, argument: Any) -> None:
        if op is _parser.SUBPATTERN:
            if argument[1] or argument[2]:
                raise PatternError("flags scoped to a group, such as (?s:...), are not supported by the stand-in")
            self._sequence(argument[3])
        elif op is _parser.BRANCH:
            self._branch(argument[1])
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):  # greedy or lazy: the same for "is there a match"
            self._repeat(*argument)
        elif op is _parser.AT:
            self._emit(_ASSERT, self._position_test(argument))
        elif op in (_parser.LITERAL, _parser.NOT_LITERAL, _parser.ANY, _parser.IN):
            self._emit(_CHAR, self._char_test(op, argument))
        else:
            what = _UNSUPPORTED.get(str(op), str(op).lower())
            raise PatternError(f"{what} cannot run in linear time and are not supported by the stand-in")

    def _branch(self, alternatives: List[Any]) -> None:
        ends = []
        for alternative in alternatives[:-1]:
            split = self._emit(_SPLIT, len(self._program) + 1)
            self._sequence(alternative)
            ends.append(self._emit(_JUMP))
            self._program[split][2] = len(self._program)
        self._sequence(alternatives[-1])
        for end in ends:
            self._program[end][1] = len(self._program)

    def _repeat(self, least: int, most: int, item: Any) -> None:
        for _ in range(least):
            self._sequence(item)
        if most == _parser.MAXREPEAT:
            loop = self._emit(_SPLIT, len(self._program) + 1)
            self._sequence(item)
            self._emit(_JUMP, loop)
            self._program[loop][2] = len(self._program)
            return
        splits = []
        for _ in range(most - least):
            splits.append(self._emit(_SPLIT, len(self._program) + 1))
            self._sequence(item)
        for split in splits:
            self._program[split][2] = len(self._program)

    def _position_test(self, where: Any) -> Callable[[str, int], bool]:
        multiline = self._multiline
        if where is _parser.AT_BEGINNING:
            return lambda s, i: i == 0 or (multiline and s[i - 1] == "\n")
        if where is _parser.AT_BEGINNING_STRING:
            return lambda s, i: i == 0
        if where is _parser.AT_END:
            return lambda s, i: i == len(s) or (s[i] == "\n" and (multiline or i == len(s) - 1))
        if where is _parser.AT_END_STRING:
            return lambda s, i: i == len(s)
        if where is _parser.AT_BOUNDARY:
            return lambda s, i: _word_at(s, i - 1) != _word_at(s, i)
        if where is _parser.AT_NON_BOUNDARY:
            return lambda s, i: bool(s) and _word_at(s, i - 1) == _word_at(s, i)
        raise PatternError(f"{str(where).lower()} is not supported by the stand-in")

    def _char_test(self, op: Any, argument: Any) -> CharTest:
        if op is _parser.LITERAL:
            return lambda char, cases: argument in cases
        if op is _parser.NOT_LITERAL:
            return lambda char, cases: argument not in cases
        if op is _parser.ANY:
            dotall = self._dotall
            return lambda char, cases: dotall or char != "\n"
        negate = bool(argument) and argument[0][0] is _parser.NEGATE
        tests = [_set_item(item_op, value) for item_op, value in argument[1 if negate else 0 :]]
        return lambda char, cases: negate != any(test(char, cases) for test in tests)


def _set_item(op: Any, value: Any) -> CharTest:
    if op is _parser.LITERAL:
        return lambda char, cases: value in cases
    if op is _parser.RANGE:
        low, high = value
        return lambda char, cases: any(low <= case <= high for case in cases)
    if op is _parser.CATEGORY:
        return _CATEGORIES[value]
    raise PatternError(f"{str(op).lower()} in a character set is not supported by the stand-in")


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _word_at(subject: str, position: int) -> bool:
    return 0 <= position < len(subject) and _is_word(subject[position])


_CATEGORIES: Dict[Any, CharTest] = {
    _parser.CATEGORY_DIGIT: lambda char, cases: char.isdecimal(),
    _parser.CATEGORY_NOT_DIGIT: lambda char, cases: not char.isdecimal(),
    _parser.CATEGORY_SPACE: lambda char, cases: char.isspace(),
    _parser.CATEGORY_NOT_SPACE: lambda char, cases: not char.isspace(),
    _parser.CATEGORY_WORD: lambda char, cases: _is_word(char),
    _parser.CATEGORY_NOT_WORD: lambda char, cases: not _is_word(char),
}
"""``\\d \\D \\s \\S \\w \\W`` with their Unicode meaning, as ``re`` gives them to a ``str`` pattern."""


def _cases(char: str) -> FrozenSet[int]:
    """The code points ``char`` stands for when case is ignored."""
    return frozenset(ord(case) for case in (char, char.lower(), char.upper()) if len(case) == 1)
