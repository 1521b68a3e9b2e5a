"""The shape of a settings file (studio or user), as one table: every key, its expected type, in words.

``settings_problems(values)`` names each unknown key and each value of the wrong type by its dotted
key and the type expected, so a pipeline TD sees at once what to fix. The ``defaults`` section and the
remembered ``submit`` section take ``SubmitChoices`` fields (``choices.SETTINGS_FIELDS``,
``choices.REMEMBERED_FIELDS``), each checked by its field's row; a key an earlier version used is named
with the one that replaced it (``RENAMED``).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Tuple

from accsyn_dcc.choices import REMEMBERED_FIELDS, SETTINGS_FIELDS
from accsyn_dcc.host_table import ENGINE_SETTINGS
from accsyn_dcc.payload_rules import per_os_envs, review_settings, review_sites
from accsyn_dcc.workspace import OPERATING_SYSTEMS

Check = Tuple[Callable[[Any], bool], str]


def _string(value: Any) -> bool:
    return isinstance(value, str)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _string_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(key, str) and isinstance(v, str) for key, v in value.items())


def _site_settings(value: Any) -> bool:
    """``{site: {"download"|"upload"|"common": {name: value}}}``, each value under the payload's setting rule."""
    if not isinstance(value, dict):
        return False
    return not review_sites({site: {"settings": body} for site, body in value.items()}).problems


def _os_envs(value: Any) -> bool:
    return isinstance(value, dict) and all(os_name in OPERATING_SYSTEMS and _string_map(envs)
                                           for os_name, envs in value.items())  # fmt: skip


def _setting(name: str) -> Callable[[Any], bool]:
    """The setting value rule of a Compute payload (a number or its text)."""
    return lambda value: not review_settings({name: value}, name).problems


def _share_path_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        _string_map(entry) and {"remote", "local"} <= set(entry) and set(entry) <= {"remote", "local", "os"}
        for entry in value
    )


def _object_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _object(value: Any) -> bool:
    return isinstance(value, dict)


def _path_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)


def _whole_positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _seconds(value: Any) -> bool:
    return _number(value) and value > 0


def _volume_list(value: Any) -> bool:
    return _object_list(value) and all(_string_map(item.get("paths", {})) for item in value)


CHOICES: Dict[str, Check] = {
    "engine": (_string, "an engine code (text)"),
    "bucket_size": (_whole_positive, "a whole number of 1 or more"),
    "queue": (_string, "a queue code (text)"),
    "filters": (_string, 'accsyn filters as text, e.g. "ram:>32g"'),
    "input_conversion": (_string, "one of auto, always, platform, never"),
    "site_settings": (_site_settings, 'an object {site: {"download"|"upload"|"common": {name: value}}}'),
    "envs": (_string_map, "an object of variable names to text (for every OS)"),
    "os_envs": (_os_envs, 'an object {"linux"|"mac"|"windows": {name: text}}'),
    "transfer_speedlimit": (_setting("transfer_speedlimit"), "a number of MB/s (-1 for no limit)"),
    "mapped_share_paths": (_share_path_list, "a list of {remote, local, os?} objects of text"),
}
"""The row of each ``SubmitChoices`` field a settings section may hold."""
DEFAULTS: Dict[str, Check] = {name: CHOICES[name] for name in SETTINGS_FIELDS}
REMEMBERED: Dict[str, Check] = {name: CHOICES[name] for name in REMEMBERED_FIELDS}
WORKSPACE: Dict[str, Check] = {
    "engines": (_object_list, "a list of engine objects"),
    "volumes": (_volume_list, "a list of volume objects whose paths map OS names to text"),
    "sites": (_object_list, "a list of site objects"),
    "queues": (_object_list, "a list of queue objects"),
}
TOP_LEVEL: Dict[str, Check] = {
    "defaults": (_object, "an object"),
    "workspace": (_object, "an object"),
    "local_share_paths": (_string_map, "an object of share codes to local folders (text)"),
    "submit": (_object, "an object (the dialog's remembered choices)"),
    "max_tasks": (_whole_positive, "a whole number of 1 or more (the most tasks one job may have)"),
    **dict.fromkeys(ENGINE_SETTINGS, (_string, "an engine code (text)")),
    "hooks": (_path_list, "a list of hook file paths (text; relative to the studio config's folder)"),
    "hook_timeout": (_seconds, "a number of seconds above 0"),
}
STUDIO_ONLY_KEYS = ("hooks", "hook_timeout")
"""Keys only the studio config may set (studio hooks are the studio's code)."""
USER_ONLY_KEYS = ("submit",)
"""Keys only a user's settings may hold (the dialog's remembered choices; a studio presets them in ``defaults``)."""
SECTIONS: Dict[str, Dict[str, Check]] = {"defaults": DEFAULTS, "submit": REMEMBERED, "workspace": WORKSPACE}


def _always(value: Any) -> bool:
    return True


def _per_os(value: Any) -> bool:
    return isinstance(value, dict) and per_os_envs(value)


RENAMED: Dict[str, Tuple[Callable[[Any], bool], str]] = {
    "defaults.task_bucketsize": (_always, "'defaults.task_bucketsize' is now 'defaults.bucket_size'"),
    "defaults.site": (_always, "'defaults.site' is now 'defaults.site_settings', without the \"settings\" level: "
                               '{site: {"download"|"upload"|"common": {name: value}}}'),
    "defaults.max_tasks": (_always, "'defaults.max_tasks' is now 'max_tasks', at the top level"),
    "defaults.envs": (_per_os, "'defaults.envs' per OS is now 'defaults.envs' (its \"common\" variables) and "
                               "'defaults.os_envs' (its \"linux\", \"mac\" and \"windows\" ones)"),
}  # fmt: skip
"""What an earlier version read -> the test telling that key's value is in its old form, and the one sentence said
of it, naming the key that replaced it."""


def settings_problems(values: Mapping[str, Any]) -> List[str]:
    """Every unknown key and wrong type in ``values``, one sentence each naming its dotted key."""
    problems: List[str] = []
    _check(values, TOP_LEVEL, "", problems)
    for section, table in SECTIONS.items():
        if isinstance(values.get(section), dict):
            _check(values[section], table, f"{section}.", problems)
    return problems


def _check(values: Mapping[str, Any], table: Mapping[str, Check], prefix: str, problems: List[str]) -> None:
    for key, value in values.items():
        renamed = RENAMED.get(f"{prefix}{key}")
        if renamed is not None and renamed[0](value):
            problems.append(renamed[1])
            continue
        if key not in table:
            known = ", ".join(sorted(table))
            problems.append(f"unknown key '{prefix}{key}' (known: {known})")
            continue
        accepts, expected = table[key]
        if not accepts(value):
            problems.append(f"'{prefix}{key}' must be {expected}, not {type(value).__name__} {_short(value)}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
