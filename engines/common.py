"""accsyn engine base: a clean-room ``Common``, a compatible superset of accsyn's stock ``common.py`` (rev 49).

Engines do ``from common import Common`` and define ``class Engine(Common)``. The accsyn daemon (or
the accsyn-dcc local farm) runs ``python <engine>.py <data.json>`` with ``ACCSYN_ITEM`` set to
``all``, one item (``1001``) or a bucket (``1001-1005``); ``--probe`` checks the render application
is installed. Standard library only, Python 3.9+.

Every member of the stock base is here with its name, signature and behaviour (section 4.11 of the
protocol notes), so stock engines run on it. Members marked "accsyn-dcc extra" do not exist in the
stock base: an engine meant for a real farm must not call them (the engines in this folder do not).
Where this base is deliberately safer than the stock one it says so: output folders are cleared into
a new folder each time (never over an earlier job's frames), only once the renders of the job that owns
the folder have ended, and a job whose folder another job took over fails instead of rendering into it;
a lock file that vanishes during the vote, or a folder another node creates first, is not an error.

Lines the daemon reads: ``!(<date>) text`` (public log), ``(<date>) [INFO] [ACCSYN] text`` (service
log), ``(<date>)[WARNING] [ACCSYN] text`` on stderr, and ``{"taskstatus":true,"uri":...,"status":"done"}``.
"""

import contextlib
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback

__revision__ = 50


