"""Which Houdini node types read files in which parms, and which ROPs write what; kept as data.

Shared by the offline ``.hip`` reader and the live scan (which starts from ``hou.fileReferences()`` and
adds these); the parms read are ``FileRule`` rows, the shape every host's table shares. A parm name ending
in ``#`` is a multiparm (``filepath1``, ``filepath2``...). A row may name the toggle (or mode menu) that
decides whether the parm is read or written. ROPs are keyed by category too (a ``rop_geometry`` SOP writes
like a ``geometry`` ROP; an ``alembic`` SOP reads). A node type not listed is still looked at: its string
parms shaped like a file path are reported as conditional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Dict, FrozenSet, Optional, Sequence, Tuple

from accsyn_dcc.scan.houdini.model import HipNode
from accsyn_dcc.scan.node_rules import TOKENS, FileRule, by_node_type, grouped
from accsyn_dcc.scan.node_rules import FieldName as F
from accsyn_dcc.scan.records import NO_OUTPUT_FILE

FILE_MODE_OFF = frozenset({"write", "none", "2", "3"})
"""A File or IsoOffset SOP's ``filemode`` that reads nothing: Write Files, No Operation (by token or index)."""


DRIVER = "Driver"
"""The category of ROPs in ROP networks; SOP networks hold ROPs too."""
OFF = frozenset({"0", "off", "none", ""})
"""Values of a toggle (or mode menu) that is off."""


@dataclass(frozen=True)
class RopOutput:
    node_type: str
    parm: str
    """The parm naming the file(s) the ROP writes."""
    kind: str = "image"
    when_empty: str = NO_OUTPUT_FILE
    """Why the ROP cannot be submitted when ``parm`` is empty (a finding on it, never a ROP left out unsaid)."""
    category: str = DRIVER
    enabled_by: str = ""
    """A toggle: the ROP writes ``parm`` only when it is on, else what its next row in the table names."""


STAGE_PRODUCTS = (
    "no output image set: the render products of its LOP stage name the images, which only Houdini can cook; "
    "set its Output Image to submit it"
)

RENDER_VIEWERS = {"ip": "MPlay", "md": "MPlay"}
"""Output names meaning a viewer, not a file (Houdini's ``ip`` and ``md`` devices), on any ROP."""
TO_A_VIEWER = "renders to {viewer} ({name}), not to a file; set an output file to submit it"


FILE, FILEPATHS = F("file"), F("filepath#")
FILE_RULES: Tuple[FileRule, ...] = (
    # File SOP, and File CHOP (sound, no filemode)
    FileRule("file", FILE, "file", TOKENS, enabled_by=F("filemode"), off=FILE_MODE_OFF),
    FileRule("isooffset", FILE, "file", TOKENS, enabled_by=F("filemode"), off=FILE_MODE_OFF),
    FileRule("alembic", F("fileName"), "cache", TOKENS),
    FileRule("alembicarchive", F("fileName"), "cache", TOKENS),
    FileRule("filecache", FILE, "cache", TOKENS),
    FileRule("filecache::2.0", FILE, "cache", TOKENS),
    FileRule("redshift_proxySOP", F("RS_proxy_file"), "proxy", TOKENS),
    FileRule("redshift_packedProxySOP", F("RS_proxy_file"), "proxy", TOKENS),
    FileRule("sublayer", FILEPATHS, "usd", TOKENS),
    FileRule("reference", FILEPATHS, "usd", TOKENS),
    FileRule("reference::2.0", FILEPATHS, "usd", TOKENS),
    FileRule("loadlayer", F("filepath"), "usd", TOKENS),
    FileRule("mtlximage", FILE, "texture", TOKENS),
    FileRule("mtlxtiledimage", FILE, "texture", TOKENS),
    FileRule("arnold::image", F("filename"), "texture", TOKENS),
    FileRule("redshift::TextureSampler", F("tex0"), "texture", TOKENS),
    FileRule("texture::2.0", F("map"), "texture", TOKENS),
    FileRule("file", F("filename1"), "image", TOKENS),  # File COP
    FileRule("ocio_transform", F("config"), "ocio", TOKENS),
    FileRule("cam", F("vm_background"), "image", TOKENS),  # a camera's background plate
)
"""The parms naming files a render reads (``node_rules``): Houdini follows a path's own frame tokens (``$F``) in
every one (``TOKENS``); an ``enabled_by`` mode menu reads unless it holds one of ``off``."""

