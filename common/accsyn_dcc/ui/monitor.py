"""The job monitor shared by Nuke, Maya and Houdini: the artist's jobs, a job's tasks, logs and last frame.

Every call to accsyn and every image read runs on Qt's thread pool (``workers.run_in_background``); the UI thread
only fills two table models. One look at accsyn is in flight at a time. When accsyn does not answer the monitor
says so, tries again with growing pauses (``interval`` doubled per failure, at most ``MAX_BACKOFF_MS``) and
offers Reconnect. Jobs submitted in this session (``follow``) are announced when they finish: a status line that
selects the job when clicked, the row highlighted, and the host's own message (``set_notifier``).
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from accsyn_dcc.ui.job_watch import FINISHED, STATUSES, JobRow, JobWatcher, Poll, TaskRow, duration_text, output_folder
from accsyn_dcc.ui.qt import QtCore, QtGui, QtWidgets, Signal
from accsyn_dcc.ui.workers import BackgroundTask, run_in_background

log = logging.getLogger(__name__)

INTERVAL_MS = 3000
MAX_BACKOFF_MS = 60000
THUMBNAIL_WIDTH = 320
JOB_COLUMNS = ("Name", "Status", "Progress", "Elapsed", "Left", "Created", "ID")
TASK_COLUMNS = ("Item", "Status", "Node", "Start", "End", "Duration", "Reason")
ENDED_COLOURS = {"done": "#2e6b3a", "failed": "#7a2b2b", "aborted": "#6b5a2e"}

_notifier: List[Callable[[str], None]] = []
_monitor: List[Any] = []


def set_notifier(notify: Optional[Callable[[str], None]]) -> None:
    """The host's own message call, told when a job followed in this session ends (None: the panel only)."""
    _notifier[:] = [notify] if notify else []


