"""The job monitor inside Blender: a panel in Output Properties ("accsyn jobs") and "Monitor accsyn jobs..." in
the Render menu. No Qt: the shared ``JobWatcher`` polls accsyn on a worker thread, and a ``bpy.app.timers``
function on the main thread picks up what it found (never waiting for it), redraws the panel and reports the end
of a job submitted in this session in the status bar. When accsyn does not answer the panel says so, looks again
after growing pauses and offers Reconnect. Pause, resume, abort, requeue and a task's log run on worker threads too.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, List, Optional, Sequence

import bpy

from accsyn_dcc.ui.job_watch import FINISHED, STATUSES, JobRow, JobWatcher, Poll, duration_text, output_folder

log = logging.getLogger(__name__)

INTERVAL = 3.0
MAX_BACKOFF = 60.0
TICK = 0.2
JOB_ROWS = 15
TASK_ROWS = 12
LOG_LINES = 12


class MonitorState:
    """What the panel shows; written on the main thread only (workers hand their outcome to ``outcome``)."""

    def __init__(self) -> None:
        self.watcher: Optional[JobWatcher] = None
        self.poll: Optional[Poll] = None
        self.selected: Optional[str] = None
        self.error = ""
        self.message = ""
        self.failures = 0
        self.next_at = 0.0
        self.notices: List[str] = []
        self.log_item = ""
        self.log_lines: List[str] = []
        self.log_pending = False
        """A log was read: put it in a Text datablock (main thread)."""
        self.again = False
        """Look again as soon as the look under way ends (an action was taken, a job selected)."""
        self.worker: Optional[threading.Thread] = None
        self.outcome: Optional[Callable[[], None]] = None
        """Set by a worker: what to apply on the main thread."""
        self.actions: List[threading.Thread] = []


state = MonitorState()


def start(connect: Optional[Callable[[], Any]] = None, follow: Sequence[str] = ()) -> MonitorState:
    """Start following the artist's jobs (``connect``: the logged-in client; the configured workspace's by
    default) and announce ``follow`` when they end."""
    if state.watcher is None:
        if connect is None:
            from accsyn_dcc.api import connect_configured

            connect = connect_configured
        state.watcher = JobWatcher(connect)
    state.watcher.follow([str(job_id) for job_id in follow])
    if follow:
        state.selected = str(follow[0])
    state.again = True
    if not bpy.app.timers.is_registered(tick):
        bpy.app.timers.register(tick, first_interval=0.0, persistent=True)
    return state


def stop() -> None:
    if bpy.app.timers.is_registered(tick):
        bpy.app.timers.unregister(tick)


def tick() -> float:
    """The timer: apply what a worker found, start the next look when due; returns at once."""
    if state.outcome is not None and (state.worker is None or not state.worker.is_alive()):
        outcome, state.outcome = state.outcome, None
        outcome()
        _redraw()
    if state.log_pending:
        state.log_pending = False
        _log_text(state.log_item, state.log_lines)
    if state.watcher is not None and state.worker is None and (state.again or time.monotonic() >= state.next_at):
        refresh_now()
    return TICK


def refresh_now() -> None:
    """Look at accsyn on a worker thread (one look at a time)."""
    watcher = state.watcher
    if watcher is None or state.worker is not None:
        state.again = True
        return
    state.again = False
    selected, status = state.selected, _status_filter()

    def look() -> None:
        try:
            found = watcher.poll(selected, status)
        except Exception as error:
            failed = _sentence(error)
            state.outcome = lambda: _failed(failed)
        else:
            state.outcome = lambda: _polled(found)

    state.worker = threading.Thread(target=look, name="accsyn-monitor", daemon=True)
    state.worker.start()


def _polled(poll: Poll) -> None:
    state.worker = None
    state.poll, state.error, state.failures = poll, "", 0
    state.next_at = time.monotonic() + INTERVAL
    for job in poll.finished:
        what = {"done": "is done", "failed": "failed", "aborted": "was aborted"}.get(job.status, job.status)
        notify(f"accsyn: job {job.name or job.id} {what}.", "INFO" if job.status == "done" else "WARNING")


def _failed(sentence: str) -> None:
    state.worker = None
    state.failures += 1
    delay = min(INTERVAL * 2 ** min(state.failures, 10), MAX_BACKOFF)
    state.error = f"accsyn is not answering: {sentence} Trying again in {delay:g} s."
    state.next_at = time.monotonic() + delay


def notify(text: str, level: str = "INFO") -> None:
    """Tell the artist: kept for the panel, and reported in Blender's status bar."""
    state.notices.append(text)
    try:
        bpy.ops.accsyn.notify(message=text, level=level)
    except Exception:  # no window to report in (a script, a closing Blender): the panel shows it
        log.info("%s", text)


