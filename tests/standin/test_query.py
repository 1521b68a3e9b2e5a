"""The stand-in's find-query grammar."""

from __future__ import annotations

import re
import time

import pytest

from accsyn_dcc.standin import query as query_module
from accsyn_dcc.standin.pattern import Pattern
from accsyn_dcc.standin.query import QueryError, compile_query

JOB = {"id": "a1", "name": "Shot 010 comp", "status": "Waiting", "engine": "nuke-15", "priority": 500,
       "user": "lisa@example.com", "job": "j1", "default": True}  # fmt: skip


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", True),
        ("status=waiting", True),
        ("STATUS=WAITING", True),
        ("compute where status=waiting", True),
        ("Compute WHERE status!=waiting", False),
        ("status<>done", True),
        ("engine=nuke-*", True),
        ("engine=maya*", False),
        ('name="shot 010 comp"', True),
        ("name='shot 010 comp'", True),
        ("name contains 010", True),
        ("name not contains 020", True),
        ("status in waiting,paused", True),
        ("status in (done, aborted)", False),
        ("status not in done,aborted", True),
        ("name matches ^shot\\s0\\d+", True),
        ("priority>100 AND priority<=500", True),
        ("priority>=501", False),
        ("status=done OR engine=nuke-15", True),
        ("status=done AND engine=nuke-15", False),
        ('((user=lisa@example.com AND engine=maya) OR status<>failed) AND name="* comp"', True),
        ("(user=lisa@example.com AND engine=maya) OR status=failed", False),
        ("job.id=j1", True),
        ("default=true", True),
        ("missing=x", False),
    ],
)
def test_queries(query, expected):
    assert compile_query(query)(JOB) is expected


@pytest.mark.parametrize("query", ["status", "status ~ x", "(status=x", "status=x AND", "status=x status=y",
                                   "status not = x", "= x"])  # fmt: skip
def test_bad_queries_are_refused(query):
    with pytest.raises(QueryError):
        compile_query(query)


PATTERNS = [
    r"(a+)+$", r"^shot\s0\d+", r"(ab|a)*c", r"x*", r"^$", r"\bfoo\b", r"fo\B", r"[^a-c\d]x", r"(?:ab|c){2,3}?",
    r"(?s)a.b", r"a.b", r"(?m)^b", r"^b", r"a$", r"(?m)a$", r"\Aab", r"ab\Z", r"[A-Z]+", r"[\w-]+@", r"\W",
    r"\S+\s", r"a{2,}", r"a{,2}b", r"(a|ab)(c|bcd)(d*)", r"(a*)*b", r"(?x) a b # c", r"[]a]", r"(|a)+b",
]  # fmt: skip
SUBJECTS = ["", "a", "ab", "b\n", "aaaa!", "shot 010 comp", "foo bar", "xfoo", "a\nb", "Q_1-@x", "abcd", "bcbcb"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_patterns_match_as_python_re_does(pattern):
    compiled = Pattern(pattern)
    for subject in SUBJECTS:
        assert compiled.search(subject, lambda steps: None) is (re.search(pattern, subject, re.IGNORECASE) is not None)


@pytest.mark.parametrize(
    "query, message",
    [
        ("name matches '('", "not a regular expression"),
        ("name matches '(a)\\1'", "back-references"),
        ("name matches '(?<=a)b'", "look-arounds"),
        ("name matches 'a{100000}'", "more than 1000 instructions"),
        ("name matches 'a{99999999999999999999}'", "the repetition number is too large"),
        ("name matches '(?:(?:a{100}){100})'", "more than 1000 instructions"),
        (f"name matches '{'(' * 200 + 'a' + ')' * 200}'", "the stand-in reads up to 256"),
        ("(" * 2000 + "name=a" + ")" * 2000, "nests parentheses more than 32 deep"),
    ],
)
def test_patterns_and_nesting_the_stand_in_cannot_run_are_refused(query, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        compile_query(query)


def test_the_patterns_of_one_query_share_a_step_budget(monkeypatch):
    monkeypatch.setattr(query_module, "MAX_MATCH_STEPS", 1000)
    predicate = compile_query("name matches 'x' or name matches 'y'")
    assert predicate({"name": "a" * 100}) is False
    with pytest.raises(QueryError, match="more than 1000 steps"):
        for _ in range(10):
            predicate({"name": "a" * 100})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("*", True), ("shot*", True), ("*comp", True), ("sh*0*0*c*p", True), ("shot*010*010*", False),
     ("*t 0*0 c*", True), ("shot?010*", False), ("[s]hot*", False), ("shot 010 comp*", True),
     ("shot 010 compx*", False), ("s*s", False)],
)  # fmt: skip
def test_star_is_the_only_wildcard_of_equals(value, expected):
    assert compile_query(f'name="{value}"')(JOB) is expected


def test_long_wildcard_values_take_no_time_and_are_not_kept():
    started = time.perf_counter()
    for index in range(10):
        assert compile_query(f"name={index}" + "*ab" * 10000)(JOB) is False  # fnmatch compiled and cached each
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("user=artist@example.com", True),
        ("user=5f0000000000000000000064", True),
        ("user!=artist@example.com", False),
        ("user in (nobody@example.com, artist@example.com)", True),
        ("user not in (artist@example.com)", False),
        ("user contains artist", True),
        ("user matches ^artist@", True),
        ("user=someone@example.com", False),
    ],
)
def test_a_reference_matches_by_id_or_by_its_readable_name(query, expected):
    job = {"id": "a1", "user": "5f0000000000000000000064", "user_hr": "artist@example.com"}
    assert compile_query(query)(job) is expected
