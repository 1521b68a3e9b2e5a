"""A small real Blender project for the demo and the end-to-end tests.

``build_demo_project(root)`` has Blender run the plug-in's ``demo_scene.py``: it writes
``textures/checker.png`` (pure green), ``lib/props.blend`` (a prop to link) and ``shots/demo.blend``
(a plane textured with the PNG, the linked prop, a camera, 3 frames at 64x48, Cycles on the CPU).
"""

from __future__ import annotations

import os

from accsyn_dcc.blender_process import run_plugin_script


def build_demo_project(root: str) -> str:
    """Write the demo project under ``root``; return the path of its shot .blend."""
    root = os.path.abspath(root)
    return run_plugin_script("demo_scene.py", [root], "ACCSYN_DEMO", f"build the demo project in {root}")