def run_action(action: str, job_id: str) -> None:
    """Pause, resume, abort or requeue (the failed tasks of) a job on a worker thread, then look again."""
    watcher = state.watcher
    if watcher is None:
        return
    calls = {"pause": watcher.pause, "resume": watcher.resume, "abort": watcher.abort}

    def act() -> None:
        try:
            if action == "requeue":
                said = f"{watcher.requeue_failed(job_id)} failed task(s) of job {job_id} queued again."
            else:
                said = f"Job {job_id} is {calls[action](job_id)}."
        except Exception as error:
            said = f"accsyn did not {action} job {job_id}: {_sentence(error)}"
        state.message = watcher.scrub(said)
        state.again = True

    worker = threading.Thread(target=act, name=f"accsyn-{action}", daemon=True)
    state.actions = [thread for thread in state.actions if thread.is_alive()] + [worker]
    worker.start()


def read_log(task_id: str, item: str) -> None:
    """A task's whole log, read on a worker thread, into the panel and a Text datablock ``accsyn log <item>``."""
    watcher = state.watcher
    if watcher is None:
        return

    def read() -> None:
        try:
            lines = watcher.log(task_id)
        except Exception as error:
            lines = [f"The log could not be read: {_sentence(error)}"]
        state.log_item, state.log_lines = item, lines
        state.log_pending = True

    worker = threading.Thread(target=read, name="accsyn-log", daemon=True)
    state.actions = [thread for thread in state.actions if thread.is_alive()] + [worker]
    worker.start()


def reconnect() -> None:
    if state.watcher is not None:
        state.watcher.reconnect()
    state.error = "Connecting to accsyn again..."
    state.again = True


def _log_text(item: str, lines: List[str]) -> None:
    name = f"accsyn log {item}"
    text = bpy.data.texts.get(name) or bpy.data.texts.new(name)
    text.from_string("\n".join(lines))


def selected_job() -> Optional[JobRow]:
    return state.poll.job(state.selected) if state.poll else None


def _status_filter() -> str:
    window_manager = getattr(bpy.context, "window_manager", None)
    return str(getattr(window_manager, "accsyn_job_status", "") or "").replace("ALL", "")


def _sentence(error: BaseException) -> str:
    from accsyn_dcc.ui.workers import describe_error

    return describe_error(error)


def _redraw() -> None:
    for window in getattr(bpy.context.window_manager, "windows", ()):
        for area in window.screen.areas:
            if area.type == "PROPERTIES":
                area.tag_redraw()


def job_line(job: JobRow) -> str:
    progress = job.progress
    if progress is None:
        return f"{job.name or job.id}  {job.status}"
    left = "" if job.status in FINISHED or progress.estimate is None else f", {duration_text(progress.estimate)} left"
    elapsed = duration_text(progress.elapsed)
    return f"{job.name or job.id}  {job.status}  {progress.text()} of {progress.total}, {elapsed}{left}"


# -- Blender UI -------------------------------------------------------------------------------------------------


class ACCSYN_OT_monitor(bpy.types.Operator):
    """Follow your accsyn jobs: progress, tasks, logs; pause, resume, abort, requeue"""

    bl_idname = "accsyn.monitor"
    bl_label = "Monitor accsyn jobs..."

    def execute(self, context: Any) -> Any:
        start()
        self.report({"INFO"}, "accsyn: your jobs are in Output Properties > accsyn jobs")
        return {"FINISHED"}


class ACCSYN_OT_notify(bpy.types.Operator):
    """Report a message in the status bar"""

    bl_idname = "accsyn.notify"
    bl_label = "accsyn message"
    bl_options = {"INTERNAL"}

    message: bpy.props.StringProperty()  # type: ignore[valid-type]
    level: bpy.props.StringProperty(default="INFO")  # type: ignore[valid-type]

    def execute(self, context: Any) -> Any:
        self.report({self.level if self.level in ("INFO", "WARNING", "ERROR") else "INFO"}, self.message)
        return {"FINISHED"}


class ACCSYN_OT_job_select(bpy.types.Operator):
    """Show this job's tasks"""

    bl_idname = "accsyn.job_select"
    bl_label = "Select job"
    bl_options = {"INTERNAL"}

    job_id: bpy.props.StringProperty()  # type: ignore[valid-type]

    def execute(self, context: Any) -> Any:
        state.selected = self.job_id
        state.log_item, state.log_lines = "", []
        refresh_now()
        return {"FINISHED"}


class ACCSYN_OT_job_action(bpy.types.Operator):
    """Pause, resume, abort the job, or queue its failed tasks again"""

    bl_idname = "accsyn.job_action"
    bl_label = "Job action"
    bl_options = {"INTERNAL"}

    action: bpy.props.EnumProperty(  # type: ignore[valid-type]
        items=[
            ("pause", "Pause", ""),
            ("resume", "Resume", ""),
            ("abort", "Abort", ""),
            ("requeue", "Requeue failed", ""),
        ]
    )
    job_id: bpy.props.StringProperty()  # type: ignore[valid-type]

    def execute(self, context: Any) -> Any:
        job_id = self.job_id or state.selected
        if not job_id or state.watcher is None:
            self.report({"WARNING"}, "accsyn: no job is selected")
            return {"CANCELLED"}
        run_action(self.action, job_id)
        return {"FINISHED"}


