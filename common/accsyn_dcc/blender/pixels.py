"""Run by Blender (or a Python with ``bpy``), never imported: read images' pixels for ``farm.compare``.

After ``--`` come pairs of an image and a file to write: each image's pixels go to its file as native
float32 values (RGBA rows, bottom up, as Blender holds them). Prints ``ACCSYN_PIXELS`` and a JSON list with,
for each image, ``{"size": [width, height, channels]}`` or ``{"error": why it could not be read}``.
"""

import array
import importlib
import json
import os
import sys

bpy = importlib.import_module("bpy")  # run by Blender only; the core never imports bpy

arguments = sys.argv[sys.argv.index("--") + 1 :]
answers: list = []
for image_path, pixels_path in zip(arguments[::2], arguments[1::2]):
    if not os.path.isfile(image_path):
        answers.append({"error": "no such file"})
        continue
    try:
        image = bpy.data.images.load(image_path)
    except RuntimeError as error:
        answers.append({"error": str(error).strip().splitlines()[-1]})
        continue
    try:
        width, height = image.size
        values = array.array("f", bytes(4 * len(image.pixels)))
        image.pixels.foreach_get(values)
        with open(pixels_path, "wb") as stream:
            values.tofile(stream)
        answers.append({"size": [width, height, image.channels]} if len(values) else {"error": "no pixels"})
    finally:
        bpy.data.images.remove(image)
print("ACCSYN_PIXELS " + json.dumps(answers))
