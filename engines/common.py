"""accsyn engine base: a clean-room ``Common`` that follows accsyn's engine protocol.

Engines do ``from common import Common`` and define ``class Engine(Common)``. The accsyn daemon (or
the accsyn-dcc local farm) runs ``python <engine>.py <data.json>`` with ``ACCSYN_ITEM`` set to
``all``, one item (``1001``) or a bucket (``1001-1005``); ``--probe`` checks the render application
is installed. Standard library only, Python 3.9+.

Lines the daemon reads: ``!(<date>) text`` (public log), ``(<date>) [INFO] [ACCSYN] text`` (service
log), ``(<date>)[WARNING] [ACCSYN] text`` on stderr, and ``{"taskstatus":true,"uri":...,"status":"done"}``.
"""

import contextlib
import datetime
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback

__revision__ = 1


class Common(object):
    # -- ENGINE CONFIG START --
    # SETTINGS: items, default_range, default_bucketsize, max_bucketsize, filename_extensions,
    #   binary_filename_extensions, type. PARAMETERS: the default job parameters. ENVS: extra variables.
    # -- ENGINE CONFIG END --
    SETTINGS = {}  # type: dict
    PARAMETERS = {}  # type: dict
    ENVS = {}  # type: dict

    OUTPUT_METADATA = ".accsyn-compute-metadata.json"
    LOCK_WAIT_SECONDS = 2.0

    def __init__(self, argv):
        self.argv = list(argv)
        self.dev = "--dev" in self.argv[1:] or os.environ.get("ACCSYN_DEV", "").lower() in ("1", "true")
        arguments = [arg for arg in self.argv[1:] if arg != "--dev"]
        self.data_path = arguments[0] if arguments and not arguments[0].startswith("--") else None
        self.data = {}
        self.current_task = None
        self.process = None
        folder = os.path.dirname(os.path.abspath(self.data_path)) if self.data_path else os.getcwd()
        with open(os.path.join(folder, "process.pid"), "w") as stream:
            stream.write(str(os.getpid()))
        if not self.is_debug():
            Common.info("Accsyn PID({})".format(os.getpid()))

    # -- logging ---------------------------------------------------------------------------------

    @staticmethod
    def _now():
        return datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def info(text):
        sys.stdout.write("({}) [INFO] [ACCSYN] {}\n".format(Common._now(), text))
        sys.stdout.flush()

    @staticmethod
    def warning(text, append_prefix=True):
        prefix = "({})[WARNING] [ACCSYN] ".format(Common._now()) if append_prefix else ""
        sys.stderr.write("{}{}\n".format(prefix, text))
        sys.stderr.flush()

    @staticmethod
    def public(text, stderr=False):
        stream = sys.stderr if stderr else sys.stdout
        stream.write("!({}) {}{}".format(Common._now(), text, "" if text.endswith("\n") else "\n"))
        stream.flush()

    def is_debug(self):
        if os.environ.get("ACCSYN_DEBUG", "").lower() in ("1", "true") or self.dev:
            return True
        return bool(self.data.get("compute", {}).get("parameters", {}).get("debug")) if self.data else False

    def debug(self, text):
        if self.is_debug():
            sys.stdout.write("<<ACCSYN APP DEBUG>> {}\n".format(text))
            sys.stdout.flush()

    @staticmethod
    def usage():
        Common.info("usage: python <engine>.py [--dev] <path to data.json> | --probe | --help")

    # -- tasks -----------------------------------------------------------------------------------

    @staticmethod
    def report_done(uri):
        sys.stdout.write(json.dumps({"taskstatus": True, "uri": str(uri), "status": "done"}, separators=(",", ":")))
        sys.stdout.write("\n")
        sys.stdout.flush()

    def task_started(self, uri):
        """Mark ``uri`` as the task in progress; the previous one, if any, is done."""
        uri = str(uri)
        if self.current_task is not None and self.current_task != uri:
            Common.report_done(self.current_task)
        self.current_task = uri

    def task_done(self, uri):
        """Report ``uri`` done, unless it is the task in progress (its end is the process's exit)."""
        if str(uri) != self.current_task:
            Common.report_done(uri)

    # -- job data --------------------------------------------------------------------------------

    def load(self):
        if not self.data_path:
            raise Exception("No data JSON path given!")
        with open(self.data_path, "r") as stream:
            self.data = json.load(stream)
        self.debug("Loaded {}".format(self.data_path))

    def get_compute(self):
        return self.data["compute"]

    def get_parameters(self):
        return self.get_compute().get("parameters") or {}

    @staticmethod
    def get_os():
        if sys.platform.startswith("win"):
            return "windows"
        if sys.platform == "darwin":
            return "mac"
        return "linux"

    def get_site_code(self):
        return (self.data.get("site") or {}).get("code")

    def get_item(self):
        item = os.environ.get("ACCSYN_ITEM", "all").strip()
        return item or "all"

    def get_bucket(self):
        """(first, last) of the item or bucket to run, or None for ``all``."""
        item = self.get_item()
        if item.lower() == "all":
            return None
        first, _, last = item.partition("-")
        return int(first), int(last or first)

    # -- overridable -----------------------------------------------------------------------------

    def get_executable(self):
        raise NotImplementedError("The engine must say which executable to run")

    def get_commandline(self, item):
        raise NotImplementedError("The engine must build the command line")

    def get_envs(self):
        return dict(self.ENVS)

    def get_allowed_exitcodes(self):
        return [0]

    def get_working_path(self):
        return os.path.expanduser("~")

    def log_policy(self, text, stderr=False):
        return "public"

    def process_output(self, text, stderr=False):
        return None

    def probe(self):
        executable = self.get_executable()
        if not executable or not os.path.exists(executable):
            raise Exception("The render application was not found: {}".format(executable))
        Common.info("Found {}".format(executable))
        return True

    # -- paths -----------------------------------------------------------------------------------

    @staticmethod
    def is_accsyn_path(path):
        if not path:
            return False
        head = path.replace("\\", "/").split("/", 1)[0].lower()
        return head.split("=", 1)[0] in ("share", "volume", "folder", "collection", "home") and "=" in head

    def _shares(self):
        return self.data.get("shares") or []

    def _local_share_path(self, code):
        for entry in ((self.data.get("client") or {}).get("config") or {}).get("sharepaths") or []:
            if code.lower() in (str(entry.get("share", "")).lower(), str(entry.get("share_hr", "")).lower()):
                return entry.get("path")
        return None

    def _share_prefix(self, code, os_name=None):
        os_name = os_name or self.get_os()
        if code == "(default)":
            share = next((item for item in self._shares() if item.get("default")), None)
        else:
            share = next(
                (
                    item
                    for item in self._shares()
                    if code.lower() in (str(item.get("code")).lower(), str(item.get("id")).lower())
                ),
                None,
            )
        if share is None:
            return self._local_share_path(code)
        local = self._local_share_path(share.get("code", "")) or self._local_share_path(share.get("id", ""))
        return local or (share.get("paths") or {}).get(os_name)

    @staticmethod
    def _join(prefix, rest):
        rest = rest.strip("/")
        if not rest:
            return prefix
        return prefix.rstrip("/\\") + "/" + rest

    def _native(self, path):
        return path.replace("/", "\\") if self.get_os() == "windows" else path

    def normalize_path(self, path):
        """A job path (accsyn ``share=code/rel`` or another OS's native path) as a path on this node."""
        if not path:
            return path
        text = path.replace("\\", "/")
        if self.is_accsyn_path(text):
            head, _, rest = text.partition("/")
            code = head.split("=", 1)[1]
            prefix = self._share_prefix(code)
            if prefix is None:
                raise Exception("Cannot resolve {} on this {} node: unknown share".format(path, self.get_os()))
            return self._native(self._join(prefix.replace("\\", "/"), rest))
        for share in self._shares():
            mine = (share.get("paths") or {}).get(self.get_os())
            for other in (share.get("paths") or {}).values():
                rest = self._below(text, other)
                if mine and rest is not None:
                    return self._native(self._join(mine.replace("\\", "/"), rest))
        for entry in self.get_parameters().get("mapped_share_paths") or []:
            if entry.get("os") and entry["os"] != self.get_os():
                continue
            rest = self._below(text, entry.get("remote", ""))
            if rest is not None:
                target = self.normalize_path(entry["local"]) if self.is_accsyn_path(entry["local"]) else entry["local"]
                return self._native(self._join(target.replace("\\", "/"), rest))
        return self._native(text)

    @staticmethod
    def _below(path, prefix):
        if not prefix:
            return None
        root = prefix.replace("\\", "/").rstrip("/")
        if path.lower() == root.lower():
            return ""
        if path.lower().startswith(root.lower() + "/"):
            return path[len(root) + 1 :]
        return None

    def conversion_pairs(self):
        """(submitter prefix, node prefix) pairs used to rewrite paths inside an ASCII input."""
        remote_os = self.get_parameters().get("remote_os") or self.get_os()
        pairs = []
        for share in self._shares():
            paths = share.get("paths") or {}
            if paths.get(remote_os) and paths.get(self.get_os()):
                pairs.append((paths[remote_os], self._share_prefix(share.get("code", "")) or paths[self.get_os()]))
        for entry in self.get_parameters().get("mapped_share_paths") or []:
            if not entry.get("os") or entry["os"] == self.get_os():
                pairs.append((entry["remote"], self.normalize_path(entry["local"])))
        return [(remote, local) for remote, local in pairs if remote and local]

    def convert_path(self, path):
        """Expand ``${VAR}`` from the job's and engine's variables (engines may override)."""
        variables = dict(os.environ)
        variables.update(self.get_envs())
        variables.update(self._job_envs())
        for name, value in variables.items():
            path = path.replace("${" + name + "}", str(value))
        return path

    def convert_line(self, line, pairs):
        changed = False
        for remote, local in pairs:
            for form in {remote, remote.replace("\\", "/"), remote.replace("/", "\\")}:
                index = line.lower().find(form.lower())
                while index >= 0:
                    rest = line[index + len(form) :].lstrip("/\\")
                    separator = "\\" if self.get_os() == "windows" else "/"
                    replaced = self.convert_path(local).rstrip("/\\")
                    line = line[:index] + replaced + (separator if rest and rest[0] not in "\"'} \n" else "") + rest
                    changed = True
                    index = line.lower().find(form.lower(), index + len(replaced))
        return line, changed

    # -- preparation -----------------------------------------------------------------------------

    def prepare(self):
        compute = self.get_compute()
        compute["raw_input"] = compute.get("input")
        if compute.get("input"):
            compute["input"] = self.normalize_path(compute["input"])
        compute["raw_output"] = compute.get("output")
        if compute.get("output"):
            compute["output"] = self.normalize_path(compute["output"])
            folder = compute["output"] if compute.get("output_is_folder", True) else os.path.dirname(compute["output"])
            if compute.get("create_output_folder", True) and folder and not os.path.isdir(folder):
                os.makedirs(folder)
            self.clear_output_directory()
        if compute.get("input") and os.path.exists(compute["input"]) and "input_conversion" in self.get_parameters():
            compute["input"] = self.localize_input(compute["input"])

    def _is_binary(self, path):
        extensions = str(self.SETTINGS.get("binary_filename_extensions") or "")
        if not extensions:
            return False
        extension = os.path.splitext(path)[1].lower()
        return extensions.strip() == "*" or not extension or extension in extensions.lower()

    def localize_input(self, path):
        """A copy of the ASCII input with paths converted for this node (or the input when none is needed)."""
        if self._is_binary(path):
            return path
        parameters = self.get_parameters()
        mode = parameters.get("input_conversion") or "platform"
        if mode == "never":
            return path
        if mode == "auto":
            mode = "always" if parameters.get("mapped_share_paths") else "platform"
        if mode == "platform":
            remote_os = parameters.get("remote_os") or self.get_os()
            if remote_os == self.get_os():
                return path
        stem, extension = os.path.splitext(path)
        target = "{}_accsynlocalized_hq_{}{}".format(stem, self.get_os(), extension)
        sidecar = path + ".localized_metadata"
        stat = os.stat(path)
        fresh = {"size": stat.st_size, "time": stat.st_mtime}
        if os.path.exists(target) and self._read_json(sidecar) == fresh:
            Common.info("Using the localized input {}".format(target))
            return target
        if not self.take_lock(path, "localize"):
            return target
        try:
            pairs = self.conversion_pairs()
            with open(path, "r", encoding="utf-8", errors="surrogateescape") as source:
                lines = source.readlines()
            with open(target, "w", encoding="utf-8", errors="surrogateescape") as destination:
                for line in lines:
                    with contextlib.suppress(Exception):
                        line, _changed = self.convert_line(line, pairs)
                    destination.write(line)
            with open(sidecar, "w") as stream:
                json.dump(fresh, stream)
            Common.info("Localized {} -> {}".format(path, target))
        finally:
            self.release_lock(path, "localize")
        return target

    @staticmethod
    def _read_json(path):
        try:
            with open(path, "r") as stream:
                return json.load(stream)
        except (OSError, ValueError):
            return None

    @staticmethod
    def _lock_path(path, name):
        return os.path.join(os.path.dirname(path), "{}.{}_lock".format(os.path.basename(path), name))

    def take_lock(self, path, name):
        """True when this node holds the lock; False after waiting for another node to finish."""
        lock = self._lock_path(path, name)
        me = socket.gethostname()
        while True:
            if os.path.exists(lock):
                with open(lock, "r") as stream:
                    holder = stream.read().strip()
                if holder == me:
                    os.remove(lock)
                    continue
                while os.path.exists(lock):
                    time.sleep(0.5)
                return False
            with open(lock, "w") as stream:
                stream.write(me)
            time.sleep(self.LOCK_WAIT_SECONDS * random.uniform(1.0, 2.0))
            with open(lock, "r") as stream:
                if stream.read().strip() == me:
                    return True

    def release_lock(self, path, name):
        lock = self._lock_path(path, name)
        if os.path.exists(lock):
            os.remove(lock)

    def job_identity(self):
        job = self.data.get("job") or {}
        if job:
            return {key: job.get(key) for key in ("id", "code", "user", "created")}
        compute = self.get_compute()
        return {key: compute.get(key) for key in ("id", "code", "user", "created")}

    def clear_output_directory(self):
        """Move another job's files out of the output folder (into ``<parent>/ZZZ-TEMP``); never delete them."""
        setting = self.get_parameters().get("clear_output_directory")
        if setting is None:
            return
        setting = str(setting).lower()
        site = (self.get_site_code() or "").lower()
        if setting == "true":
            wanted = True
        elif setting.startswith("!site:"):
            wanted = site != setting[6:]
        elif setting.startswith("site:"):
            wanted = site == setting[5:]
        else:
            Common.warning("Unknown clear_output_directory value: {}".format(setting))
            return
        output = self.get_compute()["output"]
        if not wanted or not os.path.isdir(output):
            return
        metadata = os.path.join(output, self.OUTPUT_METADATA)
        identity = self.job_identity()
        previous = self._read_json(metadata)
        if isinstance(previous, dict) and previous.get("id") == identity.get("id"):
            return
        if not self.take_lock(output, "output clear"):
            return
        try:
            aside = os.path.join(
                os.path.dirname(output.rstrip("/\\")), "ZZZ-TEMP", os.path.basename(output.rstrip("/\\"))
            )
            for name in os.listdir(output):
                if name == self.OUTPUT_METADATA:
                    continue
                if not os.path.isdir(aside):
                    os.makedirs(aside)
                target = os.path.join(aside, name)
                if os.path.isdir(target):
                    shutil.rmtree(target)
                elif os.path.exists(target):
                    os.remove(target)
                shutil.move(os.path.join(output, name), target)
                Common.info("Moved aside {} -> {}".format(name, target))
            with open(metadata, "w") as stream:
                json.dump(identity, stream)
        finally:
            self.release_lock(output, "output clear")

    # -- execution -------------------------------------------------------------------------------

    def _job_envs(self):
        envs = self.get_compute().get("envs") or {} if self.data else {}
        if isinstance(envs.get("common"), dict):
            merged = dict(envs["common"])
            merged.update(envs.get(self.get_os()) or {})
            return merged
        return envs

    def build_env(self, extra=None):
        env = dict(os.environ)
        env.update(self.get_envs())
        env.update(self._job_envs())
        env.update(extra or {})
        return {str(key): str(value) for key, value in env.items()}

    def execute(self):
        self.prepare()
        bucket = self.get_bucket()
        if bucket is not None and self.SETTINGS.get("max_bucketsize") == 1:
            for item in range(bucket[0], bucket[1] + 1):
                self.task_started(item)
                exitcode = self.run(str(item), {"ACCSYN_ITEM": str(item)})
                if exitcode != 0:
                    return self.finish(exitcode)
            return self.finish(0)
        return self.finish(self.run(self.get_item(), {}))

    def finish(self, exitcode):
        if exitcode in self.get_allowed_exitcodes():
            exitcode = 0
        exitcode = getattr(self, "exitcode_force", None) or exitcode
        if exitcode != 0:
            Common.warning("The render application exited with code {}".format(exitcode))
        sys.exit(exitcode)

    def run(self, item, extra_env):
        commandline = self.get_commandline(item)
        Common.info("Running: {}".format(" ".join(commandline)))
        self.process = subprocess.Popen(
            commandline,
            cwd=self.get_working_path(),
            env=self.build_env(extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            bufsize=1,
            universal_newlines=True,
            errors="replace",
        )
        Common.info("Additional accsyn PID({}) - main process".format(self.process.pid))
        self._install_signal_handlers()
        stop_code = None
        for line in self.process.stdout or []:
            policy = self.log_policy(line, False)
            if policy == "public":
                Common.public(line)
            elif policy == "service":
                Common.info(line.rstrip("\n"))
            result = self.process_output(line, False)
            if isinstance(result, int) and not isinstance(result, bool):
                stop_code = result
                self._kill()
                break
        exitcode = self.process.wait()
        return stop_code if stop_code is not None else exitcode

    def _kill(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.process.terminate()
            self.process.wait(10)
        except Exception:
            self.process.kill()

    def _install_signal_handlers(self):
        def stop(signum, frame):
            self._kill()
            sys.exit(128 + signum)

        for name in ("SIGTERM", "SIGINT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), stop)

    @classmethod
    def main(cls, argv=None):
        """The engine entry point: run, probe or print usage; exceptions exit 1 with a warning."""
        argv = sys.argv if argv is None else argv
        if "--help" in argv:
            cls.usage()
            return
        try:
            engine = cls(argv)
            if "--probe" in argv:
                engine.probe()
            else:
                engine.load()
                engine.execute()
        except SystemExit:
            raise
        except BaseException:
            Common.warning(traceback.format_exc())
            cls.usage()
            sys.exit(1)
