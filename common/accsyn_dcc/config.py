"""Configuration: studio defaults, per-user settings and credentials.

* Studio defaults: a JSON file named by ``ACCSYN_DCC_STUDIO_CONFIG`` (a pipeline TD's file).
* Per-user settings: ``settings.json`` in the platform's config folder (platformdirs), layered over
  the studio defaults; never written beside shot files.
* The last workspace read from accsyn: ``last-workspace.json`` in the platform's cache folder (never the
  key), for dry runs without credentials or a studio description.
* Credentials: arguments, else an explicitly named .env file (argument or ``ACCSYN_CREDENTIALS_PATH``;
  a stray ``.env`` in the working directory is never read), else environment variables.

Both settings files hold one JSON object; objects merge key by key, the user's values winning.
The ``workspace`` section (``engines``, ``volumes``, ``sites``, ``queues``) describes a workspace for
offline use; ``local_share_paths`` maps share codes to where they are mounted on this machine.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from platformdirs import user_cache_dir, user_config_dir

from accsyn_dcc import json_text
from accsyn_dcc.choices import choice_values
from accsyn_dcc.credentials import API_KEY_ENV, CREDENTIALS_FILE_ENV, Credentials
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.remembered import SETTINGS_KEY as REMEMBERED_KEY
from accsyn_dcc.remembered import stored_form
from accsyn_dcc.settings_schema import STUDIO_ONLY_KEYS, USER_ONLY_KEYS, settings_problems
from accsyn_dcc.workspace import WorkspaceInfo

STUDIO_CONFIG_ENV = "ACCSYN_DCC_STUDIO_CONFIG"
USER_CONFIG_ENV = "ACCSYN_DCC_USER_CONFIG"
"""Overrides the per-user settings file (tests, shared workstations)."""
WORKSPACE_CACHE_ENV = "ACCSYN_DCC_WORKSPACE_CACHE"
"""Overrides the file caching the last workspace read from accsyn (tests, shared workstations)."""
WORKSPACE_SECTIONS = ("engines", "volumes", "sites", "queues")
MAX_TASKS = 10_000
"""More tasks than this in one job is a pre-flight blocker (a mistyped range of a million frames), unless the
settings' ``max_tasks`` says otherwise."""

log = logging.getLogger(__name__)


class ConfigError(AccsynDccError):
    """A settings or credentials file cannot be read."""


@dataclass
class Settings:
    """Studio defaults with the user's settings layered on top (checked key by key when read from files)."""

    values: Dict[str, Any] = field(default_factory=dict)
    studio_path: str = ""
    """The studio config file read (its folder holds the ``hooks``); empty when none."""
    sources: Dict[str, str] = field(default_factory=dict)
    """Each dotted key read from a file -> where its value comes from (``studio file PATH``, ``user file PATH``,
    ``remembered``: the dialog's choices in the user file)."""

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def default_choices(self) -> Dict[str, Any]:
        """The ``SubmitChoices`` values the ``defaults`` section sets (studio, then user)."""
        return choice_values(self.values.get("defaults") or {})

    @property
    def max_tasks(self) -> int:
        """The most tasks one job may have."""
        return int(self.values.get("max_tasks") or MAX_TASKS)

    @property
    def workspace(self) -> WorkspaceInfo:
        """The workspace described in the settings (for offline mapping and dry runs)."""
        return WorkspaceInfo.from_dict(self.values.get("workspace") or {})

    @property
    def describes_workspace(self) -> bool:
        """True when the settings hold a ``workspace`` description."""
        return bool(self.values.get("workspace"))

    @property
    def site_entries(self) -> List[Dict[str, Any]]:
        """The ``workspace`` description's sites as written (their ``root`` on this machine included)."""
        return list((self.values.get("workspace") or {}).get("sites") or [])

    @property
    def local_share_paths(self) -> Dict[str, str]:
        return dict(self.values.get("local_share_paths") or {})


