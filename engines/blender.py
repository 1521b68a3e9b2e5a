"""accsyn engine: render a Blender scene, remapping every external path at load time.

A .blend file is binary, so accsyn's text conversion cannot touch it. Instead a start-up script
(written beside the task's data JSON) opens the scene, rewrites the paths of libraries, images,
sounds, movie clips, cache files and their layers, volumes, fonts, sequencer strips, mesh-cache and
multires modifiers, external point caches, fluid and geometry-node bake folders and OSL scripts from
the submitter's prefixes to this node's,
reloads them, and renders the bucket's frames into the job's output folder, named with the scene's
own file-name pattern.

Blender is ``BLENDER_EXECUTABLE``, else ``blender`` on PATH or in the usual install folders; where
none exists, a Python interpreter with the ``bpy`` module (``ACCSYN_BLENDER_PYTHON``, else the one
running this engine) serves as Blender. Uses only the members of accsyn's stock ``Common`` (rev 49),
so it runs on a real farm.
"""

import glob
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import traceback

if "ACCSYN_COMPUTE_COMMON_PATH" in os.environ:
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])

from common import Common

RENDER_SCRIPT = r"""
import json, os, sys
import bpy

options = json.loads(sys.argv[sys.argv.index("--") + 1])
if os.path.abspath(bpy.data.filepath or "") != os.path.abspath(options["input"]):
    bpy.ops.wm.open_mainfile(filepath=options["input"], load_ui=False)


def remap(path):
    if not path:
        return path
    absolute = bpy.path.abspath(path).replace("\\", "/")
    for remote, local in options["pairs"]:
        remote = remote.replace("\\", "/").rstrip("/")
        if absolute.lower() == remote.lower() or absolute.lower().startswith(remote.lower() + "/"):
            return local.replace("\\", "/").rstrip("/") + absolute[len(remote):]
    return path


missing = []
for library in bpy.data.libraries:
    mapped = remap(library.filepath)
    if mapped != library.filepath:
        print("accsyn: library %s -> %s" % (library.filepath, mapped))
        library.filepath = mapped
        library.reload()
for collection in ("images", "sounds", "movieclips", "cache_files", "volumes", "fonts"):
    for block in getattr(bpy.data, collection, []):
        path = getattr(block, "filepath", "")
        if not path or path == "<builtin>":
            continue
        mapped = remap(path)
        if mapped != path:
            try:
                block.filepath = mapped
            except (AttributeError, RuntimeError) as error:
                print("accsyn: WARNING cannot remap linked %s %s (%s)" % (collection[:-1], path, error))
                continue
            print("accsyn: %s %s -> %s" % (collection[:-1], path, mapped))
            if hasattr(block, "reload"):
                block.reload()
        packed = getattr(block, "packed_file", None)
        absolute = bpy.path.abspath(block.filepath, library=getattr(block, "library", None))
        if not packed and "<UDIM>" not in block.filepath and not os.path.exists(absolute):
            missing.append(block.filepath)


def remap_attribute(owner, attribute, label):
    # one path-valued property: a strip's folder, a modifier's cache, a bake folder, a script
    path = getattr(owner, attribute, "")
    if not path:
        return
    mapped = remap(path)
    if mapped == path:
        return
    try:
        setattr(owner, attribute, mapped)
    except (AttributeError, RuntimeError, TypeError) as error:
        print("accsyn: WARNING cannot remap %s %s (%s)" % (label, path, error))
        return
    print("accsyn: %s %s -> %s" % (label, path, mapped))


for scene_ in bpy.data.scenes:
    if scene_.sequence_editor is not None:
        for strip in scene_.sequence_editor.strips_all:
            if strip.type == "IMAGE":
                remap_attribute(strip, "directory", "strip")
            elif strip.type == "MOVIE":
                remap_attribute(strip, "filepath", "strip")
for cache in bpy.data.cache_files:
    for layer in getattr(cache, "layers", []):
        remap_attribute(layer, "filepath", "cache layer")
for ob in bpy.data.objects:
    if ob.library is not None:
        continue
    for modifier in ob.modifiers:
        if modifier.type in ("MESH_CACHE", "MULTIRES"):
            remap_attribute(modifier, "filepath", "modifier")
        elif modifier.type == "NODES":
            remap_attribute(modifier, "bake_directory", "bake folder")
            for bake in modifier.bakes:
                remap_attribute(bake, "directory", "bake folder")
        elif modifier.type == "FLUID" and modifier.fluid_type == "DOMAIN":
            remap_attribute(modifier.domain_settings, "cache_directory", "fluid cache")
        cache = getattr(modifier, "point_cache", None)
        if cache is not None and cache.use_external:
            remap_attribute(cache, "filepath", "point cache")
    for system in ob.particle_systems:
        if system.point_cache.use_external:
            remap_attribute(system.point_cache, "filepath", "point cache")
for material in bpy.data.materials:
    if material.node_tree is not None and material.library is None:
        for node in material.node_tree.nodes:
            if node.bl_idname == "ShaderNodeScript" and node.mode == "EXTERNAL":
                remap_attribute(node, "filepath", "OSL script")
for path in missing:
    print("accsyn: WARNING missing file %s" % path)

scene = bpy.context.scene
if options.get("output"):
    # Keep the artist's file-name pattern (e.g. "beauty_####"); name frames after the scene when there is none.
    pattern = os.path.basename(scene.render.filepath.replace("\\", "/").rstrip("/"))
    if not pattern or pattern in (".", ".."):
        pattern = os.path.splitext(os.path.basename(options["input"]))[0] + "_####"
    scene.render.filepath = os.path.join(options["output"], pattern)
else:
    scene.render.filepath = remap(scene.render.filepath)
if options.get("first") is not None:
    scene.frame_start = options["first"]
    scene.frame_end = options["last"]
bpy.ops.render.render(animation=True)
"""


