"""``accsyn-dcc config show|check|init``: the settings in effect and where each comes from, a studio file's
problems, and the offline workspace description written from the connected workspace.

``config init`` writes the workspace's volumes (with their per-OS paths), engines (with their settings), sites
and queues into the user's settings file (or ``--studio FILE``), so dry runs and local renders check exactly
what the workspace would; it never writes the credentials.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any, Dict, List, Mapping

from accsyn_dcc.api import DEADLINE_ENV, connect_configured
from accsyn_dcc.api.client import MAX_REPLY_ENV
from accsyn_dcc.cli.terminal import one_line
from accsyn_dcc.config import (
    STUDIO_CONFIG_ENV,
    USER_CONFIG_ENV,
    WORKSPACE_CACHE_ENV,
    ConfigError,
    Settings,
    leaves,
    load_settings,
    read_settings_file,
    save_settings_file,
    settings_file_problems,
    user_settings_path,
)
from accsyn_dcc.credentials import API_KEY_ENV, CREDENTIALS_FILE_ENV
from accsyn_dcc.farm.engines import ENGINES_ENV
from accsyn_dcc.hooks import DEFAULT_TIMEOUT, hook_paths, hook_problems
from accsyn_dcc.workspace import WorkspaceInfo

ENVIRONMENT = (STUDIO_CONFIG_ENV, USER_CONFIG_ENV, WORKSPACE_CACHE_ENV, CREDENTIALS_FILE_ENV, "ACCSYN_WORKSPACE",
               "ACCSYN_API_USER", API_KEY_ENV, "ACCSYN_API_HOSTNAME", "ACCSYN_API_PORT", "ACCSYN_PROXY",
               "ACCSYN_CA_BUNDLE", "ACCSYN_DCC_INSECURE", DEADLINE_ENV, MAX_REPLY_ENV, ENGINES_ENV)  # fmt: skip
"""The environment variables that configure accsyn-dcc (the API key is shown as set, never its value)."""


def register(subparsers: Any) -> None:
    config = subparsers.add_parser("config", help="show, check or initialise the settings")
    commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    commands.required = True
    show = commands.add_parser("show", help="the settings in effect and where each comes from")
    show.add_argument("--json", action="store_true", help="print JSON: key -> {value, source}")
    show.set_defaults(handler=run_show)
    check = commands.add_parser("check", help="check a studio settings file: every problem named by its key")
    check.add_argument("file", metavar="FILE", help="the studio settings file (JSON)")
    check.set_defaults(handler=run_check)
    init = commands.add_parser("init", help="write the connected workspace's description for offline checks")
    init.add_argument("--studio", metavar="FILE", help="write it into this studio file, not the user's settings")
    init.set_defaults(handler=run_init)


def settings_in_effect(settings: Settings, environ: Mapping[str, str]) -> Dict[str, Dict[str, Any]]:
    """Each setting's dotted key -> its value and source: a settings file, remembered, environment or default."""
    shown: Dict[str, Dict[str, Any]] = {
        key: {"value": value, "source": settings.sources.get(key, "caller")} for key, value in leaves(settings.values)
    }
    if "hook_timeout" not in shown:
        shown["hook_timeout"] = {"value": DEFAULT_TIMEOUT, "source": "default"}
    if settings.studio_path:
        where = f"studio file {settings.studio_path}: its hooks folder and 'hooks'"
        shown["hook files run"] = {"value": hook_paths(settings), "source": where}
    if USER_CONFIG_ENV not in environ:
        shown["user settings file"] = {"value": user_settings_path(environ), "source": "default"}
    for name in ENVIRONMENT:
        if environ.get(name):
            shown[name] = {"value": "(set)" if name == API_KEY_ENV else environ[name], "source": "environment"}
    return shown


def run_show(args: argparse.Namespace) -> int:
    shown = settings_in_effect(load_settings(), os.environ)
    if args.json:
        print(json.dumps(shown, indent=2, sort_keys=True))
        return 0
    for key in sorted(shown):
        value = json.dumps(shown[key]["value"])
        print(one_line(f"{key} = {value}  ({shown[key]['source']})"))
    return 0


def run_check(args: argparse.Namespace) -> int:
    try:
        values = read_settings_file(args.file)
    except ConfigError as error:
        print(one_line(str(error)))
        return 1
    settings = Settings(values, args.file)
    problems = settings_file_problems(values)
    problems += _workspace_problems(values) + (hook_problems(settings) if not problems else [])
    for problem in problems:
        print(one_line(f"{args.file}: {problem}"))
    if problems:
        return 1
    hooks = len(hook_paths(settings))
    print(f"{args.file}: no problems ({hooks} hook file{'s' if hooks != 1 else ''})")
    return 0


def run_init(args: argparse.Namespace) -> int:
    with connect_configured() as client:
        description = client.workspace_info().to_dict()
    path = save_settings_file(args.studio or user_settings_path(), {"workspace": description})
    counts = ", ".join(f"{len(items)} {section}" for section, items in description.items())
    print(one_line(f"wrote the workspace description ({counts}) to {path}"))
    return 0


def _workspace_problems(values: Mapping[str, Any]) -> List[str]:
    """Why the ``workspace`` description cannot be read as a workspace (a bucket size that is no number...)."""
    try:
        WorkspaceInfo.from_dict(values.get("workspace") or {})
    except (TypeError, ValueError, AttributeError) as error:
        return [f"'workspace' cannot be read: {type(error).__name__}: {error}"]
    return []
