"""Nuke (the stand-in ``nuke`` with the .nk opened): the dialog, ``accsyn_nuke.submit`` and the command line on the
saved script give identical payloads, dry run and sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from parity import NUKE_ENGINE, Studio, assert_identical, cli_payloads, dialog_payloads, scripted_payloads

from accsyn_dcc.paths import current_os


def write_script(root: Path) -> Path:
    """A comp reading a plate on the share (frames on disk) through a studio gizmo (on the share too, found on
    NUKE_PATH) and writing an EXR sequence and a movie beside it."""
    gizmos = root / "tools" / "gizmos"
    gizmos.mkdir(parents=True)
    (gizmos / "StudioGlow.gizmo").write_text("Gizmo {\n}\n")
    shot = root / "shot"
    plates = shot / "plates"
    plates.mkdir(parents=True)
    for frame in range(1001, 1011):
        (plates / f"plate.{frame}.exr").write_bytes(b"exr")
    script = shot / "comp.nk"
    script.write_text(
        f"Root {{\n inputs 0\n name {script}\n first_frame 1001\n last_frame 1010\n}}\n"
        f"Read {{\n inputs 0\n file {plates}/plate.%04d.exr\n first 1001\n last 1010\n name Read1\n}}\n"
        "StudioGlow {\n name StudioGlow1\n}\n"
        f"Write {{\n file {shot}/out/comp.%04d.exr\n file_type exr\n name Write_EXR\n}}\n"
        f"Write {{\n file {shot}/out/review.mov\n file_type mov64\n name Write_MOV\n}}\n"
    )
    return script


@pytest.fixture
def script(studio: Studio) -> Iterator[Path]:
    import nuke
    from nuke import _ui

    _ui.reset()
    path = write_script(studio.root)
    studio.monkeypatch.setenv("NUKE_PATH", str(studio.root / "tools" / "gizmos"))
    nuke.scriptOpen(str(path))
    yield path
    _ui.reset()


def test_every_entry_point_gives_the_same_nuke_payload(
    qtbot: Any, studio: Studio, script: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accsyn_dcc.config import load_settings
    from accsyn_nuke import submit
    from accsyn_nuke.adapter import NukeHost

    payloads = dialog_payloads(qtbot, studio, NukeHost(settings=load_settings().values))
    payloads.update(scripted_payloads(studio, submit))
    payloads.update(cli_payloads(studio, script, capsys))
    assert_identical(payloads)
    assert {payload["engine"] for [payload] in payloads.values()} == {NUKE_ENGINE}
    gizmos = studio.root / "tools" / "gizmos"
    for [payload] in payloads.values():  # the gizmo's folder, as each OS mounts the share (every entry point alike)
        assert "share=projects/tools/gizmos/StudioGlow.gizmo" in payload["dependencies"]
        assert payload["envs"][current_os()]["NUKE_PATH"] == str(gizmos)
        assert payload["envs"]["windows"]["NUKE_PATH"].endswith("\\tools\\gizmos")