class Engine(Common):
    __revision__ = 1

    # -- ENGINE CONFIG START --
    SETTINGS = {
        "items": True,
        "default_range": "1-100",
        "default_bucketsize": 10,
        "filename_extensions": ".blend",
        "binary_filename_extensions": ".blend",
        "color": "234,118,0",
        "vendor": "Blender Foundation",
    }
    PARAMETERS = {"arguments": "", "input_conversion": "never"}
    # -- ENGINE CONFIG END --
    # default_bucketsize 10: each task starts Blender again (0.5 s to the first frame here, against 0.1 s for
    # each further frame of a small scene); 10 frames a task keeps start-up under 5% once a frame takes 1 s.
    APPLICATION = "Blender (or a Python with the bpy module)"
    POINT_AT = "set BLENDER_EXECUTABLE to Blender's executable"

    SAVED = re.compile(r"Saved: '(.+?)'")
    FRAME = re.compile(r"(\d+)\.[A-Za-z0-9]+$")

    def get_executable(self):
        if os.environ.get("BLENDER_EXECUTABLE"):
            return os.environ["BLENDER_EXECUTABLE"]
        found = shutil.which("blender")
        if found:
            return found
        candidates = sorted(glob.glob("/Applications/Blender*.app/Contents/MacOS/Blender"), reverse=True)
        candidates += sorted(glob.glob("C:\\Program Files\\Blender Foundation\\Blender*\\blender.exe"), reverse=True)
        candidates += sorted(glob.glob("/opt/blender*/blender"), reverse=True)
        if candidates:
            return candidates[0]
        return self.get_bpy_python()

    def probe(self):
        return probe_application(self)

    @staticmethod
    def get_bpy_python():
        """A Python interpreter that has the ``bpy`` module, or None."""
        if os.environ.get("ACCSYN_BLENDER_PYTHON"):
            return os.environ["ACCSYN_BLENDER_PYTHON"]
        if importlib.util.find_spec("bpy") is not None:
            return sys.executable
        return None

    def get_commandline(self, item):
        bucket = bucket_of(self.item)
        options = {
            "input": self.get_input(),
            "output": self.get_output(),
            "pairs": conversion_pairs(self),
            "first": bucket[0] if bucket else None,
            "last": bucket[1] if bucket else None,
        }
        script = os.path.join(os.path.dirname(os.path.abspath(self.path_pid)), "accsyn_blender_render.py")
        with open(script, "w") as stream:
            stream.write(RENDER_SCRIPT)
        executable = self.get_executable()
        if executable is None:
            raise Exception("{} was not found; {}".format(self.APPLICATION, self.POINT_AT))
        parameters = self.get_compute().get("parameters") or {}
        arguments = [part for part in Common.build_arguments(parameters.get("arguments")) if part != "-b"]
        if os.path.basename(executable).lower().startswith("blender"):
            return [executable, "-b", self.get_input(), *arguments, "-P", script, "--", json.dumps(options)]
        return [executable, script, "--", json.dumps(options)]

    def process_output(self, stdout, stderr):
        saved = self.SAVED.search(stdout or stderr or "")
        if saved:
            frame = self.FRAME.search(saved.group(1))
            if frame:
                self.task_done(str(int(frame.group(1))))
        return None


