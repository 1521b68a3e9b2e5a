"""The one path mapper: local paths onto accsyn share notation, and back out per OS.

Pure string logic (no file system), so Windows, macOS and Linux paths are all handled on any OS.
A volume is matched through the user's own mapping for it on this machine, then through its
official prefix on each OS; the longest matching prefix wins (nested volumes), a prefix only
matches at a separator, and Windows prefixes (drive letters, UNC) compare case-insensitively.
Paths on no volume are reported back in ``MappingReport.outside``; they are never dropped.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from accsyn_dcc.workspace import OPERATING_SYSTEMS, Volume

_DRIVE = re.compile(r"^[A-Za-z]:")


def current_os() -> str:
    """This machine's OS in accsyn's words: ``windows``, ``mac`` or ``linux``."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "mac"
    return "linux"


def normalise(path: str) -> str:
    """Forward slashes, no doubled or trailing separator; a leading UNC ``//`` is kept."""
    text = path.strip().replace("\\", "/")
    unc = text.startswith("//")
    text = re.sub(r"/{2,}", "/", text)
    if unc:
        text = "/" + text
    if len(text) > 1 and text.endswith("/") and not re.fullmatch(r"[A-Za-z]:/", text):
        text = text.rstrip("/")
    return text


def is_windows_path(path: str) -> bool:
    """True for drive-letter and UNC paths, whose comparison ignores case."""
    text = path.replace("\\", "/")
    return bool(_DRIVE.match(text)) or text.startswith("//")


def default_job_name(path: str) -> str:
    """A job's name when none is given: the input's file name without its extension, from any OS's path form."""
    name = _DRIVE.sub("", normalise(path)).rsplit("/", 1)[-1]
    stem, dot, _extension = name.rpartition(".")
    return stem if dot and stem else name


def relative_to(path: str, prefix: str) -> Optional[str]:
    """The part of ``path`` below ``prefix`` ('' for the prefix itself), or None when outside it."""
    full, root = normalise(path), normalise(prefix).rstrip("/")
    if is_windows_path(root):
        full_cmp, root_cmp = full.lower(), root.lower()
    else:
        full_cmp, root_cmp = full, root
    if full_cmp == root_cmp:
        return ""
    if full_cmp.startswith(root_cmp + "/"):
        return full[len(root) + 1 :]
    return None


@dataclass(frozen=True)
class MappedPath:
    """A local path and, when it lies on a volume, its accsyn notation."""

    original: str
    share_path: Optional[str] = None
    volume: Optional[Volume] = None
    prefix: str = ""
    """The local prefix that matched (the user's mapping or the volume's path on some OS)."""

    @property
    def on_share(self) -> bool:
        return self.share_path is not None


@dataclass
class MappingReport:
    """The outcome of mapping many paths: those on a share, and those on none."""

    mapped: List[MappedPath] = field(default_factory=list)
    outside: List[str] = field(default_factory=list)

    @property
    def volumes(self) -> List[Volume]:
        """The volumes used, in first-use order."""
        seen: Dict[str, Volume] = {}
        for item in self.mapped:
            if item.volume is not None:
                seen.setdefault(item.volume.code, item.volume)
        return list(seen.values())


