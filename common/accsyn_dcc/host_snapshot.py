"""A host's answers about its open scene, read once on its main thread, for a worker thread to plan a submit with.

A host application's API may be called from its main thread only, yet planning a submit (findings, payloads, the
studio's hooks) takes long enough on a big scene that a dialog runs it on a worker thread. ``HostSnapshot`` asks
the host, on the main thread, everything ``SubmitSession.prepare`` asks it (the scene's path, unsaved changes,
range, and the engine parameters naming the chosen outputs) and answers from what it read, anywhere.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.hosts import CancelledCallback, HostAdapter, PendingScan, ProgressCallback
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output


class HostSnapshot(HostAdapter):
    """``host`` as it answered when made (on its main thread), for the ``outputs`` chosen then."""

    def __init__(self, host: HostAdapter, outputs: Sequence[Output]) -> None:
        self.application = host.application
        self.host_name = host.host_name
        self.words = host.words
        self.engine_setting = host.engine_setting
        self.settings = host.settings
        self._host = host
        self._version = host.host_version
        self._scene = host.scene_path()
        self._modified = host.is_modified()
        self._range = host.frame_range()
        self._outputs = list(outputs)
        groups = [tuple(self._outputs)] + [(output,) for output in self._outputs]  # one job, or one per output
        self._parameters = {_nodes(group): host.output_parameters(group) for group in groups}

    @property
    def host_version(self) -> str:
        return self._version

    def scene_path(self) -> Optional[str]:
        return self._scene

    def is_modified(self) -> bool:
        return self._modified

    def frame_range(self) -> Optional[FrameRange]:
        return self._range

    def outputs(self, selected_only: bool = False) -> List[Output]:
        return list(self._outputs)

    def output_parameters(self, outputs: Sequence[Output]) -> Dict[str, Any]:
        found = self._parameters.get(_nodes(outputs))
        if found is None:
            raise AccsynDccError(f"{', '.join(_nodes(outputs))}: not among the outputs read from the host")
        return dict(found)

    def relative_to_scene(self, path: str) -> bool:
        return self._host.relative_to_scene(path)  # a rule of the host's path syntax: it never asks the host's API

    def save_scene(self) -> None:
        raise AccsynDccError(f"the {self.words.scene} is saved on the host's main thread, not from a snapshot")

    def collect_scan(
        self, frames: Optional[FrameRange], progress: ProgressCallback, cancelled: CancelledCallback
    ) -> PendingScan:
        raise AccsynDccError(f"the {self.words.scene} is scanned on the host's main thread, not from a snapshot")


def _nodes(outputs: Sequence[Output]) -> Tuple[str, ...]:
    return tuple(output.node for output in outputs)
