"""A stock-style accsyn ``Common`` written from the protocol notes (section 4), with only the rev-49 members.

It stands in for the ``common`` already published on a real farm: our engines must run on it, and
``normalize_path`` ignores ``mapped_share_paths[].os`` exactly as the stock one does. Deliberately
plain (one lock vote, move-aside into one shared folder): it is the reference, not our base.
"""

import datetime
import json
import os
import random
import re
import socket
import subprocess
import sys
import time


class Common:
    __revision__ = 49
    OS_LINUX, OS_MAC, OS_WINDOWS, OS_RSB = "linux", "mac", "windows", "rsb"
    OUTPUT_METADATA_FILENAME = ".accsyn-compute-metadata.json"
    LOG_POLICY_PUBLIC, LOG_POLICY_SERVICE, LOG_POLICY_MUTE = "public", "service", "mute"
    SETTINGS = {}
    PARAMETERS = {}
    _debug = False

    def __init__(self, argv):
        self.data = {}
        self.item = os.environ.get("ACCSYN_ITEM")
        self.exitcode_force = None
        self.executing = False
        self.execution_start = None
        self.process = None
        self._current = None
        self._data_path = argv[2] if "--dev" in argv[1:2] else (argv[1] if len(argv) > 1 else None)
        folder = os.path.dirname(os.path.abspath(self._data_path)) if self._data_path else "."
        if self._data_path and self._data_path.startswith("--"):
            folder = "."
        self.path_pid = os.path.join(folder, "process.pid")
        with open(self.path_pid, "w") as stream:
            stream.write(str(os.getpid()))
        Common.info(f"Accsyn PID({os.getpid()})")

    @staticmethod
    def _d():
        return datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def get_path_version_name():
        return os.path.basename(os.path.dirname(os.path.abspath(sys.argv[0])))

    @staticmethod
    def get_os():
        return "windows" if sys.platform.startswith("win") else ("mac" if sys.platform == "darwin" else "linux")

    @staticmethod
    def is_lin():
        return Common.get_os() == "linux"

    @staticmethod
    def is_mac():
        return Common.get_os() == "mac"

    @staticmethod
    def is_win():
        return Common.get_os() == "windows"

    @staticmethod
    def safely_printable(s):
        return str(s).encode("utf-8", "replace").decode("utf-8")

    @staticmethod
    def log(s, end="\n", with_date=True, aggregated_flush=False):
        sys.stdout.write((f"!({Common._d()}) " if with_date else "") + str(s) + ("" if str(s).endswith("\n") else end))
        sys.stdout.flush()

    @staticmethod
    def log_stderr(s, end="\n", with_date=True, aggregated_flush=False):
        sys.stderr.write((f"!({Common._d()}) " if with_date else "") + str(s) + end)
        sys.stderr.flush()

    @staticmethod
    def info(s, end="\n", with_date=True, aggregated_flush=False):
        sys.stdout.write(f"({Common._d()}) [INFO] [ACCSYN] {s}{end}")
        sys.stdout.flush()

    @staticmethod
    def warning(s, append_prefix=True, end="\n", with_date=True, aggregated_flush=False):
        prefix = f"({Common._d()})[WARNING] [ACCSYN] " if append_prefix else ""
        sys.stderr.write(prefix + str(s) + end)
        sys.stderr.flush()

    @staticmethod
    def is_accsyn_path(path):
        return path is not None and re.match(r"^(share|volume|folder|collection|home)=", path.replace("\\", "/"), re.I)

    @staticmethod
    def set_debug(debug):
        Common._debug = debug

    @staticmethod
    def concat_paths(p1, p2):
        return p1.rstrip("/\\") + "/" + p2.lstrip("/\\")

    @staticmethod
    def build_arguments(arguments, escaped_quotes=True, join=False):
        if isinstance(arguments, str):
            parts = []
            for piece in re.split(r"(%22.*?%22)", arguments):
                parts += [piece[3:-3]] if piece.startswith("%22") and piece.endswith("%22") else piece.split(" ")
        else:
            parts = list(arguments or [])
        parts = [p.replace("%5C", "\\").replace("%22", '"').replace("%20", " ") for p in parts if p]
        return " ".join(parts) if join else parts

    @staticmethod
    def substitute(s, mapping):
        for key, value in mapping.items():
            s = s.replace("${" + key + "}", str(value))
        return s

    @staticmethod
    def scan_file_sequences(root_folder, younger_than=None):
        return sorted(os.path.join(a, n) for a, _b, names in os.walk(root_folder) for n in names)

    @staticmethod
    def parse_number(fragment):
        match = re.search(r"(\d+)\D*$", fragment)
        return int(match.group(1)) if match else None

    @staticmethod
    def recursive_kill_windows_pid(pid):
        subprocess.call(["taskkill", "/F", "/T", "/PID", str(pid)])

    @staticmethod
    def str_file_size(num, suffix="B", si=False):
        return f"{num}{suffix}"

    def get_compute(self):
        return self.data["compute"]

    def get_site_code(self):
        return self.data["site"]["code"]

    def get_remote_os(self):
        return self.get_compute().get("parameters", {}).get("remote_os") or self.get_os()

    def get_mapped_share_path(self, share_code_or_id):
        for entry in self.data.get("client", {}).get("config", {}).get("sharepaths", []):
            if share_code_or_id.lower() in (entry["share"].lower(), entry.get("share_hr", "").lower()):
                return entry["path"]
        return None

    def normalize_path(self, p):
        """Section 4.6, with ``mapped_share_paths`` applied whatever their ``os`` says."""
        node = self.get_os()
        p = p.replace("\\", "/")
        if self.is_accsyn_path(p):
            head, _, rel = p.partition("/")
            code = head.split("=", 1)[1]
            for share in self.data.get("shares", []):
                if (code == "(default)" and share.get("default")) or code.lower() in (
                    share["code"].lower(),
                    str(share.get("id")).lower(),
                ):
                    prefix = self.get_mapped_share_path(share["code"]) or share["paths"][node]
                    return self._fix(prefix.replace("\\", "/").rstrip("/") + ("/" + rel if rel else ""))
            raise Exception(f"Could not resolve accsyn path {p}")
        for share in self.data.get("shares", []):
            for os_name, prefix in share["paths"].items():
                prefix = prefix.replace("\\", "/").rstrip("/")
                if os_name != node and p.lower().startswith(prefix.lower() + "/"):
                    return self._fix(share["paths"][node].replace("\\", "/").rstrip("/") + p[len(prefix) :])
        for entry in self.get_compute().get("parameters", {}).get("mapped_share_paths", []):
            remote = entry["remote"].replace("\\", "/").rstrip("/")
            if p.lower() == remote.lower() or p.lower().startswith(remote.lower() + "/"):
                local = self.normalize_path(entry["local"]) if self.is_accsyn_path(entry["local"]) else entry["local"]
                return self._fix(local.replace("\\", "/").rstrip("/") + p[len(remote) :])
        return self._fix(p)

    def _fix(self, p):
        return p.replace("/", "\\") if self.is_win() else p

    def is_dev(self):
        return False

    def is_devmachine(self):
        return False

    def is_debug(self):
        return Common._debug

    def debug(self, s):
        if self.is_debug():
            print(f"<<ACCSYN APP DEBUG>> {s}")

    def get_envs(self):
        return {}

    def probe(self):
        if not os.path.exists(self.get_executable()):
            raise Exception("Executable not found")
        return True

    def check_mounts(self):
        return True

    def convert_input(self, f_src, f_dst, conversions):
        with open(f_src) as source, open(f_dst, "w") as destination:
            for line in source:
                for remote, local in conversions:
                    index = line.lower().find(remote.lower())
                    if index >= 0:
                        line = line[:index] + self.convert_path(local) + line[index + len(remote) :]
                destination.write(line)

    def convert_path(self, p, envs=None):
        return self.substitute(p, envs or {})

    def get_executable(self):
        raise Exception("Not implemented")

    def get_commandline(self, item):
        raise Exception("Not implemented")

    def get_stdin(self, item):
        return None

    def get_creation_flags(self, item):
        return 0

    def get_working_path(self):
        return os.path.expanduser("~")

    def shell(self):
        return False

    def log_policy(self, text, stderr):
        return Common.LOG_POLICY_PUBLIC

    def process_output(self, stdout, stderr):
        return None

    def get_background_worker(self):
        return None

    def load(self):
        with open(self._data_path) as stream:
            self.data = json.load(stream)

    def take_lock(self, base_path, operation):
        lock = os.path.join(os.path.dirname(base_path), f"{os.path.basename(base_path)}.{operation}_lock")
        me = socket.gethostname()
        while True:
            try:
                if not os.path.exists(lock):
                    with open(lock, "w") as stream:
                        stream.write(me)
                    time.sleep(random.uniform(0.2, 0.4))
                    with open(lock) as stream:
                        if stream.read() == me:
                            return True
                while os.path.exists(lock):
                    time.sleep(0.1)
                return False
            except FileNotFoundError:
                continue  # the lock vanished during the vote

    def get_input(self):
        return self.get_compute()["input"]

    def set_input(self, value):
        self.get_compute()["input"] = value

    def get_output(self):
        return self.get_compute().get("output")

    def create_output_folder(self):
        return self.get_compute().get("create_output_folder", True)

    def output_is_folder(self):
        return self.get_compute().get("output_is_folder", True)

    def prepare(self):
        compute = self.get_compute()
        compute["raw_input"] = compute["input"]
        compute["input"] = self.normalize_path(compute["input"])
        parameters = compute.get("parameters", {})
        binary = self.SETTINGS.get("binary_filename_extensions") or ""
        extension = os.path.splitext(compute["input"])[1].lower()
        is_binary = bool(binary) and (binary == "*" or not extension or extension in binary.lower())
        mode = parameters.get("input_conversion")
        if mode and mode != "never" and not is_binary and os.path.exists(compute["input"]):
            node = self.get_os()
            remote = self.get_remote_os()
            if (
                mode == "always"
                or (mode in ("platform", "auto") and remote != node)
                or (mode == "auto" and parameters.get("mapped_share_paths"))
            ):
                pairs = [
                    (s["paths"][remote], s["paths"][node])
                    for s in self.data.get("shares", [])
                    if s["paths"].get(remote) and s["paths"].get(node)
                ]
                entries = parameters.get("mapped_share_paths", [])
                pairs += [
                    (m["remote"], self.normalize_path(m["local"]))
                    for m in entries
                    if not m.get("os") or m["os"] == node
                ]
                stem, ext = os.path.splitext(compute["input"])
                target = f"{stem}_accsynlocalized_hq_{node}{ext}"
                self.convert_input(compute["input"], target, pairs)
                compute["input"] = target
        if compute.get("output"):
            compute["raw_output"] = compute["output"]
            compute["output"] = self.normalize_path(compute["output"])
            folder = compute["output"] if self.output_is_folder() else os.path.dirname(compute["output"])
            if self.create_output_folder() and not os.path.isdir(folder):
                os.makedirs(folder)

    def pre(self):
        pass

    def post(self, exitcode):
        pass

    def get_common_envs(self):
        envs = self.get_compute().get("envs", {})
        if "common" in envs:
            return dict(envs["common"], **envs.get(self.get_os(), {}))
        return dict(envs)

    def task_started(self, uri):
        if self._current is not None and self._current != uri:
            print(json.dumps({"taskstatus": True, "uri": self._current, "status": "done"}, separators=(",", ":")))
        self._current = uri

    def task_done(self, uri):
        if uri != self._current:
            print(json.dumps({"taskstatus": True, "uri": uri, "status": "done"}, separators=(",", ":")), flush=True)

    def execute(self):
        self.prepare()
        self.pre()
        item = self.item or "all"
        env = dict(os.environ, **self.get_envs())
        env.update(self.get_common_envs())
        items = [item]
        if item != "all" and self.SETTINGS.get("max_bucketsize") == 1 and "-" in item:
            first, last = item.split("-")
            items = [str(n) for n in range(int(first), int(last) + 1)]
        exitcode = 0
        for one in items:
            if len(items) > 1:
                self.task_started(one)
            env["ACCSYN_ITEM"] = one
            self.process = subprocess.Popen(
                self.get_commandline(one),
                env={k: str(v) for k, v in env.items()},
                cwd=self.get_working_path(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                universal_newlines=True,
            )
            for line in self.process.stdout:
                if self.log_policy(line, False) == Common.LOG_POLICY_PUBLIC:
                    Common.log(line)
                result = self.process_output(line, "")
                if isinstance(result, int):
                    self.kill()
                    exitcode = result
            exitcode = exitcode or self.process.wait()
            if exitcode != 0:
                break
        self.post(exitcode)
        if exitcode in self.get_allowed_exitcodes():
            exitcode = 0
        sys.exit(self.exitcode_force if self.exitcode_force is not None else exitcode)

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def get_allowed_exitcodes(self):
        return [0]
