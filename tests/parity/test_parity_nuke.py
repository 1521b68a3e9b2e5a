"""Nuke (the stand-in ``nuke`` with the .nk opened): the dialog, ``accsyn_nuke.submit`` and the command line on the
saved script give identical payloads, dry run and sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from parity import Studio, assert_identical, cli_payloads, dialog_payloads, scripted_payloads


def write_script(root: Path) -> Path:
    """A comp reading a plate on the share (frames on disk) and writing an EXR sequence and a movie beside it."""
    shot = root / "shot"
    plates = shot / "plates"
    plates.mkdir(parents=True)
    for frame in range(1001, 1011):
        (plates / f"plate.{frame}.exr").write_bytes(b"exr")
    script = shot / "comp.nk"
    script.write_text(
        f"Root {{\n inputs 0\n name {script}\n first_frame 1001\n last_frame 1010\n}}\n"
        f"Read {{\n inputs 0\n file {plates}/plate.%04d.exr\n first 1001\n last 1010\n name Read1\n}}\n"
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
