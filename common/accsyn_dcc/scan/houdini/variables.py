"""Houdini's variables in a parm's text, expanded the way Houdini would for a render.

``$HIP``/``$HIPFILE``/``$HIPNAME`` come from where the scene is now (Houdini sets them on load),
``$OS`` is the node's name, ``$F``/``$F4``/``$FF``/``${F4}`` stay as frame tokens for the core's grammar,
the rest come from the scene's ``set -g`` globals, Houdini packages (``HOUDINI_PACKAGE_DIR``) and the
environment, in Houdini's order; csh's modifiers after a name (``$HIPNAME:r``, ``${PLATE:t}``) give its
root, tail, extension or head. A backtick expression (in the parm or in a variable it names), ``$T`` and
other time values, a variable no one sets or one that holds a credential leave the parm unresolved, with
the reason.
"""

from __future__ import annotations

import os
import posixpath
import re
from typing import Dict, List, Mapping, Tuple

from accsyn_dcc import json_text
from accsyn_dcc.scan.environment import Unresolvable, scene_variable
from accsyn_dcc.scan.readable import UnreadableFile, read_bounded, shown

FRAME_VARIABLE = re.compile(r"^(?:F\d*|FF)$")
TIME_VARIABLES = frozenset({"T", "SF", "ST", "RFSTART", "RFEND", "NFRAMES", "FSTART", "FEND", "FPS"})
_VARIABLE = re.compile(
    r"\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<inside>(?::[rthe])*)\}|\$(?P<plain>[A-Za-z_][A-Za-z0-9_]*)(?P<after>(?::[rthe])*)"
)
MODIFIERS = {
    "r": lambda value: posixpath.splitext(value)[0],  # root: without its extension
    "t": lambda value: value.rpartition("/")[2],  # tail: the last part of a path
    "e": lambda value: posixpath.splitext(value)[1][1:],  # extension, without its dot
    "h": lambda value: value.rpartition("/")[0] if "/" in value else value,  # head: the folder
}
"""csh's modifiers, as Houdini applies them to a variable's value (``$HIPNAME:r``)."""
MAX_PACKAGE_BYTES = 1024 * 1024
MAX_EXPANDED_CHARS = 64 * 1024
"""The longest text a path's variables may expand to (a path is a few hundred characters)."""
BACKTICK = "a backtick expression, evaluated by Houdini only"


def scene_variables(scene_path: str, saved: Mapping[str, str]) -> Dict[str, str]:
    """The scene's globals as Houdini has them after loading the file from ``scene_path``."""
    folder, name = os.path.split(os.path.abspath(scene_path))
    variables = dict(saved)
    variables.update(HIP=folder.replace("\\", "/"), HIPFILE=os.path.abspath(scene_path).replace("\\", "/"),
                     HIPNAME=os.path.splitext(name)[0])  # fmt: skip
    return variables


def expand(text: str, node_name: str, variables: Mapping[str, str], environ: Mapping[str, str]) -> str:
    """``text`` with every variable replaced (frame variables kept as tokens); raises ``Unresolvable``.

    A backtick, in the text or in the value of a variable it names, is Houdini's to evaluate; the text may
    grow to ``MAX_EXPANDED_CHARS`` (values that name each other many times over would grow without end)."""
    for _round in range(8):  # a variable's value may name others ($JOB = $HIP/..)
        if "`" in text:
            raise Unresolvable(BACKTICK)
        if "$" not in text:
            return text
        expanded = _expand_once(text, node_name, variables, environ)
        if expanded == text:
            return text
        text = expanded
    raise Unresolvable("variables that name each other in a loop")


def _expand_once(text: str, node_name: str, variables: Mapping[str, str], environ: Mapping[str, str]) -> str:
    grown = len(text)

    def replace(match: re.Match[str]) -> str:
        nonlocal grown
        value = _value(match, node_name, variables, environ)
        grown += len(value) - len(match.group(0))
        if grown > MAX_EXPANDED_CHARS:
            raise Unresolvable(f"its variables expand to more than {MAX_EXPANDED_CHARS // 1024} KB of text")
        return value

    return _VARIABLE.sub(replace, text)


def _value(match: re.Match[str], node_name: str, variables: Mapping[str, str], environ: Mapping[str, str]) -> str:
    name = match.group("braced") or match.group("plain") or ""
    if FRAME_VARIABLE.match(name):
        return match.group(0)
    value = _variable(name, node_name, variables, environ)
    suffix = match.group("inside") or match.group("after")
    if not suffix:
        return value
    modifiers = suffix.split(":")[1:]
    if "$" in value:
        raise Unresolvable(
            f"a :{modifiers[0]} modifier on a variable whose value names others, evaluated by Houdini only"
        )
    for modifier in modifiers:
        value = MODIFIERS[modifier](value)
    return value


def _variable(name: str, node_name: str, variables: Mapping[str, str], environ: Mapping[str, str]) -> str:
    if name == "OS":
        return node_name
    if name in TIME_VARIABLES:
        raise Unresolvable(f"${name} depends on the time, evaluated by Houdini only")
    if name in variables:
        return variables[name]
    return scene_variable(name, environ)


def package_variables(environ: Mapping[str, str]) -> Tuple[Dict[str, str], List[str]]:
    """Variables the Houdini packages in ``HOUDINI_PACKAGE_DIR`` set (``"env": [{"NAME": "value"}, ...]``),
    and one line for each package that could not be read (its variables stay unset)."""
    found: Dict[str, str] = {}
    unread: List[str] = []
    folders = [part for part in environ.get("HOUDINI_PACKAGE_DIR", "").split(os.pathsep) if part]
    for folder in folders:
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(".json"))
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            try:
                found.update(_package_env(path))
            except (UnreadableFile, ValueError) as error:
                unread.append(f"{shown(path)}: Houdini package not read ({error}); its variables are not set")
    return found, unread


def _package_env(path: str) -> List[Tuple[str, str]]:
    data = json_text.loads(read_bounded(path, MAX_PACKAGE_BYTES, "the package"))
    entries = data.get("env", []) if isinstance(data, dict) else []
    pairs: List[Tuple[str, str]] = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and "var" in entry and isinstance(entry.get("value"), str):
            pairs.append((str(entry["var"]), entry["value"]))
        elif isinstance(entry, dict):
            pairs += [(str(key), value) for key, value in entry.items() if isinstance(value, str)]
    return pairs
