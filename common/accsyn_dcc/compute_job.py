"""The Compute job model and its payload builder.

``ComputeJob.to_payload()`` emits exactly the JSON accsyn's ``create("Compute", ...)`` expects,
omitting unset optional fields, and refuses invalid values with one error naming each field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

from accsyn_dcc.payload_rules import (
    Reviewed,
    check_payload,
    normalise_legacy_keys,
    review_payload,
    setting_text,
    validate_payload,
)

__all__ = [
    "ComputeJob",
    "JobParameters",
    "SharePathMapping",
    "check_payload",
    "normalise_legacy_keys",
    "setting_text",
    "validate_payload",
]

SettingValue = Union[str, int, float, bool]


@dataclass(frozen=True)
class SharePathMapping:
    """One ``mapped_share_paths`` entry: ``remote`` prefix on the submitting machine -> ``local``."""

    remote: str
    local: str
    os: Optional[str] = None

    def to_dict(self) -> Dict[str, str]:
        entry = {"remote": self.remote, "local": self.local}
        if self.os:
            entry["os"] = self.os
        return entry


@dataclass(frozen=True)
class JobParameters:
    """The ``parameters`` object of a Compute job."""

    arguments: Union[str, List[str], None] = None
    input_conversion: Optional[str] = None
    remote_os: Optional[str] = None
    mapped_share_paths: List[SharePathMapping] = field(default_factory=list)
    site: Dict[str, Dict[str, Dict[str, Any]]] = field(default_factory=dict)
    """Per-site overrides: ``{site or "local": {"download"|"upload"|"common": {name: value}}}``."""
    clear_output_directory: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    """Engine-specific parameters (``writes``, ``project``, ...), passed through as given."""

    def to_dict(self) -> Dict[str, Any]:
        result: Dict[str, Any] = dict(self.extra)
        if self.arguments is not None:
            result["arguments"] = self.arguments
        if self.input_conversion is not None:
            result["input_conversion"] = self.input_conversion
        if self.remote_os is not None:
            result["remote_os"] = self.remote_os
        if self.mapped_share_paths:
            result["mapped_share_paths"] = [entry.to_dict() for entry in self.mapped_share_paths]
        if self.site:
            result["site"] = {
                site: {"settings": {direction: _settings_dict(values) for direction, values in directions.items()}}
                for site, directions in self.site.items()
            }
        if self.clear_output_directory is not None:
            result["clear_output_directory"] = self.clear_output_directory
        return result


@dataclass(frozen=True)
class ComputeJob:
    """An accsyn Compute (render) job."""

    engine: str
    input: str
    name: Optional[str] = None
    range: Optional[str] = None
    output: Optional[str] = None
    dependencies: List[str] = field(default_factory=list)
    filters: Optional[str] = None
    settings: Dict[str, SettingValue] = field(default_factory=dict)
    """``task_bucketsize``, ``transfer_speedlimit`` and any other accsyn setting; sent as strings."""
    envs: Dict[str, str] = field(default_factory=dict)
    """Variables for every OS (``common`` in per-OS form)."""
    os_envs: Dict[str, Dict[str, str]] = field(default_factory=dict)
    """Variables per OS (``linux``, ``mac``, ``windows``); when set, envs are sent in per-OS form."""
    parameters: JobParameters = field(default_factory=JobParameters)
    queue: Optional[str] = None
    status: Optional[str] = None
    description: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)

    def envs_payload(self) -> Dict[str, Any]:
        """Flat when no OS-specific variables exist, else per-OS with ``common`` always present."""
        if not self.os_envs:
            return {name: str(value) for name, value in self.envs.items()}
        result: Dict[str, Any] = {"common": {name: str(value) for name, value in self.envs.items()}}
        for os_name, values in self.os_envs.items():
            result[os_name] = {name: str(value) for name, value in values.items()}
        return result

    def to_payload(self) -> Dict[str, Any]:
        """The JSON object for ``create("Compute", ...)`` as accsyn stores it; raises ValidationError naming each
        bad field."""
        value: Dict[str, Any] = self.review().accepted()
        return value

    def review(self) -> Reviewed:
        """The payload through ``review_payload``: as accsyn stores it, with each change made on the way (a filter key
        given twice, combined) as a warning and every problem."""
        payload: Dict[str, Any] = {"engine": self.engine, "input": self.input}
        optional = {
            "name": self.name,
            "range": self.range,
            "output": self.output,
            "filters": self.filters,
            "queue": self.queue,
            "status": self.status,
            "description": self.description,
        }
        payload.update({key: value for key, value in optional.items() if value is not None})
        if self.dependencies:
            payload["dependencies"] = list(self.dependencies)
        if self.settings:
            payload["settings"] = _settings_dict(self.settings)
        if self.envs or self.os_envs:
            payload["envs"] = self.envs_payload()
        parameters = self.parameters.to_dict()
        if parameters:
            payload["parameters"] = parameters
        if self.metadata:
            payload["metadata"] = dict(self.metadata)
        return review_payload(payload)


def _settings_dict(values: Dict[str, Any]) -> Dict[str, str]:
    return {name: setting_text(value) for name, value in values.items()}
