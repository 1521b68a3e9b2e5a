"""Render a screenshot of the job monitor, offscreen, for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_monitor_screenshot.py [FOLDER]

Writes ``monitor.png`` into ``docs/`` (or FOLDER). The monitor is the real one, following real jobs on the
stand-in accsyn with its farm (started here on a free port) and the small engine of the monitor's tests
(tests/ui/monitor_farm.py): a job done, one failed on a frame (selected, its log shown, its end announced), one
rendering and one paused.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "common"), str(HERE.parent / "tests" / "ui")]

from monitor_farm import Farm, release, start_farm  # noqa: E402

from accsyn_dcc.ui.job_watch import JobWatcher  # noqa: E402
from accsyn_dcc.ui.monitor import JobMonitor  # noqa: E402
from accsyn_dcc.ui.qt import QtCore, QtGui, QtWidgets  # noqa: E402


class _Environment:
    """``start_farm`` sets its variables through a pytest-like ``setenv``."""

    @staticmethod
    def setenv(name: str, value: str) -> None:
        os.environ[name] = value


def frame_image(path: Path) -> None:
    """A 16:9 frame: a dusk sky over a dark ground, a lit disc."""
    image = QtGui.QImage(640, 360, QtGui.QImage.Format_RGB32)
    painter = QtGui.QPainter(image)
    sky = QtGui.QLinearGradient(0, 0, 0, 360)
    sky.setColorAt(0.0, QtGui.QColor("#1d2b53"))
    sky.setColorAt(0.7, QtGui.QColor("#c96f53"))
    painter.fillRect(image.rect(), sky)
    painter.setBrush(QtGui.QColor("#f4d27a"))
    painter.setPen(QtCore.Qt.NoPen)
    painter.drawEllipse(QtCore.QPointF(420, 230), 46, 46)
    painter.fillRect(0, 260, 640, 100, QtGui.QColor("#14161c"))
    painter.end()
    image.save(str(path))


def wait(app: Any, done: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the monitor did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def main(folder: str = str(HERE)) -> int:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as root:
        for farm in start_farm(Path(root), _Environment()):
            return render(app, farm, folder)
    return 1


def render(app: Any, farm: Farm, into: str) -> int:
    names = ("sh0010_light_v003", "sh0020_fx_v001", "sh0030_comp_v012", "sh0040_layout_v002")
    outputs = {name: farm.output(name, hold=True) for name in names}
    for folder in outputs.values():
        frame_image(folder / "template.png")
    (outputs["sh0020_fx_v001"] / "fail-5").touch()
    done = farm.submit("sh0010_light_v003", "1001-1006")
    failed = farm.submit("sh0020_fx_v001", "1-8")
    monitor = JobMonitor(JobWatcher(farm.connect), interval_ms=200)
    monitor.resize(1180, 760)
    monitor.show()
    monitor.follow([failed])
    release(outputs["sh0010_light_v003"])
    wait(app, lambda: farm.client.find_job(done)["status"] == "done")
    release(outputs["sh0020_fx_v001"])
    wait(app, lambda: farm.client.find_job(failed)["status"] == "failed")
    running = farm.submit("sh0030_comp_v012", "1001-1100")
    farm.submit("sh0040_layout_v002", "1-50", status="paused")
    comp = outputs["sh0030_comp_v012"]
    release(comp)  # a dozen frames render, then the rest wait
    wait(app, lambda: len(list(comp.glob("frame-1*"))) >= 12)
    (comp / "hold").touch()
    wait(app, lambda: bool(monitor.notices) and len(monitor.jobs_model.rows) == 4)
    wait(app, lambda: all(job.progress is not None for job in monitor.jobs_model.rows))
    monitor.select_task("5")
    monitor.show_log()
    wait(app, lambda: "cannot be written" in monitor.log_view.toPlainText())
    pixmap = monitor.thumbnail.pixmap()
    wait(app, lambda: monitor.thumbnail.pixmap() is not None and not monitor.thumbnail.pixmap().isNull())
    del pixmap
    monitor._timer.stop()
    path = Path(into) / "monitor.png"
    if not monitor.grab().save(str(path)):
        print(f"could not write {path}", file=sys.stderr)
        return 1
    farm.client.abort_job(running)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
