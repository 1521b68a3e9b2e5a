"""The accsyn find-query grammar (accsyn-protocol.md 2.2), evaluated case-insensitively against entity dicts.

``attr op value`` with ``=`` (``*`` wildcard), ``!=``, ``<>``, ``<``, ``>``, ``<=``, ``>=``, ``in``, ``not in``,
``contains``, ``not contains``, ``matches``, ``not matches``; combined with AND / OR and parentheses; an optional
leading ``<type> where`` is ignored. A reference with a readable name (``<attr>_hr``) matches by either.
``matches`` runs on ``accsyn_dcc.standin.pattern`` (linear time); no query nests parentheses deeper than
``MAX_NESTING`` nor makes its patterns take more than ``MAX_MATCH_STEPS`` in all.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any, Callable, List, Mapping, Optional

from accsyn_dcc.standin.pattern import Pattern, PatternError

Predicate = Callable[[Mapping[str, Any]], bool]
MAX_NESTING = 32
"""The deepest parentheses a query may nest (the parser recurses once per level)."""
MAX_MATCH_STEPS = 5_000_000
"""The most steps the ``matches`` of one query may take over all entities (about a second); beyond, it is refused."""


class QueryError(ValueError):
    """The query text does not follow the grammar."""


_TOKEN = re.compile(r"""\s*(\(|\)|"[^"]*"|'[^']*'|!=|<>|<=|>=|=|<|>|[^\s()=<>!"']+)""")
_SYMBOL_OPS = ("!=", "<>", "<=", ">=", "=", "<", ">")
_WORD_OPS = ("in", "contains", "matches")


def tokenize(text: str) -> List[str]:
    tokens: List[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        found = _TOKEN.match(text, position)
        if not found or not found.group(1):
            raise QueryError(f"cannot read the query at {text[position:]!r}")
        tokens.append(found.group(1))
        position = found.end()
    return tokens


def compile_query(text: Optional[str]) -> Predicate:
    """A predicate for ``text``; an empty query matches everything."""
    tokens = tokenize(text or "")
    if len(tokens) >= 2 and tokens[1].lower() == "where":
        tokens = tokens[2:]
    if not tokens:
        return lambda entity: True
    depth = 0
    for token in tokens:
        depth += (token == "(") - (token == ")")
        if depth > MAX_NESTING:
            raise QueryError(f"the query nests parentheses more than {MAX_NESTING} deep")
    parser = _Parser(tokens)
    predicate = parser.expression()
    if parser.position != len(tokens):
        raise QueryError(f"unexpected {tokens[parser.position]!r} in the query")
    return predicate


class _Parser:
    def __init__(self, tokens: List[str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.steps = _Steps()
        """Shared by every ``matches`` of the query."""

    def peek(self) -> Optional[str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise QueryError("the query ends too early")
        self.position += 1
        return token

    def expression(self) -> Predicate:
        terms = [self.term()]
        while (self.peek() or "").lower() == "or":
            self.take()
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else (lambda entity: any(term(entity) for term in terms))

    def term(self) -> Predicate:
        factors = [self.factor()]
        while (self.peek() or "").lower() == "and":
            self.take()
            factors.append(self.factor())
        return factors[0] if len(factors) == 1 else (lambda entity: all(factor(entity) for factor in factors))

    def factor(self) -> Predicate:
        if self.peek() == "(":
            self.take()
            inner = self.expression()
            if self.take() != ")":
                raise QueryError("a '(' is not closed")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        attribute = self.take()
        if attribute in _SYMBOL_OPS or attribute in "()":
            raise QueryError(f"expected an attribute name, got {attribute!r}")
        operator = self.take().lower()
        negate = False
        if operator == "not":
            negate = True
            operator = self.take().lower()
            if operator not in _WORD_OPS:
                raise QueryError(f"'not' must be followed by in, contains or matches, got {operator!r}")
        elif operator not in _SYMBOL_OPS and operator not in _WORD_OPS:
            raise QueryError(f"unknown operator {operator!r} after {attribute!r}")
        if operator == "in":
            values = self.value_list()
            test: Predicate = lambda entity: any(text in values for text in _texts(entity, attribute))  # noqa: E731
        elif operator == "matches":
            test = _pattern_test(attribute, _unquote(self.take()).lower(), self.steps)
        else:
            test = _comparison(attribute, operator, _unquote(self.take()).lower())
        return (lambda entity: not test(entity)) if negate else test

    def value_list(self) -> List[str]:
        parts: List[str] = []
        if self.peek() == "(":
            self.take()
            while self.peek() != ")":
                parts.append(self.take())
            self.take()
        else:
            parts.append(self.take())
            while parts[-1].endswith(",") or (self.peek() or "").startswith(","):
                parts.append(self.take())
        joined = ",".join(_unquote(part) for part in parts)
        return [value.strip().lower() for value in joined.split(",") if value.strip()]


def _comparison(attribute: str, operator: str, value: str) -> Predicate:
    def test(entity: Mapping[str, Any]) -> bool:
        texts = _texts(entity, attribute)
        if operator in ("!=", "<>"):
            return value not in texts
        return any(compare(text) for text in texts)

    def compare(text: str) -> bool:
        if operator == "=":
            return wildcard_match(text, value) if "*" in value else text == value
        if operator == "contains":
            return value in text
        return _ordered(text, operator, value)

    return test


def wildcard_match(text: str, value: str) -> bool:
    """``*`` stands for any text, every other character for itself; part by part, in linear time and memory."""
    first, *middle, last = value.split("*")
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    position = len(first)
    for part in middle:
        position = text.find(part, position, end)
        if position < 0:
            return False
        position += len(part)
    return True


def _pattern_test(attribute: str, value: str, steps: _Steps) -> Predicate:
    try:
        pattern = Pattern(value)
    except PatternError as error:
        raise QueryError(f"{attribute} matches {value!r}: {error}") from None
    return lambda entity: any(pattern.search(text, steps) for text in _texts(entity, attribute))


class _Steps:
    """Counts the steps of a query's patterns; raises QueryError past ``MAX_MATCH_STEPS``."""

    def __init__(self) -> None:
        self.left = MAX_MATCH_STEPS

    def __call__(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise QueryError(f"the patterns of the query take more than {MAX_MATCH_STEPS} steps; narrow them down")


def _ordered(text: str, operator: str, value: str) -> bool:
    left: Any = text
    right: Any = value
    with contextlib.suppress(ValueError):
        left, right = float(text), float(value)
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[operator]


def _texts(entity: Mapping[str, Any], attribute: str) -> List[str]:
    """The attribute's value as text, and its readable name's (``<attr>_hr``) when the entity has one: a reference
    (``user``, ``parent``, ``engine``) matches by id or by name, as accsyn's queries do
    (``Compute WHERE user=artist@example.com``)."""
    texts = [_text(_lookup(entity, attribute))]
    readable = _lookup(entity, f"{attribute}_hr")
    if readable is not None:
        texts.append(_text(readable))
    return texts


def _lookup(entity: Mapping[str, Any], attribute: str) -> Any:
    """``attr`` or a dotted path, names case-insensitive; ``job.id`` also reads a plain ``job`` id string."""
    value: Any = entity
    for part in attribute.lower().split("."):
        if isinstance(value, Mapping):
            key = next((key for key in value if str(key).lower() == part), None)
            if key is None:
                return None
            value = value[key]
        elif isinstance(value, str) and part == "id":
            return value
        else:
            return None
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).lower()


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return token[1:-1]
    return token
