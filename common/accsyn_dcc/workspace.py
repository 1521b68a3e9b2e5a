"""Records for what an accsyn workspace holds: engines, volumes (shares), sites and queues.

The client builds them from API replies, the stand-in backend from its seed file, and the path
mapper, payload builder and submit dialog read them. Unknown keys in a reply are kept in ``raw``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

OPERATING_SYSTEMS = ("windows", "mac", "linux")
"""The OS names accsyn uses in volume paths, ``remote_os``, ``mapped_share_paths`` and ``envs``."""


@dataclass(frozen=True)
class EngineSettings:
    """The SETTINGS block of an engine script (accsyn-protocol.md section 2.5)."""

    items: bool = True
    default_range: Optional[str] = None
    default_bucketsize: int = 1
    max_bucketsize: Optional[int] = None
    filename_extensions: str = ""
    binary_filename_extensions: str = ""

    @classmethod
    def from_dict(cls, data: Optional[Mapping[str, Any]]) -> EngineSettings:
        data = data or {}
        max_bucketsize = data.get("max_bucketsize")
        return cls(
            items=bool(data.get("items", True)),
            default_range=data.get("default_range") or None,
            default_bucketsize=int(data.get("default_bucketsize") or 1),
            max_bucketsize=int(max_bucketsize) if max_bucketsize else None,
            filename_extensions=str(data.get("filename_extensions") or ""),
            binary_filename_extensions=str(data.get("binary_filename_extensions") or ""),
        )

    def accepts(self, filename: str) -> bool:
        """True when ``filename`` has one of the engine's extensions (or the engine names none)."""
        extensions = [ext.strip().lower() for ext in self.filename_extensions.split(",") if ext.strip()]
        return not extensions or any(filename.lower().endswith(ext) for ext in extensions)


@dataclass(frozen=True)
class Engine:
    """A compute engine (called an "app" before accsyn v3)."""

    code: str
    name: str = ""
    id: str = ""
    settings: EngineSettings = field(default_factory=EngineSettings)
    parameters: Dict[str, Any] = field(default_factory=dict)
    raw: Dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.name or self.code

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Engine:
        return cls(
            code=str(data.get("code") or data.get("id") or ""),
            name=str(data.get("name") or ""),
            id=str(data.get("id") or ""),
            settings=EngineSettings.from_dict(data.get("settings")),
            parameters=dict(data.get("parameters") or {}),
            raw=dict(data),
        )


@dataclass(frozen=True)
class Volume:
    """A share root with its path on each OS (``{"windows": "P:", "mac": ..., "linux": ...}``)."""

    code: str
    paths: Dict[str, str]
    id: str = ""
    default: bool = False
    raw: Dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Volume:
        paths = {os_name: str(path) for os_name, path in (data.get("paths") or {}).items() if path}
        return cls(
            code=str(data.get("code") or data.get("id") or ""),
            paths=paths,
            id=str(data.get("id") or ""),
            default=bool(data.get("default", False)),
            raw=dict(data),
        )


@dataclass(frozen=True)
class Site:
    code: str
    id: str = ""
    name: str = ""
    main: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Site:
        return cls(
            code=str(data.get("code") or ""),
            id=str(data.get("id") or ""),
            name=str(data.get("name") or ""),
            main=bool(data.get("main", False)),
        )


@dataclass(frozen=True)
class Queue:
    code: str
    id: str = ""
    name: str = ""
    priority: int = 500
    default: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Queue:
        return cls(
            code=str(data.get("code") or ""),
            id=str(data.get("id") or ""),
            name=str(data.get("name") or ""),
            priority=int(data.get("priority") or 0),
            default=bool(data.get("default") or data.get("compute_default")),
        )


@dataclass(frozen=True)
class WorkspaceInfo:
    """A snapshot of what the submitter needs from a workspace, from the API or the studio config."""

    engines: List[Engine] = field(default_factory=list)
    volumes: List[Volume] = field(default_factory=list)
    sites: List[Site] = field(default_factory=list)
    queues: List[Queue] = field(default_factory=list)

    def engine(self, code: str) -> Optional[Engine]:
        return next((engine for engine in self.engines if engine.code == code), None)
