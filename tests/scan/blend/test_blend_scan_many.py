"""Several .blend files are scanned by one Blender, each report its own; a crash or hang costs one file only.

A stand-in for Blender counts its starts and runs the real collector with ``bpy``; it dies by SIGSEGV when
asked for ``crash.blend`` and never answers for ``hang.blend``, as Blender does on some damaged files, and
leaves a log line unfinished on its standard output before each line of the collector's, as Blender's
buffered C output can.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

ONE = {"one_tex.png", "lib.blend", "lib_tex.png"}
"""What ``one.blend`` reads: its texture, the library it links and the library's texture."""

pytestmark = pytest.mark.blender

STAND_IN = """#!{python}
import os, runpy, signal, sys, time
with open({launches!r}, "a") as launches:
    launches.write("started\\n")
script = sys.argv[sys.argv.index("--python") + 1]
sys.argv = [script, *sys.argv[sys.argv.index("--") :]]


class Requests:
    def __init__(self, stream):
        self.stream = stream

    def readline(self):
        line = self.stream.readline()
        if "crash.blend" in line:
            os.kill(os.getpid(), signal.SIGSEGV)
        if "hang.blend" in line:
            time.sleep(60)
        return line


class Output:
    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        if text.strip():
            self.stream.flush()
            os.write(1, b"00:00.258  blend  | Read blend: ")  # a log line Blender's C code has not ended yet
        return self.stream.write(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


sys.stdin = Requests(sys.stdin)
sys.stdout = Output(sys.stdout)
runpy.run_path(script, run_name="__main__")
"""


def _scene(path: Path, texture: Path, library: Optional[Path] = None) -> None:
    """A scene at ``path`` whose material reads ``texture`` (made here), and that links ``library``'s material."""
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    image = bpy.data.images.new(texture.stem, 2, 2)
    image.filepath_raw = str(texture)
    image.file_format = "PNG"
    image.save()
    material = bpy.data.materials.new(path.stem)
    material.use_fake_user = True
    material.node_tree.nodes.new("ShaderNodeTexImage").image = image
    if library:
        with bpy.data.libraries.load(str(library), link=True) as (_source, target):
            target.materials = ["Shared"]
        mesh = bpy.data.meshes.new("uses_shared")
        mesh.materials.append(target.materials[0])
        bpy.context.scene.collection.objects.link(bpy.data.objects.new("uses_shared", mesh))
    bpy.ops.wm.save_as_mainfile(filepath=str(path))


@pytest.fixture(scope="module")
def scenes(tmp_path_factory):
    """``one.blend`` (a texture and a library with a texture of its own), ``two.blend`` (another texture),
    ``empty.blend`` (nothing), and ``crash.blend`` and ``hang.blend`` (copies of ``two``)."""
    import bpy

    root = tmp_path_factory.mktemp("many")
    bpy.ops.wm.read_factory_settings(use_empty=True)
    shared = bpy.data.materials.new("Shared")
    shared.use_fake_user = True
    image = bpy.data.images.new("lib_tex", 2, 2)
    image.filepath_raw = str(root / "lib_tex.png")
    image.file_format = "PNG"
    image.save()
    shared.node_tree.nodes.new("ShaderNodeTexImage").image = image
    bpy.ops.wm.save_as_mainfile(filepath=str(root / "lib.blend"))
    _scene(root / "one.blend", root / "one_tex.png", library=root / "lib.blend")
    _scene(root / "two.blend", root / "two_tex.png")
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(root / "empty.blend"))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    for name in ("crash", "hang"):
        shutil.copy(root / "two.blend", root / f"{name}.blend")
    return root


@pytest.fixture
def launches(tmp_path, monkeypatch):
    """The file the stand-in Blender (set as ``BLENDER_EXECUTABLE``) writes one line to at each start."""
    counter = tmp_path / "launches"
    blender = tmp_path / "blender"
    blender.write_text(STAND_IN.format(python=sys.executable, launches=str(counter)))
    blender.chmod(0o755)
    monkeypatch.setenv("BLENDER_EXECUTABLE", str(blender))
    return counter


def _started(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def _files(document) -> set:
    return {Path(record["path"]).name for record in document["dependencies"]}


def test_the_command_line_reads_every_blend_in_one_blender_each_report_its_own(scenes, launches, tmp_path):
    """And the user's home stays as it was (Blender's thumbnail folder is a temporary one for the whole run)."""
    home = tmp_path / "home"
    home.mkdir()
    environ = {key: value for key, value in os.environ.items() if key != "XDG_CACHE_HOME"}
    names = ["one.blend", "two.blend", "empty.blend", "one.blend", "two.blend"]
    completed = subprocess.run(
        [sys.executable, "-m", "accsyn_dcc", "scan", *(str(scenes / name) for name in names), "--json"],
        capture_output=True, text=True, check=True, env={**environ, "HOME": str(home)},
    )  # fmt: skip
    documents = json.loads(completed.stdout)
    assert [_files(document) for document in documents] == [ONE, {"two_tex.png"}, set(), ONE, {"two_tex.png"}]
    assert [document["scene"] for document in documents] == [str(scenes / name) for name in names]
    assert _started(launches) == 1
    assert list(home.iterdir()) == []


def test_a_crash_or_a_hang_costs_that_file_only_and_blender_starts_again_for_the_rest(scenes, launches, monkeypatch):
    from accsyn_dcc import blender_process
    from accsyn_dcc.scan.blend import scan_files

    monkeypatch.setattr(blender_process, "BLENDER_SECONDS", 10)
    names = ["one.blend", "crash.blend", "two.blend", "hang.blend", "empty.blend", "missing.blend"]
    results = list(scan_files([str(scenes / name) for name in names]))
    assert [type(result).__name__ for result in results] == [
        "ScanResult", "BlenderError", "ScanResult", "BlenderError", "ScanResult", "BlenderError",
    ]  # fmt: skip
    assert str(results[1]) == f"Blender was stopped by SIGSEGV while trying to read {scenes / 'crash.blend'}"
    assert str(results[3]) == f"Blender did not read {scenes / 'hang.blend'} within 10 s; it was stopped"
    assert str(results[5]) == f"{scenes / 'missing.blend'}: no such file"
    assert [_files(results[index].to_dict()) for index in (0, 2, 4)] == [ONE, {"two_tex.png"}, set()]
    assert _started(launches) == 3  # the first, after the crash, after the hang


def test_a_scene_blender_cannot_open_is_its_error_line_and_the_same_blender_reads_on(scenes, launches, tmp_path):
    damaged = tmp_path / "damaged.blend"
    damaged.write_bytes((scenes / "two.blend").read_bytes()[:4000])
    from accsyn_dcc.scan.blend import scan_files

    one, broken, two = scan_files([str(scenes / "one.blend"), str(damaged), str(scenes / "two.blend")])
    assert str(broken).startswith(f"Blender could not read {damaged} (RuntimeError: ")
    assert (_files(one.to_dict()), _files(two.to_dict())) == (ONE, {"two_tex.png"})
    assert _started(launches) == 1
