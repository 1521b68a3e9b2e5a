"""Records for what an accsyn workspace holds: engines, volumes (shares), sites and queues.

The client builds them from API replies, the stand-in backend from its seed file, and the path
mapper, payload builder and submit dialog read them. Unknown keys in a reply are kept in ``raw``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Mapping, Optional

OPERATING_SYSTEMS = ("windows", "mac", "linux")
"""The OS names accsyn uses in volume paths, ``remote_os``, ``mapped_share_paths`` and ``envs``."""

_USD = ".usd,.usda,.usdc,.usdz"
_HIP = ".hip,.hiplc,.hipnc"
STOCK_ENGINE_INPUTS: Dict[str, str] = {
    "nuke": ".nk",
    "blender": ".blend",
    "mantra": ".ifd",
    "arnold-maya": ".ma,.mb",
    "maya": ".ma,.mb",
    "husk": _USD,
    "karma": _USD,
    "houdini": _HIP,
    "hython": _HIP,
}
"""What the engines of a family render (its code without version numbers: ``arnold-7-maya-2023`` is
``arnold-maya``), for an engine whose record declares no ``filename_extensions``. accsyn's stock engines
(accsyn-protocol.md section 4.9): ``nuke-15``, ``blender-3.1.2``, ``mantra-20.5`` (an ``.ifd`` sequence),
``arnold-7-maya-2023``. husk renders a USD stage and hython loads a ``.hip`` (SideFX's documentation; our
own ``engines/husk.py`` and ``engines/houdini.py`` declare the same)."""


def _has_extension(extensions: str, filename: str) -> bool:
    """True when ``filename`` ends in one of the comma-separated ``extensions`` (or they name none)."""
    names = [ext.strip().lower() for ext in extensions.split(",") if ext.strip()]
    return not names or any(filename.lower().endswith(ext) for ext in names)


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
        return _has_extension(self.filename_extensions, filename)


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

    @property
    def filename_extensions(self) -> str:
        """What it renders: its SETTINGS' ``filename_extensions``, else its stock family's ('' when unknown)."""
        family = re.sub(r"[-_]?\d[\d.]*", "", self.code.lower())
        return self.settings.filename_extensions or STOCK_ENGINE_INPUTS.get(family, "")

    def accepts(self, filename: str) -> bool:
        """True when it renders ``filename`` (any file when neither it nor its family names extensions)."""
        return _has_extension(self.filename_extensions, filename)

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

    def to_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "name": self.name, "id": self.id, "settings": asdict(self.settings),
                "parameters": dict(self.parameters)}  # fmt: skip


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

    def to_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "paths": dict(self.paths), "id": self.id, "default": self.default}


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkspaceInfo:
        """From a ``workspace`` description (``engines``, ``volumes``, ``sites``, ``queues``: lists of objects)."""
        return cls(
            engines=[Engine.from_dict(item) for item in data.get("engines", [])],
            volumes=[Volume.from_dict(item) for item in data.get("volumes", [])],
            sites=[Site.from_dict(item) for item in data.get("sites", [])],
            queues=[Queue.from_dict(item) for item in data.get("queues", [])],
        )

    def to_dict(self) -> Dict[str, Any]:
        """The description ``from_dict`` reads back (only the fields the submitter uses: never a reply's extras)."""
        return {
            "engines": [engine.to_dict() for engine in self.engines],
            "volumes": [volume.to_dict() for volume in self.volumes],
            "sites": [asdict(site) for site in self.sites],
            "queues": [asdict(queue) for queue in self.queues],
        }


@dataclass(frozen=True)
class WorkspaceOrigin:
    """Where a submit's engines and shares came from."""

    source: str
    """``accsyn`` (read now), ``settings`` (the studio's offline description), ``cache`` (the last workspace
    read from accsyn), ``caller`` (given to the session), or ``none``."""
    detail: str = ""
    """For ``cache``: when it was read, and the file holding it."""

    @property
    def known(self) -> bool:
        return self.source != "none"

    def describe(self) -> str:
        """One phrase for summaries and JSON."""
        return {
            "accsyn": "read from accsyn",
            "settings": "the studio's offline workspace description (settings 'workspace')",
            "cache": f"the last workspace read from accsyn ({self.detail})",
            "caller": "given by the caller",
        }.get(self.source, "no workspace is known")
