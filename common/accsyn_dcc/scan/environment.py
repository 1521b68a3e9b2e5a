"""Environment variables in scene paths: the one rule for reading them, and ``$VAR`` expansion for every host.

A scanned scene (a Nuke script, a Maya or Houdini scene, an OCIO config any of them names) may name any
variable, but never one that holds a credential (its value would end up in a dependency path, a payload or
a log); such a variable, or one not set here, leaves the path unresolved, saying which and why.
"""

from __future__ import annotations

import re
from typing import Mapping

from accsyn_dcc.credentials import SECRET_VARIABLES

_CREDENTIAL_WORDS = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE", re.IGNORECASE)
_CREDENTIAL_PARTS = frozenset({"PASS", "PWD", "PW"})
"""Parts of a name (between underscores) that say it holds a password (``DB_PASS``); ``PWD`` alone is a folder."""

_VARIABLE = re.compile(
    r"\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}"
    r"|\$(?P<plain>[A-Za-z_][A-Za-z0-9_]*)"
    r"|%(?P<windows>[A-Za-z_][A-Za-z0-9_]*)%"
)


class Unresolvable(ValueError):
    """A value a scene names that cannot be resolved offline, for every reader: a variable unset or refused, an
    expression only the host evaluates (TCL, a backtick), a loop; the text says which and why, never the key."""


def is_credential_name(name: str) -> bool:
    """True for a variable a scanned scene may never read: this project's own secrets and credential-shaped names."""
    upper = name.upper()
    if upper in SECRET_VARIABLES or _CREDENTIAL_WORDS.search(upper):
        return True
    return upper not in ("PWD", "OLDPWD") and not _CREDENTIAL_PARTS.isdisjoint(upper.split("_"))


def scene_variable(name: str, environ: Mapping[str, str], what: str = "the scene") -> str:
    """The value of ``name`` for a scanned scene; raises ``Unresolvable`` for a credential or an unset one."""
    if is_credential_name(name):
        raise Unresolvable(f"{what} reads the credential variable {name}; refused")
    if name not in environ:
        raise Unresolvable(f"environment variable {name} is not set here")
    return environ[name]


def expand_variables(text: str, environ: Mapping[str, str], what: str = "the scene") -> str:
    """``text`` with ``$VAR``, ``${VAR}`` and ``%VAR%`` replaced; raises ``Unresolvable`` as above."""
    if "$" not in text and "%" not in text:
        return text
    return _VARIABLE.sub(lambda match: scene_variable(match.group(match.lastgroup or ""), environ, what), text)
