"""Blender: the add-on as a Blender 4.2+ extension (manifest and bundled wheels), or as a legacy add-on.

Where it goes:

* ``BLENDER_USER_EXTENSIONS`` (or ``BLENDER_USER_RESOURCES/extensions``, or the newest Blender user
  folder of 4.2 or later): an extension in ``user_default/accsyn_blender`` with a ``blender_manifest.toml``
  and the wheels of accsyn-dcc and its pure-Python dependencies, which Blender installs for it.
* ``BLENDER_USER_SCRIPTS``: a legacy add-on in ``addons/accsyn_blender`` that finds the shared core
  through ``accsyn_paths.txt``.

Either way a start-up script in the scripts folder enables the add-on (the preferences file is never
written), every file is owned through the ledger, and ``--uninstall`` removes exactly what was added.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Tuple

from installers.base import Action, Context, HostInstaller, OwnedFile, Vendor, owned_tree, run_pip
from installers.files import InstallError, Ledger, digest, read_bytes, remove_empty_folders, remove_file
from installers.studio import StudioLine, StudioTree

EXTENSION_ID = "accsyn_blender"
WHEEL_REQUIREMENTS = ("requests", "urllib3", "idna", "certifi", "charset_normalizer", "platformdirs")
"""accsyn-dcc's runtime dependencies inside Blender, all pure Python (no Qt: the add-on's UI is Blender's)."""
BLENDER_PYTHON = "3.11"
MINIMUM_EXTENSION_VERSION = (4, 2)

ENABLE_SCRIPT = """# Added by accsyn-dcc's install/install.py: enables the accsyn add-on at Blender's start-up.
import addon_utils

MODULE = {module!r}


def register():
    addon_utils.enable(MODULE, default_set=False, persistent=True)


def unregister():
    addon_utils.disable(MODULE, default_set=False)
"""


def manifest(version: str, wheels: List[str]) -> str:
    """``blender_manifest.toml`` of the extension (schema 1.0.0)."""
    listed = ", ".join(f'"./wheels/{name}"' for name in wheels)
    return f"""schema_version = "1.0.0"
id = "{EXTENSION_ID}"
version = "{version}"
name = "accsyn render submitter"
tagline = "Submit renders to accsyn with every file checked first"
maintainer = "accsyn-dcc"
type = "add-on"
blender_version_min = "{MINIMUM_EXTENSION_VERSION[0]}.{MINIMUM_EXTENSION_VERSION[1]}.0"
license = ["SPDX:Apache-2.0"]
wheels = [{listed}]

[permissions]
network = "Submit jobs to the accsyn render farm"
files = "Check the files the render reads"
"""


@dataclass(frozen=True)
class Target:
    kind: str
    """``extension`` or ``addon``."""
    folder: str
    """The extension's or add-on's folder."""
    scripts: str
    """The scripts folder whose ``startup`` holds the enabling script."""


