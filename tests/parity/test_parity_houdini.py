"""Houdini (the stand-in ``hou`` holding the .hip's content): the dialog, ``accsyn_houdini.submit`` and the command
line on the saved scene give identical payloads, dry run and sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from parity import Studio, assert_identical, cli_payloads, dialog_payloads, scripted_payloads


@pytest.fixture
def scene(studio: Studio) -> Iterator[Path]:
    """A Karma ROP rendering frames 1-24 of 1-48 beside the scene, and a geometry file it reads, written as a .hip
    and loaded in Houdini 20.5."""
    import hou
    from hip_files import HipFile, Node, touch
    from hou_loader import load

    folder = studio.root / "shot"
    touch(folder / "geo" / "rock.bgeo.sc")
    hip = HipFile(folder / "shot.hip", frame_range=(1, 48))
    hip.nodes += [
        Node("/obj/rock", "geo"),
        Node("/obj/rock/file1", "file", {"file": ["$HIP/geo/rock.bgeo.sc"]}),
        Node("/out/karma1", "karma", {"picture": ["$HIP/render/beauty.$F4.exr"], "trange": ["normal"],
                                      "f": [1, 24, 1]}),
    ]  # fmt: skip
    path = hip.write()
    load(hip)
    yield path
    hou._reset()


def test_every_entry_point_gives_the_same_houdini_payload(
    qtbot: Any, studio: Studio, scene: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accsyn_houdini import submit
    from accsyn_houdini.adapter import HoudiniHost

    from accsyn_dcc.config import load_settings

    payloads = dialog_payloads(qtbot, studio, HoudiniHost(settings=load_settings().values))
    payloads.update(scripted_payloads(studio, submit))
    payloads.update(cli_payloads(studio, scene, capsys))
    assert_identical(payloads)
