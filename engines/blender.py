"""accsyn engine: render a Blender scene, remapping every external path at load time.

A .blend file is binary, so accsyn's text conversion cannot touch it. Instead a start-up script
(written beside the task's data JSON) opens the scene, rewrites the paths of libraries, images,
sounds, movie clips, cache files and their layers, volumes, fonts, sequencer strips, mesh-cache and
multires modifiers, external point caches, fluid and geometry-node bake folders and OSL scripts from
the submitter's prefixes to this node's,
reloads them, and renders the bucket's frames into the job's output folder, named with the scene's
own file-name pattern.

On a farm that offers each worker a folder of its own (``ACCSYN_DCC_WORKER_DIR``, the accsyn-dcc local farm),
the bucket goes to a Blender kept in that folder across the worker's tasks: started by the first task, it renders
each task sent to it on a local socket (the scene reopened with its scripts off, or kept open while the file is
unchanged; Cycles keeps its render data), and the task reads its answer. A task it does not answer (it crashed,
or printed nothing for ``ACCSYN_BLENDER_SILENCE`` seconds) fails with that reason, and the farm starts another
Blender for the next one. Elsewhere (accsyn's own farm) each task starts Blender as before.

Blender is ``BLENDER_EXECUTABLE``, else ``blender`` on PATH or in the usual install folders; where
none exists, a Python interpreter with the ``bpy`` module (``ACCSYN_BLENDER_PYTHON``, else the one
running this engine) serves as Blender. Uses only the members of accsyn's stock ``Common`` (rev 49),
so it runs on a real farm.
"""

import binascii
import contextlib
import glob
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

if "ACCSYN_COMPUTE_COMMON_PATH" in os.environ:
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])

from common import Common

RENDER_CODE = r"""
import json, os, sys
import bpy


def render(options, persistent=False):
    # persistent (a worker Blender kept across tasks): Cycles keeps the scene's render data for the next task
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
    if persistent:
        scene.render.use_persistent_data = True
    bpy.ops.render.render(animation=True)
"""

RENDER_SCRIPT = RENDER_CODE + 'render(json.loads(sys.argv[sys.argv.index("--") + 1]))\n'
"""One task's Blender: ``-P <script> -- <options>``."""

SERVER_SCRIPT = (
    RENDER_CODE
    + r"""
import ctypes, socket, time, traceback


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def open_scene(options, kept):
    # the scene stays open for the next task of the same file, unchanged on disk, with the same path mappings
    stat = os.stat(options["input"])
    key = [os.path.abspath(options["input"]), stat.st_mtime_ns, stat.st_size, options["pairs"]]
    if kept.get("key") == key and os.path.abspath(bpy.data.filepath or "") == key[0]:
        bpy.context.scene.frame_current = kept["frame"]
        print("accsyn: the scene is still open from this Blender's previous task (same file, unchanged)")
        return
    kept.clear()
    bpy.ops.wm.open_mainfile(filepath=options["input"], load_ui=False, use_scripts=False)
    kept.update(key=key, frame=bpy.context.scene.frame_current)


def serve_one(connection, token, libc, kept):
    # one task: its request line, then everything this Blender prints while rendering it, then the exit line
    connection.settimeout(30)
    request = b""
    while not request.endswith(b"\n") and len(request) < 16 << 20:
        chunk = connection.recv(1 << 16)
        if not chunk:
            return
        request += chunk
    request = json.loads(request.decode("utf-8"))
    if request.get("token") != token:
        return
    connection.settimeout(None)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    os.dup2(connection.fileno(), 1)
    os.dup2(connection.fileno(), 2)
    code = 0
    try:
        open_scene(request["options"], kept)
        render(request["options"], persistent=True)
    except Exception:
        traceback.print_exc()
        kept.clear()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        libc.fflush(None)
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
    connection.sendall(("accsyn: the worker Blender ended the task with exit code %d\n" % code).encode())


def serve(port_path, token, idle, farm_pid):
    # serves one task at a time; ends after ``idle`` seconds without one, or once the farm is gone
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(1.0)
    with open(port_path + ".tmp", "w") as stream:
        stream.write(str(server.getsockname()[1]))
    os.replace(port_path + ".tmp", port_path)
    libc = ctypes.CDLL(None)
    last = time.monotonic()
    kept = {}
    while time.monotonic() - last < idle and (not farm_pid or alive(farm_pid)):
        try:
            connection, _ = server.accept()
        except socket.timeout:
            continue
        with connection:
            serve_one(connection, token, libc, kept)
        last = time.monotonic()


arguments = sys.argv[sys.argv.index("--") + 1 :]
serve(arguments[0], os.environ.pop("ACCSYN_BLENDER_WORKER_TOKEN"), float(arguments[1]), int(arguments[2] or 0))
"""
)
"""A worker Blender kept across tasks: it renders each task sent to it on a local socket, the scene opened afresh."""

