"""Maya: a module file, ``accsyn.mod``, in the user's Maya modules folder.

The folder is ``MAYA_APP_DIR/modules`` when ``MAYA_APP_DIR`` is set, else the per-user Maya folder of the
OS (``~/maya``, ``~/Library/Preferences/Autodesk/maya``, ``~/Documents/maya``). The module has one entry
per supported Maya version, each adding ``plugins/maya/scripts`` (the ``accsyn_maya`` package and its
``userSetup.py``, which builds the shelf and the Render menu item) and, on ``PYTHONPATH``, the shared core
and the vendored dependencies after Maya's own. The user's ``userSetup.py``, shelves and other modules are
never touched; ``--uninstall`` removes the file (and the modules folder when the install created it).
"""

from __future__ import annotations

import os
from typing import Dict, List, Mapping, Optional, Tuple

from installers.base import Action, Context, HostInstaller, OwnedFile, Vendor
from installers.studio import StudioLine, StudioTree

MAYA_VERSIONS = ("2023", "2024", "2025", "2026")
"""Maya 2023-2024 (Python 3.9/3.10, PySide2) and 2025-2026 (Python 3.11, PySide6)."""
MODULE_NAME = "accsyn"
MODULE_VERSION = "0.1.0"


def maya_app_dir(context: Context, environ: Mapping[str, str]) -> str:
    if environ.get("MAYA_APP_DIR"):
        return environ["MAYA_APP_DIR"]
    if context.os_name == "windows":
        return context.join(context.home, "Documents", "maya")
    if context.os_name == "mac":
        return context.join(context.home, "Library", "Preferences", "Autodesk", "maya")
    return context.join(context.home, "maya")


def module_text(context: Context, vendor: bool) -> str:
    """The ``.mod`` file: one ``+ MAYAVERSION:<year>`` entry per supported Maya, each with the same paths."""
    module_root = context.join(context.repo, "plugins", "maya")
    lines: List[str] = []
    for version in MAYA_VERSIONS:
        lines += [
            f"+ MAYAVERSION:{version} {MODULE_NAME} {MODULE_VERSION} {module_root}",
            "scripts: scripts",
            f"PYTHONPATH+:={context.join(context.repo, 'common')}",
        ]
        if vendor:
            lines.append(f"PYTHONPATH+:={context.vendor_dir}")
        lines.append("")
    return "\n".join(lines)


class MayaInstaller(HostInstaller):
    name = "maya"

    def __init__(self, environ: Optional[Mapping[str, str]] = None) -> None:
        self.environ = environ

    def module_file(self, context: Context) -> str:
        environ = os.environ if self.environ is None else self.environ
        return context.join(maya_app_dir(context, environ), "modules", f"{MODULE_NAME}.mod")

    def actions(self, context: Context, vendor: bool) -> List[Action]:
        module = self.module_file(context)
        planned: List[Action] = [OwnedFile(module, module_text(context, vendor).encode("utf-8"), context.ledger)]
        if vendor:
            planned.append(Vendor(context.vendor_dir, user=module))
        return planned

    def studio(self, context: Context, folder: str, vendor: bool) -> Tuple[StudioTree, StudioLine]:
        """The tree holds ``accsyn.mod`` (its paths point into that version of the tree): MAYA_MODULE_PATH names it."""

        def entry(final: str) -> Dict[str, bytes]:
            tree = Context(home="", repo=final, os_name=context.os_name)
            return {f"{MODULE_NAME}.mod": module_text(tree, vendor).encode("utf-8")}

        sources = ((context.join(context.repo, "plugins", "maya"), "plugins/maya"),
                   (context.join(context.repo, "common", "accsyn_dcc"), "common/accsyn_dcc"))  # fmt: skip
        return StudioTree(folder, self.name, sources, entry, vendor), StudioLine("MAYA_MODULE_PATH", ())


INSTALLER = MayaInstaller()
