"""Nuke: a block in ``~/.nuke/init.py`` (the same folder on Windows, macOS and Linux) adding the plugin path.

``plugins/nuke/init.py`` then puts ``common/`` and the vendored dependencies on Nuke's ``sys.path``.
"""

from __future__ import annotations

from typing import List, Tuple

from installers.base import Action, Context, HostInstaller, StartupBlock, Vendor
from installers.studio import StudioLine, StudioTree


class NukeInstaller(HostInstaller):
    name = "nuke"

    def init_file(self, context: Context) -> str:
        return context.join(context.home, ".nuke", "init.py")

    def block_body(self, context: Context) -> str:
        plugin_dir = context.join(context.repo, "plugins", "nuke")
        return f"import nuke\nnuke.pluginAddPath({plugin_dir!r})"

    def actions(self, context: Context, vendor: bool) -> List[Action]:
        planned: List[Action] = [StartupBlock(self.init_file(context), self.block_body(context), self.name)]
        if vendor:
            planned.append(Vendor(context.vendor_dir, user=self.init_file(context)))
        return planned

    def studio(self, context: Context, folder: str, vendor: bool) -> Tuple[StudioTree, StudioLine]:
        sources = ((context.join(context.repo, "plugins", "nuke"), "plugins/nuke"),
                   (context.join(context.repo, "common", "accsyn_dcc"), "common/accsyn_dcc"))  # fmt: skip
        return StudioTree(folder, self.name, sources, vendor=vendor), StudioLine("NUKE_PATH", ("plugins", "nuke"))


INSTALLER = NukeInstaller()
