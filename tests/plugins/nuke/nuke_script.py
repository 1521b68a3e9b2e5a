"""A small Nuke script for the plugin tests: a root, Writes (some in Groups), a selection, given to the stand-in."""

from __future__ import annotations

from typing import Any, List, Optional

import pytest

SCRIPT = "/mnt/projects/shot/comp_v003.nk"


class Knob:
    def __init__(self, value: Any) -> None:
        self._value = value

    def value(self) -> Any:
        return self._value


class Node:
    def __init__(self, klass: str, full_name: str, **knobs: Any) -> None:
        self._class = klass
        self._full_name = full_name
        self._knobs = {name: Knob(value) for name, value in knobs.items()}
        self._modified = False

    def Class(self) -> str:
        return self._class

    def fullName(self) -> str:
        return self._full_name

    def knob(self, name: str) -> Optional[Knob]:
        return self._knobs.get(name)

    def setModified(self, modified: bool) -> None:
        self._modified = modified


class Root(Node):
    def __init__(self, **knobs: Any) -> None:
        super().__init__("Root", "root", **knobs)

    def modified(self) -> bool:
        return self._modified


class Graph:
    """Just enough of a script for the adapter: a root, Writes (some in Groups), a selection."""

    def __init__(self, proxy: bool = False) -> None:
        self.root = Root(name=SCRIPT, first_frame=1001, last_frame=1100, proxy=proxy)
        self.nodes: List[Node] = [
            Node("Read", "Read1", file="/mnt/projects/plate.%04d.exr"),
            Node("Write", "Write_EXR", file="/mnt/projects/shot/out/comp.%04d.exr", file_type="exr",
                 views="left right", proxy="/mnt/projects/shot/proxy/comp.%04d.exr"),
            Node("Write", "Review.Write_MOV", file="/mnt/projects/shot/review/comp.mov", file_type="mov",
                 use_limit=True, first=1001, last=1050),
            Node("Write", "Old.Write_off", file="/mnt/projects/shot/old.%04d.exr", file_type="exr", disable=True),
        ]  # fmt: skip
        self.selected = ["Review.Write_MOV"]

    def install(self, nuke: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(nuke, "root", lambda: self.root, raising=False)
        monkeypatch.setattr(nuke, "allNodes", lambda *a, **k: list(self.nodes), raising=False)
        monkeypatch.setattr(nuke, "filename", lambda node, i=0: node.knob("file").value(), raising=False)
        selected = [node for node in self.nodes if node.fullName() in self.selected]
        monkeypatch.setattr(nuke, "selectedNodes", lambda *a: list(selected), raising=False)
        monkeypatch.setattr(nuke, "modified", lambda *a: self.root.modified(), raising=False)
