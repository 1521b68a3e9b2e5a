"""Site-to-site transfers of the local farm: a job's files to the site that renders it, its results back.

Each transfer follows the job's settings as compute.rst gives them: the payload's ``settings``, then the
site's ``common``, then its ``download`` (main site to the site: scripts, dependencies) or ``upload`` (the
site's results back). For ``local``, the roaming submitting computer, the two are swapped: ``upload`` sends
its scripts and dependencies, ``download`` fetches the results. ``enable: false`` skips the transfer;
``transfer_speedlimit`` (MB/s, ``-1`` unlimited) paces the copy. Files keep their place on their share.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from typing import Any, List, Mapping, Sequence

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.farm.output import local_path
from accsyn_dcc.farm.sites import LOCAL
from accsyn_dcc.paths import PathMapper
from accsyn_dcc.workspace import Volume

CHUNK = 64 * 1024


@dataclass(frozen=True)
class TransferSettings:
    """One direction's settings for one site."""

    enable: bool = True
    speedlimit: float = -1.0
    """MB/s; zero or less is unlimited."""


def transfer_settings(payload: Mapping[str, Any], site: str, towards_site: bool) -> TransferSettings:
    """The settings of files going to ``site`` (``towards_site``) or coming back from it."""
    if site == LOCAL:
        section = "upload" if towards_site else "download"
    else:
        section = "download" if towards_site else "upload"
    per_site = ((payload.get("parameters") or {}).get("site") or {}).get(site) or {}
    chosen = per_site.get("settings") or {}
    merged = {**(payload.get("settings") or {}), **(chosen.get("common") or {}), **(chosen.get(section) or {})}
    enable = str(merged.get("enable", "true")).strip().lower() not in ("false", "0", "no", "off")
    try:
        limit = float(merged.get("transfer_speedlimit", -1))
    except (TypeError, ValueError):
        limit = -1.0
    return TransferSettings(enable, limit)


def transfer(
    paths: Sequence[str],
    volumes: Sequence[Volume],
    source: Mapping[str, str],
    target: Mapping[str, str],
    settings: TransferSettings,
) -> List[str]:
    """Copy ``paths`` (share or native paths, files, folders or frame patterns) from the ``source`` share
    mapping to the same places under ``target``; one line for each path, saying what was done."""
    if not settings.enable:
        return [f"not transferred (disabled): {path}" for path in paths]
    lines = []
    for path in paths:
        share = path if path.startswith(("share=", "volume=")) else PathMapper(volumes, source).to_accsyn(path)
        origin = local_path(share, volumes, source) if share else path
        destination = local_path(share, volumes, target) if share else path
        if not share or origin == share or destination == share:
            lines.append(f"not transferred (on no share): {path}")
            continue
        try:
            copied = [_copy_tree(each, destination + each[len(origin) :], settings.speedlimit)
                      for each in _expand(origin)]  # fmt: skip
        except OSError as error:
            raise AccsynDccError(f"transfer {origin} -> {destination}: {error.strerror or error}") from None
        lines.append(f"{sum(copied)} file(s) transferred: {origin} -> {destination}")
    return lines


def _expand(path: str) -> List[str]:
    """The files a path names: itself, or a frame pattern's files (``####``, ``%04d``, ``<UDIM>``, ``$F4``)."""
    if os.path.exists(path):
        return [path]
    pattern = re.sub(r"#+|%0?\d*d|<UDIM>|<UVTILE>|\$F\d?", "*", glob.escape(path))
    return sorted(glob.glob(pattern))


def _copy_tree(origin: str, destination: str, speedlimit: float) -> int:
    """Copy a file or folder; the files copied (an unchanged file is skipped)."""
    if os.path.isdir(origin):
        count = 0
        for name in sorted(os.listdir(origin)):
            count += _copy_tree(os.path.join(origin, name), os.path.join(destination, name), speedlimit)
        return count
    stat = os.stat(origin)
    if os.path.isfile(destination):
        existing = os.stat(destination)
        if existing.st_size == stat.st_size and int(existing.st_mtime) == int(stat.st_mtime):
            return 0
    os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
    copy_paced(origin, destination, speedlimit)
    return 1


def copy_paced(origin: str, destination: str, speedlimit: float) -> None:
    """Copy a file at no more than ``speedlimit`` MB/s (unlimited when zero or less), keeping its times."""
    rate = speedlimit * 1024 * 1024
    started = time.monotonic()
    sent = 0
    temporary = f"{destination}.{os.getpid()}-{threading.get_ident()}.accsyn-part"
    with open(origin, "rb") as reader, open(temporary, "wb") as writer:
        for chunk in iter(lambda: reader.read(CHUNK), b""):
            writer.write(chunk)
            sent += len(chunk)
            if rate > 0:
                time.sleep(max(0.0, sent / rate - (time.monotonic() - started)))
    shutil.copystat(origin, temporary)
    os.replace(temporary, destination)
