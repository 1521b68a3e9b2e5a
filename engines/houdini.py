"""accsyn engine: render Houdini ROPs of a ``.hip`` scene with ``hython``, frame by frame over the bucket.

hython is ``HOUDINI_HYTHON``, else ``$HFS/bin/hython``, else that of the newest Houdini in the usual
install folder of each OS. A render script written beside the task's data JSON loads the scene, checks
every ROP named in the ``rops`` parameter exists (else the task fails naming them; none named: every ROP
in ``/out``), renders them in order for each frame of the bucket, and prints one line per finished
frame, which reports it done. A ``.hip`` is a cpio archive whose sections carry their byte sizes, so
accsyn's text conversion must never touch it: paths are mapped by Houdini itself through
``HOUDINI_PATHMAP`` (the submitter's prefixes to this node's). Uses only the members of accsyn's stock
``Common`` (rev 49), so it runs on a real farm.
"""

import glob
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
import json, sys
import hou

options = json.loads(sys.argv[-1])
hou.hipFile.load(options["input"], suppress_save_prompt=True, ignore_load_warnings=True)
if options["rops"]:
    rops = [hou.node(path) for path in options["rops"]]
    missing = [path for path, rop in zip(options["rops"], rops) if rop is None]
    if missing:
        print("accsyn: no ROP %s in %s" % (", ".join(missing), options["input"]), flush=True)
        sys.exit(3)
else:
    rops = [node for node in hou.node("/out").children() if isinstance(node, hou.RopNode)]
frames = range(options["first"], options["last"] + 1) if options["first"] is not None else [None]
for frame in frames:
    for rop in rops:
        if frame is None:
            rop.render(verbose=False, output_progress=True)
        else:
            rop.render(frame_range=(frame, frame, 1), verbose=False, output_progress=True)
    if frame is not None:
        print("accsyn: frame %d rendered" % frame, flush=True)
"""


class Engine(Common):
    __revision__ = 1

    # -- ENGINE CONFIG START --
    SETTINGS = {
        "items": True,
        "default_range": "1-100",
        "default_bucketsize": 5,
        "filename_extensions": ".hip,.hiplc,.hipnc",
        "binary_filename_extensions": ".hip,.hiplc,.hipnc",
        "color": "255,102,0",
        "vendor": "SideFX",
    }
    PARAMETERS = {"rops": [], "mapped_share_paths": [], "input_conversion": "never"}
    # -- ENGINE CONFIG END --
    APPLICATION = "Houdini's hython"
    POINT_AT = "set HOUDINI_HYTHON to hython, or HFS to Houdini's folder"

    RENDERED = re.compile(r"^accsyn: frame (\d+) rendered")

    def get_executable(self):
        if os.environ.get("HOUDINI_HYTHON"):
            return os.environ["HOUDINI_HYTHON"]
        if os.environ.get("HFS"):
            return os.path.join(os.environ["HFS"], "bin", "hython.exe" if self.get_os() == "windows" else "hython")
        patterns = {
            "linux": ["/opt/hfs[0-9]*/bin/hython"],
            "mac": [
                "/Applications/Houdini/Houdini*/Frameworks/Houdini.framework/Versions/Current/Resources/bin/hython"
            ],
            "windows": ["C:\\Program Files\\Side Effects Software\\Houdini*\\bin\\hython.exe"],
        }[self.get_os()]
        found = [path for pattern in patterns for path in glob.glob(pattern) if os.path.isfile(path)]
        return sorted(found, key=_version_key)[-1] if found else None

    def probe(self):
        return probe_application(self)

    def get_envs(self):
        pairs = conversion_pairs(self) if self.data else []
        return {"HOUDINI_PATHMAP": json.dumps(dict(pairs))} if pairs else {}

    def get_commandline(self, item):
        executable = self.get_executable()
        if not executable:
            raise Exception("{} was not found; {}".format(self.APPLICATION, self.POINT_AT))
        parameters = self.get_compute().get("parameters") or {}
        bucket = bucket_of(self.item)
        options = {
            "input": self.get_input(),
            "rops": list(parameters.get("rops") or []),
            "first": bucket[0] if bucket else None,
            "last": bucket[1] if bucket else None,
        }
        script = os.path.join(os.path.dirname(os.path.abspath(self.path_pid)), "accsyn_houdini_render.py")
        with open(script, "w") as stream:
            stream.write(RENDER_SCRIPT)
        return [executable, script, json.dumps(options)]

    def process_output(self, stdout, stderr):
        rendered = self.RENDERED.search(stdout or "")
        if rendered:
            self.task_done(rendered.group(1))
        return None


def _version_key(path):
    return [int(number) for number in re.findall(r"\d+", path)]


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
