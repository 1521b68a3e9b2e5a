"""The one record of what a submit sends (``SubmitChoices``), and its form in a settings file.

A settings file's ``defaults`` section (studio, then user) and the dialog's remembered choices (the user file's
``submit`` section) hold ``SubmitChoices`` fields under their own names and in their own shapes: ``filters`` as
accsyn filter text, ``envs`` as names to text, ``os_envs`` as ``{linux|mac|windows: {name: text}}``,
``site_settings`` as ``{site: {download|upload|common: {name: value}}}``. The record marks which fields a
``defaults`` section may set (``SETTINGS_FIELDS``) and which the dialog remembers (``REMEMBERED_FIELDS``), so the
settings schema and the remembered section cannot drift from it; ``choice_values`` reads either section.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from accsyn_dcc.errors import ValidationError
from accsyn_dcc.payload_rules import setting_text
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Output

_SETTING = MappingProxyType({"setting": True})
"""A field a settings file's ``defaults`` may set."""
_REMEMBERED = MappingProxyType({"setting": True, "remembered": True})
"""A field the settings may set and the dialog remembers."""
_INTERNAL = MappingProxyType({"internal": True})
"""A field the record keeps for itself: no caller sets it."""


@dataclass(frozen=True)
class SubmitChoices:
    """Everything an artist, a script, a command line or the studio's settings chose for a submit."""

    engine: str = field(default="", metadata=_REMEMBERED)
    range_text: str = ""
    name: str = ""
    bucket_size: int = field(default=1, metadata=_REMEMBERED)
    queue: str = field(default="", metadata=_REMEMBERED)
    outputs: Tuple[Output, ...] = ()
    one_job_per_output: bool = False
    filters: str = field(default="", metadata=_REMEMBERED)
    """The accsyn filters text (``ram:>32g,site:sthlm``)."""
    input_conversion: str = field(default="", metadata=_REMEMBERED)
    """``auto``/``always``/``platform``/``never``; empty: ``auto`` for text scenes, none for binary ones."""
    site_settings: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict, metadata=_SETTING)
    """``{site: {"download"|"upload"|"common": {name: text}}}``, sent as compute.rst's ``{site: {"settings": ...}}``."""
    envs: Mapping[str, str] = field(default_factory=dict, metadata=_REMEMBERED)
    """Variables for every OS."""
    os_envs: Mapping[str, Mapping[str, str]] = field(default_factory=dict, metadata=_REMEMBERED)
    """Variables per OS: ``{"linux"|"mac"|"windows": {name: text}}``."""
    transfer_speedlimit: Optional[float] = field(default=None, metadata=_SETTING)
    """MB/s for the job's transfers (-1: no limit); None: accsyn's own."""
    mapped_share_paths: Tuple[Mapping[str, str], ...] = field(default=(), metadata=_SETTING)
    """``{remote, local, os?}`` entries sent beside the ones the volumes give (a share mounted elsewhere)."""
    arguments: Optional[str] = None
    output_folder: str = ""
    """Where the job's output goes; empty: the common folder of the outputs."""
    extra_dependencies: Tuple[str, ...] = ()
    clear_output_directory: Optional[str] = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    """Engine parameters beyond the host's output parameters."""
    allow_missing: bool = False
    """Submit although dependencies are missing: what exists is sent, the rest is reported as left out."""
    send_off_share: Tuple[str, ...] = ()
    """Files (or folders) on no share and outside the scene's folder that the artist chose, by name, to send."""

    parsed_range: Optional[ParsedRange] = field(default=None, compare=False, repr=False, metadata=_INTERNAL)
    """``range_text`` as parsed, kept by ``dataclasses.replace`` while the text stays the same: the range is parsed
    once however many times the choices are copied with other changes (filled on first use)."""

    def __post_init__(self) -> None:
        if self.parsed_range is not None and self.parsed_range.text != self.range_text:
            object.__setattr__(self, "parsed_range", None)  # copied with another range: parsed again when used

    def _parsed(self) -> ParsedRange:
        if self.parsed_range is None:
            object.__setattr__(self, "parsed_range", ParsedRange.of(self.range_text))
        assert self.parsed_range is not None
        return self.parsed_range

    def with_envs(self, sections: Mapping[str, Mapping[str, str]]) -> SubmitChoices:
        """These choices with the variables of ``sections`` (``common`` for every OS, or an OS's name: accsyn's
        per-OS ``envs`` shape) set, each over the same name in its section."""
        envs = {**self.envs, **sections.get("common", {})}
        os_envs = {os_name: dict(values) for os_name, values in self.os_envs.items()}
        for section, values in sections.items():
            if section != "common":
                os_envs.setdefault(section, {}).update(values)
        return replace(self, envs=envs, os_envs=os_envs)

    @property
    def frames(self) -> Optional[FrameRange]:
        """The range, parsed once; None when it is empty or invalid (``range_error`` says why)."""
        return self._parsed().frames

    @property
    def range_error(self) -> Optional[ValidationError]:
        return self._parsed().error


@dataclass(frozen=True)
class ParsedRange:
    """A range text and what parsing it gave: its frames, or why it has none."""

    text: str
    frames: Optional[FrameRange]
    error: Optional[ValidationError]

    @classmethod
    def of(cls, text: str) -> ParsedRange:
        try:
            return cls(text, FrameRange.parse(text), None)
        except ValidationError as error:  # kept without its traceback: frames held here would make the
            return cls(text, None, error.with_traceback(None))  # choices a cycle the collector frees on any thread


CHOSEN_FIELDS: Tuple[str, ...] = tuple(item.name for item in fields(SubmitChoices) if not item.metadata.get("internal"))
"""Every field a caller may set (a scripted ``submit()``'s options, besides ``engine``, ``range`` and ``outputs``)."""
SETTINGS_FIELDS: Tuple[str, ...] = tuple(item.name for item in fields(SubmitChoices) if item.metadata.get("setting"))
"""The fields a settings file's ``defaults`` section may set, by their names."""
REMEMBERED_FIELDS: Tuple[str, ...] = tuple(
    item.name for item in fields(SubmitChoices) if item.metadata.get("remembered")
)
"""The fields the dialog remembers for the artist's next submit (the user file's ``submit`` section)."""


def _texts(values: Mapping[str, Any]) -> Dict[str, str]:
    return {str(name): str(value) for name, value in values.items()}


def _site_texts(sites: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Dict[str, Dict[str, Dict[str, str]]]:
    """Site settings with each value as accsyn's text (a number in a settings file: ``5`` -> ``"5"``)."""
    return {
        site: {direction: {name: setting_text(value) for name, value in values.items()}
               for direction, values in directions.items()}
        for site, directions in sites.items()
    }  # fmt: skip


_READ: Dict[str, Callable[[Any], Any]] = {
    "bucket_size": int,
    "transfer_speedlimit": float,
    "envs": _texts,
    "os_envs": lambda per_os: {os_name: _texts(values) for os_name, values in per_os.items()},
    "site_settings": _site_texts,
    "mapped_share_paths": lambda entries: tuple(_texts(entry) for entry in entries),
}
"""How a settings value becomes its field's value; text for the rest."""


def choice_values(section: Mapping[str, Any]) -> Dict[str, Any]:
    """The ``SubmitChoices`` values a settings section sets (``defaults``, or the remembered choices), in the
    record's own types; the section is one the settings schema has checked."""
    return {name: _READ.get(name, str)(section[name]) for name in SETTINGS_FIELDS if name in section}
