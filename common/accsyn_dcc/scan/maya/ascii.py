"""Read a Maya ASCII (``.ma``) file into a ``MayaScene``: a MEL statement tokenizer, never a MEL interpreter.

One regular-expression pass cuts the text into statements (a statement ends at a ``;`` outside a
string, strings may span lines and hold escaped quotes and semicolons). Only the statements a scan
needs are split into words: ``requires``, ``currentUnit``, ``file -r``/``-rdi``, ``createNode``,
``select -ne``, ``setAttr`` on nodes that matter, ``connectAttr`` of render-setup plugs. The big
geometry ``setAttr`` blocks cost one regular-expression step each. Nothing in the file is executed.
"""

from __future__ import annotations

import re
from typing import Dict, FrozenSet, Iterator, List, Optional, Tuple

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.scan.maya.layers import ADJUSTMENTS, CONNECTED, SETTINGS_TYPES
from accsyn_dcc.scan.maya.model import Connection, MayaNode, MayaReference, MayaScene, on_off
from accsyn_dcc.scan.maya.node_types import NOT_INPUT_TYPES, RULES_BY_TYPE, SHARED_NODE_TYPES
from accsyn_dcc.scan.readable import UnreadableFile, read_bounded, scene_text, shown

MAX_SCENE_BYTES = 2 * 1024 * 1024 * 1024
"""A larger file is refused (a 2 GB Maya ASCII scene is far beyond any real one)."""
MAX_DAG_NAME_CHARS = 8192
"""A scene whose DAG nests a node deeper than this full name is refused: each DAG node keeps a link to its parent,
and a full name is built when asked, so this bounds what one name (in a finding) may cost."""

