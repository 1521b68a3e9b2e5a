"""Every file a Blender render may read, and what it writes, read through ``bpy`` (inside Blender only).

``collect(scene)`` returns plain JSON-able records: the core turns ``references`` into its reference
model (one check against disk, one listing per folder) and ``outputs`` into its output records. The
add-on calls it in process; ``accsyn-dcc scan`` runs this file as Blender's script in a subprocess
(``main``: the scene after ``--``, one ``ACCSYN_SCAN_JSON`` line), so both give the same records. It only
reads: the open file is never changed. It needs nothing but the standard library and, once it reads a scene,
``bpy``: the core imports it (and runs) without Blender, and Blender runs it without the core on its path.

Frame tokens follow the core's grammar: an image, clip, cache or volume sequence becomes a pattern
with a ``#`` run where Blender reads the frame number, a tiled image keeps ``<UDIM>``. Relative
``//`` paths resolve against the file that holds them (a library's own folder for linked data).
"""

import importlib
import json
import os
import re
import sys
import tempfile
from typing import Any, Sequence

bpy: Any = None
"""Blender's API, imported when the first scene is read (``_blender``), never when this module is imported."""

_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")
_RANGE_ENTRY = re.compile(r"^(\d+)(?:-(\d+)(?:x(\d+))?)?$")
_DEFAULT_FLUID_CACHE = re.compile(r"^cache_fluid(_[0-9a-fA-F]+)?$")
"""The folder Blender gives a fluid domain (and a 2.7x smoke domain when opened) in its temporary folder."""
_BUNDLED = re.compile(r"[\\/]\d+\.\d+[\\/]datafiles[\\/]")
"""Blender's own resources (``<install>/5.0/datafiles/assets/brushes/essentials_brushes-mesh_sculpt.blend``),
wherever the install that saved the scene was."""
PROVIDED_BY = "Blender"
"""What provides a file of Blender's own install on the render node (the core's ``Dependency.provided_by``)."""


def _blender() -> None:
    """Import ``bpy`` on first use: only Blender's Python has it."""
    global bpy
    if bpy is None:
        bpy = importlib.import_module("bpy")


def collect(scene=None, progress=None, cancelled=None, frames=None):
    """``{"references": [...], "outputs": [...], "scene": {...}}`` for ``scene`` (default: the active one) and the
    job's ``frames`` (any iterable of frame numbers; None: the scene's own)."""
    _blender()
    scene = scene or bpy.context.scene
    collector = _Collector(scene, progress or (lambda done, total: None), cancelled or (lambda: False), frames)
    return collector.run()


def frames_of(text):
    """The frames of an accsyn range as the core writes it (``1001-1100``, ``1-10x2,15``), in order."""
    frames = {}
    for entry in text.split(","):
        match = _RANGE_ENTRY.match(entry.strip())
        if match is None:
            raise ValueError(f"not an accsyn range: {text!r}")
        first, last, step = match.groups()
        frames.update(dict.fromkeys(range(int(first), int(last or first) + 1, int(step or 1))))
    return list(frames)


class Cancelled(Exception):
    """The artist cancelled the scan."""


