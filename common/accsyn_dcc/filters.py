"""accsyn job filters: parse, validate and build the comma-separated ``filters`` string.

Statements (accsyn-protocol.md section 3.3): ``ram:<32g`` / ``ram:>64g``, ``cores:=12``,
``hostname:+host`` (only), ``hostname:-h1-h2`` (exclude), ``hostname:ws01+ren01``, ``site:hq``,
``site:hq+linux``, ``site:-dupp``, ``pool:+p`` / ``-p`` / ``~p`` / ``@p``. compute.rst recommends one
statement per key, so ``review_filters`` combines a repeated ``hostname`` or ``site`` into one (with a
warning); a repeated ``ram``, ``cores`` or ``pool`` is kept as given (accsyn applies every statement).

accsyn separates excluded hosts with ``-``, so a host name that itself holds a ``-`` cannot be
excluded unambiguously; ``build_filters`` refuses it and asks for the host's client id instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from accsyn_dcc.errors import Problem, ValidationError

_PATTERNS: Dict[str, re.Pattern[str]] = {
    "ram": re.compile(r"^[<>]\d+(\.\d+)?[kmgt]b?$", re.IGNORECASE),
    "cores": re.compile(r"^[<>=]\d+$"),
    "hostname": re.compile(r"^[+-]?[\w.*/]+([+-][\w.*/]+)*$"),
    "site": re.compile(r"^-?[\w.]+(\+[\w.]+)*$"),
    "pool": re.compile(r"^[+\-~@][\w.]+$"),
}
_EXPECTED = {
    "ram": "'<' or '>' then a size with a unit, e.g. 'ram:>32g'",
    "cores": "'=', '<' or '>' then a count, e.g. 'cores:>8'",
    "hostname": "'+host' (only), '-host1-host2' (exclude) or 'host1+host2'",
    "site": "'site' (only), 'site1+site2' (set) or '-site' (exclude)",
    "pool": "'+pool', '-pool', '~pool' or '@pool'",
}


@dataclass(frozen=True)
class Filter:
    """One ``key:expression`` statement."""

    key: str
    expression: str

    def __str__(self) -> str:
        return f"{self.key}:{self.expression}"


@dataclass(frozen=True)
class ReviewedFilters:
    """A filters string with each repeated key combined, a warning for each combination, every problem."""

    text: str
    warnings: Tuple[Problem, ...] = ()
    problems: Tuple[Problem, ...] = ()


def review_filters(text: str, field: str = "filters") -> ReviewedFilters:
    """Check every statement; combine a key given more than once (warned, never refused)."""
    if not isinstance(text, str):
        problem = Problem(field, text, "filters must be a comma-separated string such as 'ram:>32g,site:hq'")
        return ReviewedFilters(text, (), (problem,))
    problems: List[Problem] = []
    by_key: Dict[str, List[str]] = {}
    for statement in (part.strip() for part in text.split(",")):
        if not statement:
            continue
        key, colon, expression = statement.partition(":")
        key = key.strip().lower()
        if not colon or key not in _PATTERNS:
            known = ", ".join(sorted(_PATTERNS))
            problems.append(
                Problem(field, statement, f"unknown filter; expected key:expression with key one of {known}")
            )
        elif not _PATTERNS[key].match(expression.strip()):
            problems.append(Problem(field, statement, f"bad {key} filter; expected {_EXPECTED[key]}"))
        by_key.setdefault(key if colon else statement, []).append(statement)
    if problems:
        return ReviewedFilters(text, (), tuple(problems))
    statements: List[str] = []
    warnings: List[Problem] = []
    for key, given in by_key.items():
        if len(given) == 1:
            statements.extend(given)
            continue
        combined = _combined(key, [statement.partition(":")[2].strip() for statement in given])
        statements.extend(combined)
        if combined == given:
            message = f"'{key}' appears {len(given)} times; accsyn applies every statement"
        else:
            message = f"'{key}' appears {len(given)} times; combined into '{combined[0]}' as compute.rst recommends"
        warnings.append(Problem(field, ",".join(given), message))
    return ReviewedFilters(",".join(statements), tuple(warnings), ())


def _combined(key: str, expressions: List[str]) -> List[str]:
    """One statement for a repeated ``hostname`` or ``site`` (included names less the excluded ones, else the
    excluded names); the statements as given when one statement cannot say it."""
    given = [f"{key}:{expression}" for expression in expressions]
    if key not in ("hostname", "site"):
        return given
    included: List[str] = []
    excluded: List[str] = []
    for expression in expressions:
        if expression.startswith("-"):
            excluded.extend(expression[1:].split("-"))
        else:
            included.extend(expression.lstrip("+").split("+"))
    kept = list(dict.fromkeys(name for name in included if name not in excluded))
    excluded = list(dict.fromkeys(excluded))
    if included:
        if not kept:
            return given
        return [f"{key}:+" + "+".join(kept)] if key == "hostname" else [f"{key}:" + "+".join(kept)]
    if key == "site" and len(excluded) > 1:
        return given
    return [f"{key}:-" + "-".join(excluded)]


def filter_problems(text: str, field: str = "filters") -> List[Problem]:
    """Every problem in a filters string, each naming ``field`` and the statement at fault."""
    return list(review_filters(text, field).problems)


def parse_filters(text: str, field: str = "filters") -> List[Filter]:
    """The statements of a filters string (repeated keys combined); raise ValidationError listing every bad one."""
    reviewed = review_filters(text, field)
    if reviewed.problems:
        raise ValidationError(reviewed.problems)
    filters = []
    for statement in reviewed.text.split(","):
        if statement:
            key, _, expression = statement.partition(":")
            filters.append(Filter(key.strip().lower(), expression.strip()))
    return filters


def build_filters(
    ram: Optional[str] = None,
    cores: Optional[str] = None,
    hostname_include: Sequence[str] = (),
    hostname_exclude: Sequence[str] = (),
    site_include: Sequence[str] = (),
    site_exclude: Sequence[str] = (),
    pool: Optional[str] = None,
) -> str:
    """Compose a validated filters string, e.g. ``build_filters(ram=">32g", site_include=["hq"])``."""
    statements: List[str] = []
    if ram:
        statements.append(f"ram:{ram.strip()}")
    if cores:
        statements.append(f"cores:{cores.strip()}")
    hosts_in = _clean(hostname_include)
    hosts_out = _clean(hostname_exclude)
    if hosts_in and hosts_out:
        raise ValidationError.single(
            "filters.hostname", hosts_out, "give hosts to include or hosts to exclude, not both"
        )
    if hosts_in:
        statements.append("hostname:+" + "+".join(hosts_in))
    if hosts_out:
        dashed = [host for host in hosts_out if "-" in host]
        if dashed:
            raise ValidationError.single(
                "filters.hostname",
                dashed,
                "accsyn separates excluded hosts with '-', so these names are ambiguous; use their client ids",
            )
        statements.append("hostname:-" + "-".join(hosts_out))
    sites_in = _clean(site_include)
    sites_out = _clean(site_exclude)
    if sites_in and sites_out:
        raise ValidationError.single("filters.site", sites_out, "give sites to use or sites to avoid, not both")
    if sites_in:
        statements.append("site:" + "+".join(sites_in))
    if len(sites_out) > 1:
        raise ValidationError.single("filters.site", sites_out, "accsyn can exclude one site per job")
    if sites_out:
        statements.append(f"site:-{sites_out[0]}")
    if pool:
        statements.append(f"pool:{pool.strip()}")
    text = ",".join(statements)
    parse_filters(text)
    return text


def _clean(names: Sequence[str]) -> List[str]:
    return [name.strip() for name in names if name and name.strip()]