def bucket_of(item):
    """(first, last) of ``ACCSYN_ITEM`` (``1001`` or ``1001-1005``), or None for ``all``/unset."""
    text = (item or "all").strip()
    if not text or text.lower() == "all":
        return None
    first, _, last = text.partition("-")
    return int(first), int(last or first)


def conversion_pairs(engine):
    """(submitter prefix, node prefix) pairs, as accsyn converts an input (protocol section 4.8.5)."""
    remote_os, node_os = engine.get_remote_os(), engine.get_os()
    pairs = []
    for share in engine.data.get("shares") or []:
        paths = share.get("paths") or {}
        if paths.get(remote_os) and paths.get(node_os):
            local = engine.get_mapped_share_path(share.get("code", "")) or paths[node_os]
            pairs.append((paths[remote_os], local))
    for entry in (engine.get_compute().get("parameters") or {}).get("mapped_share_paths") or []:
        if not entry.get("os") or entry["os"] == node_os:
            pairs.append((entry["remote"], engine.normalize_path(entry["local"])))
    return [(remote, local) for remote, local in pairs if remote and local]


def probe_application(engine):
    """True when the render application is there, said in one line; else an exception saying how to point at it."""
    executable = engine.get_executable()
    if not executable or not os.path.exists(executable):
        where = " at {}".format(executable) if executable else ""
        raise Exception("{} was not found{}; {}".format(engine.APPLICATION, where, engine.POINT_AT))
    Common.info("Found {} ({}; to use another, {})".format(executable, engine.APPLICATION, engine.POINT_AT))
    return True


def main(engine_class):
    """Run as the accsyn daemon does: ``<data.json>`` renders; ``--probe`` ends in one line and writes nothing
    into the current folder (the stock base puts ``process.pid`` beside its data path: a temporary folder here)."""
    if "--help" in sys.argv:
        usage = "usage: python {} [--dev] <path to data.json> | --probe | --help"
        Common.info(usage.format(os.path.basename(sys.argv[0])))
    elif "--probe" in sys.argv:
        folder = tempfile.mkdtemp(prefix="accsyn-probe-")
        try:
            engine_class([sys.argv[0], os.path.join(folder, "probe.json")]).probe()
        except Exception as error:
            Common.warning(str(error))
            sys.exit(1)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    else:
        try:
            engine = engine_class(sys.argv)
            engine.load()
            engine.execute()
        except SystemExit:
            raise
        except BaseException:
            Common.warning(traceback.format_exc())
            sys.exit(1)


if __name__ == "__main__":
    main(Engine)
