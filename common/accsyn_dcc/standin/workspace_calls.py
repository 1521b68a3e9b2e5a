"""The stand-in's answers to the workspace calls beside jobs: attributes, settings, files on the shares.

Request shapes follow what accsyn's own ``accsyn-python-api`` sends (``find("attributes WHERE ...")``,
``get_setting``/``get_settings``/``set_setting``/``delete_setting``, ``exists``/``ls``/``getsize``/``mkdir``/
``rename``/``mv``/``delete``); reply contents are this stand-in's reading of them (section 5 says they are partly
inferred): ``ls`` lists ``{"filename", "is_dir", "size"?}``, ``getsize`` gives ``{"size": bytes}``, the others
true. File operations act on this machine's folders of the shares and never leave a share's root.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from accsyn_dcc.paths import current_os
from accsyn_dcc.payload_rules import TOP_LEVEL_FIELDS
from accsyn_dcc.standin.pattern import Pattern, PatternError
from accsyn_dcc.standin.query import wildcard_match

MAX_LISTING = 10000
"""Entries one ``ls`` answers at the most (a listing is for looking, not for copying a share)."""
MAX_WALKED = 1_000_000
"""Entries one ``ls`` or ``getsize`` looks at the most (a share's whole tree can be far larger)."""
MAX_PATHS = 1000
"""Paths one call takes at the most."""
MAX_FILTER_STEPS = 5_000_000
"""The most steps the ``re('...')`` filters of one call may take over all names."""
SHARE_KINDS = ("volume", "folder", "home", "collection")
FILE_OPERATIONS = {"GET": ("exists", "ls", "getsize"), "POST": ("mkdir", "delete"), "PUT": ("rename", "move")}
_REGEX = re.compile(r"""re\(\s*(['"])(.*)\1\s*(?:,\s*['"][a-zA-Z]*['"]\s*)?\)""", re.DOTALL)


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


def file_call(method: str, data: Mapping[str, Any], shares: Sequence[Mapping[str, Any]]) -> Any:
    """``GET`` ``exists``/``ls``/``getsize``, ``POST`` ``mkdir``/``delete``, ``PUT`` ``rename``/``move`` of paths on
    this machine's folders of the shares; a path is a ``share=<code>/path`` (or ``volume=``, ``folder=``, ...), a
    ``{"path": ...}`` or, for one-path operations, a list of them (answered as a list)."""
    operation = data.get("op")
    if operation not in FILE_OPERATIONS.get(method, ()):
        raise CallRefused(
            f"{method} workspace/file does not do {operation!r} ({', '.join(FILE_OPERATIONS[method])})"
            if method in FILE_OPERATIONS
            else f"{method} workspace/file is not a file call"
        )
    if operation in ("rename", "move"):
        return _move(data, shares, operation == "rename")
    names = NameFilter(data.get("include"), data.get("exclude"))
    raw = data.get("path")
    if isinstance(raw, list):
        if len(raw) > MAX_PATHS:
            raise CallRefused(f"{len(raw)} paths in one call; the stand-in takes up to {MAX_PATHS}")
        return [_one_path(operation, data, resolve(_path_text(each), shares), names) for each in raw]
    return _one_path(operation, data, resolve(_path_text(raw), shares), names)


def _one_path(operation: str, data: Mapping[str, Any], found: Resolved, names: NameFilter) -> Any:
    path = found.path
    if operation == "exists":
        return os.path.lexists(path)
    if operation == "mkdir":
        os.makedirs(path, exist_ok=True)
        return True
    if not os.path.lexists(path):
        raise CallRefused(f"{found.accsyn_path} does not exist")
    if operation == "getsize":
        if not os.path.isdir(path) or os.path.islink(path):
            return {"size": os.lstat(path).st_size}
        return {"size": sum(size for _name, is_dir, size in _walk(path, names, None) if not is_dir)}
    if operation == "ls":
        if not os.path.isdir(path):
            raise CallRefused(f"{found.accsyn_path} is not a folder")
        depth = _whole(data.get("maxdepth"), "maxdepth") or None if data.get("recursive") else 1
        files_only, folders_only = bool(data.get("files_only")), bool(data.get("directories_only"))
        files = []
        for name, is_dir, size in _walk(path, names, depth):
            if (files_only and is_dir) or (folders_only and not is_dir):
                continue
            entry: Dict[str, Any] = {"filename": name, "is_dir": is_dir}
            if data.get("getsize") and not is_dir:
                entry["size"] = size
            files.append(entry)
            if len(files) >= MAX_LISTING:
                break
        return {"files": files}
    if found.is_root:  # delete
        raise CallRefused(f"{found.accsyn_path} is a share's root; it is not deleted")
    if os.path.isdir(path) and not os.path.islink(path):
        if data.get("force"):
            shutil.rmtree(path)  # never follows a symlink inside
        elif os.listdir(path):
            raise CallRefused(f"{found.accsyn_path} is a folder that is not empty; delete it with force")
        else:
            os.rmdir(path)
    else:
        os.unlink(path)  # a symlink itself, never what it points to
    return True


def _move(data: Mapping[str, Any], shares: Sequence[Mapping[str, Any]], rename: bool) -> bool:
    """``rename`` within the same folder (``path_to`` a path or a new name), ``move`` anywhere on the shares (into
    ``path_to`` when it is a folder); never over an existing entry, never a share's root."""
    source = resolve(_path_text(data.get("path")), shares)
    target_text = _path_text(data.get("path_to"))
    if rename and "=" not in target_text and "/" not in target_text.strip("/"):
        target_text = f"{source.accsyn_path.rstrip('/').rpartition('/')[0]}/{target_text.strip('/')}"
    target = resolve(target_text, shares)
    if source.is_root:
        raise CallRefused(f"{source.accsyn_path} is a share's root; it is not moved")
    if not os.path.lexists(source.path):
        raise CallRefused(f"{source.accsyn_path} does not exist")
    destination = target.path
    if not rename and os.path.isdir(destination) and not os.path.islink(destination):
        destination = resolve(f"{target.accsyn_path.rstrip('/')}/{os.path.basename(source.path)}", shares).path
    elif rename and os.path.dirname(destination) != os.path.dirname(source.path):
        raise CallRefused(f"rename stays in the folder of {source.accsyn_path}; use mv to move it")
    if os.path.lexists(destination):
        raise CallRefused(f"{target.accsyn_path} exists already; it is not replaced")
    if not os.path.isdir(os.path.dirname(destination)):
        raise CallRefused(f"the folder of {target.accsyn_path} does not exist")
    os.rename(source.path, destination)
    return True


@dataclass(frozen=True)
class Resolved:
    """A share path as a path on this machine, under its share's root."""

    accsyn_path: str
    path: str
    is_root: bool


def resolve(accsyn_path: str, shares: Sequence[Mapping[str, Any]]) -> Resolved:
    """``<kind>=<code|id|(default)>/rel`` as a path on this machine; refused when the share is unknown or the path
    leaves its root (``..``, a drive, or a symlink that points out)."""
    head, _, rest = accsyn_path.replace("\\", "/").partition("/")
    kind, _, code = head.partition("=")
    kind = kind.lower()
    if kind not in ("share", *SHARE_KINDS) or not code:
        raise CallRefused(f"{accsyn_path!r} is not a share=<code>/path")
    share = find_share(code, shares, None if kind == "share" else kind)
    root = share_root(share, shares) if share else None
    if not root:
        raise CallRefused(f"no share {code!r} on this machine")
    parts = [part for part in rest.split("/") if part and part != "."]
    if ".." in parts or any(os.path.splitdrive(part)[0] or ":" in part for part in parts):
        raise CallRefused(f"{accsyn_path!r} leaves the share")
    path = os.path.join(root, *parts)
    real_root, real = os.path.realpath(root), os.path.realpath(path)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise CallRefused(f"{accsyn_path!r} leaves the share")
    return Resolved(accsyn_path, path, not parts)


def find_share(
    code: str, shares: Sequence[Mapping[str, Any]], kind: Optional[str] = None
) -> Optional[Mapping[str, Any]]:
    """The share of a code or id (any case), ``(default)`` the default volume; of ``kind`` only when given."""
    wanted = code.lower()
    for share in shares:
        if kind is not None and share.get("type") != kind:
            continue
        default = bool(share.get("default")) and wanted == "(default)"
        if default or wanted in (str(share.get("code")).lower(), share.get("id")):
            return share
    return None


def share_root(share: Mapping[str, Any], shares: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """This machine's folder of a share: a volume's path for this OS, a folder's (home's, collection's) ``path``
    within its ``parent`` volume."""
    if share.get("type", "volume") == "volume":
        root = (share.get("paths") or {}).get(current_os())
        return str(root) if root else None
    volume = find_share(str(share.get("parent") or ""), shares, "volume")
    root = share_root(volume, shares) if volume else None
    inner = [part for part in str(share.get("path") or "").replace("\\", "/").split("/") if part and part != "."]
    if root is None or ".." in inner:
        return None
    return os.path.join(root, *inner)


class NameFilter:
    """ls/getsize ``include``/``exclude``: a pattern or a list; ``word`` exact, ``*`` any text, ``re('...')`` a
    regular expression (``accsyn_dcc.standin.pattern``); all case-insensitive. ``include`` has precedence."""

    def __init__(self, include: Any, exclude: Any) -> None:
        self.include = _patterns(include, "include")
        self.exclude = _patterns(exclude, "exclude")
        self.steps = MAX_FILTER_STEPS

    def keeps(self, name: str) -> bool:
        """An entry listed (or counted)."""
        if self.include:
            return self._any(self.include, name)
        return not self._any(self.exclude, name)

    def descends(self, name: str) -> bool:
        """A folder walked into: all but those excluded (and not included)."""
        return not self._any(self.exclude, name) or self._any(self.include, name)

    def _any(self, patterns: List[Any], name: str) -> bool:
        lowered = name.lower()
        return any(self._matches(pattern, lowered) for pattern in patterns)

    def _matches(self, pattern: Any, name: str) -> bool:
        if isinstance(pattern, Pattern):
            return pattern.search(name, self._spend)
        return wildcard_match(name, pattern) if "*" in pattern else name == pattern

    def _spend(self, count: int) -> None:
        self.steps -= count
        if self.steps < 0:
            raise CallRefused(f"the include/exclude patterns take more than {MAX_FILTER_STEPS} steps; narrow them")


def _patterns(value: Any, what: str) -> List[Any]:
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else [] if value is None else None
    if texts is None or not all(isinstance(text, str) for text in texts):
        raise CallRefused(f"{what} must be a pattern or a list of patterns")
    patterns: List[Any] = []
    for text in texts:
        found = _REGEX.fullmatch(text.strip())
        try:
            patterns.append(Pattern(found.group(2)) if found else text.lower())
        except PatternError as error:
            raise CallRefused(f"{what} {text!r}: {error}") from None
    return patterns


def _walk(folder: str, names: NameFilter, depth: Optional[int]) -> Iterator[Tuple[str, bool, int]]:
    """``(relative name, is folder, size)`` of the kept entries under ``folder``, ``depth`` levels down (all when
    None); symlinks are listed, never followed. Refused past ``MAX_WALKED`` entries."""
    walked = 0
    for root, dirs, files in os.walk(folder):
        walked += len(dirs) + len(files)
        if walked > MAX_WALKED:
            raise CallRefused(f"more than {MAX_WALKED} entries under the path; name a deeper folder")
        relative = os.path.relpath(root, folder)
        level = 1 if relative == "." else relative.count(os.sep) + 2
        dirs.sort()
        folders = set(dirs)
        for name in dirs + sorted(files):
            path = os.path.join(root, name)
            is_dir = name in folders and not os.path.islink(path)
            if names.keeps(name):
                yield (
                    (name if relative == "." else f"{relative.replace(os.sep, '/')}/{name}"),
                    is_dir,
                    (0 if is_dir else _lsize(path)),
                )
        deeper = depth is None or level < depth
        dirs[:] = [name for name in dirs if deeper and names.descends(name)]


def _lsize(path: str) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


def _path_text(path: Any) -> str:
    if isinstance(path, dict):
        path = path.get("path")
    if not isinstance(path, str) or not path:
        raise CallRefused(f'a path is a share=<code>/path text or {{"path": ...}} (got {path!r:.80})')
    return path


def _whole(value: Any, what: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CallRefused(f"{what} must be a whole number")
    return value