def user_settings_path(environ: Optional[Mapping[str, str]] = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(USER_CONFIG_ENV) or os.path.join(user_config_dir("accsyn-dcc", appauthor=False), "settings.json")


def load_settings(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """The studio defaults (if configured) with the user's settings merged over them."""
    environ = os.environ if environ is None else environ
    values: Dict[str, Any] = {}
    sources: Dict[str, str] = {}
    studio = environ.get(STUDIO_CONFIG_ENV)
    if studio:
        values = _checked(studio, _read_json(studio, f"the studio config named by {STUDIO_CONFIG_ENV}"))
        sources = _sources(values, f"studio file {studio}")
    user_path = user_settings_path(environ)
    if os.path.exists(user_path):
        user = _read_json(user_path, "the user settings")
        if isinstance(user.get(REMEMBERED_KEY), dict):
            user[REMEMBERED_KEY] = stored_form(user[REMEMBERED_KEY])
        user = _checked(user_path, user, studio=False)
        values = merge(values, user)
        sources.update(_sources(user, f"user file {user_path}"))
    return Settings(values, studio or "", sources)


def _sources(values: Mapping[str, Any], source: str) -> Dict[str, str]:
    """Each leaf's dotted key -> ``source`` (the dialog's remembered choices: ``remembered``)."""
    remembered = f"{REMEMBERED_KEY}."
    return {key: "remembered" if key.startswith(remembered) else source for key, _ in leaves(values)}


def leaves(values: Mapping[str, Any], prefix: str = "") -> Iterator[Tuple[str, Any]]:
    """Each value of nested objects with its dotted key (an empty object and a list are values)."""
    for key, value in values.items():
        if isinstance(value, Mapping) and value:
            yield from leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _checked(path: str, values: Dict[str, Any], studio: bool = True) -> Dict[str, Any]:
    """``values`` when every key and type is right; else one ConfigError naming the file, the key and the type."""
    problems = settings_file_problems(values, studio)
    if problems:
        raise ConfigError(f"{path}: {'; '.join(problems)}")
    return values


def settings_file_problems(values: Mapping[str, Any], studio: bool = True) -> List[str]:
    """Every problem of a settings file's object (the studio config's, else a user's), one sentence each naming its
    key; empty when all is well."""
    misplaced = sorted(key for key in WORKSPACE_SECTIONS if key in values)
    problems = [f'{", ".join(misplaced)} belong under "workspace", not at the top level'] if misplaced else []
    elsewhere = sorted(key for key in (USER_ONLY_KEYS if studio else STUDIO_ONLY_KEYS) if key in values)
    if elsewhere and studio:
        problems.append(f"{', '.join(elsewhere)}: the dialog's remembered choices belong in a user's settings, not the "
                        "studio config (a studio presets choices under 'defaults')")  # fmt: skip
    elif elsewhere:
        problems.append(f"{', '.join(elsewhere)} belong in the studio config, not a user's")
    checked = {key: value for key, value in values.items() if key not in misplaced and key not in elsewhere}
    return problems + settings_problems(checked)


def read_settings_file(path: str) -> Dict[str, Any]:
    """A settings file's JSON object, unchecked (ConfigError when it cannot be read or holds no object)."""
    return _read_json(path, "the settings file")


def save_user_settings(
    values: Mapping[str, Any], environ: Optional[Mapping[str, str]] = None, whole: Sequence[str] = ()
) -> str:
    """Merge ``values`` into the user's settings file, atomically (``whole``: as ``save_settings_file``); return its
    path."""
    return save_settings_file(user_settings_path(environ), values, whole)


def save_settings_file(path: str, values: Mapping[str, Any], whole: Sequence[str] = ()) -> str:
    """Merge ``values`` into the settings file ``path`` (made when missing), atomically; return ``path``. The
    sections named in ``whole`` replace the file's own, so a value removed from one stays removed."""
    current = _read_json(path, "the settings file") if os.path.exists(path) else {}
    current = {key: value for key, value in current.items() if key not in whole}
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(merge(current, values), stream, indent=2, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> Dict[str, Any]:
    """``override`` over ``base``, merging nested objects key by key."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def _read_json(path: str, what: str) -> Dict[str, Any]:
    data = json_text.read_file(path, what, ConfigError)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: {what} must hold a JSON object")
    return data


def workspace_cache_path(environ: Optional[Mapping[str, str]] = None) -> str:
    environ = os.environ if environ is None else environ
    folder = user_cache_dir("accsyn-dcc", appauthor=False)
    return environ.get(WORKSPACE_CACHE_ENV) or os.path.join(folder, "last-workspace.json")


def save_last_workspace(info: WorkspaceInfo) -> None:
    """Cache ``info`` (engines, volumes, sites, queues; never credentials) as the last workspace read from
    accsyn; a cache that cannot be written is logged and never stops a submit."""
    path = workspace_cache_path()
    document = {"read_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "workspace": info.to_dict()}
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".workspace-", suffix=".json")
    except OSError as error:
        log.warning("the workspace could not be cached for dry runs (%s: %s)", error.filename or path, error.strerror)
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=2, sort_keys=True)
        os.replace(temporary, path)
    except OSError as error:
        os.unlink(temporary)
        log.warning("the workspace could not be cached for dry runs (%s: %s)", error.filename or path, error.strerror)


def load_last_workspace() -> Optional[Tuple[WorkspaceInfo, str]]:
    """The last workspace read from accsyn and a phrase saying when and where it is kept; None when there is
    none (an unreadable cache is logged and counts as none)."""
    path = workspace_cache_path()
    if not os.path.exists(path):
        return None
    try:
        document = _read_json(path, "the cached workspace")
        info = WorkspaceInfo.from_dict(document["workspace"])
    except (ConfigError, KeyError, TypeError, ValueError, AttributeError) as error:
        log.warning("the cached workspace in %s is ignored (%s)", path, error)
        return None
    return info, f"read {document.get('read_at', 'earlier')}, kept in {path}"


def read_env_file(path: str) -> Dict[str, str]:
    """``KEY=VALUE`` lines; blank and ``#`` lines skipped; one pair of surrounding quotes removed."""
    values: Dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the credentials file ({error.strerror})") from None
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, equals, value = text.partition("=")
        if not equals or not key.strip():
            raise ConfigError(f"{path}, line {number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_credentials(
    workspace: Optional[str] = None,
    user: Optional[str] = None,
    api_key: Optional[str] = None,
    env_file: Optional[str] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Optional[Credentials]:
    """Credentials from arguments, an explicitly named .env file, then the environment; None if incomplete."""
    environ = dict(os.environ if environ is None else environ)
    named_file = env_file or environ.get(CREDENTIALS_FILE_ENV)
    sources: Dict[str, str] = dict(environ)
    if named_file:
        sources.update(read_env_file(named_file))
    workspace = (
        workspace or sources.get("ACCSYN_WORKSPACE") or sources.get("ACCSYN_DOMAIN") or sources.get("ACCSYN_ORG")
    )
    user = user or sources.get("ACCSYN_API_USER")
    api_key = api_key or sources.get(API_KEY_ENV)
    if not workspace or not api_key or not user:
        return None
    port = sources.get("ACCSYN_API_PORT")
    if port is not None and not port.isdigit():
        raise ConfigError(f"ACCSYN_API_PORT must be a port number (got {port!r})")
    verify: Any = sources.get("ACCSYN_CA_BUNDLE") or True
    if sources.get("ACCSYN_DCC_INSECURE", "").lower() in ("1", "true", "yes"):
        log.warning("TLS certificate verification is off for accsyn (ACCSYN_DCC_INSECURE is set)")
        verify = False
    return Credentials(
        workspace=workspace,
        user=user,
        api_key=api_key,
        hostname=sources.get("ACCSYN_API_HOSTNAME") or None,
        port=int(port) if port else None,
        proxy=sources.get("ACCSYN_PROXY") or None,
        verify=verify,
    )
