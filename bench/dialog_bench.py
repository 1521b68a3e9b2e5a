"""The submit dialog inside a host: longest main-thread stall, and what the plugin adds to the host's start-up.

    python bench/dialog_bench.py OUT [--nodes 10000] [--reads 2000] [--frames 100] [--runs 5]

Stall: the dialog opens on a big script loaded into the stand-in ``nuke`` (Nuke cannot run here),
scans it (main-thread collection with progress, file checks in the background), fills the dependency
table, shows the findings and the Payload tab. A 1 ms timer on the UI thread records the gaps between
its ticks; the longest gap is the longest time the UI could not answer. Baseline in the same run: the
same timer with nothing else to do.

Start-up: the plugin's ``init.py`` and ``menu.py`` run in a fresh Python with the stand-in ``nuke``,
against a fresh Python that imports only the stand-in ``nuke`` (the baseline), and against one that
also imports the dialog's modules eagerly (what the menu cost when it imported Qt and requests at start).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

REPO = Path(__file__).resolve().parents[1]
FAKE_HOSTS = REPO / "tests" / "fake_hosts"
PLUGIN = REPO / "plugins" / "nuke"
sys.path[:0] = [str(FAKE_HOSTS), str(PLUGIN), str(REPO / "bench")]
from ui_stall import StallMeter  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run_until(app: Any, done: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.0005)


def measure_stall(script: str) -> Dict[str, float]:
    import nuke
    from nuke import _graph

    from accsyn_dcc.config import Settings
    from accsyn_dcc.remembered import RememberedSettings
    from accsyn_dcc.session import SubmitSession
    from accsyn_dcc.ui.qt import QtCore, QtGui, QtWidgets
    from accsyn_dcc.ui.submit_dialog import SubmitDialog
    from accsyn_dcc.workspace import Engine, Volume, WorkspaceInfo
    from accsyn_nuke.adapter import NukeHost

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    started = time.perf_counter()
    nuke.scriptOpen(script)
    load_seconds = time.perf_counter() - started
    folder = os.path.dirname(script)
    engines = [Engine("nuke-15"), Engine("nuke-16")]  # the stand-in is Nuke 16: nuke-16 is chosen
    workspace = WorkspaceInfo(engines=engines, volumes=[Volume("projects", {"linux": folder})])

    _warm_up_qt(QtGui, QtWidgets, app)
    idle = StallMeter(QtCore)
    idle.start()
    run_until(app, lambda: False, 1.0)
    idle_stall = idle.stop()

    class Offline:
        def workspace_info(self) -> WorkspaceInfo:
            return workspace

    meter = StallMeter(QtCore)
    meter.start()
    started = time.perf_counter()
    host = NukeHost()
    session = SubmitSession(host, Settings({}), workspace=workspace, connector=Offline)
    dialog = SubmitDialog(host, settings=RememberedSettings(persist=False), auto_start=False, session=session)
    dialog.show()
    dialog.start()
    run_until(app, lambda: "Scan done" in dialog.status() or "failed" in dialog.status(), 600)
    dialog.tabs.setCurrentIndex(dialog.preview_index)
    run_until(app, lambda: dialog.preview_text.toPlainText().startswith(("{", "[", "# The", "# No")), 60)
    payload_start = dialog.preview_text.toPlainText()[:1]
    total = time.perf_counter() - started
    stall = meter.stop()
    rows = len(dialog.dependency_model.rows)
    dialog.close()
    _graph._reset_graph()
    if payload_start not in ("{", "["):
        raise SystemExit(f"the payload was not built: {dialog.preview_text.toPlainText()[:200]}")
    return {"stall": stall, "idle_stall": idle_stall, "total": total, "rows": rows, "load": load_seconds}


def _warm_up_qt(qt_gui: Any, qt_widgets: Any, app: Any) -> None:
    """Show and close a window with the fonts and widgets the dialog uses, as a running host already has.

    A fresh offscreen QApplication loads its font database at the first text it draws (about 0.2 s
    here); inside Nuke, Maya or Houdini that happened when the host started, so it is not the dialog's.
    """
    window = qt_widgets.QTabWidget()
    text = qt_widgets.QPlainTextEdit("{}")
    text.setFont(qt_gui.QFontDatabase.systemFont(qt_gui.QFontDatabase.FixedFont))
    window.addTab(text, "text")
    window.addTab(qt_widgets.QTableView(), "table")
    window.show()
    window.setCurrentIndex(1)
    window.setCurrentIndex(0)
    run_until(app, lambda: False, 0.5)
    window.close()


STARTUP_BASELINE = "import sys; sys.path[:0] = [{fake_hosts!r}, {plugin!r}]; import nuke"
STARTUP_PLUGIN = STARTUP_BASELINE + "; import runpy; runpy.run_path({init!r}); runpy.run_path({menu!r})"
STARTUP_EAGER = STARTUP_PLUGIN + "; import accsyn_dcc.ui.submit_dialog, requests, accsyn_dcc.api"


def measure_startup(runs: int) -> Dict[str, float]:
    paths = {"fake_hosts": str(FAKE_HOSTS), "plugin": str(PLUGIN)}
    paths.update(init=str(PLUGIN / "init.py"), menu=str(PLUGIN / "menu.py"))
    variants = {"baseline": STARTUP_BASELINE, "plugin": STARTUP_PLUGIN, "eager": STARTUP_EAGER}
    times: Dict[str, List[float]] = {name: [] for name in variants}
    for _ in range(runs + 1):  # the first round warms the disk cache and is not counted
        for name, code in variants.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code.format(**paths)], check=True)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values[1:]) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder for the generated script and its frames")
    parser.add_argument("--nodes", type=int, default=10000)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from make_big_script import make

    script = os.path.join(args.out, "big.nk")
    if not os.path.exists(script):
        script = make(args.out, args.nodes, args.reads, args.frames, reads_per_folder=10)
    stall = measure_stall(script)
    print(f"dialog:   {stall['rows']:.0f} dependency rows, scan to Payload tab in {stall['total']:.2f} s")
    print(f"stall:    longest main-thread stall {stall['stall'] * 1000:.0f} ms "
          f"(baseline, idle dialog-less loop: {stall['idle_stall'] * 1000:.0f} ms)")  # fmt: skip
    startup = measure_startup(args.runs)
    added = startup["plugin"] - startup["baseline"]
    eager = startup["eager"] - startup["baseline"]
    print(f"start-up: median of {args.runs}: baseline {startup['baseline'] * 1000:.0f} ms, with the plugin's menu "
          f"{startup['plugin'] * 1000:.0f} ms (+{added * 1000:.0f} ms); importing the dialog eagerly "
          f"would add {eager * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
