"""Which fields of which node types name files a render reads: one row shape, ``FileRule``, for every host.

Each host keeps its table as ``FILE_RULES``, a tuple of these rows (Nuke knobs in ``scan/nuke/rules.py``, Maya
attributes in ``scan/maya/node_types.py``, Houdini parms in ``scan/houdini/node_types.py``), grouped by node
type once (``by_node_type``) as ``RULES_BY_TYPE``; the host's offline reader and its live scan both read that
table. A field is named by a ``FieldName``: its name, and the other names a saved scene may give it (a Maya
attribute's short name, which ``.ma`` files save). What a host's reader does not read (a Maya frame offset
in a Nuke row) stays at its default; ``tests/scan/test_node_rules.py`` holds every table to that.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Hashable, Iterable, Optional, Tuple, TypeVar

SINGLE = "single"
"""One file, whatever the frame: frame tokens in its path are not followed."""
SWITCHED = "switched"
"""The path names one frame (``plate.0001.exr``); the row's ``switch`` field, when on, makes it a sequence
(Maya's ``useFrameExtension``)."""
TOKENS = "tokens"
"""The path's own frame tokens (``####``, ``%04d``, ``<f>``, ``$F``) follow the frame the render is on, through
the node's own timing where it has one (a Nuke Read's first and last frame): a sequence, checked for the frames
the job needs."""
FRAMES = (SINGLE, SWITCHED, TOKENS)
"""How frames apply to a row's file (``FileRule.frames``)."""


@dataclass(frozen=True)
class FieldName:
    """A node's field (Nuke knob, Maya attribute, Houdini parm) by its name, and the other names a saved scene
    may give it (``aliases``: a Maya attribute's short name). A Houdini parm name ending in ``#`` is a multiparm
    (``filepath1``, ``filepath2``...)."""

    name: str
    aliases: Tuple[str, ...] = ()
    spellings: Tuple[str, ...] = dataclasses.field(init=False, repr=False, compare=False)
    """The name, then its aliases: what a reader looks a value up by."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "spellings", (self.name, *self.aliases))


@dataclass(frozen=True)
class FileRule:
    """``field`` of a node of ``node_type`` names a file of ``kind`` that the render reads."""

    node_type: str
    """The node class (Nuke), node type (Maya) or operator type (Houdini)."""
    field: FieldName
    kind: str
    """What the file is to the render: ``read``, ``texture``, ``cache``, ``lut``, ``usd``..."""
    frames: str = SINGLE
    """How frames apply to the path: ``SINGLE``, ``SWITCHED`` or ``TOKENS``."""
    switch: Optional[FieldName] = None
    """For ``SWITCHED``: the on/off field that makes the path a sequence (``useFrameExtension``)."""
    frame_offset: Optional[FieldName] = None
    """For ``SWITCHED``: a field adding its number to each frame read (``frameOffset``)."""
    tiling: Optional[FieldName] = None
    """A field choosing how UV tiles are named (Maya's ``uvTilingMode``: 0 none, 1 ``u0_v0``, 2 ``u1_v1``, 3 UDIM)."""
    enabled_by: Optional[FieldName] = None
    """A field deciding whether ``field`` is read at all: an on/off toggle, or a mode menu (see ``off``)."""
    off: FrozenSet[str] = frozenset()
    """The values of ``enabled_by`` (a mode menu, read lower-case) that mean the file is not read; any other value,
    or none saved, reads. Empty: ``enabled_by`` is an on/off toggle, read only when on (not saved: off)."""
    many: bool = False
    """The field is a string array (Maya's ``abc_layerFiles``): each entry is a file."""
    suffix: str = ""
    """Appended to the value to make the file name (a Maya cacheFile's ``cacheName`` + ``.xml``)."""
    folder: Optional[FieldName] = None
    """A field holding the folder the value is relative to (a Maya cacheFile's ``cachePath``)."""

    @property
    def fields(self) -> Tuple[FieldName, ...]:
        """Every field the rule reads, the file's first: what a live scan needs from a node of ``node_type``."""
        named = (self.field, self.switch, self.frame_offset, self.tiling, self.enabled_by, self.folder)
        return tuple(name for name in named if name is not None)


Row = TypeVar("Row")
Key = TypeVar("Key", bound=Hashable)


def grouped(rows: Iterable[Row], key: Callable[[Row], Key]) -> Dict[Key, Tuple[Row, ...]]:
    """``rows`` by ``key``, each group in the order of the table."""
    groups: Dict[Key, Tuple[Row, ...]] = {}
    for row in rows:
        group = key(row)
        groups[group] = (*groups.get(group, ()), row)
    return groups


def by_node_type(rules: Iterable[FileRule]) -> Dict[str, Tuple[FileRule, ...]]:
    """A host's table by node type, for the readers' lookups: node type -> its rows, in the order of the table."""
    return grouped(rules, lambda rule: rule.node_type)
