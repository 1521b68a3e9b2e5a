"""The default engine follows the running Nuke's major version; a setting overrides it."""

from __future__ import annotations

from typing import Any

import pytest

from accsyn_dcc.workspace import Engine

ENGINES = [Engine(code) for code in ("nuke-13", "nuke-14", "nuke-15", "nuke-16", "blender", "maya-2025")]


@pytest.mark.parametrize(("major", "expected"), [(16, "nuke-16"), (15, "nuke-15"), (13, "nuke-13"), (12, None)])
def test_engine_matches_the_running_major_version(nuke_ui: Any, major: int, expected: str) -> None:
    from accsyn_nuke.adapter import NukeHost

    nuke_ui._ui.set_version(major, 0, 1)
    assert NukeHost().default_engine(ENGINES) == expected


def test_dotted_engine_codes_match_too() -> None:
    from accsyn_dcc.hosts import engine_for_version

    engines = [Engine("nuke-16.0"), Engine("nuke-160"), Engine("nuke-15.1")]
    assert engine_for_version(engines, "nuke", 16) == "nuke-16.0"


def test_setting_overrides_the_version_choice(nuke_ui: Any) -> None:
    from accsyn_nuke.adapter import ENGINE_SETTING, NukeHost

    assert NukeHost({ENGINE_SETTING: "nuke-14"}).default_engine(ENGINES) == "nuke-14"
    assert NukeHost({ENGINE_SETTING: "nuke-99"}).default_engine(ENGINES) == "nuke-16"  # unknown override ignored
