"""Render screenshots of the shared submit dialog, offscreen, for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshot.py [FOLDER]

Writes ``submit-dialog.png`` (the Job tab) and ``submit-dialog-dependencies.png`` (the dependency table) into
``docs/`` (or FOLDER). The dialog is the real one, reading its workspace from the stand-in accsyn backend
(started here on a free port); the scan it shows describes a typical comp and is given here as records.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any, List, Optional

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import accsyn_dcc.session
from accsyn_dcc.api import connect
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.host_table import host_named
from accsyn_dcc.hosts import CancelledCallback, HostAdapter, PendingScan, ProgressCallback
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.remembered import RememberedSettings
from accsyn_dcc.scan.records import Dependency, Output, ScanResult, Unresolved
from accsyn_dcc.standin import StandinServer
from accsyn_dcc.ui.qt import QtCore, QtWidgets
from accsyn_dcc.ui.submit_dialog import SubmitDialog

HERE = os.path.dirname(os.path.abspath(__file__))
SHOT = "/mnt/projects/feature/sq010/sh0040/comp"
SCRIPT = f"{SHOT}/sh0040_comp_v012.nk"
RANGE = FrameRange.from_bounds(1001, 1100)

OUTPUTS = [
    Output("Write_EXR", f"{SHOT}/render/sh0040_comp_v012.%04d.exr", RANGE, ["main"], "exr"),
    Output("Review.Write_MOV", f"{SHOT}/review/sh0040_comp_v012.mov", RANGE, ["main"], "mov", True),
]

SCAN = ScanResult(
    scene=SCRIPT,
    dependencies=[
        Dependency(
            "/mnt/projects/feature/sq010/sh0040/plates/sh0040_bg_v003.%04d.exr",
            "read",
            "Read_BG",
            "file",
            True,
            "1001-1100",
        ),
        Dependency(
            "/mnt/projects/feature/sq010/sh0040/plates/sh0040_fg_v002.%04d.exr",
            "read",
            "Read_FG",
            "file",
            True,
            "1001-1100",
            "1047-1049",
        ),
        Dependency("/mnt/projects/feature/lib/grain/grain_35mm.%04d.exr", "read", "Grain.Read1", "file", True, "1-100"),
        Dependency("/mnt/projects/feature/lib/luts/show_grade.cube", "lut", "OCIOFileTransform1", "file", True),
        Dependency("/mnt/projects/feature/tools/nuke/gizmos/GlowPro.gizmo", "gizmo", "GlowPro1", "", True),
        Dependency("/home/ann/fonts/Titling.ttf", "font", "Text_Slate", "font", True),
        Dependency(f"{SHOT}/cam/sh0040_cam_v004.abc", "camera", "Camera_Track", "file", False),
    ],
    outputs=OUTPUTS,
    unresolved=[Unresolved("Read_Ref", "file", "[python shot_tools.ref_path()]", "python expression")],
    frame_range=RANGE,
)


class ShotHost(HostAdapter):
    """The comp above, as a Nuke session would report it."""

    application = host_named("nuke")
    host_name = application.name
    words = application.words

    @property
    def host_version(self) -> str:
        return "16.0v2"

    def scene_path(self) -> Optional[str]:
        return SCRIPT

    def is_modified(self) -> bool:
        return False

    def save_scene(self) -> None:
        raise RuntimeError("the screenshot never saves")

    def frame_range(self) -> Optional[FrameRange]:
        return RANGE

    def outputs(self, selected_only: bool = False) -> List[Output]:
        return list(OUTPUTS)

    def collect_scan(self, frames: Any, progress: ProgressCallback, cancelled: CancelledCallback) -> PendingScan:
        progress(1, 1)
        return _Scanned()


class _Scanned(PendingScan):
    def finish(self) -> ScanResult:
        return SCAN


def main(folder: str = HERE) -> int:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as data, StandinServer(data) as server:
        demo = Credentials("demo", "artist@example.com", "demo-0000-standin-key", proxy=f"127.0.0.1:{server.port}")
        return render(app, lambda: connect(demo), folder)


def render(app: Any, connect_to_backend: Any, folder: str) -> int:
    # The shot lives at made-up /mnt/projects paths: only the check that the script file exists is skipped.
    accsyn_dcc.session.check_input = lambda scene, engine, workspace=None: []
    settings = RememberedSettings(persist=False)
    dialog = SubmitDialog(ShotHost(), connect=connect_to_backend, settings=settings, auto_start=False)
    dialog.resize(960, 720)
    dialog.show()
    dialog.start()
    events = QtCore.QEventLoop()
    deadline = QtCore.QDeadlineTimer(10000)
    while (dialog.scan is None or not dialog.engine()) and not deadline.hasExpired():
        events.processEvents(QtCore.QEventLoop.WaitForMoreEvents)
    dialog.name_edit.setText("sh0040 comp v012")
    dialog.filters_editor.ram_operator.setCurrentIndex(1)
    dialog.filters_editor.sites_include.setText("hq")
    dialog.dependency_filter.setText("")
    for tab, name in ((0, "submit-dialog.png"), (1, "submit-dialog-dependencies.png")):
        dialog.tabs.setCurrentIndex(tab)
        events.processEvents()
        path = os.path.join(folder, name)
        if not dialog.grab().save(path):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