@dataclass(frozen=True)
class BlenderExtension(Action):
    """The add-on's files, its wheels and its manifest in an extension folder, all owned through the ledger."""

    folder: str
    source: str
    repo: str
    ledger: Ledger
    version: str = "0.1.0"

    @property
    def wheel_cache(self) -> str:
        return os.path.join(self.repo, "build", "blender-wheels")

    def describe(self, uninstall: bool) -> str:
        if uninstall:
            return f"remove the accsyn extension's files from {self.folder}"
        return (
            f"write the accsyn extension to {self.folder}: the add-on, blender_manifest.toml and the wheels of "
            f"accsyn-dcc and {', '.join(WHEEL_REQUIREMENTS)} (built or downloaded into {self.wheel_cache})"
        )

    def wheels(self) -> List[str]:
        """Build accsyn-dcc's wheel and download its dependencies' pure-Python wheels (cached in build/)."""
        os.makedirs(self.wheel_cache, exist_ok=True)
        pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
        steps = [
            [*pip, "wheel", "--no-deps", "-w", self.wheel_cache, self.repo],
            [*pip, "download", "--no-deps", "--only-binary=:all:", "--python-version", BLENDER_PYTHON,
             "--implementation", "py", "--abi", "none", "--platform", "any", "-d", self.wheel_cache,
             *WHEEL_REQUIREMENTS],
        ]  # fmt: skip
        # Fixed timestamps: the same sources give the same wheel bytes, so installing again changes nothing.
        for command in steps:
            run_pip(command, "get the wheels for the Blender extension", os.path.dirname(self.wheel_cache),
                    {"SOURCE_DATE_EPOCH": "315532800"})  # fmt: skip
        names = sorted(name for name in os.listdir(self.wheel_cache) if name.endswith(".whl"))
        return _newest_per_project(names)

    def files(self) -> Dict[str, bytes]:
        files = {action.file: action.content for action in owned_tree(self.source, self.folder, self.ledger)}
        wheels = self.wheels()
        for name in wheels:
            with open(os.path.join(self.wheel_cache, name), "rb") as handle:
                files[os.path.join(self.folder, "wheels", name)] = handle.read()
        files[os.path.join(self.folder, "blender_manifest.toml")] = manifest(self.version, wheels).encode("utf-8")
        return files

    def apply(self) -> bool:
        """Write every file; when one fails, remove the extension's files again (half an extension is none)."""
        wanted = self.files()
        changed = False
        try:
            for path, content in wanted.items():
                changed = OwnedFile(path, content, self.ledger).apply() or changed
        except InstallError:
            self.revert()
            raise
        for path in self._owned():
            if path not in wanted:  # a file of an earlier install that this one no longer has
                changed = OwnedFile(path, b"", self.ledger).revert() or changed
        return changed

    def revert(self) -> bool:
        """Remove every file of the extension, then the folders the install created once they are empty."""
        owned = self._owned()
        folders: List[str] = []
        for path in owned:
            entry = self.ledger.entry(path) or {}
            folders += entry.get("created_folders", [])
            current = read_bytes(path)
            if current is not None and digest(current) != entry.get("sha256"):
                raise InstallError(f"{path} was changed since accsyn-dcc wrote it; it is left as it is")
        for path in owned:
            remove_file(path)
            self.ledger.forget(path)
        remove_empty_folders(folders)
        return bool(owned)

    def _owned(self) -> List[str]:
        prefix = self.folder.rstrip("/\\") + os.sep
        return [path for path in self.ledger.paths() if path.startswith(prefix)]


@dataclass(frozen=True)
class UnpackedWheels(Action):
    """What Blender unpacked for the extension when it was enabled: its wheels in ``extensions/.local`` and the
    compatibility cache in ``extensions/.cache``; removed on uninstall (apply does nothing: Blender makes them).

    The wheels come from the installed ``blender_manifest.toml`` (so it runs before the extension's files go);
    a wheel another extension's manifest lists too stays, and so does ``.cache`` while other extensions remain.
    """

    extensions: str
    extension: str

    @property
    def site_packages(self) -> str:
        return os.path.join(self.extensions, ".local", "lib", f"python{BLENDER_PYTHON}", "site-packages")

    def describe(self, uninstall: bool) -> str:
        if uninstall:
            return f"remove what Blender unpacked for the extension in {self.extensions} (.local wheels, .cache)"
        return (
            f"leave {self.extensions}/.local and .cache to Blender (it unpacks the wheels when it enables the add-on)"
        )

    def apply(self) -> bool:
        return False

    def revert(self) -> bool:
        ours = set(_manifest_wheels(os.path.join(self.extension, "blender_manifest.toml")))
        others = list(self._other_manifests())
        shared = {name for path in others for name in _manifest_wheels(path)}
        changed = False
        for wheel in sorted(ours - shared):
            project, version = wheel.split("-")[:2]
            changed = (
                self._remove_distribution(os.path.join(self.site_packages, f"{project}-{version}.dist-info")) or changed
            )
        local = os.path.join(self.extensions, ".local")
        _remove_emptied([local, os.path.dirname(os.path.dirname(self.site_packages)),
                         os.path.dirname(self.site_packages), self.site_packages])  # fmt: skip
        cache = os.path.join(self.extensions, ".cache")
        if ours and not others and os.path.isfile(os.path.join(cache, "compat.dat")):
            remove_file(os.path.join(cache, "compat.dat"))
            remove_empty_folders([cache])
            changed = True
        return changed

    def _other_manifests(self) -> List[str]:
        found = []
        for repository in _listdir(self.extensions):
            for name in _listdir(os.path.join(self.extensions, repository)):
                path = os.path.join(self.extensions, repository, name, "blender_manifest.toml")
                if os.path.join(self.extensions, repository, name) != self.extension and os.path.isfile(path):
                    found.append(path)
        return found

    def _remove_distribution(self, info: str) -> bool:
        """Remove the files a wheel's RECORD lists (inside site-packages only), then the folders it emptied."""
        record = read_bytes(os.path.join(info, "RECORD"))
        if record is None:
            return False
        root = os.path.realpath(self.site_packages)
        folders = set()
        for line in record.decode("utf-8").splitlines():
            path = os.path.realpath(os.path.join(root, line.split(",")[0]))
            if path.startswith(root + os.sep):
                remove_file(path)
                folders.update(_parents(os.path.dirname(path), root))
        _remove_emptied(sorted(folders | {info}))
        return True


