"""The submit dialog's choices, remembered per user over the studio defaults (never beside the shot)."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from accsyn_dcc.choices import REMEMBERED_FIELDS
from accsyn_dcc.errors import AccsynDccError

SETTINGS_KEY = "submit"
"""Section of the per-user settings holding the dialog's remembered choices."""


def _plain(value: Any) -> Any:
    return {str(key): _plain(item) for key, item in value.items()} if isinstance(value, Mapping) else value


def stored_form(section: Mapping[str, Any]) -> Dict[str, Any]:
    """A remembered section in this version's form: ``envs`` that earlier versions wrote as ``[name, value]`` pairs
    (settings files then merged every section key by key) become names to values."""
    values = dict(section)
    pairs = values.get("envs")
    if isinstance(pairs, list):
        values["envs"] = {str(pair[0]): str(pair[1]) for pair in pairs if isinstance(pair, list) and len(pair) == 2}
    return values


class RememberedSettings:
    """The ``submit`` section of the per-user settings (``accsyn_dcc.config``): what the artist last chose apart from
    the defaults (``SubmitSession.remembered_changes``), by ``SubmitChoices`` names and in its shapes (``filters`` as
    text, ``envs`` as names to values); the session's ``initial_choices`` lays them over the settings' ``defaults``.

    The section is written whole, replacing the one before, so a variable the artist removed stays removed.
    """

    def __init__(self, values: Optional[Dict[str, Any]] = None, persist: bool = True) -> None:
        self.values: Dict[str, Any] = dict(values or {})
        self._persist = persist

    @classmethod
    def load(cls) -> RememberedSettings:
        from accsyn_dcc.config import load_settings

        return cls(dict(load_settings().get(SETTINGS_KEY) or {}))

    def remember(self, changes: Mapping[str, Any]) -> str:
        """Remember ``changes`` (``SubmitSession.remembered_changes``: the fields the artist set apart from the
        defaults), in place of what was remembered before, for this session in any case; why they could not be
        saved for the next, else empty: a settings folder that cannot be written never stops a submit."""
        self.values = {name: _plain(value) for name, value in changes.items() if name in REMEMBERED_FIELDS}
        if not self._persist:
            return ""
        from accsyn_dcc.config import save_user_settings, user_settings_path

        try:
            save_user_settings({SETTINGS_KEY: self.values}, whole=(SETTINGS_KEY,))
        except OSError as error:
            return f"Your choices could not be remembered ({error.filename or user_settings_path()}: {error.strerror})."
        except AccsynDccError as error:
            return f"Your choices could not be remembered ({error})."
        return ""
