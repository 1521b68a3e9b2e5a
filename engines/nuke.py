"""accsyn engine: render a Nuke script.

Nuke is ``NUKE_EXECUTABLE``, else the newest install in the usual folder of each OS. The bucket
renders with ``-F first-last``; chosen Writes with ``-X``; views with ``--view``; proxy with ``-p``.
Each ``Writing <file> took`` line reports its frame done. Paths inside the script are converted
by accsyn's text conversion; for paths Nuke builds at render time (expressions, gizmo internals)
a start-up ``init.py`` put on ``NUKE_PATH`` installs ``nuke.addFilenameFilter`` with the same
prefix pairs.
"""

import glob
import json
import os
import re

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

    @staticmethod
    def _version_key(path):
        return [int(number) for number in re.findall(r"\d+", os.path.basename(os.path.dirname(path)) or path)]

    def get_envs(self):
        envs = dict(self.ENVS)
        pairs = self.conversion_pairs() if self.data else []
        if pairs and self.data_path:
            folder = os.path.join(os.path.dirname(os.path.abspath(self.data_path)), "accsyn_nuke_startup")
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
            raise Exception("Nuke was not found; set NUKE_EXECUTABLE")
        parameters = self.get_parameters()
        arguments = parameters.get("arguments", self.PARAMETERS["arguments"]) or []
        if isinstance(arguments, str):
            arguments = [part for part in arguments.split(" ") if part]
        command = [executable, *arguments]
        bucket = self.get_bucket()
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
        command.append(self.get_compute()["input"])
        return command

    def process_output(self, text, stderr=False):
        writing = self.WRITING.search(text)
        if writing:
            frame = self.FRAME.search(writing.group(1).strip())
            if frame:
                self.task_done(str(int(frame.group(1))))
        return None


if __name__ == "__main__":
    Engine.main()
