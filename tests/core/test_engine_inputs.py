"""A scene is never sent to an engine that renders other files: an engine's SETTINGS name what it renders, else
the table of what accsyn's stock engine of its family renders (a stock engine record may declare nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from session_helpers import StubHost

from accsyn_dcc.config import Settings
from accsyn_dcc.preflight import BLOCKER, check_input
from accsyn_dcc.scan.records import Output
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import Engine, EngineSettings, WorkspaceInfo

HIP = EngineSettings(filename_extensions=".hip,.hiplc,.hipnc")


@pytest.mark.parametrize(
    ("code", "renders", "refuses"),
    [
        ("mantra-20.5", "shot.ifd", "shot.hip"),
        ("husk-20.5", "stage.usdc", "shot.hip"),
        ("karma-20", "stage.usda", "shot.ifd"),
        ("houdini-20.5", "shot.hiplc", "stage.usd"),
        ("hython-20", "shot.hipnc", "shot.ifd"),
        ("nuke-15", "comp.nk", "shot.hip"),
        ("maya-2024", "light.mb", "shot.blend"),
        ("arnold-7-maya-2023", "light.ma", "comp.nk"),
        ("blender-3.1.2", "light.blend", "light.ma"),
    ],
)
def test_a_stock_engine_that_declares_nothing_renders_what_its_family_renders(code, renders, refuses):
    engine = Engine(code)
    assert engine.accepts(renders) and not engine.accepts(refuses)


def test_declared_extensions_win_and_an_unknown_family_takes_any_file():
    assert Engine("mantra-custom", settings=HIP).accepts("shot.hip")
    assert Engine("nuke-script").accepts("tool.py") and Engine("ffmpeg").accepts("clip.mov")


def test_a_hip_sent_to_mantra_is_refused_naming_the_engines_that_render_it(tmp_path: Any) -> None:
    scene = tmp_path / "shot.hip"
    scene.write_bytes(b"070707")
    workspace = WorkspaceInfo(engines=[Engine("mantra-20.5"), Engine("houdini-20.5"), Engine("hip", settings=HIP),
                                       Engine("nuke-15")])  # fmt: skip
    [refused] = check_input(str(scene), workspace.engine("mantra-20.5"), workspace)
    assert (refused.severity, refused.code) == (BLOCKER, "input_not_accepted")
    assert refused.message == (
        "The engine 'mantra-20.5' renders .ifd files, not shot.hip; "
        "engines of the workspace that render it: hip, houdini-20.5."
    )
    [alone] = check_input(str(scene), Engine("mantra-20.5"), WorkspaceInfo(engines=[Engine("mantra-20.5")]))
    assert alone.message.endswith("not shot.hip; no engine of the workspace renders it.")


def test_the_session_blocks_a_hip_submitted_to_a_stock_mantra_engine(tmp_path: Any) -> None:
    scene = tmp_path / "shot.hip"
    scene.write_bytes(b"070707")
    host = StubHost(str(scene), outputs=[Output("/out/karma1", str(tmp_path / "render" / "shot.$F4.exr"))])
    session = SubmitSession(host, Settings({}), workspace=WorkspaceInfo(engines=[Engine("mantra-20.5")]))
    findings = session.findings(SubmitChoices(engine="mantra-20.5", range_text="1-3", outputs=tuple(host.outputs())),
                                require_scan=False)  # fmt: skip
    assert "input_not_accepted" in [finding.code for finding in findings if finding.blocks]


def test_the_command_line_preselects_a_stock_engine_by_its_family_and_names_the_others(tmp_path):
    """A stock engine record declares no extensions: its family says what it renders, for the preselection and for
    the pre-flight's list of engines that render the scene."""
    from accsyn_dcc.config import Settings
    from accsyn_dcc.hosts import SceneFileHost
    from accsyn_dcc.session import SubmitChoices, SubmitSession
    from accsyn_dcc.workspace import Engine, WorkspaceInfo

    scene = tmp_path / "fx.hip"
    scene.write_bytes(b"070707")
    workspace = WorkspaceInfo(engines=[Engine("mantra-20.5"), Engine("houdini-20.5"), Engine("nuke-15")])
    host = SceneFileHost(str(scene))
    assert host.default_engine(workspace.engines) == "houdini-20.5"
    session = SubmitSession(host, Settings({}), workspace=workspace)
    [finding] = [f for f in session.findings(SubmitChoices(engine="mantra-20.5"), require_scan=False)
                 if f.code == "input_not_accepted"]  # fmt: skip
    assert finding.message.endswith("engines of the workspace that render it: houdini-20.5.")
