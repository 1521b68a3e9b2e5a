"""Read a ``.hip``/``.hiplc``/``.hipnc`` file into a ``HipScene``: its sections, never executed.

``.start`` gives the playbar (``frange``, ``fps``, ``tcur``), ``.variables`` the ``set -g`` globals,
``.OPlibraries`` the HDA files, and each node three sections: ``<path>.init`` (``type = ...``),
``<path>.def`` (flags, e.g. bypass, and the ``inputs`` wired in) and ``<path>.parm`` (one line per parm:
``name [ flags ] ( values )``, a value being a quoted string, a number, or ``[ channel value ]`` for a
parm a channel drives, whose expression is in ``<path>.chn``). No parm line makes the reader backtrack:
each character is looked at a bounded number of times.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from accsyn_dcc.scan.houdini.archive import HipError, text_sections
from accsyn_dcc.scan.houdini.model import HipNode, HipScene, ParmValue
from accsyn_dcc.scan.readable import UnreadableFile, read_bounded, shown

MAX_SCENE_BYTES = 4 * 1024 * 1024 * 1024
MAX_STATEMENT_CHARS = 1024 * 1024
"""The longest parm line, variable or channel read (a wrangle's code runs to a few KB): a longer one is
measured, never parsed, and named in ``HipScene.problems``; a parm of it is unresolved."""
TOO_LONG = f"longer than {MAX_STATEMENT_CHARS // (1024 * 1024)} MB; not read"
MAX_NODE_PATH_CHARS = 4096
"""The longest node path read (Houdini's run to a few hundred characters): what each input wired in costs."""
_PARM_LINE = re.compile(r"^([^\s\[]{1,256})\s*\[[^\]\n]*\]\s*\((.*)\)\s*$", re.M)
"""``name [ flags ] ( values )``: a name never holds a bracket, so nothing before the flags can backtrack."""
_PLAIN_VALUE = re.compile(r'"([^"]*)"|([^\s()\[\]"]+)')
_BARE_OR_OPENING = re.compile(r'[^\s()\[\]"`]+|["\[`]')
"""A bare value (a number, a word), or the quote, bracket or backtick that opens a string, channel or expression."""
_QUOTED = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')
"""A closed string, unrolled (plain runs between escapes) so that a string that never closes fails in one pass."""
_BACKTICKED = re.compile(r"`[^`\\\n]*(?:\\.[^`\\\n]*)*`")
"""A string parm Houdini saves as an expression: between backticks, not quoted, its quotes escaped."""
_SPACE = re.compile(r"\s*")
_WORD = re.compile(r"\S+")
_CACHED_WORD = re.compile(r"[^\]\s]*")
_ESCAPE = re.compile(r"\\(.)")
_VARIABLE_HEAD = re.compile(r"^set\s+-g\s+(\w{1,256})\s*=\s*", re.M)
_VARIABLE_VALUE = re.compile(r"""'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"|(\S*)""")
_CHANNEL_HEAD = re.compile(r"channel\s+(\S+)\s*\{")
_BLOCK_END = re.compile(r"\n\s*\}")
_EXPRESSION = re.compile(r'expr\s*=\s*("[^"\\]*(?:\\.[^"\\]*)*"|\S+)')
_INPUTS_HEAD = re.compile(r"^inputs\s*\{\s*\n", re.M)
_CLOSING_LINE = re.compile(r"^\}", re.M)
_INPUT_LINE = re.compile(r"^\s*\d+\s+(\S+)", re.M)
_LIBRARY_WORD = re.compile(r"[^\s\"']+")
_LIBRARY_END = re.compile(r"\.(?:hda|otl|hdanc|hdalc|otlnc|otllc)\b")
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
    scene.variables = _variables(texts.get(".variables", ""), scene)
    scene.libraries = _libraries(texts.get(".OPlibraries", ""))
    scene.houdini_version = scene.variables.get("_HIP_SAVEVERSION", "")
    wired: List[Tuple[HipNode, List[str]]] = []
    for name, text in texts.items():
        if not name.endswith(".init"):
            continue
        base = name[: -len(".init")]
        if len(base) > MAX_NODE_PATH_CHARS:
            scene.problems.append(f"{path}: a node path longer than {MAX_NODE_PATH_CHARS} characters; not read")
            continue
        node_type = _init_type(text)
        if node_type is None:
            continue
        node = HipNode("/" + base.lstrip("/"), node_type)
        definition = texts.get(base + ".def", "")
        node.bypassed = " bypass on" in definition
        names = _INPUT_LINE.findall(_inputs(definition))
        if names:
            wired.append((node, names))
        chn = texts.get(base + ".chn")
        expressions = _channels(chn, scene, node.path) if chn else {}
        node.parms = _parms(texts.get(base + ".parm", ""), expressions, scene, node.path)
        scene.nodes.append(node)
    by_path = {node.path: node for node in scene.nodes}
    for node, names in wired:  # the nodes of the scene wired in, each path the one its node holds
        parent = node.path.rpartition("/")[0]
        node.inputs = [source.path for name in names if (source := by_path.get(f"{parent}/{name}")) is not None]
    _categorise(scene.nodes)
    return scene


def _categorise(nodes: List[HipNode]) -> None:
    """Each node's category: from the nearest network above it that names one, else from its root. Paths are
    walked down a level at a time by a key per level (never by the text of each path above a node): the
    networks' paths first, then each node's, as far as a network lies below."""
    levels: Dict[Tuple[int, str], int] = {}
    networks: Dict[int, str] = {}
    for path, node_type in {node.path: node.type for node in nodes}.items():
        if node_type in NETWORK_CATEGORIES:
            key = 0
            for level in path.split("/"):
                key = levels.setdefault((key, level), len(levels) + 1)
            networks[key] = NETWORK_CATEGORIES[node_type]
    for node in nodes:
        parts = node.path.split("/")
        category = ROOT_CATEGORIES.get(parts[1], "") if len(parts) > 2 else ""
        key = 0
        for depth, level in enumerate(parts[:-1]):  # the paths above it, from the root down
            key = levels.get((key, level), 0)
            if not key:
                break
            if depth >= 2:  # /obj/geo1 and below
                category = networks.get(key) or category
        node.category = category


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


def _variables(text: str, scene: HipScene) -> Dict[str, str]:
    """``set -g NAME = value`` lines: name -> value (quoted or bare), each value on its line."""
    found: Dict[str, str] = {}
    for head in _VARIABLE_HEAD.finditer(text):
        line_end = text.find("\n", head.end())
        line_end = len(text) if line_end < 0 else line_end
        if line_end - head.end() > MAX_STATEMENT_CHARS:
            _too_long(scene, f"variable {head.group(1)}")
            continue
        value = _VARIABLE_VALUE.match(text, head.end(), line_end)
        if value is not None:
            single, double, bare = value.groups()
            found[head.group(1)] = _unescape(single if single is not None else double if double is not None else bare)
    return found


def _libraries(text: str) -> List[str]:
    """The HDA files named: each word up to its last ``.hda`` (``.otl``...) ending."""
    found: List[str] = []
    for word in _LIBRARY_WORD.findall(text):
        ends = [ending.end() for ending in _LIBRARY_END.finditer(word) if ending.start() > 0]
        if ends:
            found.append(word[: ends[-1]])
    return found


def _inputs(definition: str) -> str:
    """The lines of a ``.def`` section's ``inputs { ... }`` block."""
    head = _INPUTS_HEAD.search(definition)
    closing = _CLOSING_LINE.search(definition, head.end()) if head else None
    return definition[head.end() : closing.start()] if head and closing else ""


def _channels(text: str, scene: HipScene, node: str) -> Dict[str, str]:
    """Channel name -> its (first) expression. A block ends at the first ``}`` line after it, and a block
    that finds none means none after it does either: each is looked for once."""
    found: Dict[str, str] = {}
    position, end = 0, None
    while True:
        head = _CHANNEL_HEAD.search(text, position)
        if head is None:
            return found
        if end is None or end.start() < head.end():
            end = _BLOCK_END.search(text, head.end())
        if end is None:
            return found
        name, position = head.group(1), end.end()
        if end.start() - head.end() > MAX_STATEMENT_CHARS:
            _too_long(scene, f"{node} channel {name}")
            continue
        expression = _EXPRESSION.search(text, head.end(), end.start())
        if expression:
            raw = expression.group(1)
            found[name] = _unescape(raw[1:-1]) if raw.startswith('"') else raw


def _parms(text: str, expressions: Dict[str, str], scene: HipScene, node: str) -> Dict[str, List[ParmValue]]:
    parms: Dict[str, List[ParmValue]] = {}
    for name, body in _PARM_LINE.findall(text):
        if len(body) > MAX_STATEMENT_CHARS:
            _too_long(scene, f"{node} parm {name}")
            parms[name] = [ParmValue("", error=TOO_LONG)]
        elif "[" in body or "\\" in body or "`" in body:
            parms[name] = _ParmValues(body, expressions).read()
        else:  # no channel, no escape: a string ends at the next quote, so only the last one can stay open
            parms[name] = [ParmValue(quoted or bare) for quoted, bare in _PLAIN_VALUE.findall(body)]
    return parms


def _too_long(scene: HipScene, where: str) -> None:
    scene.problems.append(f"{scene.path}: {where}: {TOO_LONG}")


class _ParmValues:
    """The values of one parm line: quoted strings, bare words and channels (``[ name value ]``), in order.

    Two facts keep the pass linear: once a string never closes, no quote after it closes one either (the same
    escapes pair up from there), and every bracket inside one run of non-space characters names a channel
    that ends where that run ends, so the run is measured, and the rest of the channel tried, once."""

    def __init__(self, body: str, expressions: Dict[str, str]) -> None:
        self.body, self.expressions = body, expressions
        self.unclosed_from = len(body)
        """The first quote known to open a string that never closes."""
        self.word = (0, 0)
        """The run of non-space characters measured last: (start, end)."""
        self.failed_after = -1
        """Where the name of the last channel that did not parse ended."""

    def read(self) -> List[ParmValue]:
        body, position = self.body, 0
        values: List[ParmValue] = []
        while True:
            found = _BARE_OR_OPENING.search(body, position)
            if found is None:
                return values
            position = found.end()
            if found.group() == '"':
                quoted = self.string(found.start())
                if quoted is not None:
                    values.append(ParmValue(_unescape(quoted.group(1))))
                    position = quoted.end()
            elif found.group() == "`":  # an expression, whole; one that never closes runs to the end of the line
                expression = _BACKTICKED.match(body, found.start())
                values.append(ParmValue(_unescape(expression.group() if expression else body[found.start() :])))
                position = expression.end() if expression else len(body)
            elif found.group() == "[":
                channel = self.channel(found.start())
                if channel is not None:
                    values.append(channel[0])
                    position = channel[1]
            else:
                values.append(ParmValue(found.group()))

    def string(self, start: int) -> Optional[re.Match[str]]:
        quoted = _QUOTED.match(self.body, start) if start < self.unclosed_from else None
        if quoted is None:
            self.unclosed_from = min(self.unclosed_from, start)
        return quoted

    def channel(self, start: int) -> Optional[Tuple[ParmValue, int]]:
        """``[ name cached ]`` at ``start``: the value and where it ends; None when it is no channel."""
        body = self.body
        name_start = _after_space(body, start + 1)
        if not self.word[0] <= name_start < self.word[1]:
            word = _WORD.match(body, name_start)
            self.word = (name_start, word.end() if word else name_start)
        name_end = self.word[1]
        if name_end == name_start or name_end == self.failed_after:
            return None
        cached_start = _after_space(body, name_end)
        cached = self.string(cached_start) if body.startswith('"', cached_start) else None
        for candidate in (cached, _CACHED_WORD.match(body, cached_start)):
            if candidate is None or cached_start == name_end:
                continue
            end = _after_space(body, candidate.end())
            if body.startswith("]", end):
                text = candidate.group()
                value = _unescape(text[1:-1]) if text.startswith('"') else text
                name = body[name_start:name_end]
                return ParmValue(value, name, self.expressions.get(name, "")), end + 1
        self.failed_after = name_end
        return None


def _after_space(text: str, index: int) -> int:
    space = _SPACE.match(text, index)
    return space.end() if space else index


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: {"n": "\n", "t": "\t"}.get(match.group(1), match.group(1)), text)


def _number(text: Optional[str]) -> Optional[float]:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e12 else None
