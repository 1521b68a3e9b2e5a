"""The local farm's sites and nodes, and which node a job's filters let take its tasks.

A site is a folder root of its own with nodes of its own; its nodes see the workspace's shares as
``<root>/<share code>``. The main site (``hq`` unless the settings name another) renders in place, on the
submitter's own folders, unless it too is given a root: the submitter is then a roaming computer, accsyn's
``local`` site. Sites come from the studio settings' ``workspace.sites`` (entries with a ``root`` or
``nodes``) and from ``farm run --site NAME=ROOT``; no site is ever called ``local`` (compute.rst reserves it).
"""

from __future__ import annotations

import fnmatch
import os
import re
import socket
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.filters import Filter, parse_filters
from accsyn_dcc.workspace import Volume

LOCAL = "local"
"""compute.rst's reserved site: the roaming submitting computer."""
DEFAULT_SITE = "hq"
_UNITS = {"k": 1 / 1024 / 1024, "m": 1 / 1024, "g": 1.0, "t": 1024.0}


@dataclass(frozen=True)
class Node:
    """A render node: its name (client id), host name, site, RAM in GB, cores and pools."""

    name: str
    hostname: str
    site: str
    ram_gb: float
    cores: int
    pools: Tuple[str, ...] = ()


@dataclass(frozen=True)
class FarmSite:
    """A site of the local farm; ``root`` None renders in place (the submitter's own folders)."""

    code: str
    root: Optional[str]
    nodes: Tuple[Node, ...]
    main: bool = False

    def share_paths(self, volumes: Sequence[Volume], in_place: Mapping[str, str]) -> Dict[str, str]:
        """Where this site's nodes see each share (``client.config.sharepaths``)."""
        if self.root is None:
            return dict(in_place)
        return {volume.code: os.path.join(self.root, volume.code) for volume in volumes}


def machine_ram_gb() -> float:
    """This machine's RAM in GB (0 where the OS does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (AttributeError, ValueError, OSError):
        return 0.0


def default_nodes(code: str, count: int, in_place: bool) -> Tuple[Node, ...]:
    """``count`` nodes with this machine's RAM and cores: named after this host in place, after the site else."""
    host = socket.gethostname() if in_place else f"{code}-render"
    names = [f"{host}-worker{index}" for index in range(1, count + 1)]
    hostname = socket.gethostname() if in_place else None
    ram, cores = machine_ram_gb(), os.cpu_count() or 1
    return tuple(Node(name, hostname or name, code, ram, cores) for name in names)


def farm_sites(described: Sequence[Mapping[str, Any]], options: Sequence[str], workers: int) -> Tuple[FarmSite, ...]:
    """The sites from ``workspace.sites`` entries and ``--site NAME=ROOT`` options; the main site always, first."""
    entries: Dict[str, Dict[str, Any]] = {}
    main = next((str(entry.get("code")) for entry in described if entry.get("main")), DEFAULT_SITE)
    for entry in described:
        if entry.get("root") or entry.get("nodes") or str(entry.get("code")) == main:
            entries[str(entry.get("code") or "")] = dict(entry)
    for option in options:
        code, equals, root = option.partition("=")
        if not equals or not code.strip() or not root.strip():
            raise AccsynDccError(f"--site {option}: expected NAME=ROOT, e.g. --site sthlm=/mnt/sthlm")
        entries.setdefault(code.strip(), {"code": code.strip()})["root"] = root.strip()
    entries.setdefault(main, {"code": main})
    sites = [_site(code, entry, workers, code == main) for code, entry in entries.items()]
    return tuple(sorted(sites, key=lambda site: not site.main))


def _site(code: str, entry: Mapping[str, Any], workers: int, main: bool) -> FarmSite:
    if not code or code.lower() == LOCAL:
        raise AccsynDccError(f"site '{code}': name it (never '{LOCAL}': accsyn keeps it for the submitting computer)")
    root = os.path.abspath(str(entry["root"])) if entry.get("root") else None
    nodes = entry.get("nodes")
    if isinstance(nodes, list):
        return FarmSite(code, root, tuple(_node(code, index, node) for index, node in enumerate(nodes, 1)), main)
    return FarmSite(code, root, default_nodes(code, int(nodes or workers), root is None), main)


