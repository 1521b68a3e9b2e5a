"""What the shared submit dialog and batch submit need from a host application (Nuke, Maya, Houdini, Blender).

A host plugin implements ``HostAdapter``; the dialog never imports a host module itself. Scanning is
split in two: ``collect_scan`` runs on the host's main thread (where its API may be called) and
reports progress, ``finish_scan`` runs on a worker thread and does the file-system work.
``SceneFileHost`` is the adapter for a scene file on disk (no host application), used by tools and tests.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from typing import Any, Callable, Dict, List, Optional, Sequence

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.workspace import Engine

ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``: called now and then during ``collect_scan``."""
CancelledCallback = Callable[[], bool]
"""``cancelled()``: True once the artist asked to stop; ``collect_scan`` then raises ``ScanCancelled``."""


def natural(text: str) -> List[Any]:
    """Sort key putting ``nuke-9`` before ``nuke-16``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.lower())]


class ScanCancelled(AccsynDccError):
    """The artist cancelled the scan."""

    def __init__(self, message: str = "The scan was cancelled.") -> None:
        super().__init__(message)


class HostAdapter(ABC):
    """The facts and actions of one host application, as the submitter needs them."""

    host_name: str = ""
    """Short lower-case name: ``nuke``, ``maya``, ``houdini``, ``blender``, ``file``."""

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
    ) -> Any:
        """Main-thread part of the scan: read what the host API knows. Raises ScanCancelled when cancelled."""

    @abstractmethod
    def finish_scan(self, collected: Any) -> ScanResult:
        """Worker-thread part of the scan: check the files ``collect_scan`` found."""

    def default_engine(self, engines: Sequence[Engine]) -> Optional[str]:
        """The engine code to preselect for this host among ``engines``; None when none fits."""
        prefix = f"{self.host_name}-"
        candidates = sorted((engine.code for engine in engines if engine.code.lower().startswith(prefix)), key=natural)
        return candidates[-1] if candidates else None

    def suggested_envs(self, scan: Optional[ScanResult]) -> Dict[str, str]:
        """Environment variables the render probably needs (e.g. NUKE_PATH for gizmos); empty by default."""
        return {}

    def output_parameters(self, outputs: Sequence[Output]) -> Dict[str, Any]:
        """Engine parameters naming the chosen outputs (e.g. ``{"writes": [...]}`` for Nuke); empty by default."""
        return {}


class SceneFileHost(HostAdapter):
    """A scene file on disk, scanned by the offline scanner for its extension; nothing is ever saved."""

    host_name = "file"

    def __init__(self, path: str, default_engine_code: Optional[str] = None) -> None:
        self._path = os.path.abspath(path)
        self._default_engine = default_engine_code
        self._outputs: Optional[List[Output]] = None
        self._range: Optional[FrameRange] = None

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
        """Keep the outputs and range a scan found, so ``outputs``/``frame_range`` can answer."""
        self._outputs = list(scan.outputs)
        if scan.frame_range:
            self._range = FrameRange.parse(scan.frame_range, field="scene range")

    def frame_range(self) -> Optional[FrameRange]:
        return self._range

    def outputs(self, selected_only: bool = False) -> List[Output]:
        return list(self._outputs or [])

    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> Any:
        if cancelled():
            raise ScanCancelled()
        progress(1, 1)
        return frames

    def finish_scan(self, collected: Any) -> ScanResult:
        from accsyn_dcc.scan import scan_scene

        result = scan_scene(self._path, frames=collected)
        self.remember(result)
        return result

    def default_engine(self, engines: Sequence[Engine]) -> Optional[str]:
        if self._default_engine and any(engine.code == self._default_engine for engine in engines):
            return self._default_engine
        extension = os.path.splitext(self._path)[1].lower()
        matching = sorted(
            (
                engine.code
                for engine in engines
                if engine.settings.filename_extensions and engine.settings.accepts(extension)
            ),
            key=natural,
        )
        return matching[-1] if matching else None
