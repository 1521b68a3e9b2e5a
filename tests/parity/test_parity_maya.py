"""Maya (the stand-in ``maya`` holding the .ma's content): the dialog, ``accsyn_maya.submit`` and the command line
on the saved scene give identical payloads, dry run and sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from parity import Studio, assert_identical, cli_payloads, dialog_payloads, scripted_payloads


@pytest.fixture
def scene(studio: Studio) -> Iterator[Path]:
    """Render Setup layers ``beauty`` and ``fx`` (its own range and a second camera), a reference and a texture,
    written as a .ma and opened in Maya 2024."""
    from maya import _scene
    from maya_loader import load
    from maya_scene import layered_scene, write_ma

    description = layered_scene(studio.root)
    path = write_ma(description)
    load(description, {})
    yield path
    _scene.reset()


def test_every_entry_point_gives_the_same_maya_payload(
    qtbot: Any, studio: Studio, scene: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accsyn_maya import submit
    from accsyn_maya.adapter import MayaHost

    from accsyn_dcc.config import load_settings

    payloads = dialog_payloads(qtbot, studio, MayaHost(settings=load_settings().values))
    payloads.update(scripted_payloads(studio, submit))
    payloads.update(cli_payloads(studio, scene, capsys))
    assert_identical(payloads)