def _node(site: str, index: int, entry: Mapping[str, Any]) -> Node:
    hostname = str(entry.get("hostname") or f"{site}-render{index}")
    ram = entry.get("ram", machine_ram_gb())
    return Node(
        str(entry.get("name") or hostname),
        hostname,
        site,
        _gigabytes(str(ram)) if isinstance(ram, str) else float(ram),
        int(entry.get("cores") or os.cpu_count() or 1),
        tuple(entry.get("pools") or ()),
    )


def _gigabytes(text: str) -> float:
    """``32g``, ``64GB``, ``512m`` or a bare number (GB) in GB."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*", text, re.IGNORECASE)
    if match is None:
        raise AccsynDccError(f"ram '{text}': expected a size such as 32g")
    return float(match.group(1)) * _UNITS[match.group(2).lower() or "g"]


def refusal(filters: Sequence[Filter], node: Node) -> str:
    """Why ``node`` may not take the job's tasks ('' when every filter lets it)."""
    for statement in filters:
        reason = _refused_by(statement, node)
        if reason:
            return f"{node.site}/{node.name}: {reason} ({statement})"
    return ""


def _refused_by(statement: Filter, node: Node) -> str:
    expression = statement.expression
    if statement.key in ("ram", "cores"):
        have = node.ram_gb if statement.key == "ram" else float(node.cores)
        wanted = _gigabytes(expression[1:]) if statement.key == "ram" else float(expression[1:])
        ok = {"<": have < wanted, ">": have > wanted, "=": have == wanted}[expression[0]]
        shown = f"{have:g}g of RAM" if statement.key == "ram" else f"{node.cores} cores"
        return "" if ok else f"it has {shown}"
    if statement.key == "site":
        names = expression.lstrip("-").split("+")
        if expression.startswith("-"):
            return f"site {node.site} is excluded" if node.site in names else ""
        return "" if node.site in names else f"site {node.site} is not asked for"
    if statement.key == "hostname":
        if expression.startswith("-"):  # names that hold a '-' are matched as a run of the list
            listed = f"-{expression[1:]}-"
            names = expression[1:].split("-")
            hit = any(f"-{name}-" in listed for name in (node.hostname, node.name)) or _host_matches(node, names)
            return f"host {node.hostname} is excluded" if hit else ""
        wanted = _host_matches(node, expression.lstrip("+").split("+"))
        return "" if wanted else f"host {node.hostname} is not asked for"
    return _pool_refusal(expression, node)


def _host_matches(node: Node, names: Sequence[str]) -> bool:
    candidates = (node.hostname, node.name, f"{node.site}/{node.hostname}", f"{node.site}/{node.name}")
    return any(fnmatch.fnmatchcase(each.lower(), name.lower()) for name in names for each in candidates)


def _pool_refusal(expression: str, node: Node) -> str:
    """``+p`` only nodes in the pool, ``-p`` none of them; ``~p`` and ``@p`` let any node take the task."""
    inside = expression[1:] in node.pools
    if expression[0] == "+" and not inside:
        return f"it is in no pool {expression[1:]}"
    if expression[0] == "-" and inside:
        return f"it is in pool {expression[1:]}"
    return ""


def eligible(filters_text: str, sites: Sequence[FarmSite]) -> Tuple[List[Node], List[str]]:
    """The nodes the job's filters let take its tasks, and why each other node may not."""
    filters = parse_filters(filters_text or "")
    nodes: List[Node] = []
    reasons: List[str] = []
    for site in sites:
        for node in site.nodes:
            reason = refusal(filters, node)
            if reason:
                reasons.append(reason)
            else:
                nodes.append(node)
    return nodes, reasons
