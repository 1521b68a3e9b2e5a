"""The stand-in's find-query grammar."""

from __future__ import annotations

import pytest

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
