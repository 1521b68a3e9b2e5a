"""Run by Blender (or a Python with ``bpy``): report the scene given after ``--`` as one JSON line.

Prints ``ACCSYN_SCAN_JSON {...}``: what ``collect.collect`` finds (references, outputs, scene facts) for the
job's range given after the scene (default: the scene's), the same records the add-on reads in process.
"""

import json
import os
import sys

import bpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import collect

path, *job_range = sys.argv[sys.argv.index("--") + 1 :]
if os.path.abspath(bpy.data.filepath or "") != os.path.abspath(path):
    bpy.ops.wm.open_mainfile(filepath=path, load_ui=False, use_scripts=False)  # a scanned scene never runs code
frames = collect.frames_of(job_range[0]) if job_range else None
print("ACCSYN_SCAN_JSON " + json.dumps(collect.collect(bpy.context.scene, frames=frames)))