class PathMapper:
    """Maps paths for one machine, given the workspace's volumes and the user's own share mappings."""

    def __init__(
        self,
        volumes: Sequence[Volume],
        local_mappings: Optional[Mapping[str, str]] = None,
        local_os: Optional[str] = None,
    ) -> None:
        self.volumes = list(volumes)
        self.local_mappings = dict(local_mappings or {})
        self.local_os = local_os or current_os()
        prefixes: List[Tuple[str, Volume]] = []
        for volume in self.volumes:
            own = self.local_mappings.get(volume.code) or self.local_mappings.get(volume.id)
            candidates = ([own] if own else []) + [
                volume.paths[name] for name in OPERATING_SYSTEMS if name in volume.paths
            ]
            prefixes.extend((normalise(prefix), volume) for prefix in candidates if prefix)
        self._prefixes = sorted(prefixes, key=lambda item: len(item[0]), reverse=True)

    def local_prefix(self, volume: Volume) -> Optional[str]:
        """Where ``volume`` is on this machine: the user's own mapping, else its path for this OS."""
        return self.local_mappings.get(volume.code) or volume.paths.get(self.local_os)

    def map(self, path: str) -> MappedPath:
        """``path`` with its ``share=<code>/relative`` notation, or without when on no volume."""
        for prefix, volume in self._prefixes:
            rest = relative_to(path, prefix)
            if rest is not None:
                share_path = f"share={volume.code}" + (f"/{rest}" if rest else "")
                return MappedPath(path, share_path, volume, prefix)
        return MappedPath(path)

    def to_accsyn(self, path: str) -> Optional[str]:
        """``share=<code>/relative/path`` for a path on a volume, else None."""
        return self.map(path).share_path

    def map_all(self, paths: Iterable[str]) -> MappingReport:
        """Map every path; those on no volume are listed in ``outside``, in order, once each."""
        report = MappingReport()
        for path in dict.fromkeys(paths):
            mapped = self.map(path)
            report.mapped.append(mapped)
            if not mapped.on_share:
                report.outside.append(path)
        return report

    def to_native(self, accsyn_path: str, target_os: str) -> Optional[str]:
        """A ``share=<code>/rel`` path as a native path on ``target_os``; None when the volume is unknown there."""
        match = re.match(r"^(?:share|volume)=([^/\\]+)(?:[/\\](.*))?$", accsyn_path.strip())
        if match is None:
            return None
        code, rest = match.group(1), match.group(2) or ""
        volume = next((item for item in self.volumes if code in (item.code, item.id)), None)
        if volume is None:
            return None
        prefix = volume.paths.get(target_os)
        if prefix is None:
            return None
        separator = "\\" if target_os == "windows" else "/"
        root = prefix.rstrip("/\\")
        return root + (separator + rest.replace("/", separator) if rest else "")

    def to_local(self, accsyn_path: str) -> Optional[str]:
        """A ``share=<code>/rel`` path where this machine has it (``local_prefix``); None when the volume is unknown
        or has no path here."""
        code, _, rest = accsyn_path.split("=", 1)[-1].replace("\\", "/").partition("/")
        volume = next((item for item in self.volumes if code in (item.code, item.id)), None)
        prefix = self.local_prefix(volume) if volume is not None else None
        if not prefix:
            return None
        separator = "\\" if self.local_os == "windows" else "/"
        return prefix.rstrip("/\\") + separator + rest.replace("/", separator) if rest else prefix

    def mapped_share_paths(self, volumes: Optional[Sequence[Volume]] = None) -> List[Dict[str, str]]:
        """``parameters.mapped_share_paths`` entries for prefixes that no volume's own paths cover.

        A volume's official path on each OS is already known to every render node, so it never gets an
        entry (accsyn's stock ``normalize_path`` ignores an entry's ``os``, so such an entry would rewrite a
        node's own paths to another OS's). Only where this machine mounts a volume somewhere of its own
        (``local_share_paths``, e.g. an old ``/mnt/oldproj``) is that prefix mapped, in ``share=`` notation.
        """
        entries: List[Dict[str, str]] = []
        for volume in volumes if volumes is not None else self.volumes:
            own = self.local_mappings.get(volume.code) or self.local_mappings.get(volume.id)
            if own and not any(_same_prefix(own, path) for path in volume.paths.values()):
                entries.append({"remote": own, "local": f"share={volume.code}"})
        return entries


def _same_prefix(first: str, second: str) -> bool:
    one, two = normalise(first).rstrip("/"), normalise(second).rstrip("/")
    if is_windows_path(one) or is_windows_path(two):
        return one.lower() == two.lower()
    return one == two
