"""Read a ``.hip``/``.hiplc``/``.hipnc`` file into a ``HipScene``: its sections, never executed.

``.start`` gives the playbar (``frange``, ``fps``, ``tcur``), ``.variables`` the ``set -g`` globals,
``.OPlibraries`` the HDA files, and each node three sections: ``<path>.init`` (``type = ...``),
``<path>.def`` (flags, e.g. bypass, and the ``inputs`` wired in) and ``<path>.parm`` (one line per parm:
``name [ flags ] ( values )``, a value being a quoted string, a number, or ``[ channel value ]`` for a
parm a channel drives, whose expression is in ``<path>.chn``).
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional

from accsyn_dcc.scan.houdini.archive import HipError, text_sections
from accsyn_dcc.scan.houdini.model import HipNode, HipScene, ParmValue
from accsyn_dcc.scan.readable import UnreadableFile, read_bounded, shown

MAX_SCENE_BYTES = 4 * 1024 * 1024 * 1024
_PARM_LINE = re.compile(r"^(\S+)\s*\[[^\]\n]*\]\s*\((.*)\)\s*$", re.M)
_VALUE = re.compile(r'"((?:[^"\\]|\\.)*)"|\[\s*(\S+)\s+("(?:[^"\\]|\\.)*"|[^\]\s]*)\s*\]|([^\s()\[\]"]+)')
_ESCAPE = re.compile(r"\\(.)")
_VARIABLE_LINE = re.compile(r"""^set\s+-g\s+(\w+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S*))""", re.M)
_CHANNEL = re.compile(r"channel\s+(\S+)\s*\{(.*?)\n\s*\}", re.S)
_EXPRESSION = re.compile(r'expr\s*=\s*("(?:[^"\\]|\\.)*"|\S+)')
_INPUTS = re.compile(r"^inputs\s*\{\s*\n(.*?)^\}", re.M | re.S)
_INPUT_LINE = re.compile(r"^\s*\d+\s+(\S+)", re.M)
_LIBRARY = re.compile(r"[^\s\"']+\.(?:hda|otl|hdanc|hdalc|otlnc|otllc)\b")
ROOT_CATEGORIES = {"out": "Driver", "obj": "Object", "stage": "Lop", "mat": "Vop", "ch": "Chop", "img": "Cop2",
                   "shop": "Shop", "tasks": "Top"}  # fmt: skip
NETWORK_CATEGORIES = {"geo": "Sop", "ropnet": "Driver", "lopnet": "Lop", "chopnet": "Chop", "cop2net": "Cop2",
                      "matnet": "Vop", "topnet": "Top", "subnet": ""}  # fmt: skip
"""The category of the nodes inside a network: by the root it is under, else by the network's type."""


def load_hip(path: str) -> HipScene:
    """Read the scene file at ``path`` (a regular file of bounded size)."""
    try:
        data = read_bounded(path, MAX_SCENE_BYTES, "the scene")
    except UnreadableFile as error:
        raise HipError(shown(path), 0, str(error)) from None
    return parse_hip(data, path)


def parse_hip(data: bytes, path: str = "<scene>") -> HipScene:
    kind, texts = text_sections(data, path)
    if not texts.get(".start") and not any(name.endswith(".init") and text for name, text in texts.items()):
        encoded = " (Houdini may keep an Apprentice or Indie file encoded)" if kind != "hip" else ""
        raise HipError(path, 0, f"none of its sections reads as Houdini's text{encoded}; scan it inside Houdini")
    scene = HipScene(path, file_format=kind)
    _read_start(scene, texts.get(".start", ""))
    saved = _VARIABLE_LINE.findall(texts.get(".variables", ""))
    scene.variables = {name: _unescape(single or double or bare) for name, single, double, bare in saved}
    scene.libraries = _LIBRARY.findall(texts.get(".OPlibraries", ""))
    scene.houdini_version = scene.variables.get("_HIP_SAVEVERSION", "")
    for name, text in texts.items():
        if not name.endswith(".init"):
            continue
        base = name[: -len(".init")]
        node_type = _init_type(text)
        if node_type is None:
            continue
        node = HipNode("/" + base.lstrip("/"), node_type)
        definition = texts.get(base + ".def", "")
        node.bypassed = " bypass on" in definition
        wired = _INPUTS.search(definition)
        parent = node.path.rpartition("/")[0]
        node.inputs = [f"{parent}/{name}" for name in _INPUT_LINE.findall(wired.group(1))] if wired else []
        expressions = _channels(texts.get(base + ".chn", ""))
        node.parms = _parms(texts.get(base + ".parm", ""), expressions)
        scene.nodes.append(node)
    types = {node.path: node.type for node in scene.nodes}
    for node in scene.nodes:
        node.category = _category(node.path, types)
    return scene


def _category(path: str, types: Dict[str, str]) -> str:
    """The category of the node at ``path``, from the nearest network above it that names one."""
    parent = path.rpartition("/")[0]
    while parent.count("/") > 1:
        category = NETWORK_CATEGORIES.get(types.get(parent, ""))
        if category:
            return category
        parent = parent.rpartition("/")[0]
    return ROOT_CATEGORIES.get(parent.strip("/"), "")


def _read_start(scene: HipScene, text: str) -> None:
    values: Dict[str, List[str]] = {}
    for line in text.splitlines():
        words = line.split()
        if words:
            values[words[0]] = words[1:]
    scene.fps = _number(" ".join(values.get("fps", [])[:1]))
    frange = [_number(word) for word in values.get("frange", [])[:2]]
    if len(frange) == 2 and frange[0] is not None and frange[1] is not None:
        scene.frame_range = [frange[0], frange[1]]
    tcur = _number(" ".join(values.get("tcur", [])[:1]))
    if tcur is not None and scene.fps:
        scene.current_frame = round(tcur * scene.fps) + 1


def _init_type(text: str) -> Optional[str]:
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "type" and value.strip():
            return value.strip()
    return None


def _channels(text: str) -> Dict[str, str]:
    """Channel name -> its (first) expression."""
    found: Dict[str, str] = {}
    for name, body in _CHANNEL.findall(text):
        expression = _EXPRESSION.search(body)
        if expression:
            raw = expression.group(1)
            found[name] = _unescape(raw[1:-1]) if raw.startswith('"') else raw
    return found


def _parms(text: str, expressions: Dict[str, str]) -> Dict[str, List[ParmValue]]:
    parms: Dict[str, List[ParmValue]] = {}
    for name, body in _PARM_LINE.findall(text):
        values: List[ParmValue] = []
        for quoted, channel, cached, bare in _VALUE.findall(body):
            if channel:
                value = _unescape(cached[1:-1]) if cached.startswith('"') else cached
                values.append(ParmValue(value, channel, expressions.get(channel, "")))
            elif bare:
                values.append(ParmValue(bare))
            else:
                values.append(ParmValue(_unescape(quoted)))
        parms[name] = values
    return parms


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: {"n": "\n", "t": "\t"}.get(match.group(1), match.group(1)), text)


def _number(text: Optional[str]) -> Optional[float]:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e12 else None
