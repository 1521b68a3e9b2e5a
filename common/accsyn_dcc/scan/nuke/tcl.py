"""Evaluate the safe TCL subset Nuke scripts use in file paths, offline.

Supported: ``[value root.name]``, ``[value node.knob]`` (relative to the node's group, or
absolute), ``[value parent.knob]`` (the enclosing group's or gizmo's own knob),
``[file dirname|tail|rootname|extension|join ...]``, ``[getenv X]``, ``$env(X)``, and the
``[python nuke.script_directory()]`` idiom. Anything else raises ``Unresolvable`` with the reason;
callers turn that into an ``Unresolved`` record, never into a silent drop.

A scanned script never reads a credential: ``[getenv]``/``$env()`` of a variable named like a key,
token, secret or password is refused. Each knob is evaluated once (memoised), nesting is bounded and
a value may not grow beyond ``MAX_VALUE`` characters, so a hostile chain of references ends quickly.
"""

from __future__ import annotations

import os
import posixpath
import re
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from accsyn_dcc.scan.environment import Unresolvable, scene_variable

_ENV = re.compile(r"\$env\((\w+)\)")
_SCRIPT_DIRECTORY = re.compile(r"^\{?\s*nuke\.script_directory\(\)\s*\}?$")

PARENT = "<parent>"
"""The node ``lookup`` is asked for ``[value parent.knob]`` at a script's top: a gizmo's own instance."""
KnobLookup = Callable[[str, str], Optional[str]]
"""``lookup(node_path, knob)`` -> raw knob text, or None when there is no such knob."""


MAX_VALUE = 65536


class TclEvaluator:
    """Evaluates expressions for one script: its knobs, its path and an environment."""

    MAX_DEPTH = 20

    def __init__(self, lookup: KnobLookup, script_path: str, environ: Mapping[str, str]) -> None:
        self.lookup = lookup
        self.script_path = script_path
        self.environ = environ
        self._memo: Dict[Tuple[str, Optional[str]], object] = {}

    def evaluate(self, text: str, group: Optional[str] = None, depth: int = 0) -> str:
        """``text`` with every bracket command and ``$env(X)`` substituted (each text once per group)."""
        key = (text, group)
        known = self._memo.get(key)
        if isinstance(known, Unresolvable):
            raise known
        if isinstance(known, str):
            return known
        try:
            value = self._evaluate(text, group, depth)
        except Unresolvable as unresolved:
            self._memo[key] = unresolved
            raise
        if len(value) > MAX_VALUE:
            too_long = Unresolvable(f"the value grows beyond {MAX_VALUE} characters")
            self._memo[key] = too_long
            raise too_long
        self._memo[key] = value
        return value

    def _evaluate(self, text: str, group: Optional[str], depth: int) -> str:
        if depth > self.MAX_DEPTH:
            raise Unresolvable("expressions refer to each other in a loop")
        text = _ENV.sub(lambda match: self._getenv(match.group(1)), text)
        result: List[str] = []
        position = 0
        while position < len(text):
            start = text.find("[", position)
            if start < 0:
                result.append(text[position:])
                break
            end = _matching_bracket(text, start)
            result.append(text[position:start])
            result.append(self._command(text[start + 1 : end], group, depth))
            position = end + 1
        return "".join(result)

    def _getenv(self, name: str) -> str:
        return scene_variable(name, self.environ, "the script")

    def _command(self, body: str, group: Optional[str], depth: int) -> str:
        words = _split_words(body)
        if not words:
            return ""
        name, arguments = words[0], [self.evaluate(word, group, depth + 1) for word in words[1:]]
        if name == "value" and len(arguments) == 1:
            return self._value(arguments[0], group, depth)
        if name == "file" and arguments:
            return _file_command(arguments)
        if name == "getenv" and len(arguments) == 1:
            return self._getenv(arguments[0])
        if name == "python" and _SCRIPT_DIRECTORY.match(" ".join(words[1:])):
            return os.path.dirname(self.script_path).replace("\\", "/")
        raise Unresolvable(f"[{body}] needs Nuke to evaluate")

    def _value(self, reference: str, group: Optional[str], depth: int) -> str:
        node, _, knob = reference.rpartition(".")
        if not node or not knob:
            raise Unresolvable(f"[value {reference}] does not name node.knob")
        if node == "root" and knob == "name":
            return self.script_path.replace("\\", "/")
        if node == "parent":
            candidates = [group if group is not None else PARENT]
        else:
            candidates = [node] if node == "root" or group is None else [f"{group}.{node}", node]
        for candidate in candidates:
            raw = self.lookup(candidate, knob)
            if raw is not None:
                return self.evaluate(raw, group, depth + 1)
        raise Unresolvable(f"[value {reference}]: no such knob in the script")


def _matching_bracket(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "[":
            depth += 1
        elif text[index] == "]":
            depth -= 1
            if depth == 0:
                return index
    raise Unresolvable("unbalanced '['")


def _split_words(body: str) -> List[str]:
    """Words of a command body, keeping nested ``[...]`` and ``{...}`` together."""
    words: List[str] = []
    current: List[str] = []
    depth = 0
    for char in body.strip():
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        if char.isspace() and depth == 0:
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        words.append("".join(current))
    return [word[1:-1] if word.startswith("{") and word.endswith("}") else word for word in words]


def _file_command(arguments: List[str]) -> str:
    action, paths = arguments[0], [path.replace("\\", "/") for path in arguments[1:]]
    if action == "join" and paths:
        return posixpath.join(*paths)
    if len(paths) != 1:
        raise Unresolvable(f"[file {action} ...] takes one path here")
    path = paths[0]
    if action == "dirname":
        return posixpath.dirname(path) or "."
    if action == "tail":
        return posixpath.basename(path)
    if action == "rootname":
        return posixpath.splitext(path)[0]
    if action == "extension":
        return posixpath.splitext(path)[1]
    raise Unresolvable(f"[file {action}] needs Nuke to evaluate")
