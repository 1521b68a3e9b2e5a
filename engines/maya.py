"""accsyn engine: render a Maya scene's render layers with Maya's command-line renderer.

Render is ``MAYA_RENDER_EXECUTABLE``, else ``Render`` of the newest Maya in the usual install folder of
each OS. A bucket renders ``Render -r <renderer> -s <first> -e <last> -b 1 [-rl <layers>] [-cam <camera>]
-proj <project> [-rd <output>] <scene>``. Paths inside a ``.ma`` are converted by accsyn's text
conversion; a ``.mb`` is binary, and Maya resolves some paths at render time (references of a ``.mb``,
textures, caches), so a ``userSetup.py`` put first on ``PYTHONPATH`` (Maya runs every one it finds) maps
the submitter's prefixes to this node's with ``dirmap``. A frame is reported done once each rendered
layer has written an image of it: a layer is known by its name in the image's path, and an image whose
path names no layer counts for all. Uses only the members of accsyn's stock ``Common`` (rev 49), so it
runs on a real farm.
"""

import glob
import json
import os
import re
import shutil
import sys
import tempfile
import traceback
from typing import Dict, Optional, Set

if "ACCSYN_COMPUTE_COMMON_PATH" in os.environ:
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])

from common import Common

DIRMAP_SETUP = r'''
import json, os
from maya import cmds

_ACCSYN_PAIRS = json.loads(os.environ.get("ACCSYN_MAYA_PATH_PAIRS", "[]"))
if _ACCSYN_PAIRS:
    cmds.dirmap(enable=True)
    for _remote, _local in _ACCSYN_PAIRS:
        cmds.dirmap(mapDirectory=(_remote, _local))
        print("accsyn: dirmap %s -> %s" % (_remote, _local))
'''


class Engine(Common):
    __revision__ = 1

    # -- ENGINE CONFIG START --
    SETTINGS = {
        "items": True,
        "default_range": "1-100",
        "default_bucketsize": 5,
        "filename_extensions": ".ma,.mb",
        "binary_filename_extensions": ".mb",
        "color": "6,160,155",
        "vendor": "Autodesk",
    }
    PARAMETERS = {
        "arguments": "",
        "renderer": "file",
        "layers": [],
        "cameras": [],
        "project": "",
        "mapped_share_paths": [],
        "input_conversion": "auto",
    }
    # -- ENGINE CONFIG END --
    APPLICATION = "Maya's Render"
    POINT_AT = "set MAYA_RENDER_EXECUTABLE to Maya's Render"

    WRITTEN = (
        re.compile(r"writing file [`'\"](.+?)['\"]"),  # Arnold's drivers
        re.compile(r"Saved file '(.+?)'"),  # Redshift
        re.compile(r"Image saved to (.+?)\s*$"),  # V-Ray
        re.compile(r"Finished Rendering (.+?)\.?\s*$"),  # Maya Software and Hardware 2.0
        re.compile(r"Wrote image file (.+?)\s*$"),  # RenderMan
    )
    FRAME = re.compile(r"(\d+)(?:\.[A-Za-z0-9]+)$")
    written: Optional[Dict[int, Optional[Set[str]]]] = None
    """Frame -> the layers that wrote an image of it; None once the frame was reported done."""

    def get_executable(self):
        if os.environ.get("MAYA_RENDER_EXECUTABLE"):
            return os.environ["MAYA_RENDER_EXECUTABLE"]
        patterns = {
            "linux": ["/usr/autodesk/maya20[0-9][0-9]/bin/Render"],
            "mac": ["/Applications/Autodesk/maya20[0-9][0-9]/Maya.app/Contents/bin/Render"],
            "windows": ["C:\\Program Files\\Autodesk\\Maya20[0-9][0-9]\\bin\\Render.exe"],
        }[self.get_os()]
        found = [path for pattern in patterns for path in glob.glob(pattern) if os.path.isfile(path)]
        return sorted(found)[-1] if found else None

    def probe(self):
        return probe_application(self)

    def get_envs(self):
        envs = {}
        pairs = conversion_pairs(self) if self.data else []
        if pairs:
            folder = os.path.join(os.path.dirname(os.path.abspath(self.path_pid)), "accsyn_maya_startup")
            if not os.path.isdir(folder):
                os.makedirs(folder)
            with open(os.path.join(folder, "userSetup.py"), "w") as stream:
                stream.write(DIRMAP_SETUP)
            envs["ACCSYN_MAYA_PATH_PAIRS"] = json.dumps(pairs)
            existing = os.environ.get("PYTHONPATH")
            envs["PYTHONPATH"] = folder + (os.pathsep + existing if existing else "")
        return envs

    def get_commandline(self, item):
        executable = self.get_executable()
        if not executable:
            raise Exception("{} was not found; {}".format(self.APPLICATION, self.POINT_AT))
        parameters = self.get_compute().get("parameters") or {}
        scene = self.get_input()
        command = [executable, "-r", parameters.get("renderer") or "file"]
        command += Common.build_arguments(parameters.get("arguments"))
        bucket = bucket_of(self.item)
        if bucket is not None:
            command += ["-s", str(bucket[0]), "-e", str(bucket[1]), "-b", "1"]
        layers = parameters.get("layers") or []
        if layers:
            command += ["-rl", ",".join(layers)]
        cameras = parameters.get("cameras") or []
        if len(cameras) == 1:
            command += ["-cam", cameras[0]]
        command += ["-proj", self.project_folder(parameters.get("project"), scene)]
        output = self.get_output()
        if output:
            command += ["-rd", output]
        command.append(scene)
        return command

    def project_folder(self, project, scene):
        """The submitter's project on this node, else the folder above the scene's ``scenes`` folder."""
        if project:
            return remapped(project, conversion_pairs(self))
        folder = os.path.dirname(os.path.abspath(scene))
        return os.path.dirname(folder) if os.path.basename(folder).lower() == "scenes" else folder

    def process_output(self, stdout, stderr):
        line = stdout or stderr or ""
        for pattern in self.WRITTEN:
            written = pattern.search(line)
            if written:
                self.image_written(written.group(1).strip())
                break
        return None

    def image_written(self, path):
        """Count an image for its frame's layers; the frame is done once every layer of the job wrote it."""
        frame = self.FRAME.search(path)
        bucket = bucket_of(self.item)
        if not frame or (bucket is not None and not bucket[0] <= int(frame.group(1)) <= bucket[1]):
            return
        number = int(frame.group(1))
        if self.written is None:
            self.written = {}
        seen = self.written.setdefault(number, set())
        if seen is None:
            return  # reported already (another AOV of the same frame)
        layers = set(layer_names((self.get_compute().get("parameters") or {}).get("layers") or [])) or {"all"}
        named = layers & set(re.split(r"[\\/._]", path))
        seen.update(named or layers)
        if seen >= layers:
            self.written[number] = None
            self.task_done(str(number))


def remapped(path, pairs):
    """``path`` with the first matching submitter prefix replaced by this node's (any slash, any case)."""
    text = path.replace("\\", "/")
    for remote, local in pairs:
        remote = remote.replace("\\", "/").rstrip("/")
        if text.lower() == remote.lower() or text.lower().startswith(remote.lower() + "/"):
            return local.replace("\\", "/").rstrip("/") + text[len(remote):]
    return path


def layer_names(layers):
    """The names images carry for ``Render -rl`` layer names (``rs_beauty`` -> ``beauty``)."""
    names = []
    for layer in layers:
        if layer == "defaultRenderLayer":
            names.append("masterLayer")
        else:
            names.append(layer[3:] if layer.startswith("rs_") else layer)
    return names


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
