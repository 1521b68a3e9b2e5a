"""What a Nuke script renders: its scene range and its outputs. One rule for the live adapter (``accsyn_nuke``)
and the offline scanner, both given the script's nodes as .nk text, so they find the same range, outputs and
findings."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

from accsyn_dcc.ranges import MAX_ITEMS, FrameRange, saved_range
from accsyn_dcc.scan.environment import Unresolvable
from accsyn_dcc.scan.nuke.read_frames import saved_integer
from accsyn_dcc.scan.nuke.rules import MOVIE_TYPES, OUTPUT_CLASSES
from accsyn_dcc.scan.nuke.script import CONTAINERS, Node, knob_on
from accsyn_dcc.scan.records import NO_OUTPUT_FILE, Output, Unresolved, quoted_value

ABSOLUTE = re.compile(r"^([A-Za-z]:[\\/]|[\\/]{2}|/)")
BELOW_ZERO = "accsyn engines cannot render frames below 0 (they split ACCSYN_ITEM on '-')"


@dataclass(frozen=True)
class SceneRange:
    """The frames of the root's range the farm renders, and why they are not all of it (empty: they are)."""

    frames: FrameRange
    finding: str = ""


def scene_range(first_frame: Optional[str], last_frame: Optional[str]) -> SceneRange:
    """The root's ``first_frame``-``last_frame`` (knob text) as the farm renders it; never raises. Nuke's defaults
    1-100 when they are not numbers; frames below 0 are left out; at most ``MAX_ITEMS`` frames."""
    first, last = saved_integer(first_frame or "1"), saved_integer(last_frame or "100")
    if first is None or last is None:
        finding = "root: first_frame/last_frame are not numbers; the range 1-100 is assumed"
        return SceneRange(FrameRange.from_bounds(1, 100), finding)
    first, last = sorted((first, last))
    low = max(first, 0)
    high = min(max(last, 0), low + MAX_ITEMS - 1)
    frames = FrameRange.from_bounds(low, high)
    reasons = [f"frames {first} to {min(last, -1)} are left out: {BELOW_ZERO}"] if first < 0 else []
    if high < last:
        reasons.append(f"it is longer than {MAX_ITEMS} frames")
    if not reasons:
        return SceneRange(frames)
    rendered = "none can render on the farm; set the job's range by hand" if last < 0 else f"the farm renders {frames}"
    return SceneRange(frames, f"root: the range {first} to {last}: {'; '.join(reasons)}; {rendered}")


def rendered_nodes(nodes: Iterable[Node]) -> List[Node]:
    """The nodes that render: neither disabled nor inside a disabled Group (in any order of listing)."""
    nodes = list(nodes)
    off = tuple(node.name + "." for node in nodes if node.node_class in CONTAINERS and node.disabled)
    return [node for node in nodes if not node.disabled and not (node.parent and (node.parent + ".").startswith(off))]


def is_output(node: Node) -> bool:
    """The node writes a file a render makes (a Write that reads its file back is an input)."""
    return node.node_class in OUTPUT_CLASSES and not knob_on(node.knobs.get("reading", "false"))


def output_of(
    node: Node, full: str, proxy: bool, views: Sequence[str], resolve: Callable[[str], str]
) -> Tuple[Optional[Output], List[Unresolved]]:
    """The output of ``node`` (``is_output``) and what to say of it; ``resolve`` turns knob text into a path (it
    may raise ``Unresolvable``). In proxy mode the ``proxy`` file is rendered when set; ``use_limit`` frames
    below 0 are left out; views are the node's own, else the script's."""
    knob = "proxy" if proxy and node.knobs.get("proxy", "").strip() else OUTPUT_CLASSES[node.node_class]
    raw = node.knobs.get(knob, "")
    if not raw.strip():
        return None, [Unresolved(full, knob, "", NO_OUTPUT_FILE)]
    try:
        path = resolve(raw)
    except Unresolvable as reason:
        return None, [Unresolved(full, knob, quoted_value(raw), str(reason))]
    findings: List[Unresolved] = []
    limit: Optional[FrameRange] = None
    bounds, not_a_number = write_limit(node)
    if not_a_number:
        why = "the limit of its frame range is an expression; the job's frames are used"
        findings.append(Unresolved(full, not_a_number, quoted_value(node.knobs[not_a_number]), why))
    if bounds and bounds[1] < 0:
        why = f"its use_limit frames {bounds[0]} to {bounds[1]} are left out: {BELOW_ZERO}; it renders nothing"
        return None, [Unresolved(full, "first", "", why)]
    if bounds:
        limit = saved_range(max(bounds[0], 0), bounds[1])
        if bounds[0] < 0:
            why = f"its use_limit frames {bounds[0]} to -1 are left out: {BELOW_ZERO}; it renders {limit}"
            findings.append(Unresolved(full, "first", "", why))
    file_type = node.knobs.get("file_type", "").strip() or os.path.splitext(path)[1].lstrip(".").lower()
    own_views = node.knobs.get("views", "").split()
    output = Output(full, path, limit, own_views or list(views), file_type, file_type.lower() in MOVIE_TYPES)
    return output, findings


def in_project(value: str, project: str) -> str:
    """An evaluated file knob as the path Nuke uses: a relative one lies in the ``project`` directory (the
    root's ``project_directory``, else the script's folder); a POSIX one is normalised."""
    value = value.strip()
    if value and not ABSOLUTE.match(value):
        value = os.path.join(project, value).replace("\\", "/")
    if value.startswith("/") and not value.startswith("//"):
        value = posixpath.normpath(value)
    return value


def write_limit(node: Node) -> Tuple[Optional[Tuple[int, int]], str]:
    """A Write's ``use_limit`` frames as (first, last) or None, and the knob (``first``/``last``) not a number."""
    if not knob_on(node.knobs.get("use_limit", "false")):
        return None, ""
    first, last = saved_integer(node.knobs.get("first", "1")), saved_integer(node.knobs.get("last", "1"))
    if first is None or last is None:
        return None, "first" if first is None else "last"
    return (min(first, last), max(first, last)), ""
