"""Validation of accsyn Compute job payloads: every problem found, each naming its dotted field.

Follows compute.rst and accsyn-protocol.md section 3.1: setting values are strings (a number or a boolean is
accepted with a warning and stored as text, as accsyn does), per-OS ``envs`` are stored with ``common``,
duplicate filter keys are combined, ``clear_output_directory`` is a string, OS names are windows/mac/linux.
``review_payload`` gives the payload as accsyn stores it; ``payload --validate``, the local farm and the
stand-in all use it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Tuple

from accsyn_dcc.errors import Problem, ValidationError
from accsyn_dcc.filters import review_filters
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.workspace import OPERATING_SYSTEMS

INPUT_CONVERSIONS = ("always", "platform", "never", "auto")
ENV_SECTIONS = ("common", *OPERATING_SYSTEMS)
SITE_DIRECTIONS = ("download", "upload", "common")
INITIAL_STATUSES = ("waiting", "paused")
TOP_LEVEL_FIELDS = (
    "name", "input", "engine", "range", "output", "dependencies", "filters", "settings", "envs",
    "parameters", "queue", "status", "description", "metadata", "tasks", "allow_duplicates",
)  # fmt: skip
LEGACY_ALIASES = {"app": "engine", "code": "name"}
_ENGINE_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
_CLEAR_OUTPUT = re.compile(r"^(true|false|!?site:[\w.-]+)$", re.IGNORECASE)
_INTEGER_SETTINGS = ("task_bucketsize",)
_NUMBER_SETTINGS = ("transfer_speedlimit",)


def normalise_legacy_keys(payload: Mapping[str, Any]) -> Dict[str, Any]:
    """A copy using today's keys: ``app`` becomes ``engine`` and ``code`` becomes ``name``."""
    result = dict(payload)
    for legacy, current in LEGACY_ALIASES.items():
        if legacy in result:
            value = result.pop(legacy)
            result.setdefault(current, value)
    return result


@dataclass(frozen=True)
class Reviewed:
    """A value as accsyn stores it, what was changed on the way (``warnings``) and what is refused."""

    value: Any
    warnings: Tuple[Problem, ...] = ()
    problems: Tuple[Problem, ...] = ()

    def accepted(self) -> Any:
        """The value; ValidationError listing every problem when there is one."""
        if self.problems:
            raise ValidationError(self.problems)
        return self.value