class _Collector:
    def __init__(self, scene, progress, cancelled, frames=None):
        _blender()
        self.scene = scene
        self.progress = progress
        self.cancelled = cancelled
        self.references = []
        scene_frames = range(scene.frame_start, scene.frame_end + 1, max(scene.frame_step, 1))
        self.frames = list(scene_frames if frames is None else frames)
        self.install = [os.path.normpath(path) + os.sep for path in
                        (bpy.utils.resource_path("LOCAL"), bpy.utils.resource_path("SYSTEM")) if path]  # fmt: skip

    def run(self):
        steps = (
            self.libraries, self.images, self.movie_clips, self.sounds, self.fonts, self.cache_files,
            self.volumes, self.sequencer, self.objects, self.scripts, self.point_caches_of_scene, self.ocio,
        )  # fmt: skip
        for index, step in enumerate(steps, start=1):
            if self.cancelled():
                raise Cancelled()
            step()
            self.progress(index, len(steps))
        return {"references": self.references, "outputs": self.outputs(), "scene": self.facts()}

    # -- helpers -------------------------------------------------------------------------------------

    def add(self, node, attribute, raw, path, kind, frames=None, frame_dependent=True, required=True, condition="",
            folder=False):  # fmt: skip
        self.references.append(
            {
                "node": node,
                "attribute": attribute,
                "raw": raw,
                "path": path,
                "kind": kind,
                "frames": frames,
                "frame_dependent": frame_dependent,
                "required": required,
                "condition": condition,
                "folder": folder,
                "provided_by": PROVIDED_BY if self.bundled(path) else "",
            }
        )

    def bundled(self, path):
        """True for a file of Blender's own install (this one's, or the bundled layout of the one that saved it)."""
        return bool(path) and (path.startswith(tuple(self.install)) or bool(_BUNDLED.search(path)))

    @staticmethod
    def absolute(path, block=None, library=None):
        """``path`` made absolute against the file that holds ``block`` (or against ``library``)."""
        library = library or (getattr(block, "library", None) if block is not None else None)
        return os.path.normpath(bpy.path.abspath(path, library=library)) if path else path

    @staticmethod
    def as_sequence(path):
        """``plate.0001.exr`` -> ``plate.####.exr`` (the last number in the file name), or the path unchanged."""
        folder, name = os.path.split(path)
        match = _LAST_NUMBER.search(name)
        if match is None:
            return path
        width = len(match.group(1))
        return os.path.join(folder, name[: match.start()] + "#" * width + name[match.end() :])

    def clip_frames(self, start, duration, offset=0, cyclic=False):
        """The sequence frames the job's frames read: scene frame -> file frame, held at the ends."""
        needed = set()
        for frame in self.frames:
            local = frame - start + 1 + offset
            if duration > 0:
                local = ((local - 1) % duration) + 1 if cyclic else min(max(local, 1), duration)
            needed.add(local)
        return sorted(needed)

    def first_number(self, path):
        match = _LAST_NUMBER.search(os.path.basename(path))
        return int(match.group(1)) if match else 1

    @staticmethod
    def label(block, kind):
        owner = f" [{block.library.filepath}]" if getattr(block, "library", None) else ""
        return f"{kind} '{block.name}'{owner}"

    # -- data blocks ---------------------------------------------------------------------------------

    def libraries(self):
        for library in bpy.data.libraries:
            path = (
                self.absolute(library.filepath, library.parent) if library.parent else self.absolute(library.filepath)
            )
            self.add(
                self.label(library, "Library"), "filepath", library.filepath, path, "library", frame_dependent=False
            )

    def images(self):
        users = self._image_users()
        for image in bpy.data.images:
            if not image.filepath or image.packed_file or image.source in ("GENERATED", "VIEWER"):
                continue
            path = self.absolute(image.filepath, image)
            node = self.label(image, "Image")
            if image.source == "TILED":
                self.add(node, "filepath", image.filepath, path, "texture", frame_dependent=False)
            elif image.source == "SEQUENCE":
                first = self.first_number(path)
                frames = set()
                for user in users.get(image.name_full, []) or [None]:
                    start = user.frame_start if user else self.scene.frame_start
                    duration = user.frame_duration if user else 0
                    offset = user.frame_offset if user else 0
                    cyclic = user.use_cyclic if user else False
                    frames |= {first - 1 + n for n in self.clip_frames(start, duration, offset, cyclic)}
                self.add(node, "filepath", image.filepath, self.as_sequence(path), "texture", sorted(frames))
            else:
                self.add(node, "filepath", image.filepath, path, "texture", frame_dependent=False)

    def _image_users(self):
        """Image users (frame settings) of image texture nodes, by image."""
        users = {}  # type: dict
        trees = [material.node_tree for material in bpy.data.materials if material.node_tree]
        trees += [world.node_tree for world in bpy.data.worlds if world.node_tree]
        trees += list(bpy.data.node_groups)
        for tree in trees:
            for node in tree.nodes:
                image = getattr(node, "image", None)
                user = getattr(node, "image_user", None)
                if image is not None and user is not None:
                    users.setdefault(image.name_full, []).append(user)
        return users

    def movie_clips(self):
        for clip in bpy.data.movieclips:
            path = self.absolute(clip.filepath, clip)
            node = self.label(clip, "Movie clip")
            if clip.source == "SEQUENCE":
                first = self.first_number(path)
                frames = [
                    first - 1 + n for n in self.clip_frames(clip.frame_start, clip.frame_duration, clip.frame_offset)
                ]
                self.add(node, "filepath", clip.filepath, self.as_sequence(path), "clip", frames)
            else:
                self.add(node, "filepath", clip.filepath, path, "clip", frame_dependent=False)

    def sounds(self):
        for sound in bpy.data.sounds:
            if sound.filepath and not sound.packed_file:
                path = self.absolute(sound.filepath, sound)
                self.add(self.label(sound, "Sound"), "filepath", sound.filepath, path, "sound", frame_dependent=False)

    def fonts(self):
        for font in bpy.data.fonts:
            if font.filepath and font.filepath != "<builtin>" and not font.packed_file:
                path = self.absolute(font.filepath, font)
                self.add(self.label(font, "Font"), "filepath", font.filepath, path, "font", frame_dependent=False)

    def cache_files(self):
        for cache in bpy.data.cache_files:
            path = self.absolute(cache.filepath, cache)
            node = self.label(cache, "Cache file")
            if cache.is_sequence:
                first = self.first_number(path)
                frames = sorted(
                    {frame - self.scene.frame_start + first + int(cache.frame_offset) for frame in self.frames}
                )
                self.add(node, "filepath", cache.filepath, self.as_sequence(path), "cache", frames)
            else:
                self.add(node, "filepath", cache.filepath, path, "cache", frame_dependent=False)
            for layer in getattr(cache, "layers", []):
                if layer.filepath:
                    layer_path = self.absolute(layer.filepath, cache)
                    self.add(node, "layers", layer.filepath, layer_path, "cache", frame_dependent=False)

    def volumes(self):
        for volume in bpy.data.volumes:
            if not volume.filepath or volume.packed_file:
                continue
            path = self.absolute(volume.filepath, volume)
            node = self.label(volume, "Volume")
            if volume.is_sequence:
                first = self.first_number(path)
                local = self.clip_frames(volume.frame_start, volume.frame_duration, volume.frame_offset)
                frames = [first - 1 + n for n in local]
                self.add(node, "filepath", volume.filepath, self.as_sequence(path), "volume", frames)
            else:
                self.add(node, "filepath", volume.filepath, path, "volume", frame_dependent=False)

    def sequencer(self):
        for scene in bpy.data.scenes:
            editor = scene.sequence_editor
            if editor is None:
                continue
            for strip in editor.strips_all:
                node = f"Strip '{strip.name}' ({scene.name})"
                if strip.mute:
                    continue
                if strip.type == "IMAGE":
                    folder = self.absolute(strip.directory)
                    used = self._strip_elements(strip, scene)
                    for element in used:
                        path = os.path.join(folder, element.filename)
                        self.add(node, "elements", element.filename, path, "strip image", frame_dependent=False)
                elif strip.type == "MOVIE":
                    path = self.absolute(strip.filepath)
                    self.add(node, "filepath", strip.filepath, path, "strip movie", frame_dependent=False)
                elif strip.type == "SOUND" and strip.sound is not None and not strip.sound.packed_file:
                    path = self.absolute(strip.sound.filepath, strip.sound)
                    self.add(node, "sound", strip.sound.filepath, path, "strip sound", frame_dependent=False)

    def _strip_elements(self, strip, scene):
        """The image strip's elements its visible frames show within the job's frames (all of them for other scenes)."""
        elements = list(strip.elements)
        if scene != self.scene:
            return elements
        shown = []
        for frame in self.frames:
            if strip.frame_final_start <= frame < strip.frame_final_end:
                index = frame - int(strip.frame_start)
                if 0 <= index < len(elements):
                    shown.append(elements[index])
        return list({element.filename: element for element in shown}.values())

    def objects(self):
        for ob in bpy.data.objects:
            for modifier in ob.modifiers:
                node = "{} > Modifier '{}'".format(self.label(ob, "Object"), modifier.name)
                if modifier.type == "MESH_CACHE" and modifier.filepath:
                    path = self.absolute(modifier.filepath, ob)
                    self.add(node, "filepath", modifier.filepath, path, "mesh cache", frame_dependent=False)
                elif modifier.type == "MULTIRES" and modifier.is_external and modifier.filepath:
                    path = self.absolute(modifier.filepath, ob)
                    self.add(node, "filepath", modifier.filepath, path, "multires", frame_dependent=False)
                elif modifier.type == "NODES":
                    self._bakes(ob, modifier, node)
                elif modifier.type == "FLUID" and modifier.fluid_type == "DOMAIN" and modifier.domain_settings:
                    self._fluid_cache(ob, modifier.domain_settings.cache_directory, node)
                cache = getattr(modifier, "point_cache", None)
                if cache is not None:
                    self._point_cache(ob, cache, node)
            for system in ob.particle_systems:
                node = "{} > Particles '{}'".format(self.label(ob, "Object"), system.name)
                self._point_cache(ob, system.point_cache, node)

    def _fluid_cache(self, ob, raw, node):
        """The domain's cache folder; Blender's default one in a temporary folder, absent here, is no file the
        render reads unless it bakes the simulation itself (a note, never blocking)."""
        folder = self.absolute(raw, ob)
        parent, name = os.path.split(folder.rstrip("/\\"))
        temporary = {os.path.normpath(path) for path in (
            tempfile.gettempdir(), os.path.dirname(os.path.normpath(bpy.app.tempdir)), "/tmp",
            bpy.context.preferences.filepaths.temporary_directory) if path}  # fmt: skip
        condition = ""
        if _DEFAULT_FLUID_CACHE.match(name) and os.path.normpath(parent) in temporary and not os.path.isdir(folder):
            condition = "the render bakes the simulation itself: it is Blender's default temporary cache folder"
        self.add(node, "cache_directory", raw, folder, "fluid cache", frame_dependent=False, required=not condition,
                 condition=condition, folder=True)  # fmt: skip

    def _bakes(self, ob, modifier, node):
        """The folders of the modifier's bakes (its node tree's Bake nodes and Simulation zones) kept on disk;
        a modifier with none reads no folder, whatever its ``bake_directory`` says."""
        folders = set()
        for bake in modifier.bakes:
            target = getattr(bake, "bake_target", "INHERIT")
            if (getattr(modifier, "bake_target", "DISK") if target == "INHERIT" else target) == "PACKED":
                continue
            folder = bake.directory if bake.use_custom_path else modifier.bake_directory
            if folder:
                folders.add(folder)
        for folder in sorted(folders):
            self.add(node, "bake_directory", folder, self.absolute(folder, ob), "geometry bake", frame_dependent=False,
                     folder=True)  # fmt: skip

    def _point_cache(self, ob, cache, node):
        """Disk caches: ``<name>_<frame:06d>_<index:02d>.bphys`` in ``//blendcache_<file>/`` or the external folder."""
        if cache is None or not (cache.use_disk_cache or cache.use_external):
            return
        if cache.use_external:
            folder = self.absolute(cache.filepath, ob)
        else:
            blend = bpy.path.abspath("//")
            stem = os.path.splitext(os.path.basename(bpy.data.filepath))[0]
            folder = os.path.join(blend, "blendcache_" + stem)
        prefix = cache.name or ob.name.encode("utf-8").hex().upper()
        pattern = os.path.join(folder, f"{prefix}_######_{cache.index if cache.index >= 0 else 0:02d}.bphys")
        frames = [frame for frame in self.frames if cache.frame_start <= frame <= cache.frame_end]
        if frames:
            condition = "" if cache.is_baked else "the cache is not marked baked"
            raw = cache.filepath or folder
            baked = cache.is_baked
            self.add(node, "point_cache", raw, pattern, "point cache", frames, required=baked, condition=condition)

    def point_caches_of_scene(self):
        world = self.scene.rigidbody_world
        if world is not None and world.point_cache is not None:
            self._point_cache_for_scene(world.point_cache)

    def _point_cache_for_scene(self, cache):
        if not (cache.use_disk_cache or cache.use_external):
            return
        node = f"Scene '{self.scene.name}' > Rigid body world"
        folder = (
            self.absolute(cache.filepath)
            if cache.use_external
            else os.path.join(
                bpy.path.abspath("//"), "blendcache_" + os.path.splitext(os.path.basename(bpy.data.filepath))[0]
            )
        )
        prefix = cache.name or "RigidBodyWorld"
        pattern = os.path.join(folder, f"{prefix}_######_{max(cache.index, 0):02d}.bphys")
        frames = [frame for frame in self.frames if cache.frame_start <= frame <= cache.frame_end]
        if frames:
            self.add(node, "point_cache", cache.filepath or folder, pattern, "point cache", frames)

    def scripts(self):
        for material in bpy.data.materials:
            if not material.node_tree:
                continue
            for node in material.node_tree.nodes:
                if node.bl_idname == "ShaderNodeScript" and node.mode == "EXTERNAL" and node.filepath:
                    label = "{} > Node '{}'".format(self.label(material, "Material"), node.name)
                    path = self.absolute(node.filepath, material)
                    self.add(label, "filepath", node.filepath, path, "osl script", frame_dependent=False)

    def ocio(self):
        config = os.environ.get("OCIO")
        if config:
            self.add("Environment", "OCIO", config, os.path.abspath(config), "ocio", frame_dependent=False)

    # -- outputs and facts ---------------------------------------------------------------------------

    def outputs(self):
        render = self.scene.render
        views = [view.name for view in render.views if view.use] if render.use_multiview else []
        file_type = render.image_settings.file_format.lower()
        found = []
        for layer in self.scene.view_layers:
            if not layer.use:
                continue
            found.append(
                {
                    "node": f"View layer '{layer.name}'",
                    "raw": render.filepath,
                    "path": self.output_path(render.filepath),
                    "views": views,
                    "file_type": file_type,
                    "is_movie": bool(render.is_movie_format),
                }
            )
        tree = getattr(self.scene, "compositing_node_group", None) or getattr(self.scene, "node_tree", None)
        for node in tree.nodes if tree is not None else []:
            if node.bl_idname == "CompositorNodeOutputFile" and not node.mute:
                directory = getattr(node, "directory", "") or getattr(node, "base_path", "")
                found.append(
                    {
                        "node": f"File Output '{node.name}'",
                        "raw": directory,
                        "path": os.path.join(self.absolute(directory), (node.file_name or "") + "####"),
                            "views": views,
                        "file_type": node.format.file_format.lower(),
                        "is_movie": False,
                    }
                )
        return found

    def output_path(self, raw):
        """An output path made absolute and normal (``//../renders/beauty_####``); a trailing separator, which
        makes Blender name the files by frame number alone, is kept."""
        path = self.absolute(raw)
        return path + os.sep if raw.endswith(("/", "\\")) and not path.endswith(os.sep) else path

    def facts(self):
        markers = sorted({marker.camera.name for marker in self.scene.timeline_markers if marker.camera})
        return {
            "name": self.scene.name,
            "frame_start": self.scene.frame_start,
            "frame_end": self.scene.frame_end,
            "frame_step": self.scene.frame_step,
            "fps": self.scene.render.fps / (self.scene.render.fps_base or 1.0),
            "camera": self.scene.camera.name if self.scene.camera else "",
            "marker_cameras": markers,
            "blend": bpy.data.filepath,
            "version": bpy.app.version_string,
            "modified": bool(bpy.data.is_dirty),
        }


