"""accsyn engine: render a Nuke script.

Nuke is ``NUKE_EXECUTABLE``, else the newest install in the usual folder of each OS. The bucket
renders with ``-F first-last``; chosen Writes with ``-X``; views with ``--view``; proxy with ``-p``.
Each ``Writing <file> took`` line reports its frame done. Paths inside the script are converted
by accsyn's text conversion; for paths Nuke builds at render time (expressions, gizmo internals)
a start-up ``init.py`` put on ``NUKE_PATH`` installs ``nuke.addFilenameFilter`` with the same
prefix pairs. Uses only the members of accsyn's stock ``Common`` (rev 49), so it runs on a real farm.
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

FILTER_INIT = r'''
import json, os
import nuke

_ACCSYN_PAIRS = json.loads(os.environ.get("ACCSYN_NUKE_PATH_PAIRS", "[]"))


def _accsyn_filename_filter(path):
    text = path.replace("\\", "/")
    for remote, local in _ACCSYN_PAIRS:
        remote = remote.replace("\\", "/").rstrip("/")
        if text.lower() == remote.lower() or text.lower().startswith(remote.lower() + "/"):
            return local.replace("\\", "/").rstrip("/") + text[len(remote):]
    return path


nuke.addFilenameFilter(_accsyn_filename_filter)
'''


class Engine(Common):
    __revision__ = 1

    # -- ENGINE CONFIG START --
    SETTINGS = {
        "items": True,
        "default_range": "1001-1100",
        "default_bucketsize": 5,
        "filename_extensions": ".nk",
        "binary_filename_extensions": "",
        "color": "247,185,0",
        "vendor": "Foundry",
    }
    PARAMETERS = {"mapped_share_paths": [], "arguments": "-txV", "input_conversion": "auto"}
    # -- ENGINE CONFIG END --
    APPLICATION = "Nuke"
    POINT_AT = "set NUKE_EXECUTABLE to Nuke's executable"

    WRITING = re.compile(r"Writing (.+?) took")
    FRAME = re.compile(r"(\d+)(?:\.[A-Za-z0-9]+)$")

    def get_executable(self):
        if os.environ.get("NUKE_EXECUTABLE"):
            return os.environ["NUKE_EXECUTABLE"]
        patterns = {
            "linux": ["/usr/local/Nuke*/Nuke[0-9]*", "/opt/Nuke*/Nuke[0-9]*"],
            "mac": ["/Applications/Nuke*/Nuke*.app/Contents/MacOS/Nuke[0-9]*"],
            "windows": ["C:\\Program Files\\Nuke*\\Nuke[0-9]*.exe"],
        }[self.get_os()]
        found = [path for pattern in patterns for path in glob.glob(pattern) if os.path.isfile(path)]
        return sorted(found, key=self._version_key)[-1] if found else None

    def probe(self):
        return probe_application(self)

    @staticmethod
    def _version_key(path):
        return [int(number) for number in re.findall(r"\d+", os.path.basename(os.path.dirname(path)) or path)]

    def get_envs(self):
        envs = {}
        pairs = conversion_pairs(self) if self.data else []
        if pairs:
            folder = os.path.join(os.path.dirname(os.path.abspath(self.path_pid)), "accsyn_nuke_startup")
            if not os.path.isdir(folder):
                os.makedirs(folder)
            with open(os.path.join(folder, "init.py"), "w") as stream:
                stream.write(FILTER_INIT)
            envs["ACCSYN_NUKE_PATH_PAIRS"] = json.dumps(pairs)
            existing = os.environ.get("NUKE_PATH")
            envs["NUKE_PATH"] = folder + (os.pathsep + existing if existing else "")
        return envs

    def get_commandline(self, item):
        executable = self.get_executable()
        if not executable:
            raise Exception("{} was not found; {}".format(self.APPLICATION, self.POINT_AT))
        parameters = self.get_compute().get("parameters") or {}
        arguments = Common.build_arguments(parameters.get("arguments", self.PARAMETERS["arguments"]))
        command = [executable, *arguments]
        bucket = bucket_of(self.item)
        if bucket is not None:
            command += ["-F", "{}-{}".format(*bucket) if bucket[0] != bucket[1] else str(bucket[0])]
        writes = parameters.get("writes") or []
        if writes:
            command += ["-X", ",".join(writes)]
        views = parameters.get("views") or []
        if views:
            command += ["--view", ",".join(views)]
        if parameters.get("proxy"):
            command.append("-p")
        command.append(self.get_input())
        return command

    def convert_path(self, p, envs=None):
        """Nuke reads forward slashes on every OS: converted paths never keep a backslash."""
        return Common.convert_path(self, p, envs).replace("\\", "/")

    def process_output(self, stdout, stderr):
        writing = self.WRITING.search(stdout or stderr or "")
        if writing:
            frame = self.FRAME.search(writing.group(1).strip())
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
