"""The Maya project a scene belongs to, and how Maya finds a file whose saved path does not exist.

The project is the nearest folder above the scene holding ``workspace.mel`` (its ``workspace -fr``
file rules name the ``images`` and ``sourceImages`` folders), looked for up to the file system's root
(an incremental save lies at ``<project>/scenes/<shot>/incrementalSave/<file>.ma/<file>.0040.ma``);
without one, the folder above the nearest ``scenes`` folder, else the scene's own folder. A ``.ma``
file does not say where its project is (Maya saves no ``workspace`` command nor project ``fileInfo``).
A relative path is relative to the project. When an absolute path is missing, Maya also looks beside the
scene, in the project's source-images folder and under the project for the part of the path below a
project folder name; ``fallbacks`` lists those places in that order.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Dict, List

from accsyn_dcc.references import is_absolute_path
from accsyn_dcc.scan.readable import UnreadableFile, read_bounded, scene_text, shown

WORKSPACE_FILE = "workspace.mel"
MAX_WORKSPACE_BYTES = 1024 * 1024
SEARCH_LEVELS = 32
"""How many folders above the scene to look for ``workspace.mel`` (one file check each), the root at most."""
DEFAULT_RULES = {"images": "images", "sourceImages": "sourceimages", "scene": "scenes"}
_FILE_RULE = re.compile(r'workspace\s+(?:-fr|-fileRule)\s+"([^"]*)"\s+"([^"]*)"')


@dataclass(frozen=True)
class MayaProject:
    """A project folder and its file rules (rule -> folder, relative to the project or absolute)."""

    root: str
    rules: Dict[str, str] = field(default_factory=dict)
    workspace_file: str = ""
    """The ``workspace.mel`` read, empty when the project was inferred from the folders."""
    problem: str = ""
    """Why ``workspace_file`` could not be read (Maya's default file rules stand in for its own)."""

    def folder(self, rule: str) -> str:
        """The absolute folder of a file rule (``images``, ``sourceImages``)."""
        value = self.rules.get(rule) or DEFAULT_RULES.get(rule, rule)
        return value if is_absolute_path(value) else os.path.join(self.root, value).replace("\\", "/")

    def absolute(self, path: str) -> str:
        """``path`` made absolute the way Maya does: relative to the project root."""
        if is_absolute_path(path):
            return path
        return os.path.normpath(os.path.join(self.root, path)).replace("\\", "/")

    def fallbacks(self, path: str, scene_folder: str) -> List[str]:
        """Where Maya looks when the absolute ``path`` does not exist, in order, without duplicates."""
        parts = re.split(r"[\\/]+", path)
        name = parts[-1]
        places = [os.path.join(scene_folder, name), os.path.join(self.folder("sourceImages"), name)]
        rule_folders = {os.path.basename(self.folder(rule).rstrip("/")) for rule in ("sourceImages", "images")}
        rule_folders |= {"sourceimages", "cache", "data", "assets", "scenes"}
        for index, part in enumerate(parts[:-1]):
            if part in rule_folders:
                places.append(os.path.join(self.root, *parts[index:]))
                break
        normalised = [os.path.normpath(place).replace("\\", "/") for place in places]
        return [place for index, place in enumerate(normalised) if place not in normalised[:index]]


def find_project(scene_path: str) -> MayaProject:
    """The project of the scene at ``scene_path`` (see the module's description)."""
    folder = os.path.dirname(os.path.abspath(scene_path))
    candidate, above_scenes = folder, ""
    for _level in range(SEARCH_LEVELS + 1):
        workspace = os.path.join(candidate, WORKSPACE_FILE)
        if os.path.isfile(workspace):
            try:
                return MayaProject(candidate, read_file_rules(workspace), workspace)
            except UnreadableFile as error:
                problem = f"{shown(workspace)}: not read ({error}); Maya's default file rules are used"
                return MayaProject(candidate, {}, workspace, problem)
        parent = os.path.dirname(candidate)
        if not above_scenes and os.path.basename(candidate).lower() == "scenes":
            above_scenes = parent
        if parent == candidate:
            break
        candidate = parent
    return MayaProject(above_scenes or folder)


def read_file_rules(workspace: str) -> Dict[str, str]:
    """The ``workspace -fr "rule" "folder";`` lines of a ``workspace.mel``; ``UnreadableFile`` when it cannot
    be read."""
    text = scene_text(read_bounded(workspace, MAX_WORKSPACE_BYTES, "workspace.mel"))
    return {rule: folder for rule, folder in _FILE_RULE.findall(text) if folder}
