"""The submit dialog every Qt host shares: a view over the submit session (``accsyn_dcc.session``).

The session does the work (scan, findings, payloads, jobs); the dialog shows it and collects the
artist's choices into one ``SubmitChoices``. What it shows first is the session's ``initial_choices`` (studio
defaults, then the remembered choices, then the host, then the engine): the dialog holds no precedence
rule of its own; switching engine re-applies only what the artist has not changed. Slow work never runs on
the UI thread: the workspace lookup, the file checks of the scan and the submit run on Qt's thread pool;
the host's own part of the scan runs on the UI thread in small steps, keeping the window responsive and the
Cancel button live. Submit, preview and export plan on a worker thread with the host's answers read on the UI
thread first (``SubmitSession.on_snapshot``); Submit runs ``SubmitSession.prepare``, the one orchestration every
entry point runs, then creates the jobs.
Submit stays disabled while something blocks, with the reason and the way out ("Submit anyway") beside it,
and while the files are being checked: findings are never shown for frames other than the ones checked, so a
range change checks the files again. A modified scene is saved when the artist agrees, at Submit.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from accsyn_dcc import preflight
from accsyn_dcc.errors import AccsynDccError, ScanCancelled
from accsyn_dcc.hosts import HostAdapter
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.remembered import RememberedSettings
from accsyn_dcc.scan.records import Output, ScanResult
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.ui import dependency_model
from accsyn_dcc.ui.editors import EnvEditor, FiltersEditor, SiteSettingsEditor
from accsyn_dcc.ui.qt import QtCore, QtGui, QtWidgets
from accsyn_dcc.ui.workers import BackgroundTask, describe_error, run_in_background
from accsyn_dcc.workspace import WorkspaceInfo

log = logging.getLogger(__name__)

INPUT_CONVERSIONS = (("", "(default for the scene)"), ("auto", "auto"), ("always", "always"),
                     ("platform", "platform"), ("never", "never"))  # fmt: skip
"""(code, label); the empty code lets the session decide: ``auto`` for a text scene, none for a binary one."""
SHOWN = ("name", "range_text", "bucket_size", "outputs", "engine", "queue", "filters", "input_conversion",
         "site_settings", "envs", "os_envs")  # fmt: skip
"""The ``SubmitChoices`` fields the dialog has widgets for."""
NO_ENGINE = "No engine is chosen: pick one on the Job tab."
"""Why no payload can be shown or exported, in the dialog's words (where to pick one)."""
FINDINGS_SHOWN = 6
"""Findings listed under the tabs; the rest are counted (every file is in the Dependencies tab)."""
RESPONSIVE_INTERVAL = 0.03
"""Seconds between event-processing passes during the host's main-thread scan."""
RESCAN_DELAY_MS = 400
"""After a range change, how long the range must stay unchanged before its frames are checked."""