ROP_OUTPUTS: Tuple[RopOutput, ...] = (
    RopOutput("ifd", "vm_picture"),
    RopOutput("karma", "picture"),
    RopOutput("usdrender", "outputimage", when_empty=STAGE_PRODUCTS),
    RopOutput("usdrender_rop", "outputimage", when_empty=STAGE_PRODUCTS),
    RopOutput("Redshift_ROP", "RS_archive_file", "proxy", enabled_by="RS_archive_enable"),  # exports a proxy
    RopOutput("Redshift_ROP", "RS_outputFileNamePrefix"),
    RopOutput("Redshift_Proxy_Output", "RS_archive_file", "proxy"),
    RopOutput("comp", "copoutput"),
    RopOutput("arnold", "ar_picture"),
    RopOutput("opengl", "picture"),
    RopOutput("geometry", "sopoutput", "geometry"),
    RopOutput("rop_geometry", "sopoutput", "geometry"),
    RopOutput("alembic", "filename", "cache"),
    RopOutput("rop_alembic", "filename", "cache"),
    RopOutput("usd", "lopoutput", "usd"),
    RopOutput("usd_rop", "lopoutput", "usd"),
    RopOutput("rop_geometry", "sopoutput", "geometry", category="Sop"),
    RopOutput("rop_alembic", "filename", "cache", category="Sop"),
    RopOutput("filecache", "file", "cache", category="Sop"),
    RopOutput("filecache::2.0", "file", "cache", category="Sop"),
)
ROUTING_ROPS: Dict[str, str] = {"fetch": "source", "wedge": "driver", "merge": ""}
"""ROPs that write nothing themselves but render others: the parm naming the ROP they render (a merge
renders its inputs). Every ROP renders its inputs first."""

RULES_BY_TYPE = by_node_type(FILE_RULES)
OUTPUTS: Dict[Tuple[str, str], Tuple[RopOutput, ...]] = grouped(ROP_OUTPUTS, lambda row: (row.category, row.node_type))
"""(category, node type) -> the rows of what it writes, in the order tried."""
OUTPUT_PARMS = {key: frozenset(row.parm for row in rows) for key, rows in OUTPUTS.items()}
"""(category, node type) -> the parms it writes (never inputs, unless an input rule names them)."""


def renders(category: str, node_type: str) -> bool:
    """A node of this type is a ROP the scan submits: one that writes files, or one that renders others."""
    return (category, node_type) in OUTPUTS or (category == DRIVER and node_type in ROUTING_ROPS)


def is_on(node: HipNode, toggle: str) -> bool:
    """Whether a toggle parm is on (a toggle not saved is off: its default)."""
    value = node.first(toggle)
    return value is not None and value.raw.strip().lower() not in OFF


def not_read(node: HipNode, rule: FileRule) -> str:
    """Why Houdini does not read ``rule``'s parm on ``node`` (its mode menu is off), or ``""``."""
    toggle = rule.enabled_by.name if rule.enabled_by else ""
    value = node.first(toggle) if toggle else None
    mode = value.raw.strip().lower() if value is not None and value.channel is None else ""
    return f"not read: {toggle} is {mode}" if value is not None and mode in rule.off else ""


def rop_output(node: HipNode) -> Optional[RopOutput]:
    """What ``node`` writes, when it is a ROP that writes files: its first row whose toggle (if any) is on."""
    for row in OUTPUTS.get((node.category, node.type), ()):
        if not row.enabled_by or is_on(node, row.enabled_by):
            return row
    return None


_MULTIPARM = re.compile(r"^(.*?)(\d+)$")


def rule_for_parm(rules: Sequence[FileRule], parm: str) -> Optional[FileRule]:
    """The rule of ``rules`` naming ``parm``, a multiparm rule (``filepath#``) naming each of its instances."""
    for rule in rules:
        name = rule.field.name
        if name == parm:
            return rule
        multiparm = _MULTIPARM.match(parm)
        if name.endswith("#") and multiparm and multiparm.group(1) == name[:-1]:
            return rule
    return None


NOT_INPUT_TYPES = frozenset({"subnet", "geo", "null", "merge", "xform", "ropnet", "shopnet", "matnet", "topnet"})
"""Node types whose strings never name an input file a render reads (skipped by the path-shaped fallback): a TOP
network's task graph file is PDG's, never read by a render."""


SHIPPED_BY = "Houdini"
"""What provides a file Houdini ships (``Dependency.provided_by``)."""


@cache
def shipped_files() -> FrozenSet[str]:
    """Relative names of files Houdini ships in ``$HFS/houdini`` (``data/houdini_shipped_files.txt``), each with
    and without its folder (``geo/defcam.bgeo``, ``defcam.bgeo``): HOUDINI_PATH finds them either way."""
    text = resources.files("accsyn_dcc").joinpath("data/houdini_shipped_files.txt").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return frozenset(names + [name.rpartition("/")[2] for name in names])
