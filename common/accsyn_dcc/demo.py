"""A small real Blender project for the demo and the end-to-end tests.

``build_demo_project(root)`` has Blender run ``accsyn_dcc/blender/demo_scene.py`` (shipped in the package): it writes
``textures/checker.png`` (pure green), ``lib/props.blend`` (a prop to link) and ``shots/demo.blend``
(a plane textured with the PNG, the linked prop, a camera, 3 frames at 64x48, Cycles on the CPU).
"""

from __future__ import annotations

import os

from accsyn_dcc import blender
from accsyn_dcc.blender_process import run_blender_script

DEMO_SCENE = os.path.join(os.path.dirname(os.path.abspath(blender.__file__)), "demo_scene.py")


def build_demo_project(root: str) -> str:
    """Write the demo project under ``root``; return the path of its shot .blend."""
    root = os.path.abspath(root)
    return run_blender_script(DEMO_SCENE, [root], "ACCSYN_DEMO", f"build the demo project in {root}")
