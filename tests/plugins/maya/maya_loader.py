"""Load a ``SceneDescription`` into the ``maya.cmds`` stand-in, as Maya would hold it once the file is open."""

from __future__ import annotations

from typing import Dict, List

from maya import _scene
from maya_scene import Reference, SceneDescription


def live_name(description: SceneDescription, name: str) -> str:
    """The name ``ls -long`` gives: a DAG path for transforms and their children, the plain name otherwise."""
    node = description.node(name)
    if node.parent:
        return f"{live_name(description, node.parent)}|{node.name}"
    return f"|{node.name}" if node.type == "transform" else node.name


def load(description: SceneDescription, rules: Dict[str, str], registered: List[str] = ()) -> _scene.State:
    project = description.path.parent.parent
    state = _scene.reset(scene_name=str(description.path), workspace_root=str(project), file_rules=dict(rules))
    state.registered_file_types = list(registered)
    for node in description.nodes:
        _scene.add_node(
            node.type,
            live_name(description, node.name),
            {attr.long: list(attr.value) if attr.type == "stringArray" else attr.value for attr in node.attrs},
            {attr.short: attr.long for attr in node.attrs},
            [attr.long for attr in node.attrs if attr.type == "string"],
        )
    for link in description.links:
        state.connections.append((link.source, link.source_attr[0], link.target, link.target_attr[0]))
    state.references = [_reference(item) for item in description.references]
    return state


def _reference(item: Reference) -> _scene.Reference:
    return _scene.Reference(item.path, item.path, item.node, item.namespace, item.loaded,
                            [_reference(child) for child in item.children])  # fmt: skip
