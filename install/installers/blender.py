"""Blender: the add-on copied into the user's scripts folder, and a start-up script that enables it.

The scripts folder is ``BLENDER_USER_SCRIPTS``, else ``BLENDER_USER_RESOURCES/scripts``, else the newest
version folder of Blender's user configuration (``~/.config/blender/X.Y`` and its macOS and Windows
equivalents). Files are owned through the ledger, so ``--uninstall`` removes exactly them; the user's
preferences file is never written. ``accsyn_paths.txt`` beside the add-on names the shared core (and the
vendored dependencies) for Blender's Python.
"""

from __future__ import annotations

import os
import re
from typing import List, Mapping, Optional

from installers.base import Action, Context, HostInstaller, OwnedFile, Vendor, owned_tree
from installers.files import InstallError

ENABLE_SCRIPT = """# Added by accsyn-dcc's install/install.py: enables the accsyn add-on at Blender's start-up.
import addon_utils


def register():
    addon_utils.enable("accsyn_blender", default_set=False, persistent=True)


def unregister():
    addon_utils.disable("accsyn_blender", default_set=False)
"""


class BlenderInstaller(HostInstaller):
    name = "blender"

    def __init__(self, environ: Optional[Mapping[str, str]] = None) -> None:
        self.environ = environ

    def scripts_folder(self, context: Context) -> str:
        environ = os.environ if self.environ is None else self.environ
        if environ.get("BLENDER_USER_SCRIPTS"):
            return environ["BLENDER_USER_SCRIPTS"]
        if environ.get("BLENDER_USER_RESOURCES"):
            return context.join(environ["BLENDER_USER_RESOURCES"], "scripts")
        base = {
            "linux": context.join(context.home, ".config", "blender"),
            "mac": context.join(context.home, "Library", "Application Support", "Blender"),
            "windows": context.join(environ.get("APPDATA") or context.join(context.home, "AppData", "Roaming"),
                                    "Blender Foundation", "Blender"),
        }[context.os_name]  # fmt: skip
        versions = sorted(
            (name for name in _listdir(base) if re.fullmatch(r"\d+\.\d+", name)),
            key=lambda name: tuple(int(part) for part in name.split(".")),
        )
        if not versions:
            raise InstallError(
                f"no Blender user folder in {base}; start Blender once, or set BLENDER_USER_SCRIPTS "
                "to its scripts folder"
            )
        return context.join(base, versions[-1], "scripts")

    def actions(self, context: Context, vendor: bool) -> List[Action]:
        scripts = self.scripts_folder(context)
        addon = context.join(scripts, "addons", "accsyn_blender")
        ledger = context.ledger
        planned: List[Action] = list(owned_tree(context.join(context.repo, "plugins", "blender", "accsyn_blender"),
                                                addon, ledger))  # fmt: skip
        paths = [context.join(context.repo, "common")] + ([context.vendor_dir] if vendor else [])
        planned.append(OwnedFile(context.join(addon, "accsyn_paths.txt"), "\n".join(paths).encode() + b"\n", ledger))
        startup = context.join(scripts, "startup", "accsyn_blender_enable.py")
        planned.append(OwnedFile(startup, ENABLE_SCRIPT.encode("utf-8"), ledger))
        if vendor:
            planned.append(Vendor(context.vendor_dir, user=startup))
        return planned


def _listdir(folder: str) -> List[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


INSTALLER = BlenderInstaller()