def _remove_emptied(folders: List[str]) -> None:
    """Remove each folder, innermost first, once it holds nothing but the ``__pycache__`` Python made for it."""
    for folder in sorted(folders, key=len, reverse=True):
        cache = os.path.join(folder, "__pycache__")
        if set(_listdir(folder)) == {"__pycache__"} and all(name.endswith(".pyc") for name in _listdir(cache)):
            for name in _listdir(cache):
                remove_file(os.path.join(cache, name))
            remove_empty_folders([cache])
        remove_empty_folders([folder])


def _parents(folder: str, root: str) -> List[str]:
    """``folder`` and its parents up to (not including) ``root``."""
    found = []
    while folder.startswith(root + os.sep):
        found.append(folder)
        folder = os.path.dirname(folder)
    return found


def _manifest_wheels(path: str) -> List[str]:
    """The wheel file names a ``blender_manifest.toml`` lists."""
    text = (read_bytes(path) or b"").decode("utf-8", "replace")
    return list(re.findall(r'"\./wheels/([^"]+\.whl)"', text))


def _newest_per_project(names: List[str]) -> List[str]:
    """One wheel per project: the newest version in the cache."""
    newest: Dict[str, Tuple[Tuple[int, ...], str]] = {}
    for name in names:
        project, version = name.split("-")[:2]
        key = tuple(int(part) for part in re.findall(r"\d+", version))
        if project.lower() not in newest or key > newest[project.lower()][0]:
            newest[project.lower()] = (key, name)
    return sorted(name for _key, name in newest.values())


