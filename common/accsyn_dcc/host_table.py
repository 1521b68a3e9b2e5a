"""The one table of host applications: each row is what the core knows of one host, read by every part.

The plugins take their name, words and engine setting from their row; the command line and a scene opened
outside its application find the row by the scene's extension (its reader, its words, the engine family
that renders it); the settings accept each row's engine setting. A leaf module: it imports nothing of
the core, so the scanners, the settings and the hosts can all read it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, Optional, Tuple


@dataclass(frozen=True)
class HostWords:
    """How a host names things, for every sentence the core writes (findings, dialog labels)."""

    output: str = "output"
    """One render output: ``Write`` (Nuke), ``ROP`` (Houdini), ``render layer`` (Maya), ``view layer`` (Blender)."""
    outputs: str = "outputs"
    scene: str = "scene"
    """The document: ``script`` (Nuke), ``scene`` elsewhere."""


@dataclass(frozen=True)
class Host:
    """One host application (or scene format) as the core knows it."""

    name: str
    """Short lower-case name: ``nuke``, ``maya``, ``houdini``, ``blender``, ``usd``."""
    label: str
    words: HostWords
    scene_extensions: Tuple[str, ...]
    """The scene files it saves."""
    reader: str = ""
    """``module:function`` of the offline reader (``(path, frames=None, **options) -> ScanResult``)."""
    readable_extensions: Tuple[str, ...] = ()
    """The scene files the reader reads (a binary ``.mb`` is a Maya scene no reader reads)."""
    engine_setting: str = ""
    """The settings key that names the engine to preselect for it (``nuke_engine``); empty: none."""
    engine_family: str = ""
    """The engine family that renders its scenes when no workspace says (``husk`` for USD); empty: ``name``."""
    output_parameter: str = ""
    """The engine parameter naming the outputs to render (``writes``, ``rops``; Maya's ``layers`` come with their
    ``cameras``); empty: the engine renders every output."""
    plugin_path: str = ""
    """The variable the render reads its plugin folders from (``NUKE_PATH``): set to the folders of the scene's
    ``plugin_kinds`` dependencies when the submit sets it not; empty: none."""
    plugin_kinds: Tuple[str, ...] = ()
    """The dependency kinds found through ``plugin_path`` (a Nuke ``gizmo``)."""

    @property
    def engine(self) -> str:
        return self.engine_family or self.name


HOSTS: Tuple[Host, ...] = (
    Host("nuke", "Nuke", HostWords("Write", "Writes", "script"), (".nk",), "accsyn_dcc.scan.nuke:scan_file",
         (".nk", ".gizmo"), "nuke_engine", output_parameter="writes", plugin_path="NUKE_PATH",
         plugin_kinds=("gizmo",)),
    Host("maya", "Maya", HostWords("render layer", "render layers", "scene"), (".ma", ".mb"),
         "accsyn_dcc.scan.maya:scan_file", (".ma",), "maya_engine", output_parameter="layers"),
    Host("houdini", "Houdini", HostWords("ROP", "ROPs", "scene"), (".hip", ".hiplc", ".hipnc"),
         "accsyn_dcc.scan.houdini:scan_file", (".hip", ".hiplc", ".hipnc"), "houdini_engine",
         output_parameter="rops"),
    Host("blender", "Blender", HostWords("view layer", "view layers", "scene"), (".blend",),
         "accsyn_dcc.scan.blend:scan_file", (".blend",)),
    Host("usd", "USD", HostWords("render product", "render products", "stage"), (".usd", ".usda", ".usdc", ".usdz"),
         "accsyn_dcc.scan.usd:scan_file", (".usd", ".usda", ".usdc", ".usdz"), engine_family="husk"),
)  # fmt: skip

READERS: Dict[str, str] = {extension: host.reader for host in HOSTS for extension in host.readable_extensions}
"""A scene file's extension -> its offline reader (``module:function``)."""
ENGINE_SETTINGS: Tuple[str, ...] = tuple(host.engine_setting for host in HOSTS if host.engine_setting)


def host_named(name: str) -> Host:
    """The row of ``name`` (``nuke``...); a KeyError names an unknown one."""
    for host in HOSTS:
        if host.name == name:
            return host
    raise KeyError(f"no host named {name!r}")


def host_of_scene(path: str) -> Optional[Host]:
    """The row whose scene files end like ``path`` (read or not), or None."""
    extension = os.path.splitext(path)[1].lower()
    return next((host for host in HOSTS if extension in host.scene_extensions + host.readable_extensions), None)
