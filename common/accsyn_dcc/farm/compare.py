"""One rule for comparing rendered images: same size, and every channel value within ``TOLERANCE``.

Images are read by the renderer that wrote them, in its own process (Blender: ``blender/pixels.py`` through
``blender_process``; the core never imports ``bpy``). Other engines' images are not read here.
"""

from __future__ import annotations

import array
import json
import os
import tempfile
from dataclasses import dataclass
from typing import List, Sequence, Tuple

from accsyn_dcc import blender
from accsyn_dcc.blender_process import run_blender_script

TOLERANCE = 0.0
"""The largest difference of one channel value that still counts as the same pixel."""

PIXELS_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(blender.__file__)), "pixels.py")
READERS = ("blender",)
"""The engine families whose images can be read here."""


@dataclass(frozen=True)
class Pixels:
    """An image's pixels as its renderer reads them: width, height, channels and the values; or why it could not
    be read (``error``)."""

    size: Tuple[int, ...] = ()
    values: Sequence[float] = ()
    error: str = ""


def same_pixels(first: Pixels, second: Pixels) -> bool:
    """Both read, the same size, and no channel value further apart than ``TOLERANCE``."""
    if first.error or second.error or first.size != second.size or len(first.values) != len(second.values):
        return False
    return all(abs(a - b) <= TOLERANCE for a, b in zip(first.values, second.values))


def read_pixels(paths: Sequence[str], family: str = "blender") -> List[Pixels]:
    """Each image's pixels, read by one process of the ``family``'s renderer (only ``blender`` so far)."""
    if family not in READERS:
        raise ValueError(f"no reader for {family} images (only {', '.join(READERS)})")
    with tempfile.TemporaryDirectory(prefix="accsyn-pixels-") as folder:
        written = [os.path.join(folder, f"{index}.f32") for index in range(len(paths))]
        arguments = [part for pair in zip((os.path.abspath(path) for path in paths), written) for part in pair]
        answer = run_blender_script(PIXELS_SCRIPT, arguments, "ACCSYN_PIXELS", "read the rendered images")
        read: List[Pixels] = []
        for entry, path in zip(json.loads(answer), written):
            if "error" in entry:
                read.append(Pixels(error=str(entry["error"])))
                continue
            values = array.array("f")
            with open(path, "rb") as stream:
                values.frombytes(stream.read())
            read.append(Pixels(tuple(entry["size"]), values))
        return read