_IN_QUOTES = r'[^"\\]*(?:\\(?:.|\Z)[^"\\]*)*'
"""A quoted string's text, unrolled (plain runs between escapes) so that no input makes the engine backtrack;
a file may end inside one, even right after a backslash."""
_STATEMENT = re.compile(
    r"//[^\n]*|/\*.*?(?:\*/|\Z)"
    rf'|(?P<command>[A-Za-z_][A-Za-z0-9_]*)(?P<body>[^;"]*(?:"{_IN_QUOTES}(?:"|\Z)[^;"]*)*)(?:;|\Z)',
    re.S,
)
_WORD = re.compile(rf'"({_IN_QUOTES})(?:"|\Z)|([^\s"{{}},]+)', re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_SETATTR_FLAGS_WITH_VALUE = frozenset({"-s", "-size", "-k", "-keyable", "-l", "-lock", "-cb", "-channelBox",
                                       "-ch", "-capacityHint", "-ca", "-caching", "-type", "-typ"})  # fmt: skip

KEPT_PLUGS = frozenset(name for plug in (*CONNECTED, ADJUSTMENTS) for name in plug.spellings)
"""Connections kept from the file: how render-setup layers, collections and overrides hang together, and
which plugs a legacy render layer adjusts."""

FILE_SWITCHES = frozenset({"-r", "-reference"})
CREATE_NODE_SWITCHES = frozenset({"-s", "-shared", "-ss", "-skipSelect"})
"""Flags of ``file`` and ``createNode`` that take no value (the word after them is not theirs)."""

WANTED_COMMANDS = frozenset({"requires", "currentUnit", "file", "createNode", "select", "setAttr", "connectAttr"})


class MayaSceneError(AccsynDccError):
    """A Maya ASCII file that cannot be read, with where the problem is (never the file's contents)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path, self.line = path, line
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


def load_ascii(path: str) -> MayaScene:
    """Read the ``.ma`` file at ``path`` (a regular file of bounded size)."""
    try:
        data = read_bounded(path, MAX_SCENE_BYTES, "the scene")
    except UnreadableFile as error:
        raise MayaSceneError(shown(path), 0, str(error)) from None
    return parse_ascii(scene_text(data), path)


def parse_ascii(text: str, path: str = "<scene>") -> MayaScene:
    """The scene a Maya ASCII text describes."""
    if not text.lstrip().startswith("//Maya ASCII"):
        raise MayaSceneError(path, 1, "not a Maya ASCII file (no '//Maya ASCII' header)")
    return _Reader(path).read(text)


def words(body: str) -> List[Tuple[str, bool]]:
    """The words of a statement body: ``(text, quoted)``, escapes in quoted strings resolved."""
    found: List[Tuple[str, bool]] = []
    for match in _WORD.finditer(body):
        quoted = match.group(1)
        if quoted is not None:
            found.append((_ESCAPE.sub(lambda escape: _ESCAPES.get(escape.group(1), escape.group(1)), quoted), True))
        else:
            found.append((match.group(2), False))
    return found


def flags(
    tokens: List[Tuple[str, bool]], switches: FrozenSet[str] = frozenset()
) -> Tuple[Dict[str, Optional[str]], List[str]]:
    """``-flag value`` pairs and the trailing arguments of a MEL command. A flag in ``switches`` takes no
    value; any other takes the next word unless that is a flag too."""
    options: Dict[str, Optional[str]] = {}
    arguments: List[str] = []
    index = 0
    while index < len(tokens):
        text, quoted = tokens[index]
        if not quoted and text.startswith("-") and not _is_number(text):
            following = tokens[index + 1] if index + 1 < len(tokens) and text not in switches else None
            if following is not None and (following[1] or not following[0].startswith("-") or _is_number(following[0])):
                options[text] = following[0]
                index += 2
                continue
            options[text] = None
        else:
            arguments.append(text)
        index += 1
    return options, arguments


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Reader:
    """Fills a ``MayaScene`` statement by statement; ``current`` is the node ``setAttr`` applies to."""

    def __init__(self, path: str) -> None:
        self.scene = MayaScene(path)
        self.current: Optional[MayaNode] = None

    def read(self, text: str) -> MayaScene:
        for command, body, start in self.statements(text):
            handler = getattr(self, f"on_{command}")
            handler(body)
            if command == "createNode" and self.current is not None and self.current.name_length > MAX_DAG_NAME_CHARS:
                line = text.count("\n", 0, start) + 1
                raise MayaSceneError(self.scene.path, line, f"a DAG name longer than {MAX_DAG_NAME_CHARS} characters "
                                                            "(nodes nested too deep); not read")  # fmt: skip
        return self.scene

    def statements(self, text: str) -> Iterator[Tuple[str, str, int]]:
        """``(command, body, where it starts)`` of each statement a scan needs; comments and other commands skipped.

        A statement the file ends inside (no ``;``, or a string never closed) means the file was cut short."""
        for match in _STATEMENT.finditer(text):
            command = match.group("command")
            if command is not None and not match.group(0).endswith(";"):
                line = text.count("\n", 0, match.start()) + 1
                raise MayaSceneError(self.scene.path, line, "the file ends inside this statement (a truncated file?)")
            if command in WANTED_COMMANDS:
                yield command, match.group("body"), match.start()

    def on_requires(self, body: str) -> None:
        _options, arguments = flags(words(body))
        if len(arguments) >= 2:
            self.scene.plugins[arguments[0]] = arguments[1]

    def on_currentUnit(self, body: str) -> None:
        options, _ = flags(words(body))
        self.scene.time_unit = options.get("-t") or options.get("-time") or self.scene.time_unit

    def on_file(self, body: str) -> None:
        options, arguments = flags(words(body), FILE_SWITCHES)
        depth_text = options.get("-rdi") or options.get("-referenceDepthInfo")
        is_reference = "-r" in options or "-reference" in options
        if not arguments or not (is_reference or depth_text):
            return
        try:
            depth = int(depth_text) if depth_text else 1
        except ValueError:
            depth = 1
        deferred = on_off(options.get("-dr") or options.get("-deferReference"), False)
        node = options.get("-rfn") or options.get("-referenceNode") or ""
        if is_reference:  # the reference itself replaces its reference-depth line
            self.scene.references = [
                known for known in self.scene.references if known.reference_node != node or not node
            ]
        self.scene.references.append(
            MayaReference(
                raw=arguments[-1],
                reference_node=node,
                namespace=options.get("-ns") or options.get("-namespace") or "",
                loaded=not deferred,
                depth=depth,
            )
        )

    def on_createNode(self, body: str) -> None:
        options, arguments = flags(words(body), CREATE_NODE_SWITCHES)
        node_type = arguments[0] if arguments else "unknown"
        name = options.get("-n") or options.get("-name") or node_type
        parent = options.get("-p") or options.get("-parent")
        above = self.scene.node(parent) if parent else None
        if above is not None and name and "|" not in name and above.own_name.strip("|"):
            node = MayaNode(node_type, name, parent, dag_parent=above)  # its full name, as ``ls -long`` gives it
        elif parent:  # a parent this file never made: the full name from the path saved
            node = MayaNode(node_type, f"|{(above.name if above else parent).strip('|')}|{name}", parent)
        else:
            node = MayaNode(node_type, name)
        self.current = self.scene.add(node)

    def on_select(self, body: str) -> None:
        options, arguments = flags(words(body))
        target = options.get("-ne") or options.get("-noExpand") or (arguments[0] if arguments else None)
        if not target:
            self.current = None
            return
        name = target.lstrip(":")
        self.current = self.scene.node(name) or self.scene.add(MayaNode(SHARED_NODE_TYPES.get(name, "shared"), name))

    def on_setAttr(self, body: str) -> None:
        node = self.current
        if node is None:
            return
        bulk = node.type not in SETTINGS_TYPES and node.type not in RULES_BY_TYPE
        if bulk and (node.type in NOT_INPUT_TYPES or '"string"' not in body):
            return  # geometry and other bulk data: one regular-expression step, never split into words
        attribute, values = _set_attribute(words(body))
        if attribute is None or not values:
            return
        if attribute.startswith("."):
            node.attributes[attribute[1:]] = values[0] if len(values) == 1 else "\n".join(values)

    def on_connectAttr(self, body: str) -> None:
        if not any(plug in body for plug in KEPT_PLUGS):
            return
        _, arguments = flags(words(body))
        if len(arguments) < 2:
            return
        source_node, _, source_attribute = arguments[0].partition(".")
        target_node, _, target_attribute = arguments[1].partition(".")
        if target_attribute.split("[", 1)[0] in KEPT_PLUGS:
            self.scene.connections.append(
                Connection(source_node.lstrip(":"), source_attribute, target_node.lstrip(":"), target_attribute)
            )


def _set_attribute(tokens: List[Tuple[str, bool]]) -> Tuple[Optional[str], List[str]]:
    """``(attribute, values)`` of a ``setAttr`` statement's words; a string array's count dropped."""
    attribute: Optional[str] = None
    value_type = ""
    values: List[Tuple[str, bool]] = []
    index = 0
    while index < len(tokens):
        text, quoted = tokens[index]
        if not quoted and text in _SETATTR_FLAGS_WITH_VALUE:
            if text in ("-type", "-typ") and index + 1 < len(tokens):
                value_type = tokens[index + 1][0]
            index += 2
            continue
        if not quoted and text.startswith("-") and not _is_number(text):
            index += 1
        elif attribute is None:
            attribute = text if quoted else None
            index += 1
        else:
            values.append((text, quoted))
            index += 1
    if value_type == "stringArray" and values and not values[0][1]:
        values = values[1:]
    return attribute, [text for text, _quoted in values]
