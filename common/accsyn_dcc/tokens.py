"""The one grammar of frame, tile and view tokens in file paths, for every host.

Frame tokens (a frame wider than the padding is written in full, as the hosts do):

* ``%04d`` / ``%4d`` (padded to 4), ``%d`` (unpadded): Nuke, Blender's FFmpeg-style names, USD clips.
* ``#`` runs and ``@`` runs: one digit per character (``####`` is 4 digits): Nuke, Blender, Maya.
* ``$F`` (unpadded), ``$F4`` / ``${F4}`` (padded), ``$FF`` (unpadded): Houdini.
* ``<f>`` / ``<frame>`` / ``<Frame>`` (unpadded) and ``<f4>`` (padded): Maya, Arnold, RenderMan.

Tile tokens (UDIM): ``<UDIM>`` and ``%(UDIM)d`` (``1001``...), ``<UVTILE>`` and ``u<U>_v<V>``
(``u1_v1``, one-based), ``u<u>_v<v>`` (``u0_v0``, zero-based), ``_u#_v#`` (one-based).

View tokens: ``%V`` (the view name) and ``%v`` (its first letter) for Nuke; ``<Camera>``,
``<Layer>``/``<RenderLayer>``, ``<RenderPass>`` and ``<Scene>`` where a host defines them. They are
replaced from the values a host hands in; one left unreplaced makes the path unresolved.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Pattern, Sequence, Set, Tuple

FRAME = "frame"
TILE = "tile"
VIEW = "view"

MAX_KEPT_RUN = 2_000
"""The longest run of frames whose padded digits are kept for the next file needing the same run."""
MAX_PADDING = 32
"""A padding wider than this is refused as a typo (``%0999999999d``)."""

_GRAMMAR = re.compile(
    r"(?P<udim>%\(UDIM\)d|<UDIM>|<UVTILE>|u<U>_v<V>|u<u>_v<v>|_u#_v#)"
    r"|(?P<printf>%(?P<printf_zero>0)?(?P<printf_width>\d*)d)"
    r"|(?P<hashes>#+|@+)"
    r"|(?P<houdini>\$\{F(?P<houdini_braced>\d*)\}|\$FF(?![A-Za-z0-9_])|\$F(?P<houdini_width>\d*)(?![A-Za-z_]))"
    r"|(?P<angle><(?:f|frame|Frame)(?P<angle_width>\d*)>)"
    r"|(?P<view>%V|%v|<Camera>|<Layer>|<RenderLayer>|<RenderPass>|<Scene>)"
)
_TILE_DIGITS = {
    "%(UDIM)d": r"(?P<udim>1\d{3})",
    "<UDIM>": r"(?P<udim>1\d{3})",
    "<UVTILE>": r"u(?P<u>\d+)_v(?P<v>\d+)",
    "u<U>_v<V>": r"u(?P<u>\d+)_v(?P<v>\d+)",
    "u<u>_v<v>": r"u(?P<u>\d+)_v(?P<v>\d+)",
    "_u#_v#": r"_u(?P<u>\d+)_v(?P<v>\d+)",
}
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_GROUP_NAME = re.compile(r"\(\?P<(\w+)>")
_VIEW_NAMES = {
    "%V": "view",
    "%v": "view",
    "<Camera>": "camera",
    "<Layer>": "layer",
    "<RenderLayer>": "layer",
    "<RenderPass>": "pass",
    "<Scene>": "scene",
}


class TokenError(ValueError):
    """A token that cannot stand in a real path (a padding wider than ``MAX_PADDING``)."""


@dataclass(frozen=True)
class Token:
    """One token found in a path: where it is, what it stands for and (frames) its padding."""

    start: int
    end: int
    kind: str
    text: str
    width: int = 0
    """Digits of padding for a frame token; 0 means unpadded."""

    @property
    def name(self) -> str:
        """For a view token, what it names: ``view``, ``camera``, ``layer``, ``pass`` or ``scene``."""
        return _VIEW_NAMES.get(self.text, "")


def find_tokens(path: str) -> Tuple[Token, ...]:
    """Every token in ``path``, left to right; raise TokenError for an impossible padding."""
    tokens: List[Token] = []
    for match in _GRAMMAR.finditer(path):
        text = match.group(0)
        if match.group("udim"):
            tokens.append(Token(match.start(), match.end(), TILE, text))
        elif match.group("view"):
            tokens.append(Token(match.start(), match.end(), VIEW, text))
        else:
            tokens.append(Token(match.start(), match.end(), FRAME, text, _frame_width(match)))
    return tuple(tokens)


def _frame_width(match: re.Match[str]) -> int:
    if match.group("hashes"):
        width = len(match.group("hashes"))
    else:
        digits = next(
            (
                match.group(name)
                for name in ("printf_width", "houdini_braced", "houdini_width", "angle_width")
                if match.group(name)
            ),
            "",
        )
        width = int(digits) if digits else 0
    if width > MAX_PADDING:
        raise TokenError(f"a frame padding of {width} digits is not a real file name (at most {MAX_PADDING})")
    return width


def frame_text(frame: int, width: int) -> str:
    """``frame`` as a token of ``width`` writes it (never cut when wider)."""
    return str(frame).zfill(width) if width else str(frame)


def _digits(frames: Sequence[int], width: int) -> Sequence[str]:
    """Each frame as a token of ``width`` writes it (``frame_text`` for many frames at C speed)."""
    return list(map(str.zfill, map(str, frames), itertools.repeat(width)))


@functools.lru_cache(maxsize=8)
def _run_digits(frames: range, width: int) -> Sequence[str]:
    """``_digits`` of a run of frames, kept: most files of a scan are needed for the same few runs (a host
    keeps at most 8 runs of ``MAX_KEPT_RUN`` frames between scans, well under a megabyte)."""
    return tuple(_digits(frames, width))


@functools.lru_cache(maxsize=4096)
def _parsed(path: str) -> PathPattern:
    """Patterns are immutable, and a scan parses the same path several times (check, frames, transfer)."""
    return PathPattern(path, find_tokens(path))


@dataclass(frozen=True)
class PathPattern:
    """A path with its tokens, able to say which concrete files it names."""

    path: str
    tokens: Tuple[Token, ...]

    @classmethod
    def parse(cls, path: str) -> PathPattern:
        return _parsed(path)

    @property
    def is_sequence(self) -> bool:
        """True when the file name changes with the frame."""
        return any(token.kind == FRAME for token in self.tokens)

    @property
    def is_tiled(self) -> bool:
        return any(token.kind == TILE for token in self.tokens)

    @property
    def view_names(self) -> Tuple[str, ...]:
        """What the view tokens name (``view``, ``camera``, ...), once each."""
        return tuple(dict.fromkeys(token.name for token in self.tokens if token.kind == VIEW))

    def with_values(self, frame: Optional[int] = None, views: Optional[Mapping[str, str]] = None) -> str:
        """The path with frame and view tokens replaced where a value is given; tile tokens kept."""
        views = views or {}
        parts: List[str] = []
        position = 0
        for token in self.tokens:
            parts.append(self.path[position : token.start])
            position = token.end
            if token.kind == FRAME and frame is not None:
                parts.append(frame_text(frame, token.width))
            elif token.kind == VIEW and token.name in views:
                value = views[token.name]
                parts.append(value[:1] if token.text == "%v" else value)
            else:
                parts.append(token.text)
        parts.append(self.path[position:])
        return "".join(parts)

    def split_name(self) -> Tuple[str, PathPattern]:
        """The folder (which must hold no token) and the file name as a pattern of its own.

        Raises ValueError when a token stands in the folder part, where a per-name listing cannot answer.
        """
        name_start = self._name_start
        if any(token.start < name_start for token in self.tokens):
            raise ValueError("a token in the folder part")
        return self.path[: max(name_start - 1, 0)] or ".", PathPattern.parse(self.path[name_start:])

    def frame_names(self, frames: Sequence[int]) -> List[str]:
        """The path for each of ``frames``, in the same order (the per-frame hot path).

        With one frame token the names are joined and split in C; a frame costs no Python step.
        """
        pieces: List[str] = []
        widths: List[int] = []
        position = 0
        for token in self.tokens:
            if token.kind != FRAME:
                continue
            pieces.append(self.path[position : token.start])
            widths.append(token.width)
            position = token.end
        tail = self.path[position:]
        if len(widths) == 1 and "\0" not in self.path and frames:
            head = pieces[0]
            kept = isinstance(frames, range) and len(frames) <= MAX_KEPT_RUN
            digits = _run_digits(frames, widths[0]) if kept else _digits(frames, widths[0])
            return (head + (tail + "\0" + head).join(digits) + tail).split("\0")
        return [
            "".join(piece + frame_text(frame, width) for piece, width in zip(pieces, widths)) + tail
            for frame in frames
        ]

    def name_matcher(self) -> Pattern[str]:
        """A regular expression for this path's file name: any tile in each tile token (a repeated one the
        same tile), any number in each frame token (``frame_of`` reads it), the rest as written."""
        parts: List[str] = []
        position = self._name_start
        defined: Set[str] = set()
        frame_tokens = 0
        for token in self.tokens:
            if token.start < self._name_start:
                continue
            parts.append(re.escape(self.path[position : token.start]))
            position = token.end
            if token.kind == TILE:
                digits = _TILE_DIGITS[token.text]
                names = set(_GROUP_NAME.findall(digits))
                parts.append(_GROUP.sub(r"(?P=\1)", digits) if names <= defined else digits)
                defined |= names
            elif token.kind == FRAME:
                parts.append(f"(?P<frame{frame_tokens}>-?\\d+)")
                frame_tokens += 1
            else:
                parts.append(re.escape(token.text))
        parts.append(re.escape(self.path[position:]))
        return re.compile("".join(parts) + r"\Z")

    def frame_of(self, match: re.Match[str]) -> Optional[int]:
        """The frame a ``name_matcher`` match names; None when the name has no frame token, or holds a number
        this pattern would not write (``01001`` for ``%04d``, two different frames)."""
        widths = self._name_frame_widths
        if not widths:
            return None
        texts = [match.group(f"frame{index}") for index in range(len(widths))]
        frame = int(texts[0])
        return frame if all(frame_text(frame, width) == text for width, text in zip(widths, texts)) else None

    @functools.cached_property
    def _name_start(self) -> int:
        return max(self.path.rfind("/"), self.path.rfind("\\")) + 1

    @functools.cached_property
    def _name_frame_widths(self) -> Tuple[int, ...]:
        """The paddings of the frame tokens in the file name, in order (``frame_of`` reads one per file)."""
        return tuple(token.width for token in self.tokens if token.kind == FRAME and token.start >= self._name_start)


def tile_label(match: re.Match[str]) -> str:
    """A matched tile as artists name it: ``1001`` for UDIM, ``u1_v2`` for UV forms."""
    groups: Dict[str, Optional[str]] = match.groupdict()
    if groups.get("udim"):
        return str(groups["udim"])
    return f"u{groups.get('u')}_v{groups.get('v')}"
