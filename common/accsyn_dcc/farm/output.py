"""Which of a job's frames are on disk: the local farm counts "done" from the output, not from exit codes."""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any, List, Mapping, Optional, Sequence

from accsyn_dcc.paths import PathMapper
from accsyn_dcc.ranges import compact
from accsyn_dcc.tokens import PathPattern, TokenError
from accsyn_dcc.workspace import Volume

OUTPUT_METADATA = ".accsyn-compute-metadata.json"
"""Where an engine that clears its output folder names the job that owns it (protocol section 4.7)."""


class OutputFrames:
    """Which of a job's frames count as done on disk: those its output frame pattern names and the disk holds,
    and, when the job clears its output folder, only while that folder is this job's."""

    def __init__(self, folder: str, pattern: Optional[PathPattern], job_id: str, clears: bool) -> None:
        self.folder = folder
        self.pattern = pattern
        """The output's frame files; None for a folder output, whose files only the engine knows."""
        self.job_id = job_id
        self.clears = clears

    @classmethod
    def of(
        cls,
        payload: Mapping[str, Any],
        job_id: str,
        volumes: Sequence[Volume],
        local_share_paths: Mapping[str, str],
        site_code: str,
    ) -> Optional[OutputFrames]:
        """The output where ``local_share_paths`` put it, as rendered on site ``site_code``; None when nothing on
        disk can be checked (a folder output not cleared): the exit code is all we know."""
        output = payload.get("output")
        if not isinstance(output, str) or not output:
            return None
        path = local_path(output, volumes, local_share_paths)
        clears = clears_output(payload.get("parameters") or {}, site_code)
        try:
            pattern: Optional[PathPattern] = PathPattern.parse(path)
        except TokenError:
            pattern = None
        if pattern is not None and pattern.is_sequence and not pattern.is_tiled and not pattern.view_names:
            with contextlib.suppress(ValueError):  # a token in the folder part: no one folder to look in
                return cls(pattern.split_name()[0], pattern, job_id, clears)
        return cls(path, None, job_id, clears) if clears else None

    def on_disk(self, frames: Sequence[int]) -> List[int]:
        """Those of ``frames`` on disk as this job's."""
        if self.clears and self.owner().get("id") != self.job_id:
            return []
        if self.pattern is None:
            return list(frames)
        names = self.pattern.frame_names(list(frames))
        return [frame for frame, name in zip(frames, names) if os.path.isfile(name)]

    def owner(self) -> Mapping[str, Any]:
        """The job the output folder's metadata names ({} when none)."""
        try:
            with open(os.path.join(self.folder, OUTPUT_METADATA), encoding="utf-8") as stream:
                owner = json.load(stream)
        except (OSError, ValueError):
            return {}
        return owner if isinstance(owner, dict) else {}

    def missing(self, frames: Sequence[int], since: str = "") -> str:
        """Why ``frames`` do not count as done, in one line."""
        owner = self.owner()
        if self.pattern is None or (self.clears and owner.get("id") != self.job_id):
            whose = f"job {owner.get('code')} ({owner.get('id')})" if owner else "no job"
            return f"frame(s) {compact(frames)} do not count: the output folder {self.folder} is {whose}'s{since}"
        return f"frame(s) {compact(frames)} are not on disk{since}: {self.pattern.path}"


def clears_output(parameters: Mapping[str, Any], site_code: str) -> bool:
    """``clear_output_directory`` applies on site ``site_code`` (``true``, ``site:<it>``, ``!site:<another>``)."""
    setting = str(parameters.get("clear_output_directory") or "").lower()
    if setting.startswith("!site:"):
        return setting[6:] != site_code.lower()
    return setting in ("true", f"site:{site_code.lower()}")


def local_path(path: str, volumes: Sequence[Volume], local_share_paths: Mapping[str, str]) -> str:
    """``path`` (``share=<code>/rel`` or on a volume) where this machine has it; else as given."""
    mapper = PathMapper(volumes, local_share_paths)
    share = path if path.startswith(("share=", "volume=")) else mapper.to_accsyn(path)
    return (mapper.to_local(share) if share else None) or path
