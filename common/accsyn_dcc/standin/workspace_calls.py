"""The stand-in's answers to the workspace calls beside jobs: attributes, settings, files on volumes, activation.

Request shapes follow what accsyn's own ``accsyn-python-api`` sends (``find("attributes WHERE ...")``,
``get_setting``/``get_settings``/``set_setting``/``delete_setting``, ``exists``/``ls``/``getsize`` and
``activate_one``/``deactivate_one``); reply contents are this stand-in's reading of them (section 5 says
they are partly inferred): ``ls`` lists ``{"filename", "is_dir", "size"?}`` and ``getsize`` gives
``{"size": bytes}``.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence

from accsyn_dcc.paths import current_os
from accsyn_dcc.payload_rules import TOP_LEVEL_FIELDS

MAX_LISTING = 10000
"""Entries one ``ls`` answers at the most (a listing is for looking, not for copying a share)."""


class CallRefused(Exception):
    """A workspace call the stand-in refuses; the message names what was wrong."""


def attributes(data: Mapping[str, Any], writeable: Mapping[str, Sequence[str]], known: Mapping[str, Any]) -> List[str]:
    """Attribute names of an entity type: all readable ones, or those a create (``create``) or an edit takes."""
    entity_type = str(data.get("entitytype") or "").lower()
    if entity_type not in known:
        raise CallRefused(f"No entity type {entity_type!r} (known: {', '.join(sorted(known))})")
    if data.get("create"):
        return list(TOP_LEVEL_FIELDS) if entity_type in ("job", "compute") else []
    if data.get("update"):
        return list(writeable.get(entity_type, ()))
    return sorted(known[entity_type])


def setting_call(method: str, data: Mapping[str, Any], entity_id: Optional[str], store: Any) -> Any:
    """``GET`` one setting (``name``) or all of an entity's, ``PUT`` one (text values only), ``DELETE`` one."""
    entity_type = str(data.get("entitytype") or "workspace").lower()
    owner = str(entity_id or "")
    if entity_type != "workspace" and not owner:
        raise CallRefused(f"settings of a {entity_type} need its id")
    name = data.get("name")
    if method == "GET":
        values = store.settings(entity_type, owner)
        return values.get(str(name)) if name else values
    if not isinstance(name, str) or not name.strip():
        raise CallRefused("a setting needs a name")
    if method == "PUT":
        value = data.get("value")
        if not isinstance(value, str):
            raise CallRefused(f"setting {name!r}: values are text (JSON for objects), not {type(value).__name__}")
        store.set_setting(entity_type, owner, name, value)
        return True
    if method == "DELETE":
        return store.delete_setting(entity_type, owner, name)
    raise CallRefused(f"{method} setting is not a settings call")


def file_call(data: Mapping[str, Any], volumes: Sequence[Mapping[str, Any]]) -> Any:
    """``exists``, ``ls`` or ``getsize`` of a ``share=<code>/path`` on this machine's path of the volume."""
    operation = data.get("op")
    path = resolve(str(data.get("path") or ""), volumes)
    if operation == "exists":
        return os.path.exists(path)
    if operation == "getsize":
        if not os.path.exists(path):
            raise CallRefused(f"{data.get('path')} does not exist")
        return {"size": _size(path)}
    if operation == "ls":
        if not os.path.isdir(path):
            raise CallRefused(f"{data.get('path')} is not a folder")
        return {"files": _listing(path, bool(data.get("getsize")), bool(data.get("recursive")))}
    raise CallRefused(f"workspace/file does not do {operation!r} (exists, ls, getsize)")


def resolve(accsyn_path: str, volumes: Sequence[Mapping[str, Any]]) -> str:
    """``share=<code>/rel`` as a path on this machine; refused when the share is unknown or the path leaves it."""
    head, _, rest = accsyn_path.replace("\\", "/").partition("/")
    kind, _, code = head.partition("=")
    if kind.lower() not in ("share", "volume") or not code:
        raise CallRefused(f"{accsyn_path!r} is not a share=<code>/path")
    volume = next((v for v in volumes if code.lower() in (str(v.get("code")).lower(), str(v.get("id")))), None)
    root = ((volume or {}).get("paths") or {}).get(current_os())
    if not root:
        raise CallRefused(f"no share {code!r} on this machine")
    parts = [part for part in rest.split("/") if part and part != "."]
    if ".." in parts:
        raise CallRefused(f"{accsyn_path!r} leaves the share")
    return os.path.join(root, *parts)


def _size(path: str) -> int:
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for folder, _dirs, names in os.walk(path):
        for name in names:
            try:
                total += os.path.getsize(os.path.join(folder, name))
            except OSError:
                continue
    return total


def _listing(folder: str, with_size: bool, recursive: bool) -> List[Dict[str, Any]]:
    entries: List[Dict[str, Any]] = []
    for root, dirs, names in os.walk(folder):
        relative = os.path.relpath(root, folder)
        for name in sorted(dirs) + sorted(names):
            path = os.path.join(root, name)
            entry: Dict[str, Any] = {"filename": name if relative == "." else f"{relative}/{name}"}
            entry["is_dir"] = os.path.isdir(path)
            if with_size and not entry["is_dir"]:
                entry["size"] = os.path.getsize(path)
            entries.append(entry)
            if len(entries) >= MAX_LISTING:
                return entries
        if not recursive:
            break
    return entries
