"""Environment variables in scene paths: the one rule for reading them, and ``$VAR`` expansion for every host.

A scanned scene may name any variable, but never one that holds a credential (its value would end up
in a dependency path, a payload or a log); such a variable, or one not set here, leaves the path unresolved.
"""

from __future__ import annotations

import re
from typing import Mapping

CREDENTIAL = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH", re.IGNORECASE)
"""Names of environment variables a scanned scene may never read."""

_VARIABLE = re.compile(
    r"\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}"
    r"|\$(?P<plain>[A-Za-z_][A-Za-z0-9_]*)"
    r"|%(?P<windows>[A-Za-z_][A-Za-z0-9_]*)%"
)


class UnresolvedVariable(ValueError):
    """A variable a path names that cannot (or may not) be read; the text says which and why."""


def scene_variable(name: str, environ: Mapping[str, str], what: str = "the scene") -> str:
    """The value of ``name`` for a scanned scene; raises ``UnresolvedVariable`` for a credential or an unset one."""
    if CREDENTIAL.search(name):
        raise UnresolvedVariable(f"{what} reads the credential variable {name}; refused")
    if name not in environ:
        raise UnresolvedVariable(f"environment variable {name} is not set here")
    return environ[name]


def expand_variables(text: str, environ: Mapping[str, str], what: str = "the scene") -> str:
    """``text`` with ``$VAR``, ``${VAR}`` and ``%VAR%`` replaced; raises ``UnresolvedVariable`` as above."""
    if "$" not in text and "%" not in text:
        return text
    return _VARIABLE.sub(lambda match: scene_variable(match.group(match.lastgroup or ""), environ, what), text)