class Common(object):
    # -- ENGINE CONFIG START --
    # SETTINGS: items, default_range, default_bucketsize, max_bucketsize, filename_extensions,
    #   binary_filename_extensions, type. PARAMETERS: the default job parameters. ENVS: extra variables.
    # -- ENGINE CONFIG END --
    SETTINGS = {}  # type: dict
    PARAMETERS = {}  # type: dict
    ENVS = {}  # type: dict

    __revision__ = __revision__
    OS_LINUX = "linux"
    OS_MAC = "mac"
    OS_WINDOWS = "windows"
    OS_RSB = "rsb"
    OUTPUT_METADATA_FILENAME = ".accsyn-compute-metadata.json"
    LOG_POLICY_PUBLIC = "public"
    LOG_POLICY_SERVICE = "service"
    LOG_POLICY_MUTE = "mute"

    LOCK_WAIT_SECONDS = 2.0
    """accsyn-dcc extra: the vote of ``take_lock`` waits 1-2 times this long (the stock base: 2-4 s)."""
    OUTPUT_WAIT_SECONDS = 600.0
    """accsyn-dcc extra: how long a job waits to own its output folder (another job's renders into it to end)."""
    REPLACED_KEPT = 50
    """accsyn-dcc extra: how many earlier owners an output folder's metadata remembers."""
    _debug = False

    def __init__(self, argv):
        self.argv = list(argv)
        self.data = {}
        self.item = os.environ.get("ACCSYN_ITEM")
        self.exitcode_force = None
        self.executing = False
        self.execution_start = None
        self.process = None
        self._current_task = None
        self._killed = False
        self._rendering_mark = None
        arguments = self.argv[1:]
        dev = "--dev" in arguments
        if dev:
            Common.set_debug(True)
        candidates = [arg for arg in arguments if arg != "--dev"]
        self.data_path = candidates[0] if candidates and not candidates[0].startswith("--") else None
        """accsyn-dcc extra: the data JSON's path (engines for a real farm use ``path_pid``'s folder)."""
        folder = os.path.dirname(os.path.abspath(self.data_path)) if self.data_path else os.getcwd()
        self.path_pid = os.path.join(folder, "process.pid")
        with open(self.path_pid, "w") as stream:
            stream.write(str(os.getpid()))
        if not self.is_debug():
            Common.info("Accsyn PID({})".format(os.getpid()))

    # -- logging (static, as in the stock base) ----------------------------------------------------

    @staticmethod
    def _date():
        return datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def safely_printable(s):
        """``s`` as text that any console can print (undecodable characters replaced)."""
        if s is None:
            return ""
        if isinstance(s, bytes):
            s = s.decode("utf-8", "replace")
        return str(s).encode("utf-8", "replace").decode("utf-8")

    @staticmethod
    def _write(stream, text, end, aggregated_flush):
        stream.write(text + ("" if end is None else end))
        if not aggregated_flush:
            stream.flush()

    @staticmethod
    def log(s, end="\n", with_date=True, aggregated_flush=False):
        """A public log line (what users see): ``!(<date>) s`` on stdout."""
        text = Common.safely_printable(s)
        if end == "\n" and text.endswith("\n"):
            end = ""
        Common._write(sys.stdout, ("!({}) ".format(Common._date()) if with_date else "") + text, end, aggregated_flush)

    @staticmethod
    def log_stderr(s, end="\n", with_date=True, aggregated_flush=False):
        """A public log line from stderr: ``!(<date>) s`` on stderr."""
        text = Common.safely_printable(s)
        if end == "\n" and text.endswith("\n"):
            end = ""
        Common._write(sys.stderr, ("!({}) ".format(Common._date()) if with_date else "") + text, end, aggregated_flush)

    @staticmethod
    def info(s, end="\n", with_date=True, aggregated_flush=False):
        """A service log line: ``(<date>) [INFO] [ACCSYN] s`` on stdout."""
        prefix = "({}) [INFO] [ACCSYN] ".format(Common._date()) if with_date else "[INFO] [ACCSYN] "
        Common._write(sys.stdout, prefix + Common.safely_printable(s), end, aggregated_flush)

    @staticmethod
    def warning(s, append_prefix=True, end="\n", with_date=True, aggregated_flush=False):
        """A service warning: ``(<date>)[WARNING] [ACCSYN] s`` on stderr (no tag with ``append_prefix=False``)."""
        prefix = ""
        if append_prefix:
            prefix = "({})[WARNING] [ACCSYN] ".format(Common._date()) if with_date else "[WARNING] [ACCSYN] "
        Common._write(sys.stderr, prefix + Common.safely_printable(s), end, aggregated_flush)

    @staticmethod
    def set_debug(debug):
        Common._debug = bool(debug)

    def is_dev(self):
        return "--dev" in self.argv[1:] or os.environ.get("ACCSYN_DEV", "").lower() in ("1", "true")

    def is_devmachine(self):
        return False

    def is_debug(self):
        if Common._debug or os.environ.get("ACCSYN_DEBUG", "").lower() in ("1", "true"):
            return True
        return bool(((self.data or {}).get("compute") or {}).get("parameters", {}).get("debug"))

    def debug(self, s):
        if self.is_debug():
            Common._write(sys.stdout, "<<ACCSYN APP DEBUG>> " + Common.safely_printable(s), "\n", False)

    @staticmethod
    def usage():
        """accsyn-dcc extra: the usage line engines print with ``--help`` or after a failure."""
        Common.info("usage: python <engine>.py [--dev] <path to data.json> | --probe | --help")

    # -- small helpers (static, as in the stock base) ----------------------------------------------

    @staticmethod
    def get_path_version_name():
        """The engine's version: the name of the folder its script lies in (``<base>/<version>/<name>.py``)."""
        return os.path.basename(os.path.dirname(os.path.abspath(sys.argv[0])))

    @staticmethod
    def get_os():
        if sys.platform.startswith("win"):
            return Common.OS_WINDOWS
        if sys.platform == "darwin":
            return Common.OS_MAC
        return Common.OS_LINUX

    @staticmethod
    def is_lin():
        return Common.get_os() == Common.OS_LINUX

    @staticmethod
    def is_mac():
        return Common.get_os() == Common.OS_MAC

    @staticmethod
    def is_win():
        return Common.get_os() == Common.OS_WINDOWS

    @staticmethod
    def is_accsyn_path(path):
        if not path:
            return False
        head = str(path).replace("\\", "/").split("/", 1)[0].lower()
        return "=" in head and head.split("=", 1)[0] in ("share", "volume", "folder", "collection", "home")

    @staticmethod
    def concat_paths(p1, p2):
        """``p1`` and ``p2`` joined with exactly one separator (the one ``p1`` uses)."""
        if not p1:
            return p2
        if not p2:
            return p1
        separator = "\\" if "\\" in p1 and "/" not in p1 else "/"
        return p1.rstrip("/\\") + separator + p2.lstrip("/\\")

    @staticmethod
    def substitute(s, mapping):
        """``s`` with every ``${NAME}`` of ``mapping`` replaced by its value."""
        for name, value in (mapping or {}).items():
            s = s.replace("${" + str(name) + "}", str(value))
        return s

    @staticmethod
    def build_arguments(arguments, escaped_quotes=True, join=False):
        """Render-app arguments: a string split on spaces (``%22...%22`` keeps one argument), or a list as given.

        ``%5C``, ``%22`` and ``%20`` become ``\\``, ``"`` and a space; empty arguments are dropped.
        """
        if arguments is None:
            parts = []
        elif isinstance(arguments, (list, tuple)):
            parts = [str(argument) for argument in arguments]
        else:
            parts = []
            text = str(arguments)
            quoted = re.split(r"(%22.*?%22)", text) if escaped_quotes else [text]
            for piece in quoted:
                if escaped_quotes and piece.startswith("%22") and piece.endswith("%22") and len(piece) >= 6:
                    parts.append(piece[3:-3])
                else:
                    parts.extend(piece.split(" "))
        decoded = [part.replace("%5C", "\\").replace("%22", '"').replace("%20", " ") for part in parts]
        decoded = [part for part in decoded if part]
        return " ".join(decoded) if join else decoded

    @staticmethod
    def parse_number(fragment):
        """The whole number at the end of ``fragment`` (``plate.1001`` -> 1001), or None."""
        match = re.search(r"(-?\d+)\D*$", str(fragment or ""))
        return int(match.group(1)) if match else None

    @staticmethod
    def str_file_size(num, suffix="B", si=False):
        base = 1000.0 if si else 1024.0
        for unit in ("", "K", "M", "G", "T", "P"):
            if abs(num) < base:
                return "{:.1f}{}{}{}".format(num, unit, "" if si or not unit else "i", suffix)
            num /= base
        return "{:.1f}E{}".format(num, suffix)

    @staticmethod
    def scan_file_sequences(root_folder, younger_than=None):
        """Files under ``root_folder`` (modified after ``younger_than``, a timestamp, when given), sorted."""
        found = []
        for folder, _dirs, names in os.walk(root_folder):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    if younger_than is None or os.path.getmtime(path) > younger_than:
                        found.append(path)
                except OSError:
                    continue
        return sorted(found)

    @staticmethod
    def recursive_kill_windows_pid(pid):
        subprocess.call(["taskkill", "/F", "/T", "/PID", str(pid)])

    # -- the job --------------------------------------------------------------------------------------

    def load(self):
        if not self.data_path:
            raise Exception("No data JSON path given!")
        with open(self.data_path, "r") as stream:
            self.data = json.load(stream)
        self.debug("Loaded {}".format(self.data_path))

    def get_compute(self):
        return self.data["compute"]

    def get_parameters(self):
        """accsyn-dcc extra: ``compute.parameters``."""
        return self.get_compute().get("parameters") or {}

    def get_site_code(self):
        return (self.data.get("site") or {}).get("code")

    def get_remote_os(self):
        """The OS the job was submitted from (``parameters.remote_os``), else this node's."""
        return self.get_parameters().get("remote_os") or self.get_os()

    def get_input(self):
        return self.get_compute().get("input")

    def set_input(self, value):
        self.get_compute()["input"] = value

    def get_output(self):
        return self.get_compute().get("output")

    def create_output_folder(self):
        """True when the output folder should be created (``compute.create_output_folder``, default true)."""
        return self.get_compute().get("create_output_folder", True) is not False

    def output_is_folder(self):
        return self.get_compute().get("output_is_folder", True) is not False

    def output_folder(self):
        """accsyn-dcc extra: the folder the output goes into: the output itself, or a file output's folder."""
        output = self.get_output()
        if not output:
            return None
        return output if self.output_is_folder() else os.path.dirname(output)

    def get_bucket(self):
        """accsyn-dcc extra: (first, last) of the item or bucket to run, or None for ``all``."""
        item = (self.item or "all").strip()
        if not item or item.lower() == "all":
            return None
        first, _, last = item.partition("-")
        return int(first), int(last or first)

    # -- overridable ----------------------------------------------------------------------------------

    def get_executable(self):
        raise Exception("The engine must say which executable to run (get_executable)")

    def get_commandline(self, item):
        raise Exception("The engine must build the command line (get_commandline)")

    def get_stdin(self, item):
        return None

    def get_creation_flags(self, item):
        return 0

    def get_envs(self):
        return dict(self.ENVS)

    def get_allowed_exitcodes(self):
        return [0]

    def get_working_path(self):
        return os.path.expanduser("~")

    def shell(self):
        return False

    def log_policy(self, text, stderr):
        return Common.LOG_POLICY_PUBLIC

    def process_output(self, stdout, stderr):
        """Called with each line the render application prints (``stdout`` or ``stderr``; the other is empty).
        Return an int to stop the render with that exit code."""
        return None

    def get_background_worker(self):
        return None

    def check_mounts(self):
        return True

    def pre(self):
        return None

    def post(self, exitcode):
        return None

    def probe(self):
        executable = self.get_executable()
        if not executable or not os.path.exists(executable):
            raise Exception("The render application was not found: {}".format(executable))
        Common.info("Found {}".format(executable))
        return True

    # -- paths ----------------------------------------------------------------------------------------

    def _shares(self):
        return self.data.get("shares") or []

    def get_mapped_share_path(self, share_code_or_id):
        """Where this node mounts a share (``client.config.sharepaths``), or None."""
        wanted = str(share_code_or_id).lower()
        for entry in ((self.data.get("client") or {}).get("config") or {}).get("sharepaths") or []:
            if wanted in (str(entry.get("share", "")).lower(), str(entry.get("share_hr", "")).lower()):
                return entry.get("path")
        return None

    def _share_prefix(self, code):
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
            return self.get_mapped_share_path(code)
        mapped = self.get_mapped_share_path(share.get("code", "")) or self.get_mapped_share_path(share.get("id", ""))
        return mapped or (share.get("paths") or {}).get(self.get_os())

    def _native(self, path):
        return path.replace("/", "\\") if self.get_os() == Common.OS_WINDOWS else path

    def normalize_path(self, p):
        """A job path (accsyn ``share=code/rel`` or another OS's native path) as a path on this node.

        ``mapped_share_paths`` entries apply whatever their ``os`` says, as in the stock base.
        """
        if not p:
            return p
        text = p.replace("\\", "/")
        if self.is_accsyn_path(text):
            head, _, rest = text.partition("/")
            prefix = self._share_prefix(head.split("=", 1)[1])
            if prefix is None:
                raise Exception("Cannot resolve {} on this {} node: unknown share".format(p, self.get_os()))
            return self._native(self._join(prefix.replace("\\", "/"), rest))
        for share in self._shares():
            mine = (share.get("paths") or {}).get(self.get_os())
            for other in (share.get("paths") or {}).values():
                rest = self._below(text, other)
                if mine and rest is not None:
                    return self._native(self._join(mine.replace("\\", "/"), rest))
        for entry in self.get_parameters().get("mapped_share_paths") or []:
            rest = self._below(text, entry.get("remote", ""))
            if rest is not None:
                target = self.normalize_path(entry["local"]) if self.is_accsyn_path(entry["local"]) else entry["local"]
                return self._native(self._join(target.replace("\\", "/"), rest))
        return self._native(text)

    @staticmethod
    def _join(prefix, rest):
        rest = rest.strip("/")
        return prefix if not rest else prefix.rstrip("/\\") + "/" + rest

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
        """accsyn-dcc extra: (submitter prefix, node prefix) pairs for converting an ASCII input (section 4.8.5)."""
        remote_os = self.get_remote_os()
        pairs = []
        for share in self._shares():
            paths = share.get("paths") or {}
            if paths.get(remote_os) and paths.get(self.get_os()):
                pairs.append((paths[remote_os], self._share_prefix(share.get("code", "")) or paths[self.get_os()]))
        for entry in self.get_parameters().get("mapped_share_paths") or []:
            if not entry.get("os") or entry["os"] == self.get_os():
                pairs.append((entry["remote"], self.normalize_path(entry["local"])))
        return [(remote, local) for remote, local in pairs if remote and local]

    def get_common_envs(self):
        """The job's variables for this node: ``common`` then this OS's section (or the flat form)."""
        envs = (self.get_compute().get("envs") or {}) if self.data else {}
        if isinstance(envs.get("common"), dict):
            merged = dict(envs["common"])
            merged.update(envs.get(self.get_os()) or {})
            return merged
        return {key: value for key, value in envs.items() if not isinstance(value, dict)}

    def convert_path(self, p, envs=None):
        """``p`` with ``${VAR}`` expanded from ``envs`` (default: this process's, the engine's and the job's)."""
        if envs is None:
            envs = dict(os.environ)
            envs.update(self.get_envs())
            envs.update(self.get_common_envs())
        return Common.substitute(p, envs)

    def _convert_line(self, line, conversions):
        changed = False
        separator = "\\" if self.get_os() == Common.OS_WINDOWS else "/"
        for remote, local in conversions:
            for form in {remote, remote.replace("\\", "/"), remote.replace("/", "\\")}:
                index = line.lower().find(form.lower())
                while index >= 0:
                    rest = line[index + len(form) :].lstrip("/\\")
                    replaced = self.convert_path(local).rstrip("/\\")
                    line = line[:index] + replaced + (separator if rest and rest[0] not in "\"'} \n" else "") + rest
                    changed = True
                    index = line.lower().find(form.lower(), index + len(replaced))
        if changed and ("/" in line or "\\" in line):
            line = self.convert_path(line)
        return line, changed

    def convert_input(self, f_src, f_dst, conversions):
        """Write ``f_src`` to ``f_dst`` with every ``(remote, local)`` prefix converted, line by line."""
        with open(f_src, "r", encoding="utf-8", errors="surrogateescape") as source:
            lines = source.readlines()
        with open(f_dst, "w", encoding="utf-8", errors="surrogateescape") as destination:
            for line in lines:
                with contextlib.suppress(Exception):  # a line that fails to convert stays as it was
                    line, _changed = self._convert_line(line, conversions)
                destination.write(line)

    # -- preparation ----------------------------------------------------------------------------------

    def prepare(self):
        """Input localization first, then the output folder (created, and cleared when asked)."""
        compute = self.get_compute()
        compute["raw_input"] = compute.get("input")
        if compute.get("input"):
            self.set_input(self.normalize_path(compute["input"]))
        if self.get_input() and os.path.exists(self.get_input()) and "input_conversion" in self.get_parameters():
            self.set_input(self.localize_input(self.get_input()))
        compute["raw_output"] = compute.get("output")
        if compute.get("output"):
            compute["output"] = self.normalize_path(compute["output"])
            folder = self.output_folder()
            if self.create_output_folder() and folder:
                try:
                    os.makedirs(folder)
                except OSError:
                    if not os.path.isdir(folder):  # another node created it first: fine
                        raise
            self.clear_output_directory()

    def _is_binary(self, path):
        extensions = str(self.SETTINGS.get("binary_filename_extensions") or "")
        if not extensions:
            return False
        extension = os.path.splitext(path)[1].lower()
        return extensions.strip() == "*" or not extension or extension in extensions.lower()

    def localize_input(self, path):
        """accsyn-dcc extra (the stock base does this inside ``prepare``): a converted copy of an ASCII input.

        The copy is reused only when the input's size, mtime and the conversion pairs are unchanged, so a
        copy localized for another job's mappings is never rendered.
        """
        if self._is_binary(path):
            return path
        parameters = self.get_parameters()
        mode = parameters.get("input_conversion") or "platform"
        if mode == "never":
            return path
        if mode == "auto":
            mode = "always" if parameters.get("mapped_share_paths") else "platform"
        if mode == "platform" and self.get_remote_os() == self.get_os():
            return path
        stem, extension = os.path.splitext(path)
        target = "{}_accsynlocalized_hq_{}{}".format(stem, self.get_os(), extension)
        sidecar = path + ".localized_metadata"
        pairs = self.conversion_pairs()
        stat = os.stat(path)
        fresh = {"size": stat.st_size, "time": stat.st_mtime, "pairs": [list(pair) for pair in pairs]}
        if os.path.exists(target) and self._read_json(sidecar) == fresh:
            Common.info("Using the localized input {}".format(target))
            return target
        if not self.take_lock(path, "localize"):
            if os.path.exists(target) and self._read_json(sidecar) == fresh:
                return target
            return self.localize_input(path)
        try:
            self.convert_input(path, target, pairs)
            self._write_json(sidecar, fresh)
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
    def _write_json(path, value):
        temporary = "{}.{}.tmp".format(path, os.getpid())
        with open(temporary, "w") as stream:
            json.dump(value, stream)
        os.replace(temporary, path)

    @staticmethod
    def _lock_path(path, name):
        return os.path.join(os.path.dirname(path), "{}.{}_lock".format(os.path.basename(path.rstrip("/\\")), name))

    @staticmethod
    def _lock_owner():
        """Who holds a lock: host and process, so two workers on one machine exclude each other too."""
        return "{}:{}".format(os.environ.get("ACCSYN_DCC_NODE") or socket.gethostname(), os.getpid())

    @staticmethod
    def _read_text(path):
        try:
            with open(path, "r") as stream:
                return stream.read().strip()
        except OSError:
            return None

    def take_lock(self, base_path, operation):
        """True when this node now holds the lock; False after waiting for another node to finish.

        Written, then voted on after a short random wait; a lock file that vanishes meanwhile (the other
        node finished) starts the vote again, and a stale lock of this very owner is removed.
        """
        lock = self._lock_path(base_path, operation)
        me = self._lock_owner()
        while True:
            holder = self._read_text(lock)
            if holder is not None:
                if holder == me:
                    self._remove(lock)
                    continue
                while os.path.exists(lock):
                    time.sleep(0.2)
                return False
            try:
                descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except OSError:
                continue  # another node wrote it between our look and our write: vote again
            with os.fdopen(descriptor, "w") as stream:
                stream.write(me)
            time.sleep(self.LOCK_WAIT_SECONDS * random.uniform(1.0, 2.0))
            if self._read_text(lock) == me:
                return True

    def release_lock(self, base_path, operation):
        """accsyn-dcc extra: remove this node's lock (never another node's)."""
        lock = self._lock_path(base_path, operation)
        if self._read_text(lock) == self._lock_owner():
            self._remove(lock)

    @staticmethod
    def _remove(path):
        with contextlib.suppress(OSError):
            os.remove(path)

    def job_identity(self):
        """accsyn-dcc extra: ``data.job``, else (older daemons) ``compute.{id,code,user,created}``."""
        job = self.data.get("job") or {}
        source = job if job else self.get_compute()
        return {key: source.get(key) for key in ("id", "code", "user", "created")}

    def clear_output_directory(self):
        """accsyn-dcc extra (the stock base does this inside ``prepare``): own the output folder before rendering.

        The folder belongs to the job its metadata names. Another job's files are moved to a new folder
        ``<parent>/ZZZ-TEMP/<output name>/<time>_<job>`` (never over earlier ones) once that job's renders into
        it have ended: each render marks itself beside the folder while it runs, and a clearing waits for those
        marks (``OUTPUT_WAIT_SECONDS`` at most). A job whose folder another job took over since it started fails
        saying so: it never renders into another job's folder, nor moves that job's frames aside in turn.
        """
        if not self._clearing_wanted():
            return
        folder = self.output_folder()
        if not folder or not os.path.isdir(folder):
            return
        metadata = os.path.join(folder, self.OUTPUT_METADATA_FILENAME)
        identity = self.job_identity()
        deadline = time.time() + self.OUTPUT_WAIT_SECONDS
        while True:
            self._rendering_mark = self._mark_rendering(folder, identity)
            owner = self._read_json(metadata)
            if self._owned_by(owner, identity) and not os.path.exists(self._lock_path(folder, "output clear")):
                return  # checked after marking: a clearing that starts from now on waits for this render
            self.end_rendering()
            self._refuse_if_replaced(folder, owner, identity)
            if self.take_lock(folder, "output clear"):
                try:
                    owner = self._read_json(metadata)
                    if not self._owned_by(owner, identity):
                        self._refuse_if_replaced(folder, owner, identity)
                        self._wait_for_renders(folder, identity, deadline)
                        self._move_aside(folder, identity)
                        self._write_json(metadata, self._claim(identity, owner))
                finally:
                    self.release_lock(folder, "output clear")
            elif time.time() > deadline:
                raise Exception(
                    "The output folder {} could not be owned within {:.0f} s: other jobs kept clearing it".format(
                        folder, self.OUTPUT_WAIT_SECONDS
                    )
                )

    def _clearing_wanted(self):
        setting = self.get_parameters().get("clear_output_directory")
        if setting is None:
            return False
        setting = str(setting).lower()
        site = (self.get_site_code() or "").lower()
        if setting == "true":
            return True
        if setting.startswith("!site:"):
            return site != setting[6:]
        if setting.startswith("site:"):
            return site == setting[5:]
        Common.warning("Unknown clear_output_directory value: {}".format(setting))
        return False

    @staticmethod
    def _owned_by(owner, identity):
        return isinstance(owner, dict) and owner.get("id") == identity.get("id")

    def _claim(self, identity, owner):
        """The metadata of a folder this job clears: its identity, and the jobs (runs) it replaced."""
        replaced = list(owner.get("replaced") or []) if isinstance(owner, dict) else []
        if isinstance(owner, dict) and owner.get("id"):
            replaced.append({key: owner.get(key) for key in ("id", "code", "created")})
        claim = dict(identity)
        claim["replaced"] = replaced[-self.REPLACED_KEPT :]
        return claim

    @staticmethod
    def _refuse_if_replaced(folder, owner, identity):
        """Fail when another job took the folder over from this very run of this job."""
        if not isinstance(owner, dict):
            return
        for entry in owner.get("replaced") or []:
            if entry.get("id") == identity.get("id") and entry.get("created") == identity.get("created"):
                raise Exception(
                    "The output folder {} was taken over by job {} ({}) while this job rendered; this job's frames "
                    "were moved aside to ZZZ-TEMP and it renders no more into another job's folder".format(
                        folder, owner.get("code"), owner.get("id")
                    )
                )

    @staticmethod
    def _rendering_prefix(folder):
        return "{}.rendering ".format(os.path.basename(folder.rstrip("/\\")))

    def _mark_rendering(self, folder, identity):
        """A file beside ``folder`` saying this process renders into it for this job (removed when it ends)."""
        token = re.sub(r"[^\w.-]", "_", self._lock_owner())
        mark = os.path.join(os.path.dirname(folder.rstrip("/\\")), self._rendering_prefix(folder) + token)
        self._write_json(mark, {"id": identity.get("id"), "code": identity.get("code"),
                                "host": socket.gethostname(), "pid": os.getpid()})  # fmt: skip
        return mark

    def end_rendering(self):
        """accsyn-dcc extra: this process renders no more into the output folder (its mark is removed)."""
        if self._rendering_mark is not None:
            self._remove(self._rendering_mark)
            self._rendering_mark = None

    def _wait_for_renders(self, folder, identity, deadline):
        """Return once no other job renders into ``folder``; a mark left by a dead process here is removed."""
        parent = os.path.dirname(folder.rstrip("/\\"))
        prefix = self._rendering_prefix(folder)
        while True:
            running = []
            for name in os.listdir(parent):
                if not name.startswith(prefix) or name.endswith(".tmp"):
                    continue
                mark = os.path.join(parent, name)
                render = self._read_json(mark)
                if not isinstance(render, dict) or render.get("id") == identity.get("id"):
                    continue
                if render.get("host") == socket.gethostname() and not self._alive(render.get("pid")):
                    self._remove(mark)
                    continue
                running.append(render)
            if not running:
                return
            if time.time() > deadline:
                render = running[0]
                raise Exception(
                    "The output folder {} is still being rendered into by job {} ({}, process {} on {}) after "
                    "{:.0f} s; it is not cleared under a running render".format(
                        folder, render.get("code"), render.get("id"), render.get("pid"), render.get("host"),
                        self.OUTPUT_WAIT_SECONDS,
                    )
                )  # fmt: skip
            time.sleep(0.1)

    @staticmethod
    def _alive(pid):
        try:
            os.kill(int(pid), 0)
        except (TypeError, ValueError, ProcessLookupError):
            return False
        except OSError:
            return True  # it exists, owned by another user
        return True

    def _move_aside(self, output, identity):
        names = [name for name in os.listdir(output) if name != self.OUTPUT_METADATA_FILENAME]
        if not names:
            return
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        root = os.path.join(os.path.dirname(output.rstrip("/\\")), "ZZZ-TEMP", os.path.basename(output.rstrip("/\\")))
        aside = os.path.join(root, "{}_{}".format(stamp, identity.get("id") or "job"))
        os.makedirs(aside)
        for name in names:
            shutil.move(os.path.join(output, name), os.path.join(aside, name))
        Common.info("Moved {} earlier file(s) aside to {}".format(len(names), aside))

    # -- execution ------------------------------------------------------------------------------------

    def task_started(self, uri):
        """Mark ``uri`` as the task in progress; the previous one, if any, is reported done."""
        uri = str(uri)
        if self._current_task is not None and self._current_task != uri:
            self._report_done(self._current_task)
        self._current_task = uri

    def task_done(self, uri):
        """Report ``uri`` done, unless it is the task in progress (its end is the process's exit)."""
        if str(uri) != self._current_task:
            self._report_done(uri)

    @staticmethod
    def _report_done(uri):
        line = json.dumps({"taskstatus": True, "uri": str(uri), "status": "done"}, separators=(",", ":"))
        Common._write(sys.stdout, line, "\n", False)

    def build_env(self, extra=None):
        """accsyn-dcc extra: the child's environment: this process's, the engine's, the job's, then ``extra``."""
        env = dict(os.environ)
        env.update(self.get_envs())
        env.update(self.get_common_envs())
        env.update(extra or {})
        return {str(key): str(value) for key, value in env.items()}

    def execute(self):
        try:
            self.prepare()
            self.pre()
            self.executing = True
            self.execution_start = datetime.datetime.now()
            bucket = self.get_bucket()
            exitcode = 0
            if bucket is not None and self.SETTINGS.get("max_bucketsize") == 1:
                for number in range(bucket[0], bucket[1] + 1):
                    self.task_started(str(number))
                    exitcode = self._run(str(number), {"ACCSYN_ITEM": str(number)})
                    if exitcode != 0:
                        break
            else:
                exitcode = self._run(self.item or "all", {})
            self.executing = False
            self.post(exitcode)
        finally:
            self.end_rendering()
        self._exit(exitcode)

    def _exit(self, exitcode):
        if exitcode in self.get_allowed_exitcodes():
            exitcode = 0
        if self.exitcode_force is not None:
            exitcode = self.exitcode_force
        if exitcode != 0:
            Common.warning("The render application exited with code {}".format(exitcode))
        sys.exit(exitcode)

    def _run(self, item, extra_env):
        commandline = self.get_commandline(item)
        Common.info("Running: {}".format(" ".join(str(part) for part in commandline)))
        stdin = self.get_stdin(item)
        self.process = subprocess.Popen(
            commandline,
            cwd=self.get_working_path(),
            env=self.build_env(extra_env),
            stdin=subprocess.PIPE if stdin is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            bufsize=1,
            universal_newlines=True,
            errors="replace",
            shell=self.shell(),
            creationflags=self.get_creation_flags(item),
        )
        Common.info("Additional accsyn PID({}) - main process".format(self.process.pid))
        if stdin is not None and self.process.stdin is not None:
            self.process.stdin.write(stdin)
            self.process.stdin.close()
        self._install_signal_handlers()
        stop_code = None
        for line in self.process.stdout or []:
            policy = self.log_policy(line, False)
            if policy == Common.LOG_POLICY_PUBLIC:
                Common.log(line)
            elif policy == Common.LOG_POLICY_SERVICE:
                Common.info(line.rstrip("\n"))
            result = self.process_output(line, "")
            if isinstance(result, int) and not isinstance(result, bool):
                stop_code = result
                self.kill()
                break
        exitcode = self.process.wait()
        return stop_code if stop_code is not None else exitcode

    def kill(self):
        """Stop the render application (and what it started)."""
        self._killed = True
        if self.process is None or self.process.poll() is not None:
            return
        try:
            if self.is_win():
                Common.recursive_kill_windows_pid(self.process.pid)
            else:
                self.process.terminate()
            self.process.wait(10)
        except Exception:
            self.process.kill()

    def _install_signal_handlers(self):
        def stop(signum, frame):
            self.kill()
            sys.exit(128 + signum)

        for name in ("SIGTERM", "SIGINT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), stop)

    @classmethod
    def main(cls, argv=None):
        """accsyn-dcc extra: run, probe or print usage; a failure exits 1 with a warning."""
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
