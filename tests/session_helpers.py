"""Build payloads through the submit session, as the CLI does, for tests that need one payload quickly."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List, Optional, Sequence

from accsyn_dcc.config import Settings
from accsyn_dcc.hosts import HostAdapter, HostWords, PendingScan, SceneFileHost
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.session import SubmitSession
from accsyn_dcc.workspace import WorkspaceInfo


def scene_payload(
    scene: str, settings: Settings, workspace: Optional[WorkspaceInfo] = None, **choices: Any
) -> Dict[str, Any]:
    """The one payload the session plans for ``scene`` (scanned for real) with ``choices`` over its defaults."""
    session = SubmitSession(SceneFileHost(scene), settings, workspace=workspace, offline=True)
    session.scan()
    [payload] = session.payloads(replace(session.initial_choices(), **choices))
    return payload


class StubScan(PendingScan):
    def __init__(self, result: ScanResult) -> None:
        self.result = result

    def finish(self) -> ScanResult:
        return self.result


class StubHost(HostAdapter):
    """A host with a fixed scene, outputs and scan result (for session and pre-flight tests)."""

    host_name = "stub"
    words = HostWords(output="Write", outputs="Writes", scene="script")

    def __init__(
        self,
        scene: Optional[str] = "/mnt/projects/shot/comp.nk",
        outputs: Sequence[Output] = (),
        scan: Optional[ScanResult] = None,
        modified: bool = False,
        frame_range: str = "1001-1010",
    ) -> None:
        self.scene = scene
        self._outputs = list(outputs)
        self._scan = scan or ScanResult(scene=scene or "")
        self.modified = modified
        self._range = frame_range

    @property
    def host_version(self) -> str:
        return "1.0"

    def scene_path(self) -> Optional[str]:
        return self.scene

    def is_modified(self) -> bool:
        return self.modified

    def save_scene(self) -> None:
        self.modified = False

    def frame_range(self) -> Optional[FrameRange]:
        return FrameRange.parse(self._range) if self._range else None

    def outputs(self, selected_only: bool = False) -> List[Output]:
        return list(self._outputs)

    def collect_scan(self, frames: Any, progress: Any, cancelled: Any) -> PendingScan:
        return StubScan(self._scan)


class Recorder:
    """A client that records what it is asked to create."""

    def __init__(self) -> None:
        self.created: List[Dict[str, Any]] = []

    def create_compute_job(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        self.created.append(payload)
        return {"id": f"j{len(self.created)}", **payload}
