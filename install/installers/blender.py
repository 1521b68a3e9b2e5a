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

import os
import re
import sys
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Tuple

from installers.base import Action, Context, HostInstaller, OwnedFile, Vendor, owned_tree, run_pip
from installers.files import InstallError, Ledger, digest, read_bytes, remove_empty_folders, remove_file

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
            scripts = environ.get("BLENDER_USER_SCRIPTS") or context.join(os.path.dirname(extensions), "scripts")
            return Target("extension", context.join(extensions, "user_default", EXTENSION_ID), scripts)
        if environ.get("BLENDER_USER_SCRIPTS"):
            scripts = environ["BLENDER_USER_SCRIPTS"]
            return Target("addon", context.join(scripts, "addons", EXTENSION_ID), scripts)
        resources = environ.get("BLENDER_USER_RESOURCES") or self._newest_user_folder(context, environ)
        return Target(
            "extension",
            context.join(resources, "extensions", "user_default", EXTENSION_ID),
            context.join(resources, "scripts"),
        )

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


def _listdir(folder: str) -> List[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


INSTALLER = BlenderInstaller()