def setting_text(value: Any) -> str:
    """An accsyn setting value as the string accsyn expects (``5`` -> ``"5"``, ``True`` -> ``"true"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def review_settings(settings: Any, field: str) -> Reviewed:
    """The one rule for accsyn setting values: text stays; a number or a boolean becomes text with a warning
    (accsyn accepts it so); anything else, a bucket size below 1 or a speed limit that is no number is refused."""
    if not isinstance(settings, dict):
        return Reviewed(settings, (), (Problem(field, settings, "must be an object of setting names to values"),))
    values: Dict[str, Any] = {}
    warnings: List[Problem] = []
    problems: List[Problem] = []
    for name, value in settings.items():
        where = f"{field}.{name}"
        values[name] = value
        if isinstance(value, (bool, int, float)):
            values[name] = setting_text(value)
            warnings.append(Problem(where, value, f'accsyn keeps setting values as text; stored as "{values[name]}"'))
        elif not isinstance(value, str):
            problems.append(Problem(where, value, 'accsyn setting values are text (or a number), e.g. "5"'))
            continue
        text = values[name]
        if name in _INTEGER_SETTINGS and not (text.isdigit() and int(text) > 0):
            problems.append(Problem(where, value, "must be a whole number of 1 or more"))
        elif name in _NUMBER_SETTINGS and not re.fullmatch(r"-?\d+(\.\d+)?", text):
            problems.append(Problem(where, value, "must be a number of MB/s, or -1 for no limit"))
    return Reviewed(values, tuple(warnings), tuple(problems))


def review_payload(payload: Any) -> Reviewed:
    """A Compute payload as accsyn stores it (a copy: legacy keys renamed, setting values as text, per-OS envs
    with ``common``, duplicate filter keys combined), with a warning for each change and every problem."""
    if not isinstance(payload, Mapping):
        problem = Problem("payload", type(payload).__name__, "a Compute payload must be a JSON object")
        return Reviewed(payload, (), (problem,))
    data = copy.deepcopy(normalise_legacy_keys(payload))
    warnings: List[Problem] = []
    problems: List[Problem] = []

    def take(key: str, reviewed: Reviewed) -> None:
        data[key] = reviewed.value
        warnings.extend(reviewed.warnings)
        problems.extend(reviewed.problems)

    for key in data:
        if key not in TOP_LEVEL_FIELDS:
            problems.append(Problem(key, data[key], "unknown field in a Compute payload"))
    engine = data.get("engine")
    if not isinstance(engine, str) or not _ENGINE_CODE.match(engine):
        problems.append(Problem("engine", engine, "an engine code is required (letters, digits, '_.-', at most 32)"))
    if not isinstance(data.get("input"), str) or not data["input"].strip():
        problems.append(Problem("input", data.get("input"), "the input file path is required"))
    for key in ("name", "output", "queue", "description"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem(key, data[key], "must be a string"))
    if "range" in data:
        try:
            FrameRange.parse(data["range"])
        except ValidationError as error:
            problems.extend(error.problems)
    if "filters" in data:
        filters = review_filters(data["filters"])
        take("filters", Reviewed(filters.text, filters.warnings, filters.problems))
    if "dependencies" in data:
        problems.extend(_dependency_problems(data["dependencies"]))
    if "settings" in data:
        take("settings", review_settings(data["settings"], "settings"))
    if "envs" in data:
        take("envs", review_envs(data["envs"]))
    if "parameters" in data:
        problems.extend(_parameter_problems(data["parameters"]))
        if isinstance(data["parameters"], dict) and "site" in data["parameters"]:
            sites = review_sites(data["parameters"]["site"])
            data["parameters"]["site"] = sites.value
            warnings.extend(sites.warnings)
            problems.extend(sites.problems)
    if "status" in data and data["status"] not in INITIAL_STATUSES:
        problems.append(Problem("status", data["status"], f"the initial status must be one of {INITIAL_STATUSES}"))
    if "metadata" in data and not isinstance(data["metadata"], dict):
        problems.append(Problem("metadata", data["metadata"], "must be an object"))
    if "allow_duplicates" in data and not isinstance(data["allow_duplicates"], bool):
        problems.append(Problem("allow_duplicates", data["allow_duplicates"], "must be true or false"))
    return Reviewed(data, tuple(warnings), tuple(problems))


def validate_payload(payload: Any) -> List[Problem]:
    """Every problem in a Compute payload (legacy ``app``/``code`` keys accepted); empty when valid."""
    return list(review_payload(payload).problems)


def check_payload(payload: Any) -> Dict[str, Any]:
    """``payload`` as accsyn stores it (see ``review_payload``); raise ValidationError listing every problem."""
    value: Dict[str, Any] = review_payload(payload).accepted()
    return value


def _dependency_problems(dependencies: Any) -> List[Problem]:
    if not isinstance(dependencies, list):
        return [Problem("dependencies", dependencies, "must be a list of file or folder paths")]
    return [
        Problem(f"dependencies[{index}]", path, "must be a non-empty path string")
        for index, path in enumerate(dependencies)
        if not isinstance(path, str) or not path.strip()
    ]


def _string_map_problems(values: Any, field: str) -> List[Problem]:
    if not isinstance(values, dict):
        return [Problem(field, values, "must be an object of names to string values")]
    return [
        Problem(f"{field}.{name}", value, "must be a string")
        for name, value in values.items()
        if not isinstance(value, str)
    ]


def per_os_envs(envs: Mapping[str, Any]) -> bool:
    """Whether ``envs`` has the per-OS form (a ``common``, ``linux``, ``mac`` or ``windows`` object)."""
    return any(key in ENV_SECTIONS and isinstance(value, dict) for key, value in envs.items())


def review_envs(envs: Any, field: str = "envs") -> Reviewed:
    """Flat ``{NAME: value}`` or per-OS ``{"common"|"linux"|"mac"|"windows": {...}}`` (compute.rst); per-OS
    envs are stored with ``common`` (accsyn's engines tell the per-OS form by it, so it is added when missing)."""
    if not isinstance(envs, dict):
        return Reviewed(envs, (), (Problem(field, envs, "must be an object"),))
    if not per_os_envs(envs):
        return Reviewed(envs, (), tuple(_string_map_problems(envs, field)))
    problems = [
        Problem(f"{field}.{key}", value, f"per-OS envs only take the sections {ENV_SECTIONS}")
        for key, value in envs.items()
        if key not in ENV_SECTIONS
    ]
    for section in ENV_SECTIONS:
        if section in envs:
            problems.extend(_string_map_problems(envs[section], f"{field}.{section}"))
    return Reviewed({"common": {}, **envs}, (), tuple(problems))


def _parameter_problems(parameters: Any) -> List[Problem]:
    if not isinstance(parameters, dict):
        return [Problem("parameters", parameters, "must be an object")]
    problems: List[Problem] = []
    arguments = parameters.get("arguments")
    if "arguments" in parameters and not (
        isinstance(arguments, str) or (isinstance(arguments, list) and all(isinstance(a, str) for a in arguments))
    ):
        problems.append(Problem("parameters.arguments", arguments, "must be a string or a list of strings"))
    conversion = parameters.get("input_conversion")
    if conversion is not None and conversion not in INPUT_CONVERSIONS:
        problems.append(Problem("parameters.input_conversion", conversion, f"must be one of {INPUT_CONVERSIONS}"))
    remote_os = parameters.get("remote_os")
    if "remote_os" in parameters and remote_os not in OPERATING_SYSTEMS:
        problems.append(Problem("parameters.remote_os", remote_os, f"must be one of {OPERATING_SYSTEMS}"))
    if "mapped_share_paths" in parameters:
        problems.extend(_mapped_share_path_problems(parameters["mapped_share_paths"]))
    clear = parameters.get("clear_output_directory")
    if "clear_output_directory" in parameters and not (isinstance(clear, str) and _CLEAR_OUTPUT.match(clear)):
        problems.append(
            Problem(
                "parameters.clear_output_directory", clear, 'must be the string "true", "site:<code>" or "!site:<code>"'
            )
        )
    for flag in ("dev", "debug"):
        if flag in parameters and not isinstance(parameters[flag], bool):
            problems.append(Problem(f"parameters.{flag}", parameters[flag], "must be true or false"))
    return problems


def _mapped_share_path_problems(entries: Any) -> List[Problem]:
    field = "parameters.mapped_share_paths"
    if not isinstance(entries, list):
        return [Problem(field, entries, "must be a list of {remote, local, os?} objects")]
    problems: List[Problem] = []
    for index, entry in enumerate(entries):
        where = f"{field}[{index}]"
        if not isinstance(entry, dict):
            problems.append(Problem(where, entry, "must be an object with 'remote' and 'local'"))
            continue
        for key in ("remote", "local"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problems.append(Problem(f"{where}.{key}", entry.get(key), "a non-empty path is required"))
        if "os" in entry and entry["os"] not in OPERATING_SYSTEMS:
            problems.append(Problem(f"{where}.os", entry["os"], f"must be one of {OPERATING_SYSTEMS}"))
        for key in entry:
            if key not in ("remote", "local", "os"):
                problems.append(Problem(f"{where}.{key}", entry[key], "unknown key; entries take remote, local, os"))
    return problems


def review_sites(sites: Any, field: str = "parameters.site") -> Reviewed:
    """``{site code|id|"local": {"settings": {"download"|"upload"|"common": {name: value}}}}`` (compute.rst),
    each direction's values under the one rule of ``review_settings``."""
    if not isinstance(sites, dict):
        return Reviewed(sites, (), (Problem(field, sites, 'must be an object of site code to {"settings": ...}'),))
    result: Dict[str, Any] = {}
    warnings: List[Problem] = []
    problems: List[Problem] = []
    for site, body in sites.items():
        where = f"{field}.{site}"
        result[site] = body
        if not isinstance(body, dict) or set(body) - {"settings"}:
            problems.append(Problem(where, body, 'must be {"settings": {"download"|"upload"|"common": {...}}}'))
            continue
        settings = body.get("settings", {})
        if not isinstance(settings, dict):
            problems.append(Problem(f"{where}.settings", settings, "must be an object"))
            continue
        directions: Dict[str, Any] = {}
        for direction, values in settings.items():
            directions[direction] = values
            if direction not in SITE_DIRECTIONS:
                problems.append(Problem(f"{where}.settings.{direction}", values, f"must be one of {SITE_DIRECTIONS}"))
                continue
            reviewed = review_settings(values, f"{where}.settings.{direction}")
            directions[direction] = reviewed.value
            warnings.extend(reviewed.warnings)
            problems.extend(reviewed.problems)
        result[site] = {"settings": directions}
    return Reviewed(result, tuple(warnings), tuple(problems))
