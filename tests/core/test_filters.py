"""Filters: the accsyn statements parse and build, and bad ones are named."""

import pytest

from accsyn_dcc.errors import ValidationError
from accsyn_dcc.filters import Filter, build_filters, filter_problems, parse_filters


@pytest.mark.parametrize(
    "text",
    [
        "ram:<32g",
        "ram:>64g",
        "ram:>60GB",
        "cores:=12",
        "cores:>8",
        "site:sthlm",
        "site:hq+linux",
        "site:-dupp",
        "hostname:+myhost",
        "hostname:-h1-h2",
        "hostname:ws01+ren01",
        "hostname:dupp/pc01",
        "hostname:*render*",
        "pool:+p",
        "pool:-p",
        "pool:~p",
        "pool:@p",
        "ram:>32g,site:sthlm",
    ],
)
def test_documented_filters_are_accepted(text):
    assert filter_problems(text) == []


def test_parse_returns_statements():
    assert parse_filters("ram:>32g, site:hq") == [Filter("ram", ">32g"), Filter("site", "hq")]


@pytest.mark.parametrize(
    ("text", "bad", "message"),
    [
        ("ram:32g", "ram:32g", "bad ram filter"),
        ("ram:>32x", "ram:>32x", "bad ram filter"),
        ("gpu:>1", "gpu:>1", "unknown filter"),
        ("pool:p", "pool:p", "bad pool filter"),
        ("hostname:", "hostname:", "bad hostname filter"),
        ("nonsense", "nonsense", "unknown filter"),
    ],
)
def test_bad_filters_name_the_statement(text, bad, message):
    problems = filter_problems(text)
    assert [problem.value for problem in problems] == [bad]
    assert problems[0].field == "filters"
    assert message in problems[0].message


def test_build_combines_hosts_into_one_statement():
    text = build_filters(ram=">32g", hostname_exclude=["ws01", "ws02"], site_include=["hq", "linux"])
    assert text == "ram:>32g,hostname:-ws01-ws02,site:hq+linux"
    assert build_filters(hostname_include=["ren01"]) == "hostname:+ren01"
    assert build_filters(site_exclude=["dupp"]) == "site:-dupp"
    assert build_filters() == ""


def test_build_refuses_ambiguous_or_contradictory_choices():
    with pytest.raises(ValidationError, match="client ids"):
        build_filters(hostname_exclude=["render-01"])
    with pytest.raises(ValidationError, match="not both"):
        build_filters(hostname_include=["a"], hostname_exclude=["b"])
    with pytest.raises(ValidationError, match="filters"):
        build_filters(ram="lots")