WORKER_IDLE = 15
"""Seconds a worker Blender waits for its next task before it ends."""
WORKER_START = 300
"""Seconds a worker Blender may take to start."""
WORKER_SILENCE = 1800
"""Seconds a task may print nothing before its worker Blender counts as hung (``ACCSYN_BLENDER_SILENCE``)."""
WORKER_STATE = "resident.json"
"""In the farm's worker folder (``ACCSYN_DCC_WORKER_DIR``): the process kept there, which the farm ends."""


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
    # default_bucketsize 10: on accsyn's farm each task starts Blender again (0.5 s to the first frame here, against
    # 0.1 s for each further frame of a small scene); 10 frames a task keeps start-up under 5% once a frame takes 1 s.
    APPLICATION = "Blender (or a Python with the bpy module)"
    POINT_AT = "set BLENDER_EXECUTABLE to Blender's executable"

    SAVED = re.compile(r"Saved: '(.+?)'")
    ANSWER = re.compile(r"accsyn: the worker Blender ended the task with exit code (-?\d+)$")
    worker = None
    """The worker Blender rendering this task (pid, when it last printed, its answer), on a farm that keeps one."""
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
        folder = os.environ.get("ACCSYN_DCC_WORKER_DIR")
        if folder and os.name == "posix":
            return self.worker_commandline(folder, executable, arguments, options)
        if os.path.basename(executable).lower().startswith("blender"):
            return [executable, "-b", self.get_input(), *arguments, "-P", script, "--", json.dumps(options)]
        return [executable, script, "--", json.dumps(options)]

    def worker_commandline(self, folder, executable, arguments, options):
        """Have the farm worker's own Blender (``ACCSYN_DCC_WORKER_DIR``, started now when none is alive) render
        the bucket, through a small client whose output is that Blender's."""
        server = os.path.join(folder, "accsyn_blender_server.py")
        if os.path.basename(executable).lower().startswith("blender"):
            launch = [executable, "-b", *arguments, "-P", server, "--"]
        else:
            launch = [executable, server, "--"]
        launch += [os.path.join(folder, "blender.port"), str(WORKER_IDLE), os.environ.get("ACCSYN_DCC_FARM_PID", "")]
        state_path = os.path.join(folder, WORKER_STATE)
        state = read_state(state_path)
        if state is None or state.get("launch") != launch or not listening(state["port"]):
            if state is not None and alive(state["pid"]):
                os.killpg(state["pid"], signal.SIGKILL)  # started for other arguments, or not answering
            state = self.start_worker(folder, launch, state_path)
        connection = socket.create_connection(("127.0.0.1", state["port"]), timeout=30)
        connection.sendall((json.dumps({"token": state["token"], "options": options}) + "\n").encode("utf-8"))
        connection.setblocking(True)
        os.dup2(connection.fileno(), 0)  # the command below inherits it: it prints what the worker Blender answers
        connection.close()
        worker = {"pid": state["pid"], "last": time.monotonic(), "answer": None, "hung": False, "done": False}
        self.worker = worker
        silence = float(os.environ.get("ACCSYN_BLENDER_SILENCE") or WORKER_SILENCE)
        threading.Thread(target=watch_worker, args=(worker, silence), daemon=True).start()
        return [shutil.which("cat") or "/bin/cat"]

    def start_worker(self, folder, launch, state_path):
        """Start the worker Blender and wait (bounded) until it listens; its state (also in ``state_path``, 0600)."""
        port_path = launch[-3]
        if os.path.exists(port_path):
            os.remove(port_path)
        with open(launch[launch.index("--") - 1], "w") as stream:
            stream.write(SERVER_SCRIPT)
        token = binascii.hexlify(os.urandom(16)).decode("ascii")
        env = dict(os.environ, **self.get_envs())
        env.update(self.get_common_envs())
        env.pop("ACCSYN_ITEM", None)
        env["ACCSYN_BLENDER_WORKER_TOKEN"] = token
        env = {str(key): str(value) for key, value in env.items()}
        with open(os.path.join(folder, "blender.log"), "ab") as log:
            process = subprocess.Popen(
                launch,
                cwd=self.get_working_path(),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        Common.info("Started the worker Blender (process {}); this worker's next tasks use it too".format(process.pid))
        deadline = time.monotonic() + WORKER_START
        while not os.path.exists(port_path):
            if process.poll() is not None or time.monotonic() > deadline:
                if process.poll() is None:
                    process.kill()
                raise Exception(
                    "The worker Blender did not start ({}); its log: {}".format(
                        "exit code {}".format(process.poll()) if process.poll() is not None else "no answer",
                        os.path.join(folder, "blender.log"),
                    )
                )
            time.sleep(0.02)
        with open(port_path) as stream:
            port = int(stream.read())
        state = {"pid": process.pid, "port": port, "token": token, "launch": launch}
        temporary = state_path + ".tmp"
        with os.fdopen(os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w") as stream:
            json.dump(state, stream)
        os.replace(temporary, state_path)
        return state

    def process_output(self, stdout, stderr):
        if self.worker is not None:
            self.worker["last"] = time.monotonic()
            answer = self.ANSWER.search(stdout or "")
            if answer:
                self.worker["answer"] = int(answer.group(1))
                return self.worker["answer"] or None
        saved = self.SAVED.search(stdout or stderr or "")
        if saved:
            frame = self.FRAME.search(saved.group(1))
            if frame:
                self.task_done(str(int(frame.group(1))))
        return None

    def post(self, exitcode):
        Common.post(self, exitcode)
        if self.worker is not None and self.worker["answer"] is None:
            how = "printed nothing for {:g} s (hung)".format(self.worker["hung"]) if self.worker["hung"] else None
            print(
                "ERROR: the worker Blender (process {}) {}".format(
                    self.worker["pid"], how or "ended mid-task (crashed or killed)"
                )
            )
            sys.stdout.flush()
            self.exitcode_force = 1
        if self.worker is not None:
            self.worker["done"] = True


def watch_worker(worker, silence):
    """Kill the worker Blender when it prints nothing for ``silence`` seconds: the task fails, not hangs."""
    while not worker["done"]:
        if time.monotonic() - worker["last"] > silence:
            worker["hung"] = silence
            with contextlib.suppress(OSError):
                os.killpg(worker["pid"], signal.SIGKILL)
            return
        time.sleep(min(silence, 1.0))


def read_state(path):
    """The worker Blender's state (pid, port, token, launch), or None."""
    try:
        with open(path) as stream:
            return json.load(stream)
    except (OSError, ValueError):
        return None


def alive(pid):
    """True while process ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def listening(port):
    """True when something accepts connections on ``port`` of this machine."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except OSError:
        return False
    return True


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
