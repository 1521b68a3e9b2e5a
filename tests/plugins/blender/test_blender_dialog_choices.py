"""The add-on's dialog opens on the session's starting choices, made once per scan: offline with no workspace
known it names Blender's engine family, as a scripted submit and the command line do."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, List

import pytest

pytestmark = pytest.mark.blender
PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "blender"


def test_the_dialog_starts_from_the_sessions_starting_choices_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(PLUGIN))
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", "")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    import bpy
    from accsyn_blender import ui
    from accsyn_blender.host import BlenderHost

    from accsyn_dcc.session import SubmitSession

    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(tmp_path / "shot.blend"))
    try:
        session = SubmitSession(BlenderHost(bpy.context.scene))
        made: List[Any] = []
        real = session.initial_choices
        monkeypatch.setattr(session, "initial_choices", lambda *args, **kwargs: made.append(1) or real(*args, **kwargs))
        ui._state.clear()
        ui._state.update(session=session, pending=session.collect_scan(None, lambda done, total: None))
        ui._prepare(threading.Event())  # the scan operator's worker: no workspace can be read
        assert ui._starting().engine == "blender" and ui._starting() is ui._starting()
        assert len(made) == 1  # once, however often the dialog redraws
    finally:
        ui._state.clear()
        bpy.ops.wm.read_factory_settings(use_empty=True)
