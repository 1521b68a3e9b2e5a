"""Run by Blender (or a Python with ``bpy``): report the scene given after ``--`` as one JSON line.

Prints ``ACCSYN_SCAN_JSON {...}``: frame range, fps, output path and external files.
"""

import json
import sys

import bpy

path = sys.argv[sys.argv.index("--") + 1]
if bpy.data.filepath != path:
    bpy.ops.wm.open_mainfile(filepath=path, load_ui=False)
scene = bpy.context.scene
files = []
for kind, collection in (
    ("library", "libraries"),
    ("image", "images"),
    ("sound", "sounds"),
    ("movieclip", "movieclips"),
    ("cache", "cache_files"),
    ("volume", "volumes"),
    ("font", "fonts"),
):
    for block in getattr(bpy.data, collection, []):
        filepath = getattr(block, "filepath", "")
        if not filepath or filepath == "<builtin>" or getattr(block, "packed_file", None):
            continue
        files.append(
            {
                "kind": kind,
                "name": block.name,
                "path": bpy.path.abspath(filepath),
                "source": getattr(block, "source", "FILE"),
            }
        )
report = {
    "frame_start": scene.frame_start,
    "frame_end": scene.frame_end,
    "fps": scene.render.fps,
    "output": bpy.path.abspath(scene.render.filepath),
    "scene": scene.name,
    "files": files,
    "version": bpy.app.version_string,
}
print("ACCSYN_SCAN_JSON " + json.dumps(report))
