"""What the submit session needs from a host application (Nuke, Maya, Houdini, Blender), and the scene-file host.

A host plugin implements ``HostAdapter``; the core never imports a host module. Scanning is split
in two: ``collect_scan`` runs on the host's main thread (where its API may be called), reports
progress and returns a ``PendingScan``, whose ``finish`` runs on a worker thread and does the
file-system work. ``SceneFileHost`` is the adapter for a scene file on disk (the command line, tools, tests).
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from types import MappingProxyType
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from accsyn_dcc.errors import AccsynDccError, ScanCancelled
from accsyn_dcc.host_table import Host, HostWords, host_of_scene
from accsyn_dcc.naming import natural_sort_key
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.workspace import Engine

ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``: called now and then during ``collect_scan``."""
CancelledCallback = Callable[[], bool]
"""``cancelled()``: True once the artist asked to stop; ``collect_scan`` then raises ``ScanCancelled``."""


def engine_for_version(engines: Sequence[Engine], host_name: str, major: int) -> Optional[str]:
    """The engine for ``host_name`` version ``major``: ``maya-2024`` for 2024.x, else one named like
    ``nuke-16.0`` or ``nuke16v2`` (the newest such); None when there is none."""
    codes = [engine.code for engine in engines]
    exact = f"{host_name}-{major}"
    if exact in codes:
        return exact
    pattern = re.compile(rf"^{re.escape(host_name)}-?{major}(?:[.\-v]\d.*)?$", re.IGNORECASE)
    candidates = sorted((code for code in codes if pattern.match(code)), key=natural_sort_key)
    return candidates[-1] if candidates else None


def layer_and_camera(output: Output) -> Tuple[str, str]:
    """A Maya output's render layer and camera (its outputs are named ``layer`` or ``layer/camera``)."""
    layer, _slash, camera = output.node.partition("/")
    return layer, camera


def output_parameters(
    application: Optional[Host], outputs: Sequence[Output], legacy_layers: Mapping[str, str] = MappingProxyType({})
) -> Dict[str, Any]:
    """The engine parameters naming ``outputs``, by the application's ``output_parameter``: the full node names
    (Nuke's Writes, Houdini's ROPs); Maya's render layers by their ``Render -rl`` names (``legacy_layers``: layer
    name -> ``renderLayer`` node) and their cameras. The same for the running application and its scene file."""
    key = application.output_parameter if application is not None else ""
    if not key:
        return {}
    if key != "layers":
        return {key: [output.node for output in outputs]}
    pairs = [layer_and_camera(output) for output in outputs]
    return {
        "layers": list(dict.fromkeys(legacy_layers.get(layer, layer) for layer, _camera in pairs)),
        "cameras": list(dict.fromkeys(camera for _layer, camera in pairs if camera)),
    }


class PendingScan(ABC):
    """What ``collect_scan`` read on the main thread; ``finish`` checks the files on a worker thread."""

    @abstractmethod
    def finish(self) -> ScanResult:
        """Check the collected files against disk (any thread; never calls the host API)."""


class HostAdapter(ABC):
    """The facts and actions of one host application, as the submit session needs them."""

    application: Optional[Host] = None
    """Its row of the host table (``host_table.HOSTS``): name, words, engine setting; for a scene file, the row
    of the application that saved it, if known."""
    host_name: str = ""
    """Short lower-case name: ``nuke``, ``maya``, ``houdini``, ``blender``, ``file``."""
    words: HostWords = HostWords()

    @property
    @abstractmethod
    def host_version(self) -> str:
        """The running application's version, e.g. ``16.0v2``."""

    @abstractmethod
    def scene_path(self) -> Optional[str]:
        """Absolute path of the open scene, or None when it was never saved."""

    @abstractmethod
    def is_modified(self) -> bool:
        """True when the open scene has unsaved changes."""

    @abstractmethod
    def save_scene(self) -> None:
        """Save the open scene in place (only ever called after the artist agreed)."""

    @abstractmethod
    def frame_range(self) -> Optional[FrameRange]:
        """The scene's own frame range, or None when it has none."""

    @abstractmethod
    def outputs(self, selected_only: bool = False) -> List[Output]:
        """The enabled render outputs (every one, or only the selected ones), by full node name."""

    @abstractmethod
    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> PendingScan:
        """Main-thread part of the scan: read what the host API knows. Raises ScanCancelled when cancelled."""

    engine_setting: str = ""
    """Settings key that names the engine to preselect (``nuke_engine``, ``maya_engine``); empty: none."""
    choices_from_scan: bool = False
    """True when the scene's own range and outputs are known only once it is scanned (a scene file)."""
    settings: Mapping[str, Any] = MappingProxyType({})
    """The settings' values (the studio's with the user's over them) as the plugin or the command line was given
    them; ``engine_override`` reads the host's engine setting from them."""

    def engine_override(self) -> str:
        """The engine the settings name for this host (``nuke_engine``: preselected over the one for its version);
        empty: none."""
        return str(self.settings.get(self.engine_setting) or "") if self.engine_setting else ""

    @property
    def major_version(self) -> int:
        """The running application's major version (``2024`` of ``2024.2``, ``20`` of ``20.5.370``); 0 unknown."""
        found = re.match(r"\d+", self.host_version)
        return int(found.group(0)) if found else 0

    def default_engine(self, engines: Sequence[Engine]) -> Optional[str]:
        """The engine to preselect: the ``engine_setting`` override, else the one for this version
        (``maya-2024``), else one named like the host alone (``maya``), never another version's; for a host
        whose version is unknown, the newest of its engines."""
        override = self.engine_override()
        codes = [engine.code for engine in engines]
        if override and override in codes:
            return override
        versioned = engine_for_version(engines, self.host_name, self.major_version)
        if versioned or self.major_version:
            return versioned or next((code for code in codes if code.lower() == self.host_name), None)
        prefix = f"{self.host_name}-"
        own = [code for code in codes if code.lower() == self.host_name or code.lower().startswith(prefix)]
        return sorted(own, key=natural_sort_key)[-1] if own else None

    def output_parameters(self, outputs: Sequence[Output]) -> Dict[str, Any]:
        """Engine parameters naming the chosen outputs (``{"writes": [...]}`` for Nuke): ``output_parameters``."""
        return output_parameters(self.application, outputs)

    def relative_to_scene(self, path: str) -> bool:
        """True when a leading ``//`` in a path means "beside the scene" (Blender), not a UNC path."""
        return False