class BlenderInstaller(HostInstaller):
    name = "blender"

    def __init__(self, environ: Optional[Mapping[str, str]] = None) -> None:
        self.environ = environ

    def target(self, context: Context) -> Target:
        environ = os.environ if self.environ is None else self.environ
        if environ.get("BLENDER_USER_EXTENSIONS"):
            extensions = environ["BLENDER_USER_EXTENSIONS"]
            return Target("extension", context.join(extensions, "user_default", EXTENSION_ID),
                          self._scripts_folder(context, environ))  # fmt: skip
        if environ.get("BLENDER_USER_SCRIPTS"):
            scripts = environ["BLENDER_USER_SCRIPTS"]
            return Target("addon", context.join(scripts, "addons", EXTENSION_ID), scripts)
        resources = environ.get("BLENDER_USER_RESOURCES") or self._newest_user_folder(context, environ)
        return Target(
            "extension",
            context.join(resources, "extensions", "user_default", EXTENSION_ID),
            context.join(resources, "scripts"),
        )

    def _scripts_folder(self, context: Context, environ: Mapping[str, str]) -> str:
        """Where Blender reads start-up scripts (``bpy.utils.user_resource('SCRIPTS')``): BLENDER_USER_SCRIPTS, else
        BLENDER_USER_RESOURCES/scripts, else the user folder's (BLENDER_USER_EXTENSIONS and _CONFIG move no scripts)."""
        if environ.get("BLENDER_USER_SCRIPTS"):
            return environ["BLENDER_USER_SCRIPTS"]
        if environ.get("BLENDER_USER_RESOURCES"):
            return context.join(environ["BLENDER_USER_RESOURCES"], "scripts")
        try:
            return context.join(self._newest_user_folder(context, environ), "scripts")
        except InstallError:
            asked = _bpy_scripts_folder(environ)
            if asked is None:
                raise
            return asked

    def _newest_user_folder(self, context: Context, environ: Mapping[str, str]) -> str:
        base = {
            "linux": context.join(context.home, ".config", "blender"),
            "mac": context.join(context.home, "Library", "Application Support", "Blender"),
            "windows": context.join(environ.get("APPDATA") or context.join(context.home, "AppData", "Roaming"),
                                    "Blender Foundation", "Blender"),
        }[context.os_name]  # fmt: skip
        versions = sorted(
            (tuple(int(part) for part in name.split(".")), name)
            for name in _listdir(base)
            if re.fullmatch(r"\d+\.\d+", name)
        )
        if not versions:
            raise InstallError(
                f"no Blender user folder in {base}; start Blender once, or set BLENDER_USER_EXTENSIONS "
                "(or BLENDER_USER_SCRIPTS) to where the add-on should go"
            )
        number, name = versions[-1]
        if number < MINIMUM_EXTENSION_VERSION:
            raise InstallError(f"Blender {name} in {base} is older than 4.2, which the accsyn add-on needs")
        return context.join(base, name)

    def actions(self, context: Context, vendor: bool) -> List[Action]:
        target = self.target(context)
        ledger = context.ledger
        source = context.join(context.repo, "plugins", "blender", EXTENSION_ID)
        planned: List[Action] = []
        if target.kind == "extension":
            planned.append(BlenderExtension(target.folder, source, context.repo, ledger))
            planned.append(UnpackedWheels(os.path.dirname(os.path.dirname(target.folder)), target.folder))
            module = f"bl_ext.user_default.{EXTENSION_ID}"
        else:
            planned += owned_tree(source, target.folder, ledger)
            paths = [context.join(context.repo, "common")] + ([context.vendor_dir] if vendor else [])
            planned.append(OwnedFile(context.join(target.folder, "accsyn_paths.txt"), "\n".join(paths).encode() + b"\n",
                                     ledger))  # fmt: skip
            module = EXTENSION_ID
        startup = context.join(target.scripts, "startup", "accsyn_blender_enable.py")
        planned.append(OwnedFile(startup, ENABLE_SCRIPT.format(module=module).encode("utf-8"), ledger))
        if vendor and target.kind == "addon":
            planned.append(Vendor(context.vendor_dir, user=startup))
        return planned

    def studio(self, context: Context, folder: str, vendor: bool) -> Tuple[StudioTree, StudioLine]:
        """The tree is Blender's read-only system extensions repository (``system/accsyn_blender`` with its wheels)."""
        source = context.join(context.repo, "plugins", "blender", EXTENSION_ID)
        extension = BlenderExtension(os.path.join("system", EXTENSION_ID), source, context.repo, context.ledger)
        built: Dict[str, bytes] = {}

        def entry(final: str) -> Dict[str, bytes]:
            if not built:  # built once (pip builds and downloads the wheels), whatever the tree's final folder
                built.update(extension.files())
            return built

        tree = StudioTree(folder, self.name, (), entry, vendor=False)
        return tree, StudioLine("BLENDER_SYSTEM_EXTENSIONS", (), is_list=False)


def _bpy_scripts_folder(environ: Mapping[str, str]) -> Optional[str]:
    """The scripts folder of the Blender whose ``bpy`` this Python imports (no user folder yet), else None."""
    if importlib.util.find_spec("bpy") is None:
        return None
    code = "import bpy; print('ACCSYN ' + bpy.utils.user_resource('SCRIPTS'))"
    completed = subprocess.run([sys.executable, "-c", code], env=dict(environ), capture_output=True, text=True,
                               check=False)  # fmt: skip
    found = [line[len("ACCSYN ") :] for line in completed.stdout.splitlines() if line.startswith("ACCSYN ")]
    return found[0] if found else None


def _listdir(folder: str) -> List[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


INSTALLER = BlenderInstaller()