class _Table(QtCore.QAbstractTableModel):
    """Rows of frozen records shown read-only; ``highlight`` colours some rows by id."""

    def __init__(self, columns: Sequence[str], cells: Callable[[Any], Sequence[str]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._cells = cells
        self.rows: List[Any] = []
        self._shown: List[Sequence[str]] = []
        self.highlight: Dict[str, str] = {}

    def set_rows(self, rows: Sequence[Any], shown: Optional[List[Sequence[str]]] = None) -> None:
        """Show ``rows``, whose ``shown`` cells may have been made off the UI thread; the same cells again are no
        change."""
        shown = [self._cells(row) for row in rows] if shown is None else shown
        if shown == self._shown:
            self.rows = list(rows)
            return
        self.beginResetModel()
        self.rows, self._shown = list(rows), shown
        self.endResetModel()

    def rowCount(self, parent: Any = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._shown)

    def columnCount(self, parent: Any = None) -> int:
        return len(self._columns)

    def data(self, index: Any, role: Any = QtCore.Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (QtCore.Qt.DisplayRole, QtCore.Qt.ToolTipRole):
            return self._shown[index.row()][index.column()]
        if role == QtCore.Qt.BackgroundRole:
            colour = self.highlight.get(str(getattr(self.rows[index.row()], "id", "")))
            return QtGui.QBrush(QtGui.QColor(colour)) if colour else None
        return None

    def headerData(self, section: int, orientation: Any, role: Any = QtCore.Qt.DisplayRole) -> Any:
        if role == QtCore.Qt.DisplayRole and orientation == QtCore.Qt.Horizontal:
            return self._columns[section]
        return None


def _job_cells(job: JobRow) -> Sequence[str]:
    progress = job.progress
    left = "" if progress is None or job.status in FINISHED else duration_text(progress.estimate)
    return (job.name, job.status, progress.text() if progress else "...",
            duration_text(progress.elapsed) if progress else "", left, local_time(job.created), job.id)  # fmt: skip


def _task_cells(task: TaskRow) -> Sequence[str]:
    return (task.item, task.status, task.node, local_time(task.started), local_time(task.finished),
            duration_text(task.duration),
            task.reason.splitlines()[-1] if task.reason else "")  # fmt: skip


@functools.lru_cache(maxsize=4096)
def local_time(utc: str) -> str:
    """accsyn's UTC ``YYYY-MM-DDTHH:MM:SS`` as this machine's ``MM-DD HH:MM:SS`` (as given when not a date)."""
    try:
        moment = datetime.datetime.strptime(utc, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return utc
    return moment.astimezone().strftime("%m-%d %H:%M:%S")


def load_thumbnail(path: str) -> Any:
    """A QImage of ``path`` at most ``THUMBNAIL_WIDTH`` wide (read on a pool thread), or a sentence why not."""
    reader = QtGui.QImageReader(path)
    if not reader.canRead():
        return f"no preview ({os.path.basename(path)}: Qt cannot read this image type here)"
    image = reader.read()
    if image.isNull():
        return f"no preview ({os.path.basename(path)}: {reader.errorString()})"
    return image.scaledToWidth(min(THUMBNAIL_WIDTH, image.width()), QtCore.Qt.SmoothTransformation)


class JobMonitor(QtWidgets.QWidget):
    """A window listing the artist's jobs; polls accsyn every ``interval_ms`` while it exists."""

    polled = Signal(object)
    """A ``Poll`` has been shown."""

    def __init__(
        self,
        watcher: JobWatcher,
        parent: Optional[QtWidgets.QWidget] = None,
        interval_ms: int = INTERVAL_MS,
        pool: Optional[QtCore.QThreadPool] = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(QtCore.Qt.Window, True)
        self.watcher = watcher
        self.interval_ms = interval_ms
        self.failures = 0
        self.last_poll: Optional[Poll] = None
        self.notices: List[str] = []
        self._pool = pool
        self._tasks: List[BackgroundTask] = []
        self._polling = False
        self._again = False
        self._selected: Optional[str] = None
        self._thumbnail_path: Optional[str] = None
        self.setWindowTitle("accsyn jobs")
        self.resize(1100, 720)
        self._build()
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        QtCore.QTimer.singleShot(0, self.refresh)

    # ----------------------------------------------------------------------------------------------- layout
    def _build(self) -> None:
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Status"))
        self.status_filter = QtWidgets.QComboBox()
        self.status_filter.addItem("all", "")
        for status in STATUSES:
            self.status_filter.addItem(status, status)
        top.addWidget(self.status_filter)
        top.addStretch(1)
        self.refresh_button = QtWidgets.QPushButton("Refresh")
        self.reconnect_button = QtWidgets.QPushButton("Reconnect")
        self.reconnect_button.hide()
        top.addWidget(self.reconnect_button)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.notice_label = QtWidgets.QLabel()
        self.notice_label.setTextFormat(QtCore.Qt.RichText)
        self.notice_label.hide()
        layout.addWidget(self.notice_label)

        split = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        self.jobs_model = _Table(JOB_COLUMNS, _job_cells, self)
        self.jobs_view = self._view(self.jobs_model, (260, 80, 130, 70, 70, 120))
        split.addWidget(self.jobs_view)
        details = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(details)
        row.setContentsMargins(0, 0, 0, 0)
        left = QtWidgets.QVBoxLayout()
        self.summary_label = QtWidgets.QLabel("Select a job.")
        self.summary_label.setWordWrap(True)
        left.addWidget(self.summary_label)
        self.tasks_model = _Table(TASK_COLUMNS, _task_cells, self)
        self.tasks_view = self._view(self.tasks_model, (60, 80, 110, 120, 120, 70))
        left.addWidget(self.tasks_view, 2)
        self.error_label = QtWidgets.QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e06060")
        left.addWidget(self.error_label)
        self.log_view = QtWidgets.QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setPlaceholderText("Select a task and press Show log.")
        left.addWidget(self.log_view, 1)
        row.addLayout(left, 3)
        right = QtWidgets.QVBoxLayout()
        self.thumbnail = QtWidgets.QLabel("no preview")
        self.thumbnail.setAlignment(QtCore.Qt.AlignCenter)
        self.thumbnail.setMinimumSize(THUMBNAIL_WIDTH, 180)
        self.thumbnail.setWordWrap(True)
        right.addWidget(self.thumbnail)
        self.buttons: Dict[str, QtWidgets.QPushButton] = {}
        labels = (("pause", "Pause"), ("resume", "Resume"), ("abort", "Abort"), ("requeue", "Requeue failed"),
                  ("log", "Show log"), ("folder", "Open output folder"))  # fmt: skip
        for name, label in labels:
            button = QtWidgets.QPushButton(label)
            button.setEnabled(False)
            right.addWidget(button)
            self.buttons[name] = button
        right.addStretch(1)
        row.addLayout(right, 1)
        split.addWidget(details)
        split.setSizes([230, 470])
        layout.addWidget(split, 1)
        self.status_label = QtWidgets.QLabel("Reading accsyn...")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.reconnect_button.clicked.connect(self.reconnect)
        self.notice_label.linkActivated.connect(self.select_job)
        self.jobs_view.selectionModel().selectionChanged.connect(self._job_clicked)
        self.tasks_view.selectionModel().selectionChanged.connect(self._task_clicked)
        for change in ("pause", "resume", "abort"):
            self.buttons[change].clicked.connect(lambda _checked=False, change=change: self.change(change))
        self.buttons["requeue"].clicked.connect(self.requeue)
        self.buttons["log"].clicked.connect(self.show_log)
        self.buttons["folder"].clicked.connect(self.open_output_folder)

    @staticmethod
    def _view(model: _Table, widths: Sequence[int]) -> QtWidgets.QTableView:
        view = QtWidgets.QTableView()
        view.setModel(model)
        for column, width in enumerate(widths):
            view.setColumnWidth(column, width)
        view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        view.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        view.verticalHeader().setDefaultSectionSize(22)
        return view

    # ----------------------------------------------------------------------------------------------- polling
    def follow(self, job_ids: Sequence[str]) -> None:
        """Announce these jobs when they end, and show the first one now."""
        self.watcher.follow(job_ids)
        if job_ids:
            self.select_job(str(job_ids[0]))

    def refresh(self) -> None:
        """Look at accsyn now (in the background); a look already under way is followed by one more."""
        if self._polling:
            self._again = True
            return
        self._timer.stop()
        self._polling = True
        selected, status = self._selected, str(self.status_filter.currentData() or "")

        def look() -> Tuple[Poll, List[Sequence[str]], List[Sequence[str]]]:
            poll = self.watcher.poll(selected, status)
            return poll, [_job_cells(job) for job in poll.jobs], [_task_cells(task) for task in poll.tasks]

        self._background(look, self._polled, self._poll_failed)

    def reconnect(self) -> None:
        self.watcher.reconnect()
        self.status_label.setText("Connecting to accsyn again...")
        self.refresh()

    def _polled(self, looked: Tuple[Poll, List[Sequence[str]], List[Sequence[str]]]) -> None:
        """A look at accsyn, with its table cells made on the pool thread: the UI thread only compares and shows."""
        poll, job_cells, task_cells = looked
        self._polling = False
        self.failures = 0
        self.reconnect_button.hide()
        self.last_poll = poll
        self.jobs_model.set_rows(poll.jobs, job_cells)
        self._reselect()
        if poll.job_id == self._selected:
            self._show_job(poll, task_cells)
        for job in poll.finished:
            self._announce(job)
        self.status_label.setText(f"{len(poll.jobs)} jobs; updated {QtCore.QTime.currentTime().toString()}.")
        self.polled.emit(poll)
        self._next(self.interval_ms)

    def _poll_failed(self, sentence: str) -> None:
        self._polling = False
        self.failures += 1
        delay = min(self.interval_ms * 2 ** min(self.failures, 10), MAX_BACKOFF_MS)
        self.status_label.setText(f"accsyn is not answering: {sentence} Trying again in {delay / 1000:g} s.")
        self.reconnect_button.show()
        self._next(delay)

    def _next(self, delay: int) -> None:
        if self._again:
            self._again = False
            delay = 0
        self._timer.start(delay)

    # ----------------------------------------------------------------------------------------------- showing
    def select_job(self, job_id: str) -> None:
        self._selected = job_id
        self._reselect()
        self.refresh()

    def _reselect(self) -> None:
        rows = [index for index, job in enumerate(self.jobs_model.rows) if job.id == self._selected]
        selection = self.jobs_view.selectionModel()
        current = [index.row() for index in selection.selectedRows()]
        if rows and current != rows[:1]:
            selection.blockSignals(True)
            self.jobs_view.selectRow(rows[0])
            selection.blockSignals(False)

    def _job_clicked(self, *_args: Any) -> None:
        rows = self.jobs_view.selectionModel().selectedRows()
        if rows:
            job = self.jobs_model.rows[rows[0].row()]
            if job.id != self._selected:
                self.log_view.clear()
                self.error_label.clear()
                self.select_job(job.id)

    def selected_job(self) -> Optional[JobRow]:
        return self.last_poll.job(self._selected) if self.last_poll else None

    def selected_task(self) -> Optional[TaskRow]:
        rows = self.tasks_view.selectionModel().selectedRows()
        return self.tasks_model.rows[rows[0].row()] if rows else None

    def _show_job(self, poll: Poll, task_cells: List[Sequence[str]]) -> None:
        job = poll.job(poll.job_id)
        chosen = self.selected_task()
        self.tasks_model.set_rows(poll.tasks, task_cells)
        if chosen is not None:
            self.select_task(chosen.item)
        for button in self.buttons.values():
            button.setEnabled(job is not None)
        if job is None:
            self.summary_label.setText("Select a job.")
            return
        self.buttons["pause"].setEnabled(job.status in ("waiting", "running", "init"))
        self.buttons["resume"].setEnabled(job.status in ("paused", "aborted"))
        self.buttons["abort"].setEnabled(job.status not in FINISHED)
        self.buttons["requeue"].setEnabled(any(task.status == "failed" for task in poll.tasks))
        self.buttons["folder"].setEnabled(bool(poll.last_frame))  # its folder opens (no disk look on the UI thread)
        progress = job.progress
        words = [f"{job.name or job.id}: {job.status}"]
        if progress:
            words.append(f"{progress.text()} of {progress.total} frames, elapsed {duration_text(progress.elapsed)}")
            if job.status not in FINISHED and progress.estimate is not None:
                words.append(f"about {duration_text(progress.estimate)} left")
        if job.reason:
            words.append(job.reason)
        self.summary_label.setText(self.watcher.scrub("; ".join(words)))
        self._show_failed_task()
        self._thumbnail(poll.last_frame)

    def _local_output(self, poll: Poll) -> str:
        return output_folder(poll.last_frame) if poll.last_frame else ""

    def select_task(self, item: str) -> None:
        rows = [index for index, task in enumerate(self.tasks_model.rows) if task.item == item]
        if rows:
            self.tasks_view.selectRow(rows[0])

    def _task_clicked(self, *_args: Any) -> None:
        self._show_failed_task()

    def _show_failed_task(self) -> None:
        task = self.selected_task()
        failed = task if task is not None and task.status == "failed" else None
        if failed is None:
            failed = next((task for task in self.tasks_model.rows if task.status == "failed"), None)
        line = failed.reason.strip().splitlines()[-1] if failed and failed.reason.strip() else ""
        self.error_label.setText(self.watcher.scrub(f"Item {failed.item} failed: {line}") if failed else "")

    def _thumbnail(self, path: Optional[str]) -> None:
        if path == self._thumbnail_path:
            return
        self._thumbnail_path = path
        if not path:
            self.thumbnail.setPixmap(QtGui.QPixmap())
            self.thumbnail.setText("no preview")
            return
        self._background(lambda: load_thumbnail(path), lambda image: self._show_thumbnail(path, image), log.info)

    def _show_thumbnail(self, path: str, image: Any) -> None:
        if path != self._thumbnail_path:
            return
        if isinstance(image, str):
            self.thumbnail.setPixmap(QtGui.QPixmap())
            self.thumbnail.setText(image)
            return
        self.thumbnail.setPixmap(QtGui.QPixmap.fromImage(image))
        self.thumbnail.setToolTip(path)

    def _announce(self, job: JobRow) -> None:
        what = {"done": "is done", "failed": "failed", "aborted": "was aborted"}.get(job.status, job.status)
        text = self.watcher.scrub(f"accsyn: job {job.name or job.id} {what}.")
        self.notices.append(text)
        self.jobs_model.highlight[job.id] = ENDED_COLOURS.get(job.status, "#555555")
        self.jobs_model.layoutChanged.emit()
        link = f'<a href="{job.id}">{_escaped(text)}</a>'
        self.notice_label.setText(f"{link} (click to show it)")
        self.notice_label.show()
        for notify in _notifier:
            try:
                notify(text)
            except Exception:  # the host's message call: the panel has shown it already
                log.exception("the host could not show %r", text)

    # ----------------------------------------------------------------------------------------------- steering
    def change(self, change: str) -> None:
        """Pause, resume or abort the selected job (in the background), then look again."""
        job = self.selected_job()
        if job is None:
            return
        call = {"pause": self.watcher.pause, "resume": self.watcher.resume, "abort": self.watcher.abort}[change]
        self.status_label.setText(f"Asking accsyn to {change} job {job.name or job.id}...")
        self._background(lambda: call(job.id), lambda status: self._changed(f"Job {job.id} is {status}."),
                         self._change_failed)  # fmt: skip

    def requeue(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        self._background(lambda: self.watcher.requeue_failed(job.id),
                         lambda count: self._changed(f"{count} failed task(s) of job {job.id} queued again."),
                         self._change_failed)  # fmt: skip

    def _changed(self, text: str) -> None:
        self.status_label.setText(self.watcher.scrub(text))
        self.refresh()

    def _change_failed(self, sentence: str) -> None:
        self.status_label.setText(f"accsyn did not do it: {sentence}")
        self.reconnect_button.show()

    def show_log(self) -> None:
        """The selected task's whole log (the first failed task's when none is selected)."""
        task = self.selected_task() or next((t for t in self.tasks_model.rows if t.status == "failed"), None)
        if task is None:
            return
        self.log_view.setPlainText(f"Reading the log of item {task.item}...")
        self._background(
            lambda: self.watcher.log(task.id),
            lambda lines: self._show_log(task, lines),
            lambda sentence: self.log_view.setPlainText(f"The log could not be read: {sentence}"),
        )

    def _show_log(self, task: TaskRow, lines: List[str]) -> None:
        self.log_view.setPlainText("\n".join(lines) if lines else f"Item {task.item} has no log yet ({task.status}).")
        self.log_view.moveCursor(QtGui.QTextCursor.End)  # the end of a log says why it failed

    def open_output_folder(self) -> None:
        folder = self._local_output(self.last_poll) if self.last_poll else ""
        if not folder:
            self.status_label.setText("The job's output folder is not reachable from this machine.")
            return
        open_folder(folder)

    # ----------------------------------------------------------------------------------------------- helpers
    def _background(
        self, function: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        self._tasks = self._tasks[-31:]  # referenced until run; a pool never holds more than a few
        self._tasks.append(run_in_background(function, done, failed, owner=self, pool=self._pool))

    def closeEvent(self, event: Any) -> None:
        """Hidden, not gone: jobs of this session are still announced when they end."""
        if any(job.id in self.watcher.followed() and job.status not in FINISHED
               for job in (self.last_poll.jobs if self.last_poll else ())):  # fmt: skip
            self.hide()
            event.ignore()
            return
        self._timer.stop()
        super().closeEvent(event)


def open_folder(folder: str) -> bool:
    """Show ``folder`` in the desktop's file browser."""
    return bool(QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(folder)))


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_monitor(
    parent: Optional[QtWidgets.QWidget] = None,
    job_ids: Sequence[str] = (),
    connect: Optional[Callable[[], Any]] = None,
) -> JobMonitor:
    """Show the one monitor of this process (made on first use), following ``job_ids``; ``connect`` gives the
    logged-in client (by default the configured workspace's)."""
    existing = _monitor[0] if _monitor else None
    try:
        if existing is not None:
            existing.isVisible()  # raises once deleted (with its parent window)
    except RuntimeError:
        existing = None
    if existing is None:
        if connect is None:
            from accsyn_dcc.api import connect_configured

            connect = connect_configured
        existing = JobMonitor(JobWatcher(connect), parent)
        _monitor[:] = [existing]
    existing.follow([str(job_id) for job_id in job_ids])
    existing.show()
    existing.raise_()
    existing.refresh()
    return existing
