"""Every file an OCIO config can load: the LUTs of its colour spaces, looks, view and named transforms.

Read with the real library (``PyOpenColorIO``, inside Nuke, or ``opencolorio`` from the package index)
where it is importable, else with a YAML parser (PyYAML). Context variables (``$SHOT``) take the
scanned environment's values, else the config's own ``environment`` defaults, through the one rule every
reader uses (``environment.expand_variables``: never a credential); one still missing or refused leaves
that file unresolved, named. A config neither can read is reported, never dropped.
"""

from __future__ import annotations

import os
import re
from collections import ChainMap
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, Optional, Set, Tuple

from accsyn_dcc.scan.environment import Unresolvable, expand_variables
from accsyn_dcc.scan.library_warnings import opencolorio_held
from accsyn_dcc.scan.readable import UnreadableFile, regular_file_size
from accsyn_dcc.scan.records import Dependency, Unresolved, quoted_value
from accsyn_dcc.sequences import DirectoryIndex

MAX_CONFIG_BYTES = 16 * 1024 * 1024
MAX_FILE_RULES_BYTES = 16 * 1024
"""Larger ``file_rules`` go to the YAML reader: OpenColorIO's own crashes on a few tens of KB of them."""
_FILE_RULES = re.compile(rb"file_rules")
_TOP_LEVEL_KEY = re.compile(rb"^[A-Za-z_]", re.MULTILINE)


@dataclass(frozen=True)
class OcioFiles:
    """The files found (path, on disk) and the sources that could not be resolved (source, reason)."""

    files: List[Tuple[str, bool]] = field(default_factory=list)
    unresolved: List[Tuple[str, str]] = field(default_factory=list)


def config_files(config: str, environ: Mapping[str, str], index: DirectoryIndex) -> OcioFiles:
    """The files ``config`` (a path to a .ocio) may load, each looked for on its search path."""
    try:
        sources, search_path, defaults = _read(config)
    except _ConfigError as error:
        return OcioFiles(unresolved=[(config, str(error))])
    variables = ChainMap(dict(environ), defaults)  # the scanned environment wins over the config's defaults
    folder = os.path.dirname(config)
    found = OcioFiles([], [])
    for source in dict.fromkeys(sources):
        try:
            resolved = expand_variables(source, variables, "the OCIO config")
            entries = [expand_variables(entry, variables, "the OCIO config") for entry in search_path] or ["."]
        except Unresolvable as error:
            found.unresolved.append((source, str(error)))
            continue
        if os.path.isabs(resolved):
            candidates = [resolved]
        else:
            candidates = [os.path.join(folder, entry, resolved) for entry in entries]
        hit = next((os.path.normpath(path) for path in candidates if index.exists(path)), None)
        found.files.append((hit or os.path.normpath(candidates[0]), hit is not None))
    return found


def config_dependencies(
    config: Dependency, environ: Mapping[str, str], index: DirectoryIndex
) -> Tuple[List[Dependency], List[Unresolved]]:
    """The LUTs a found OCIO config dependency loads, on the config's node and knob, and what stays unresolved."""
    if config.kind != "ocio" or not config.exists or config.provided_by:  # a host's own config: not read here
        return [], []
    loaded = config_files(config.path, environ, index)
    luts = [Dependency(path, "lut", config.node, config.knob, found) for path, found in loaded.files]
    unresolved = [
        Unresolved(config.node, config.knob, quoted_value(source), f"OCIO config: {reason}")
        for source, reason in loaded.unresolved
    ]
    return luts, unresolved


class _ConfigError(Exception):
    """The config could not be read (its own words, never its contents)."""


def _read(config: str) -> Tuple[List[str], List[str], Dict[str, str]]:
    """(file sources, search path entries, environment defaults), by the library else by PyYAML."""
    try:
        regular_file_size(config, MAX_CONFIG_BYTES, "the config")
    except UnreadableFile as error:
        raise _ConfigError(str(error)) from None
    try:
        if _library_safe(config):
            return _read_with_library(config)
    except ImportError:
        pass
    try:
        return _read_with_yaml(config)
    except ImportError:
        raise _ConfigError("neither opencolorio nor PyYAML is installed to read it") from None