def main(argv: Sequence[str]) -> None:
    """In Blender: open the scene given after ``--`` (its scripts never run) and print what ``collect`` finds for
    the job's range given after it (default: the scene's) on one ``ACCSYN_SCAN_JSON`` line. Given ``--batch``
    instead, read one JSON list of those arguments a line from standard input and answer each scene in turn:
    its ``ACCSYN_SCAN_JSON`` line, or an ``ACCSYN_SCAN_ERROR`` line saying why it could not be read."""
    _blender()
    arguments = list(argv)[list(argv).index("--") + 1 :]
    if arguments != ["--batch"]:
        print("ACCSYN_SCAN_JSON " + json.dumps(_report(*arguments)))
        return
    for line in iter(sys.stdin.readline, ""):
        try:
            answer = "ACCSYN_SCAN_JSON " + json.dumps(_report(*json.loads(line)))
        except Exception as error:  # this scene's answer; the next one is read all the same
            answer = "ACCSYN_SCAN_ERROR " + " ".join(f"{type(error).__name__}: {error}".split())
        print("\n" + answer, flush=True)  # on a line of its own after what Blender's C code left unfinished


def _report(path: str, *job_range: str) -> Any:
    """``collect`` of the scene at ``path``, opened with its scripts off: opening replaces every data-block of
    the scene read before, so nothing of it reaches this one's report."""
    if os.path.abspath(bpy.data.filepath or "") != os.path.abspath(path):
        bpy.ops.wm.open_mainfile(filepath=path, load_ui=False, use_scripts=False)
    return collect(bpy.context.scene, frames=frames_of(job_range[0]) if job_range else None)


if __name__ == "__main__":
    main(sys.argv)