class SubmitDialog(QtWidgets.QDialog):
    """Submit the host's open scene to accsyn as one Compute job (or one per output)."""

    def __init__(
        self,
        host: HostAdapter,
        selected_only: bool = False,
        parent: Optional[QtWidgets.QWidget] = None,
        connect: Optional[Callable[[], Any]] = None,
        settings: Optional[RememberedSettings] = None,
        auto_start: bool = True,
        session: Optional[SubmitSession] = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.session = session or SubmitSession(host, connector=connect)
        self.selected_only = selected_only
        self.remembered = settings if settings is not None else RememberedSettings.load()
        self.outputs: List[Output] = []
        self._engine_codes: List[str] = []
        self._conversion_codes = [code for code, _label in INPUT_CONVERSIONS]
        self._shown: Optional[SubmitChoices] = None
        self._queue_codes: List[str] = []
        self.created_jobs: List[Dict[str, Any]] = []
        self._tasks: List[BackgroundTask] = []
        self._scan_cancelled = False
        self._scanning = False
        self._submitting = False
        """A submit runs in the background: Submit stays disabled whatever changes meanwhile."""
        self._shown_scan: Optional[ScanResult] = None
        self._scan_frames: Optional[FrameRange] = None
        """The frames the running or shown scan checked; None when no scan stands (never run, cancelled, failed)."""
        self._filling = False
        self._rescan_timer = QtCore.QTimer(self)
        self._rescan_timer.setSingleShot(True)
        self._rescan_timer.setInterval(RESCAN_DELAY_MS)
        self._rescan_timer.timeout.connect(self.start_scan)
        self._events = QtCore.QEventLoop(self)
        self._last_events = 0.0
        self.setWindowTitle(f"Submit to accsyn ({host.host_name} {host.host_version})".replace(" )", ")"))
        self.resize(900, 700)
        self._build()
        self._show(self._initial())
        if auto_start:
            QtCore.QTimer.singleShot(0, self.start)

    # ----------------------------------------------------------------------------------------------- layout
    def _build(self) -> None:
        layout = QtWidgets.QVBoxLayout(self)
        self.tabs = QtWidgets.QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._build_job_tab(), "Job")
        self.tabs.addTab(self._build_dependencies_tab(), "Dependencies")
        self.tabs.addTab(self._build_farm_tab(), "Farm")
        self.env_editor = EnvEditor()
        self.tabs.addTab(self.env_editor, "Environment")
        self.preview_index = self.tabs.addTab(self._build_preview_tab(), "Payload")
        self.tabs.currentChanged.connect(self._tab_changed)

        self.findings_label = QtWidgets.QLabel()
        self.findings_label.setWordWrap(True)
        layout.addWidget(self.findings_label)
        progress_row = QtWidgets.QHBoxLayout()
        self.progress = QtWidgets.QProgressBar()
        self.progress.setFormat("Scanning %v/%m")
        self.progress.hide()
        self.cancel_scan_button = QtWidgets.QPushButton("Cancel scan")
        self.cancel_scan_button.hide()
        self.rescan_button = QtWidgets.QPushButton("Scan again")
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_scan_button)
        progress_row.addWidget(self.rescan_button)
        layout.addLayout(progress_row)
        self.connection_label = QtWidgets.QLabel()
        self.connection_label.setWordWrap(True)
        self.reconnect_button = QtWidgets.QPushButton("Connect again")
        self.reconnect_button.setToolTip("Read the accsyn workspace again (its engines, queues and sites)")
        self.reconnect_button.hide()
        connection_row = QtWidgets.QHBoxLayout()
        connection_row.addWidget(self.connection_label, 1)
        connection_row.addWidget(self.reconnect_button)
        layout.addLayout(connection_row)
        self.status_label = QtWidgets.QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        buttons = QtWidgets.QHBoxLayout()
        self.blocked_label = QtWidgets.QLabel()
        self.blocked_label.setWordWrap(True)
        self.submit_anyway_check = QtWidgets.QCheckBox("Submit anyway (send what exists)")
        self.test_render_check = QtWidgets.QCheckBox("Test render first")
        self.test_render_check.setToolTip(
            "Before submitting, render the first frame here, in place and on an empty site, and stop if they differ "
            "(a file the job would not send)"
        )
        buttons.addWidget(self.blocked_label, 1)
        buttons.addWidget(self.submit_anyway_check)
        buttons.addWidget(self.test_render_check)
        self.submit_button = QtWidgets.QPushButton("Submit")
        self.submit_button.setDefault(True)
        self.close_button = QtWidgets.QPushButton("Close")
        self.monitor_button = QtWidgets.QPushButton("Monitor job...")
        self.monitor_button.setToolTip("Follow the job just submitted: its progress, tasks, logs and last frame")
        self.monitor_button.hide()
        buttons.addWidget(self.monitor_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.cancel_scan_button.clicked.connect(self.cancel_scan)
        self.rescan_button.clicked.connect(self.start_scan)
        self.submit_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.close)
        self.monitor_button.clicked.connect(self.open_monitor)
        self.reconnect_button.clicked.connect(self.load_workspace)
        for signal in (
            self.name_edit.textChanged,
            self.range_edit.textChanged,
            self.bucket_spin.valueChanged,
            self.queue_combo.currentIndexChanged,
            self.per_output_check.toggled,
            self.outputs_list.itemChanged,
            self.conversion_combo.currentIndexChanged,
            self.submit_anyway_check.toggled,
            self.filters_editor.changed,
            self.site_editor.changed,
            self.env_editor.changed,
        ):
            signal.connect(self._edited)

    def _build_job_tab(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(page)
        self.name_edit = QtWidgets.QLineEdit()
        self.engine_combo = QtWidgets.QComboBox()
        self.engine_info = QtWidgets.QLabel()
        self.range_edit = QtWidgets.QLineEdit()
        self.range_edit.setPlaceholderText("e.g. 1001-1100, 1001-1100x2, 1001 1050 1100")
        self.range_feedback = QtWidgets.QLabel()
        self.bucket_spin = QtWidgets.QSpinBox()
        self.bucket_spin.setRange(1, 100000)
        self.queue_combo = QtWidgets.QComboBox()
        self.outputs_list = QtWidgets.QListWidget()
        self.per_output_check = QtWidgets.QCheckBox(f"One job per {self.host.words.output}")
        form.addRow("Job name", self.name_edit)
        form.addRow("Engine", self.engine_combo)
        form.addRow("", self.engine_info)
        form.addRow("Frame range", self.range_edit)
        form.addRow("", self.range_feedback)
        form.addRow("Bucket size", self.bucket_spin)
        form.addRow("Queue", self.queue_combo)
        form.addRow("Outputs", self.outputs_list)
        form.addRow("", self.per_output_check)
        self.engine_combo.currentIndexChanged.connect(self._engine_chosen)
        return page

    def _build_dependencies_tab(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(page)
        row = QtWidgets.QHBoxLayout()
        self.dependency_filter = QtWidgets.QLineEdit()
        self.dependency_filter.setPlaceholderText("Filter by path, kind, node or status")
        self.copy_report_button = QtWidgets.QPushButton("Copy report")
        row.addWidget(self.dependency_filter, 1)
        row.addWidget(self.copy_report_button)
        layout.addLayout(row)
        self.dependency_model = dependency_model.DependencyTableModel(self)
        self.dependency_proxy = QtCore.QSortFilterProxyModel(self)
        self.dependency_proxy.setSourceModel(self.dependency_model)
        self.dependency_proxy.setFilterKeyColumn(-1)
        self.dependency_proxy.setFilterCaseSensitivity(QtCore.Qt.CaseInsensitive)
        self.dependency_view = QtWidgets.QTableView()
        self.dependency_view.setModel(self.dependency_proxy)  # rows come sorted (problems first): no Qt sort
        # Fixed sizes: sizing to contents would ask the model for every row on the UI thread.
        header = self.dependency_view.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.Interactive)
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.Stretch)
        for column, width in ((1, 80), (2, 200), (3, 160)):
            header.resizeSection(column, width)
        self.dependency_view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.Fixed)
        self.dependency_view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        layout.addWidget(self.dependency_view)
        self.dependency_filter.textChanged.connect(self.dependency_proxy.setFilterFixedString)
        self.copy_report_button.clicked.connect(self.copy_report)
        self.dependency_model.chosen_changed.connect(self._edited)
        return page

    def _build_farm_tab(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(page)
        filters_box = QtWidgets.QGroupBox("Which machines may render")
        self.filters_editor = FiltersEditor()
        QtWidgets.QVBoxLayout(filters_box).addWidget(self.filters_editor)
        layout.addWidget(filters_box)
        conversion_box = QtWidgets.QGroupBox(f"Paths inside the {self.host.words.scene}")
        conversion_form = QtWidgets.QFormLayout(conversion_box)
        self.conversion_combo = QtWidgets.QComboBox()
        self.conversion_combo.addItems([label for _code, label in INPUT_CONVERSIONS])
        conversion_form.addRow("Input conversion", self.conversion_combo)
        layout.addWidget(conversion_box)
        site_box = QtWidgets.QGroupBox("Site transfers")
        self.site_editor = SiteSettingsEditor()
        QtWidgets.QVBoxLayout(site_box).addWidget(self.site_editor)
        layout.addWidget(site_box)
        layout.addStretch(1)
        return page

    def _build_preview_tab(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(page)
        self.preview_text = QtWidgets.QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        self.preview_text.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.FixedFont))
        row = QtWidgets.QHBoxLayout()
        self.refresh_preview_button = QtWidgets.QPushButton("Refresh")
        self.export_button = QtWidgets.QPushButton("Export JSON...")
        row.addStretch(1)
        row.addWidget(self.refresh_preview_button)
        row.addWidget(self.export_button)
        layout.addWidget(self.preview_text)
        layout.addLayout(row)
        self.refresh_preview_button.clicked.connect(self.refresh_preview)
        self.export_button.clicked.connect(self._export_clicked)
        return page

    # ----------------------------------------------------------------------------------------------- filling
    def _initial(self, engine: str = "") -> SubmitChoices:
        """The session's choices for this dialog (``engine``: the one the artist picked)."""
        return self.session.initial_choices(self.remembered.values, self.selected_only, engine=engine)

    def _show(self, choices: SubmitChoices, names: Sequence[str] = SHOWN, only_unchanged: bool = True) -> None:
        """Show ``choices``: every field the first time; after that the ``names``, with ``only_unchanged`` only
        those the artist has not changed (whose widget still holds what was last shown)."""
        previous = self._shown
        current = self.choices() if previous is not None else None
        self._shown = choices if previous is None else replace(previous, **{n: getattr(choices, n) for n in names})
        setters: Dict[str, Callable[[Any], Any]] = {
            "name": self.name_edit.setText,
            "range_text": self.range_edit.setText,
            "bucket_size": self.bucket_spin.setValue,
            "outputs": lambda outputs: self._set_outputs(list(outputs)),
            "engine": self.select_engine,
            "queue": self.select_queue,
            "filters": self.filters_editor.set_text,
            "input_conversion": self._select_conversion,
            "site_settings": self.site_editor.set_values,
            "envs": lambda envs: self.env_editor.set_values(dict(envs)),
            "os_envs": self.env_editor.set_os_values,
        }
        filling, self._filling = self._filling, True  # one reaction once every widget is filled, not one per widget
        try:
            for name in names:
                if not only_unchanged or previous is None or getattr(current, name) == getattr(previous, name):
                    setters[name](getattr(choices, name))
        finally:
            self._filling = filling
        if not filling:
            self._edited()

    def _set_outputs(self, outputs: List[Output]) -> None:
        self.outputs = list(outputs)
        self.outputs_list.blockSignals(True)
        self.outputs_list.clear()
        for output in self.outputs:
            label = f"{output.node}  {output.path}"
            if output.range:
                label += f"  [{output.range}]"
            if output.is_movie:
                label += "  (movie: one task)"
            item = QtWidgets.QListWidgetItem(label)
            item.setFlags(item.flags() | QtCore.Qt.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.Checked)
            self.outputs_list.addItem(item)
        self.outputs_list.blockSignals(False)

    def _select_conversion(self, code: str) -> None:
        if code not in self._conversion_codes:
            self._conversion_codes.append(code)
            self.conversion_combo.addItem(code)
        self.conversion_combo.setCurrentIndex(self._conversion_codes.index(code))

    def conversion(self) -> str:
        """The input conversion chosen; empty: the session decides for the scene."""
        index = self.conversion_combo.currentIndex()
        return self._conversion_codes[index] if 0 <= index < len(self._conversion_codes) else ""

    # ----------------------------------------------------------------------------------------------- workspace
    def start(self) -> None:
        """Look up the workspace (in the background) and scan the scene."""
        self.load_workspace()
        self.start_scan()

    def load_workspace(self) -> None:
        self.connection_label.setText("Reading the accsyn workspace...")
        self.reconnect_button.hide()
        self._background(self.session.load_workspace, self._workspace_loaded, self._workspace_failed)

    @property
    def workspace(self) -> WorkspaceInfo:
        return self.session.workspace

    @property
    def scan(self) -> Optional[ScanResult]:
        """The scan the dialog shows: set once its result reached this (the main) thread, not before."""
        return self._shown_scan

    def _workspace_loaded(self, workspace: WorkspaceInfo) -> None:
        self._offer(workspace)
        self.connection_label.setText(f"Connected to accsyn: {len(workspace.engines)} engines available.")

    def _workspace_failed(self, sentence: str) -> None:
        """Offline: the engines, queues and sites of the studio's workspace description (settings ``workspace``)."""
        offline = self.session.use_workspace_description()
        if offline.engines:
            self._offer(offline)
            then = (f"Working offline with the studio's workspace description ({len(offline.engines)} engines): "
                    "you can preview and export the payload, and submit once accsyn answers.")  # fmt: skip
        else:
            then = "The studio settings describe no workspace to work offline with, so no engine can be chosen."
        self.connection_label.setText(f"Could not read the accsyn workspace: {sentence} {then}")
        self.reconnect_button.show()

    def _offer(self, workspace: WorkspaceInfo) -> None:
        """Offer the engines, queues and sites of ``workspace``, the one the session plans with (an engine and queue
        chosen from an earlier offer, such as the offline description's, stay chosen when offered again)."""
        chosen_engine, chosen_queue = self.engine(), self.queue()
        self.session.workspace = workspace
        initial = self._initial()
        self.set_engines([(engine.label, engine.code) for engine in workspace.engines])
        self._queue_codes = [""] + [queue.code for queue in workspace.queues]
        self.queue_combo.clear()
        self.queue_combo.addItems(["(default)"] + [queue.name or queue.code for queue in workspace.queues])
        self.site_editor.set_sites([site.code for site in workspace.sites])
        self._show(initial, ("engine", "queue"), only_unchanged=False)  # offered only now, so not yet chosen
        if chosen_engine:
            self.select_engine(chosen_engine)
        if chosen_queue:
            self.select_queue(chosen_queue)
        self._engine_chosen()
        self._show_suggested_envs()  # they follow the shares

    def _show_suggested_envs(self) -> None:
        self.env_editor.show_suggested(self.session.suggested_envs(self.choices()))

    def _engine_chosen(self, *_args: object) -> None:
        """Re-apply what follows the engine (range, bucket size) where the artist has not changed it; showing them
        reacts to the change (``_show``)."""
        self._show(self._initial(engine=self.engine()), ("range_text", "bucket_size"))
        engine = self.workspace.engine(self.engine())
        parts = (
            [
                f"default range {engine.settings.default_range}" if engine.settings.default_range else "",
                f"bucket size {engine.settings.default_bucketsize}",
            ]
            if engine
            else []
        )
        self.engine_info.setText(", ".join(part for part in parts if part))

    # ----------------------------------------------------------------------------------------------- scan
    def start_scan(self) -> None:
        """Scan the scene: the host's part here in steps (with progress), the file checks in the background."""
        if self._scanning:
            return
        self._rescan_timer.stop()
        self._scanning = True
        self._scan_cancelled = False
        self._shown_scan = None
        frames = self._scan_frames = self.choices().frames
        self._edited()  # nothing is blocked, nor allowed, before the files are checked
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_scan_button.show()
        self.rescan_button.setEnabled(False)
        self._set_status(f"Scanning the {self.host.words.scene}...")
        try:
            pending = self.session.collect_scan(frames, self._scan_progress, self._scan_was_cancelled)
        except ScanCancelled:
            self._scan_stopped("The scan was cancelled; scan again before submitting.")
            return
        except Exception as error:
            if self._scan_cancelled:
                self._scan_stopped("The scan was cancelled; scan again before submitting.")
                return
            self._scan_failed(describe_error(error))
            return
        self.progress.setRange(0, 0)
        self.progress.setFormat("Checking files...")
        rule = self.session.send_rule(SubmitChoices())  # made here (it asks the host); no file chosen yet
        choices = self.choices()
        chosen_rule = self.session.send_rule(choices)

        def check_files() -> Tuple[ScanResult, List[dependency_model.DependencyRow]]:
            scan = self.session.finish_scan(pending)
            self.session.file_findings(choices, chosen_rule)  # made here, off the UI thread; its re-plan reuses them
            return scan, dependency_model.rows_from_scan(scan, rule)  # the rows say which files are withheld

        self._background(check_files, self._scan_done, self._scan_failed)

    def _scan_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self._keep_responsive()

    def _scan_was_cancelled(self) -> bool:
        self._keep_responsive()
        return self._scan_cancelled

    def _keep_responsive(self) -> None:
        """Let the window repaint and take clicks (Cancel) while the host's scan runs on this thread.

        At most every ``RESPONSIVE_INTERVAL`` seconds, through an event loop object: PySide6's static
        ``QCoreApplication.processEvents`` loses a reference to None on each call in some releases.
        """
        now = time.monotonic()
        if now - self._last_events >= RESPONSIVE_INTERVAL:
            self._last_events = now
            self._events.processEvents()

    def cancel_scan(self) -> None:
        self._scan_cancelled = True

    def _scan_finished_ui(self) -> None:
        self._scanning = False
        self.progress.hide()
        self.progress.setFormat("Scanning %v/%m")
        self.cancel_scan_button.hide()
        self.rescan_button.setEnabled(True)

    def _scan_stopped(self, status: str) -> None:
        """A scan that ended without a result: no findings stand for any frames until the next scan."""
        self._scan_finished_ui()
        self.session.scan_result = None
        self._scan_frames = None
        self._set_status(status)
        self._edited()

    def _scan_done(self, checked: Tuple[ScanResult, List[dependency_model.DependencyRow]]) -> None:
        scan, rows = checked
        self._scan_finished_ui()
        if self._scan_cancelled:
            self._scan_stopped("The scan was cancelled; scan again before submitting.")
            return
        self._shown_scan = scan
        if not self.outputs and scan.outputs and not self.selected_only:
            self._set_outputs(scan.outputs)
        self.dependency_model.set_rows(rows)
        self._show_suggested_envs()
        missing = len(scan.missing)
        summary = f"Scan done: {len(scan.dependencies)} files"
        summary += f", {missing} missing" if missing else ", all found"
        if scan.unresolved:
            summary += f", {len(scan.unresolved)} unresolved"
        self._set_status(summary + ".")
        self._edited()

    def _scan_failed(self, sentence: str) -> None:
        self._scan_stopped(f"The scan failed: {sentence}")

    # ----------------------------------------------------------------------------------------------- values
    # Codes are kept in Python lists beside the combo boxes (not as item data) so reading them never
    # round-trips None through the binding's QVariant conversion.
    def set_engines(self, engines: List[Tuple[str, str]]) -> None:
        """Offer these ``(label, code)`` engines (the first is selected)."""
        self.engine_combo.blockSignals(True)
        self._engine_codes = [code for _label, code in engines]
        self.engine_combo.clear()
        self.engine_combo.addItems([label for label, _code in engines])
        self.engine_combo.blockSignals(False)

    def select_engine(self, code: str) -> bool:
        if code not in self._engine_codes:
            return False
        self.engine_combo.setCurrentIndex(self._engine_codes.index(code))
        return True

    def select_queue(self, code: str) -> bool:
        """Select the queue ``code``; one the workspace does not offer (a studio default) is added, not dropped, and
        the pre-flight says whether the workspace has it."""
        if code not in self._queue_codes:
            if not code:
                return False
            self._queue_codes.append(code)
            self.queue_combo.addItem(code)
        self.queue_combo.setCurrentIndex(self._queue_codes.index(code))
        return True

    def queue_codes(self) -> List[str]:
        return list(self._queue_codes)

    def engine(self) -> str:
        index = self.engine_combo.currentIndex()
        return self._engine_codes[index] if 0 <= index < len(self._engine_codes) else ""

    def queue(self) -> str:
        index = self.queue_combo.currentIndex()
        return self._queue_codes[index] if 0 <= index < len(self._queue_codes) else ""

    def checked_outputs(self) -> List[Output]:
        return [
            output
            for row, output in enumerate(self.outputs)
            if self.outputs_list.item(row).checkState() == QtCore.Qt.Checked
        ]

    def choices(self) -> SubmitChoices:
        """Everything the artist chose, as the session's one choices record (fields without a widget as the
        session gave them)."""
        assert self._shown is not None
        return replace(
            self._shown,
            name=self.name_edit.text().strip(),
            engine=self.engine(),
            range_text=self.range_edit.text().strip(),
            bucket_size=self.bucket_spin.value(),
            queue=self.queue(),
            outputs=tuple(self.checked_outputs()),
            one_job_per_output=self.per_output_check.isChecked(),
            filters=self.filters_editor.text(),
            input_conversion=self.conversion(),
            site_settings=self.site_editor.values(),
            envs=self.env_editor.values(),
            os_envs=self.env_editor.os_values(),
            allow_missing=self.submit_anyway_check.isChecked(),
            send_off_share=tuple(self.dependency_model.chosen_paths()),
        )

    def findings(self) -> List[preflight.Finding]:
        """The pre-flight findings for the current choices; a scene not (yet) scanned blocks unless submitted anyway.
        Unsaved changes do not block: Submit offers to save them."""
        return self.session.findings(self.choices(), saves_first=True)

    def payloads(self) -> List[Dict[str, Any]]:
        """The Compute payload(s) the current choices make (one per output when asked); never holds the API key."""
        return self.session.payloads(self.choices())

    # ----------------------------------------------------------------------------------------------- reactions
    def _edited(self, *_args: object) -> None:
        """Every change of a choice: show what the session plans and finds for the choices now."""
        if self._filling:
            return
        choices = self.choices()
        self._show_range(choices)
        if self._checked_other_frames(choices):
            self._rescan_timer.start()  # (again): the frames are checked once the artist stops typing
        if self._scanning or self._rescan_timer.isActive():
            self.findings_label.setText(f"Scanning: checking the {self.host.words.scene}'s files...")
            self.blocked_label.setText("")
            self.submit_button.setEnabled(False)
        else:
            findings = self.session.findings(choices, saves_first=True)  # as ``findings()``, for these choices
            self.findings_label.setText(findings_text(findings))
            blocking = preflight.blockers(findings)
            self.blocked_label.setText(f"Blocked: {blocking[0].message}" if blocking else "")
            self.submit_button.setEnabled(not blocking and not self._submitting)
        if self.tabs.currentIndex() == self.preview_index:
            self.refresh_preview()

    def _checked_other_frames(self, choices: SubmitChoices) -> bool:
        """True when a scan stands (or runs) for frames other than the valid range chosen now."""
        frames, checked = choices.frames, self._scan_frames
        return frames is not None and checked is not None and frames != checked and set(frames) != set(checked)

    def _show_range(self, choices: SubmitChoices) -> None:
        """The range's problems, else its frames and tasks as the session splits them (a movie: one task)."""
        error = choices.range_error
        if error is not None:
            reasons = "; ".join(f"'{problem.value}': {problem.message}" for problem in error.problems)
            self.range_feedback.setText(reasons)
            self.range_edit.setStyleSheet("border: 1px solid #d05050;")
            return
        self.range_edit.setStyleSheet("")
        if choices.one_job_per_output and len(choices.outputs) > 1:
            words = self.host.words
            text = f"{len(choices.outputs)} jobs, one per {words.output}: the Payload tab shows each one's tasks"
        else:
            frames, _bucket_size, tasks = self.session.task_split(choices)
            text = f"{len(frames)} frames in {_count(tasks, 'task')}" if frames is not None else "one task (no range)"
        self.range_feedback.setText(text)

    def _tab_changed(self, index: int) -> None:
        if index == self.preview_index:
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Fill the Payload tab; the payloads are built in the background (a big job lists many files)."""
        choices = self.choices()
        if not choices.engine:
            self.preview_text.setPlainText(f"# {NO_ENGINE}")
            return
        planner = self._planner(choices, lambda sentence: self.preview_text.setPlainText(f"# {sentence}"))
        if planner is None:
            return
        self.preview_text.setPlainText("# Building the payload...")
        self._background(
            lambda: _payload_text(planner.payloads(choices)),
            self.preview_text.setPlainText,
            lambda sentence: self.preview_text.setPlainText(f"# {sentence}"),
        )

    def export_payload(self, path: str) -> None:
        """Write the payload(s) as JSON to ``path`` (works with the backend down)."""
        if not self.engine():
            raise AccsynDccError(NO_ENGINE)
        _write_payload(path, _payload_text(self.payloads()))
        self._set_status(f"Payload written to {path}.")

    def _export_clicked(self) -> None:
        if not self.engine():
            self._set_status(f"Could not export the payload: {NO_ENGINE}")
            return
        path, _filter = QtWidgets.QFileDialog.getSaveFileName(self, "Export payload", "", "JSON (*.json)")
        if not path:
            return
        choices = self.choices()
        planner = self._planner(choices, lambda sentence: self._set_status(f"Could not export the payload: {sentence}"))
        if planner is None:
            return
        self._set_status("Exporting the payload...")
        self._background(
            lambda: _write_payload(path, _payload_text(planner.payloads(choices))),
            lambda _result: self._set_status(f"Payload written to {path}."),
            lambda sentence: self._set_status(f"Could not export the payload: {sentence}"),
        )

    def copy_report(self) -> None:
        QtWidgets.QApplication.clipboard().setText(dependency_model.report(self.dependency_model.rows))
        self._set_status("The dependency report is on the clipboard.")

    def submit(self) -> None:
        """Offer to save a modified scene, then, in the background, ``prepare`` (every check, the studio's hooks, the
        test render when asked) and create the job(s); a blocker found there is said and nothing is created."""
        scene = self.host.words.scene
        if self.host.is_modified():
            if not self.ask(f"The {scene} has unsaved changes. Save it now and submit?"):
                self._set_status(f"Not submitted: save the {scene} first (the farm renders the file on disk).")
                return
            try:
                self.host.save_scene()
            except Exception as error:
                self._set_status(f"Could not save the {scene}: {describe_error(error)}")
                return
        choices = self.choices()
        test_render = self.test_render_check.isChecked()
        planner = self._planner(choices, lambda sentence: self._set_status(f"Not submitted: {sentence}"))
        if planner is None:
            return
        self._submitting = True
        self.submit_button.setEnabled(False)
        not_remembered = self.remembered.remember(self.session.remembered_changes(choices))  # why not, else empty
        doing = "Test rendering the first frame, then submitting..." if test_render else "Submitting..."
        self._set_status(" ".join(filter(None, [doing, not_remembered])))

        def prepare_and_create() -> Any:
            try:
                prepared = planner.prepare(choices, test_render)
            except preflight.PreflightError as stopped:
                return stopped
            return self.session.create(prepared.payloads)

        self._background(
            prepare_and_create,
            lambda result: self._submitted(result, not_remembered),
            self._submit_failed,
        )

    def _planner(self, choices: SubmitChoices, report: Callable[[str], None]) -> Optional[SubmitSession]:
        """The session planning with the host's answers read now, here on the UI thread, for a worker thread
        (``SubmitSession.on_snapshot``); None, said through ``report``, when the host cannot answer."""
        try:
            return self.session.on_snapshot(choices.outputs)
        except Exception as error:
            report(f"Could not read the {self.host.words.scene}: {describe_error(error)}")
            return None

    def _submitted(self, result: Any, not_remembered: str = "") -> None:
        self._submitting = False
        self.submit_button.setEnabled(True)
        if isinstance(result, preflight.PreflightError):
            self._set_status("Not submitted: " + " ".join(finding.message for finding in result.findings))
            return
        created: List[Dict[str, Any]] = result
        self.created_jobs = created
        ids = ", ".join(str(job.get("id", "?")) for job in created)
        done = f"Submitted: job {ids}." if len(created) == 1 else f"Submitted {len(created)} jobs: {ids}."
        self._set_status(" ".join(filter(None, [done, not_remembered])))
        self.monitor_button.setText("Monitor job..." if len(created) == 1 else "Monitor jobs...")
        self.monitor_button.setVisible(bool(created))

    def open_monitor(self) -> Any:
        """The job monitor, following the jobs just submitted (they are announced when they end)."""
        from accsyn_dcc.ui.monitor import open_monitor

        return open_monitor(self.parentWidget(), [str(job.get("id")) for job in self.created_jobs], self.session.client)

    def _submit_failed(self, sentence: str) -> None:
        self._submitting = False
        self.submit_button.setEnabled(True)
        self._set_status(f"The submit failed: {sentence} Nothing was lost: you can submit again or export the payload.")

    # ----------------------------------------------------------------------------------------------- helpers
    def _background(
        self, function: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        task = run_in_background(function, done, failed, owner=self)
        self._tasks = [t for t in self._tasks if t is not task] + [task]

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def ask(self, question: str) -> bool:
        """Yes or no from the artist (a script or a test may put its own answer in its place)."""
        answer = QtWidgets.QMessageBox.question(self, "accsyn", question)
        return bool(answer == QtWidgets.QMessageBox.Yes)

    def status(self) -> str:
        return str(self.status_label.text())


def findings_text(findings: List[preflight.Finding]) -> str:
    """The first findings (blockers first), one a line, and how many more: a label laid out on the UI thread
    must stay short whatever the scene holds."""
    lines = [("Blocked: " if finding.blocks else "Note: ") + finding.message for finding in findings[:FINDINGS_SHOWN]]
    rest = findings[FINDINGS_SHOWN:]
    if rest:
        blocked = sum(finding.blocks for finding in rest)
        lines.append(f"... and {len(rest)} more ({blocked} blocking); the Dependencies tab lists every file.")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _payload_text(payloads: List[Dict[str, Any]]) -> str:
    return json.dumps(payloads[0] if len(payloads) == 1 else payloads, indent=2)


def _write_payload(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError as error:
        raise AccsynDccError(f"{path}: cannot write it ({error.strerror})") from None
