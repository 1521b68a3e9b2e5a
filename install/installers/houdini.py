"""Houdini: a package, ``accsyn.json``, in the user's Houdini ``packages`` folder.

The folder is ``HOUDINI_USER_PREF_DIR/packages`` when that is set (a ``__HVER__`` in it is the newest
existing version), else ``packages`` in the newest per-user Houdini folder of the OS (``~/houdini20.5``,
``~/Library/Preferences/houdini/20.5``, ``~/Documents/houdini20.5``). The package adds
``plugins/houdini`` to ``HOUDINI_PATH`` (its ``toolbar/accsyn.shelf`` and the Render menu entry of its
``MainMenuCommon.xml``) and, after Houdini's own, the plugin's Python package, the shared core and the
vendored dependencies to ``PYTHONPATH``. Other packages are never touched; ``--uninstall`` removes the
file (and a ``packages`` folder the install created).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from installers.base import Action, Context, HostInstaller, Vendor, json_package
from installers.files import InstallError
from installers.studio import StudioLine, StudioTree

PACKAGE_FILE = "accsyn.json"
_VERSION_FOLDER = re.compile(r"^houdini(\d+)\.(\d+)$")


def user_folders(context: Context) -> List[str]:
    """Existing per-user Houdini folders of this OS, oldest version first."""
    if context.os_name == "mac":
        root = context.join(context.home, "Library", "Preferences", "houdini")
        names = {name: name for name in _listing(root) if re.fullmatch(r"\d+\.\d+", name)}
    else:
        root = context.join(context.home, "Documents") if context.os_name == "windows" else context.home
        names = {name: name[len("houdini") :] for name in _listing(root) if _VERSION_FOLDER.match(name)}
    ordered = sorted(names, key=lambda name: [int(part) for part in names[name].split(".")])
    return [context.join(root, name) for name in ordered]


def _listing(folder: str) -> List[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def package_data(context: Context, vendor: bool) -> Dict[str, Any]:
    plugin = context.join(context.repo, "plugins", "houdini")
    python = [context.join(plugin, "python"), context.join(context.repo, "common")]
    if vendor:
        python.append(context.vendor_dir)
    return {"hpath": plugin, "env": [{"PYTHONPATH": {"value": python, "method": "append"}}]}


class HoudiniInstaller(HostInstaller):
    name = "houdini"

    def __init__(self, environ: Optional[Mapping[str, str]] = None) -> None:
        self.environ = environ

    def preferences(self, context: Context) -> str:
        environ = os.environ if self.environ is None else self.environ
        chosen = environ.get("HOUDINI_USER_PREF_DIR", "")
        if chosen and "__HVER__" not in chosen:
            return chosen
        folders = user_folders(context)
        if chosen:
            versions = [os.path.basename(folder).replace("houdini", "") for folder in folders]
            if not versions:
                raise InstallError(f"HOUDINI_USER_PREF_DIR={chosen}: no Houdini version folder to put for __HVER__")
            return chosen.replace("__HVER__", versions[-1])
        if not folders:
            raise InstallError("no Houdini user folder found (start Houdini once, or set HOUDINI_USER_PREF_DIR)")
        return folders[-1]

    def package_file(self, context: Context) -> str:
        return context.join(self.preferences(context), "packages", PACKAGE_FILE)

    def actions(self, context: Context, vendor: bool) -> List[Action]:
        package = self.package_file(context)
        planned: List[Action] = [json_package(package, package_data(context, vendor), context.ledger)]
        if vendor:
            planned.append(Vendor(context.vendor_dir, user=package))
        return planned

    def studio(self, context: Context, folder: str, vendor: bool) -> Tuple[StudioTree, StudioLine]:
        """The tree's ``packages/accsyn.json`` (paths into that version of the tree): HOUDINI_PACKAGE_DIR names it."""

        def entry(final: str) -> Dict[str, bytes]:
            data = package_data(Context(home="", repo=final, os_name=context.os_name), vendor)
            return {f"packages/{PACKAGE_FILE}": (json.dumps(data, indent=4) + "\n").encode("utf-8")}

        sources = ((context.join(context.repo, "plugins", "houdini"), "plugins/houdini"),
                   (context.join(context.repo, "common", "accsyn_dcc"), "common/accsyn_dcc"))  # fmt: skip
        line = StudioLine("HOUDINI_PACKAGE_DIR", ("packages",), is_list=False)
        return StudioTree(folder, self.name, sources, entry, vendor), line


INSTALLER = HoudiniInstaller()