class OfflineScan(PendingScan):
    """A scene file read by the core's offline reader for its extension."""

    def __init__(self, path: str, frames: Optional[FrameRange]) -> None:
        self.path = path
        self.frames = frames

    def finish(self) -> ScanResult:
        from accsyn_dcc.scan import scan_scene

        return scan_scene(self.path, frames=self.frames)


class SceneFileHost(HostAdapter):
    """A scene file on disk, scanned by the offline reader for its extension; nothing is ever saved."""

    host_name = "file"
    choices_from_scan = True

    def __init__(
        self, path: str, default_engine_code: Optional[str] = None, settings: Mapping[str, Any] = MappingProxyType({})
    ) -> None:
        """``default_engine_code``: the settings' default engine, preferred to one guessed by the extension;
        ``settings``: the settings' values, whose engine setting for the application that saved the scene
        (``nuke_engine`` for a ``.nk``) is preferred to both, as a running application prefers it."""
        self._path = os.path.abspath(path)
        self._default_engine = default_engine_code
        self._scan: Optional[ScanResult] = None
        self.settings = settings
        self.application = host_of_scene(path)
        if self.application is not None:
            self.words = self.application.words
            self.engine_setting = self.application.engine_setting

    @property
    def host_version(self) -> str:
        return ""

    def scene_path(self) -> Optional[str]:
        return self._path

    def is_modified(self) -> bool:
        return False

    def save_scene(self) -> None:
        raise AccsynDccError(f"{self._path}: a scene file opened outside its application cannot be saved from here")

    def remember(self, scan: ScanResult) -> None:
        """Keep what a scan found, so ``outputs``/``frame_range`` can answer."""
        self._scan = scan

    def frame_range(self) -> Optional[FrameRange]:
        """The range the reader found, as it built it (never parsed again)."""
        return self._scan.frame_range if self._scan else None

    def outputs(self, selected_only: bool = False) -> List[Output]:
        return list(self._scan.outputs) if self._scan else []

    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> PendingScan:
        if cancelled():
            raise ScanCancelled()
        progress(1, 1)
        return _RememberingScan(self, frames)

    def default_engine(self, engines: Sequence[Engine]) -> Optional[str]:
        codes = [engine.code for engine in engines]
        for code in (self.engine_override(), self._default_engine):
            if code and code in codes:
                return code
        extension = os.path.splitext(self._path)[1].lower()
        matching = sorted(
            (
                engine.code
                for engine in engines
                if engine.filename_extensions and engine.accepts(extension)
            ),
            key=natural_sort_key,
        )
        return matching[-1] if matching else None

    def output_parameters(self, outputs: Sequence[Output]) -> Dict[str, Any]:
        """As the application that saved the scene names them (a Maya scene's layers as its reader lists them)."""
        layers = self._scan.facts.get("layers", []) if self._scan else []
        legacy = {str(layer["name"]): str(layer["render_layer"]) for layer in layers}
        return output_parameters(self.application, outputs, legacy)

    def relative_to_scene(self, path: str) -> bool:
        return self._path.lower().endswith(".blend")


class _RememberingScan(OfflineScan):
    def __init__(self, host: SceneFileHost, frames: Optional[FrameRange]) -> None:
        super().__init__(host.scene_path() or "", frames)
        self.host = host

    def finish(self) -> ScanResult:
        result = super().finish()
        self.host.remember(result)
        return result