class ACCSYN_OT_task_log(bpy.types.Operator):
    """Read this task's whole log"""

    bl_idname = "accsyn.task_log"
    bl_label = "Show log"
    bl_options = {"INTERNAL"}

    task_id: bpy.props.StringProperty()  # type: ignore[valid-type]
    item: bpy.props.StringProperty()  # type: ignore[valid-type]

    def execute(self, context: Any) -> Any:
        read_log(self.task_id, self.item)
        return {"FINISHED"}


class ACCSYN_OT_monitor_reconnect(bpy.types.Operator):
    """Connect to accsyn again"""

    bl_idname = "accsyn.monitor_reconnect"
    bl_label = "Reconnect"
    bl_options = {"INTERNAL"}

    def execute(self, context: Any) -> Any:
        reconnect()
        return {"FINISHED"}


class ACCSYN_OT_open_output(bpy.types.Operator):
    """Open the folder of the job's last rendered frame"""

    bl_idname = "accsyn.open_output"
    bl_label = "Open output folder"
    bl_options = {"INTERNAL"}

    def execute(self, context: Any) -> Any:
        last = state.poll.last_frame if state.poll else None
        if not last:
            self.report({"WARNING"}, "accsyn: the job's output folder is not reachable from this machine")
            return {"CANCELLED"}
        bpy.ops.wm.path_open(filepath=output_folder(last))
        return {"FINISHED"}


class ACCSYN_PT_jobs(bpy.types.Panel):
    bl_label = "accsyn jobs"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "output"
    bl_options = {"DEFAULT_CLOSED"}

    def draw(self, context: Any) -> None:
        layout = self.layout
        if state.watcher is None:
            layout.operator(ACCSYN_OT_monitor.bl_idname, text="Follow my jobs", icon="SORTTIME")
            return
        if state.error:
            row = layout.row()
            row.label(text=state.error, icon="ERROR")
            row.operator(ACCSYN_OT_monitor_reconnect.bl_idname)
        for line in (*state.notices[-1:], state.message):
            if line:
                layout.label(text=line, icon="INFO")
        layout.prop(context.window_manager, "accsyn_job_status", text="Status")
        poll = state.poll
        if poll is None:
            layout.label(text="Reading accsyn...")
            return
        ended = {job.id for job in poll.finished}
        for job in poll.jobs[:JOB_ROWS]:
            icon = "ERROR" if job.status == "failed" else "CHECKMARK" if job.status == "done" else "SORTTIME"
            chosen = layout.operator(ACCSYN_OT_job_select.bl_idname, text=job_line(job), icon=icon,
                                     depress=job.id == state.selected or job.id in ended)  # fmt: skip
            chosen.job_id = job.id
        if len(poll.jobs) > JOB_ROWS:
            layout.label(text=f"... and {len(poll.jobs) - JOB_ROWS} older jobs")
        self._draw_job(layout, poll)

    def _draw_job(self, layout: Any, poll: Poll) -> None:
        job = poll.job(poll.job_id)
        if job is None:
            return
        box = layout.box()
        box.label(text=job_line(job))
        row = box.row()
        for action, label in (
            ("pause", "Pause"),
            ("resume", "Resume"),
            ("abort", "Abort"),
            ("requeue", "Requeue failed"),
        ):
            button = row.operator(ACCSYN_OT_job_action.bl_idname, text=label)
            button.action, button.job_id = action, job.id
        box.operator(ACCSYN_OT_open_output.bl_idname, icon="FILE_FOLDER")
        tasks = sorted(poll.tasks, key=lambda task: task.status != "failed")[:TASK_ROWS]
        for task in tasks:
            row = box.row()
            when = f"{task.started} - {task.finished}" if task.finished else task.started
            row.label(text=f"{task.item}  {task.status}  {task.node}  {when}  {duration_text(task.duration)}")
            if task.status == "failed":
                shown = row.operator(ACCSYN_OT_task_log.bl_idname, text="Log")
                shown.task_id, shown.item = task.id, task.item
                if task.reason:
                    box.label(text=task.reason.strip().splitlines()[-1], icon="ERROR")
        if state.log_lines:
            box.label(text=f"Log of item {state.log_item} (whole log: Text Editor, 'accsyn log {state.log_item}')")
            for line in state.log_lines[-LOG_LINES:]:
                box.label(text=line)


def menu_entry(self: Any, context: Any) -> None:
    self.layout.operator(ACCSYN_OT_monitor.bl_idname, icon="SORTTIME")


def register_properties() -> None:
    items = [("ALL", "all", "")] + [(status, status, "") for status in STATUSES]
    bpy.types.WindowManager.accsyn_job_status = bpy.props.EnumProperty(
        name="Status", items=items, default="ALL", update=lambda _self, _context: refresh_now()
    )


def unregister_properties() -> None:
    stop()
    del bpy.types.WindowManager.accsyn_job_status


CLASSES = (ACCSYN_OT_monitor, ACCSYN_OT_notify, ACCSYN_OT_job_select, ACCSYN_OT_job_action, ACCSYN_OT_task_log,
           ACCSYN_OT_monitor_reconnect, ACCSYN_OT_open_output, ACCSYN_PT_jobs)  # fmt: skip
