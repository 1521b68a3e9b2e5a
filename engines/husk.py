"""accsyn engine: render a USD scene with Houdini's ``husk`` (Karma, or any Hydra delegate), a bucket per task.

husk is ``HUSK_EXECUTABLE``, else ``$HFS/bin/husk``, else that of the newest Houdini in the usual install
folder of each OS. A bucket renders ``husk --frame <first> --frame-count <n> [--renderer R]
[--settings /Render/rendersettings] [--output <image> --make-output-path] <scene>``. The stage's render
products (``productName``) name the images: ``--output`` is given only for a job output that is a file, or a
folder the products do not write into (a single product then keeps its own name there; a stage with none
is named after the scene as submitted, never its localized copy). Paths inside a ``.usda``
are converted by accsyn's text conversion; for the binary ``.usd``/``.usdc``/``.usdz`` and the layers
they load, Houdini's resolver maps the submitter's prefixes through ``HOUDINI_PATHMAP``. A line naming an
image written reports its frame done (exit code 0 marks the whole bucket done, as accsyn does). Uses only
the members of accsyn's stock ``Common`` (rev 49), so it runs on a real farm.
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


class Engine(Common):
    __revision__ = 1

    # -- ENGINE CONFIG START --
    SETTINGS = {
        "items": True,
        "default_range": "1-100",
        "default_bucketsize": 5,
        "filename_extensions": ".usd,.usda,.usdc,.usdz",
        "binary_filename_extensions": ".usd,.usdc,.usdz",
        "color": "255,140,40",
        "vendor": "SideFX",
    }
    PARAMETERS = {"arguments": "", "renderer": "", "render_settings": "", "mapped_share_paths": [],
                  "input_conversion": "auto"}  # fmt: skip
    # -- ENGINE CONFIG END --
    APPLICATION = "Houdini's husk"
    POINT_AT = "set HUSK_EXECUTABLE to husk, or HFS to Houdini's folder"

    WRITTEN = re.compile(r"(?:[Ww]rote|[Ss]aved|[Ww]riting)\b.*?(\d+)\.[A-Za-z0-9]+['\"]?\s*$")

    def get_executable(self):
        if os.environ.get("HUSK_EXECUTABLE"):
            return os.environ["HUSK_EXECUTABLE"]
        if os.environ.get("HFS"):
            return os.path.join(os.environ["HFS"], "bin", "husk.exe" if self.get_os() == "windows" else "husk")
        patterns = {
            "linux": ["/opt/hfs[0-9]*/bin/husk"],
            "mac": ["/Applications/Houdini/Houdini*/Frameworks/Houdini.framework/Versions/Current/Resources/bin/husk"],
            "windows": ["C:\\Program Files\\Side Effects Software\\Houdini*\\bin\\husk.exe"],
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
        scene = self.get_input()
        command = [executable, *Common.build_arguments(parameters.get("arguments"))]
        bucket = bucket_of(self.item)
        if bucket is not None:
            command += ["--frame", str(bucket[0]), "--frame-count", str(bucket[1] - bucket[0] + 1)]
        if parameters.get("renderer"):
            command += ["--renderer", parameters["renderer"]]
        if parameters.get("render_settings"):
            command += ["--settings", parameters["render_settings"]]
        output = self.output_override(scene)
        if output:
            command += ["--output", output, "--make-output-path"]
        command.append(scene)
        return command

    def output_override(self, scene):
        """husk's ``--output``: None where the stage's render products already write into the job's output folder
        (a binary stage's products are not read here: the job's output is the folder the submitter found for them);
        a product written elsewhere goes into the job's output under its own name."""
        output = self.get_output()
        if not output or not self.output_is_folder():
            return output or None
        products = render_products(scene)
        if products is None or (products and all(same_folder(os.path.dirname(p), output) for p in products)):
            return None
        if not products:  # husk's own default would be used: name the images after the scene as submitted
            submitted = re.split(r"[\\/]", self.get_compute().get("raw_input") or scene)[-1]
            return os.path.join(output, os.path.splitext(submitted)[0] + ".$F4.exr")
        if len(products) > 1:
            Common.warning("{} render products write outside the job's output {}; husk writes them where the stage "
                           "says: {}".format(len(products), output, ", ".join(products)))  # fmt: skip
            return None
        return os.path.join(output, os.path.basename(products[0]))

    def process_output(self, stdout, stderr):
        written = self.WRITTEN.search(stdout or stderr or "")
        bucket = bucket_of(self.item)
        if written and (bucket is None or bucket[0] <= int(written.group(1)) <= bucket[1]):
            self.task_done(str(int(written.group(1))))
        return None


PRODUCT_NAME = re.compile(r"""\bproductName\s*=\s*(["'])(.*?)\1""")


def render_products(stage):
    """The ``productName`` of each render product a text stage's own layer authors (relative ones from its
    folder), as husk names the images; None for a binary stage, which only USD itself reads."""
    try:
        with open(stage, "rb") as stream:
            content = stream.read()
    except OSError:
        return None
    if not content.startswith(b"#usda"):
        return None
    folder = os.path.dirname(stage)
    names = [match.group(2) for match in PRODUCT_NAME.finditer(content.decode("utf-8", "replace"))]
    return [os.path.join(folder, name) for name in names if name]


def same_folder(first, second):
    return os.path.normcase(os.path.normpath(first)) == os.path.normcase(os.path.normpath(second))


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