def _library_safe(config: str) -> bool:
    """False for a config OpenColorIO would crash on: it compiles each ``file_rules`` pattern into a recursive
    regular expression, and a long one (80,000 ``#``, 16,000 nested groups) overflows its stack."""
    try:
        with open(config, "rb") as stream:
            text = stream.read(MAX_CONFIG_BYTES)
    except OSError:
        return True  # the library says why it cannot read it
    for rules in _FILE_RULES.finditer(text):
        section_end = _TOP_LEVEL_KEY.search(text, rules.end())
        if (section_end.start() if section_end else len(text)) - rules.start() > MAX_FILE_RULES_BYTES:
            return False
    return True


def _read_with_library(config: str) -> Tuple[List[str], List[str], Dict[str, str]]:
    import PyOpenColorIO as OCIO

    try:
        with opencolorio_held(OCIO):
            loaded = OCIO.Config.CreateFromFile(config)
    except Exception as error:  # OCIO raises its own Exception type
        raise _ConfigError(f"OpenColorIO cannot read it ({type(error).__name__})") from None
    transforms: List[Any] = []
    for space in loaded.getColorSpaces():
        for direction in (OCIO.COLORSPACE_DIR_TO_REFERENCE, OCIO.COLORSPACE_DIR_FROM_REFERENCE):
            transforms.append(space.getTransform(direction))
    for look in loaded.getLooks():
        transforms += [look.getTransform(), look.getInverseTransform()]
    for view in loaded.getViewTransforms():
        for direction in (OCIO.VIEWTRANSFORM_DIR_TO_REFERENCE, OCIO.VIEWTRANSFORM_DIR_FROM_REFERENCE):
            transforms.append(view.getTransform(direction))
    for named in loaded.getNamedTransforms():
        for direction in (OCIO.TRANSFORM_DIR_FORWARD, OCIO.TRANSFORM_DIR_INVERSE):
            transforms.append(named.getTransform(direction))
    sources = [source for transform in transforms for source in _library_sources(transform)]
    if hasattr(loaded, "getSearchPaths"):  # OpenColorIO 2.1 and later
        search_path = [str(entry) for entry in loaded.getSearchPaths()]
    else:
        search_path = [entry for entry in str(loaded.getSearchPath()).split(":") if entry]
    defaults = {name: loaded.getEnvironmentVarDefault(name) for name in loaded.getEnvironmentVarNames()}
    return sources, search_path, defaults


def _library_sources(transform: Any) -> Iterator[str]:
    """The ``src`` of a FileTransform, or of every FileTransform inside a GroupTransform."""
    if transform is None:
        return
    if hasattr(transform, "getSrc"):
        yield str(transform.getSrc())
    elif hasattr(transform, "appendTransform"):  # a GroupTransform iterates its children
        for child in transform:
            yield from _library_sources(child)


def _read_with_yaml(config: str) -> Tuple[List[str], List[str], Dict[str, str]]:
    import yaml

    class _Loader(yaml.SafeLoader):
        """Safe loading, with OCIO's ``!<Type>`` (verbatim) tags read as plain mappings and sequences."""

    def tagged(loader: Any, _suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_scalar(node)

    _Loader.add_multi_constructor("", tagged)  # only tags without a constructor of their own
    try:
        with open(config, encoding="utf-8", errors="replace") as stream:
            data = yaml.load(stream, Loader=_Loader)
    except (OSError, yaml.YAMLError, RecursionError) as error:
        raise _ConfigError(f"it is not a readable YAML config ({type(error).__name__})") from None
    if not isinstance(data, dict):
        raise _ConfigError("it is not an OCIO config (no mapping at the top)")
    search = data.get("search_path", ".")
    entries = search if isinstance(search, list) else str(search or ".").split(":")
    environment = data.get("environment") or {}
    defaults = {str(name): str(value) for name, value in environment.items()} if isinstance(environment, dict) else {}
    return list(_yaml_sources(data)), [str(entry) for entry in entries if str(entry).strip()], defaults


def _yaml_sources(value: Any, seen: Optional[Set[int]] = None) -> Iterator[str]:
    """Every ``src`` value; a YAML alias repeated (a billion-laughs file) is walked once."""
    seen = set() if seen is None else seen
    if isinstance(value, (dict, list)):
        if id(value) in seen:
            return
        seen.add(id(value))
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "src" and isinstance(item, (str, int, float)):
                yield str(item)
            else:
                yield from _yaml_sources(item, seen)
    elif isinstance(value, list):
        for item in value:
            yield from _yaml_sources(item, seen)

