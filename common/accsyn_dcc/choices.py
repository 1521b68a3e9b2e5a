"""The one record of what a submit sends: ``SubmitChoices``, which every entry point fills and the session plans from.

A module of its own (it imports no part of the session), so the settings schema can read its fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping, Optional, Tuple

from accsyn_dcc.errors import ValidationError
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output


@dataclass(frozen=True)
class SubmitChoices:
    """Everything an artist, a script or a command line chose for a submit."""

    engine: str = ""
    range_text: str = ""
    name: str = ""
    bucket_size: int = 1
    queue: str = ""
    outputs: Tuple[Output, ...] = ()
    one_job_per_output: bool = False
    filters: str = ""
    """The accsyn filters text (``ram:>32g,site:sthlm``)."""
    input_conversion: str = ""
    """``auto``/``always``/``platform``/``never``; empty: ``auto`` for text scenes, none for binary ones."""
    site_settings: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    envs: Mapping[str, str] = field(default_factory=dict)
    os_envs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    arguments: Optional[str] = None
    output_folder: str = ""
    """Where the job's output goes; empty: the common folder of the outputs."""
    extra_dependencies: Tuple[str, ...] = ()
    clear_output_directory: Optional[str] = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    """Engine parameters beyond the host's output parameters."""
    allow_missing: bool = False
    """Submit although dependencies are missing: what exists is sent, the rest is reported as left out."""
    send_off_share: Tuple[str, ...] = ()
    """Files (or folders) on no share and outside the scene's folder that the artist chose, by name, to send."""

    @cached_property
    def _parsed_range(self) -> Tuple[Optional[FrameRange], Optional[ValidationError]]:
        try:
            return FrameRange.parse(self.range_text), None
        except ValidationError as error:  # kept without its traceback: frames held here would make the
            return None, error.with_traceback(None)  # choices a cycle the collector frees on any thread

    @property
    def frames(self) -> Optional[FrameRange]:
        """The range, parsed once; None when it is empty or invalid (``range_error`` says why)."""
        return self._parsed_range[0]

    @property
    def range_error(self) -> Optional[ValidationError]:
        return self._parsed_range[1]
