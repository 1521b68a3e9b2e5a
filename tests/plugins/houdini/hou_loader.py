"""Open a ``HipFile`` description in the ``hou`` stand-in, as Houdini would hold it once the file is loaded."""

from __future__ import annotations

import os
from typing import Dict, List

import hou
from hip_files import HipFile

from accsyn_dcc.scan.houdini.node_types import RULES_BY_TYPE

ROOTS = {"out": "Driver", "obj": "Object", "stage": "Lop", "mat": "Vop", "ch": "Chop", "img": "Cop2", "tasks": "Top"}
NETWORKS = {"geo": "Sop", "chopnet": "Chop", "ropnet": "Driver", "lopnet": "Lop", "matnet": "Vop"}


def category(hip: HipFile, path: str) -> str:
    parent = path.rpartition("/")[0]
    types = {node.path: node.type for node in hip.nodes}
    if parent in types and types[parent] in NETWORKS:
        return NETWORKS[types[parent]]
    return ROOTS[path.strip("/").split("/")[0]]


def load(hip: HipFile, hda_files: Dict[str, List[str]] = ()) -> hou._State:  # type: ignore[assignment]
    folder = os.path.dirname(str(hip.path))
    state = hou._reset(hip=str(hip.path), frame_range=tuple(float(x) for x in hip.frame_range),
                       frame_rate=float(hip.fps), hda_files=dict(hda_files))  # fmt: skip
    state.variables = {"HIP": folder, "HIPFILE": str(hip.path), "HIPNAME": hip.path.stem, **hip.variables}
    for node in hip.nodes:
        parms = {name: [(value[0], value[1], value[2]) if isinstance(value, tuple) else value for value in values]
                 for name, values in node.parms.items()}  # fmt: skip
        parent = node.path.rpartition("/")[0]
        wired = [f"{parent}/{name}" for name in node.inputs]
        made = hou._add_node(node.path, node.type, category(hip, node.path), parms, node.bypass, wired)
        if node.type not in RULES_BY_TYPE:
            state.references += [(parm, parm.evalAsString()) for parm in made.parms() if isinstance(parm.eval(), str)]
    return state
