"""The submit dialog's choices, remembered per user over the studio defaults (never beside the shot)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from accsyn_dcc.errors import AccsynDccError

SETTINGS_KEY = "submit"
"""Section of the per-user settings holding the dialog's remembered choices."""


class RememberedSettings:
    """Stored in the ``submit`` section of the per-user settings (``accsyn_dcc.config``): ``engine``, ``queue``,
    ``bucket_size``, ``input_conversion``, ``filters`` (the filters text) and ``envs``; the session's
    ``initial_choices`` lays them over the studio's ``defaults``.

    A studio can preset any of them in its defaults file. Environment variables are kept as
    ``[name, value]`` pairs so a variable the artist removed stays removed (settings files merge
    objects key by key).
    """

    def __init__(self, values: Optional[Dict[str, Any]] = None, persist: bool = True) -> None:
        self.values: Dict[str, Any] = dict(values or {})
        self._persist = persist

    @classmethod
    def load(cls) -> RememberedSettings:
        from accsyn_dcc.config import load_settings

        return cls(dict(load_settings().get(SETTINGS_KEY) or {}))

    def update(self, **values: Any) -> str:
        """Remember ``values`` (for this session in any case); why they could not be saved for the next, else
        empty: a settings folder that cannot be written never stops a submit."""
        self.values.update(values)
        if not self._persist:
            return ""
        from accsyn_dcc.config import save_user_settings, user_settings_path

        try:
            save_user_settings({SETTINGS_KEY: self.values})
        except OSError as error:
            return f"Your choices could not be remembered ({error.filename or user_settings_path()}: {error.strerror})."
        except AccsynDccError as error:
            return f"Your choices could not be remembered ({error})."
        return ""
