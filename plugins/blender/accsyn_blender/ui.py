"""The add-on's Blender UI: "Submit to accsyn..." in the Render menu and in Output Properties, a native dialog.

``accsyn.submit`` reads the scene through the API on the main thread (progress in the status bar, Esc
cancels), checks the files on a worker thread while Blender stays responsive, then opens
``accsyn.submit_dialog``: engine, frames, bucket size, queue, filters, outputs, the files with problems
first, and what blocks. No Qt: Blender's own operator dialog, through the shared submit session.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from typing import Any, Dict, List, Optional

import bpy

from accsyn_dcc.errors import AccsynDccError, ScanCancelled
from accsyn_dcc.preflight import BLOCKER, WARNING, blockers, dependency_states
from accsyn_dcc.session import SubmitChoices, SubmitSession

from . import monitor
from .host import BlenderHost

ROWS_SHOWN = 12
"""Files listed in the dialog (problems first); the rest are counted."""

_state: Dict[str, Any] = {}
"""The session being prepared between the scan operator and the dialog (one at a time)."""


def _prepare(cancelled: threading.Event) -> None:
    """Worker thread: read the workspace (or the offline description) and check the collected files."""
    session: SubmitSession = _state["session"]
    try:
        try:
            session.load_workspace()
        except AccsynDccError as error:  # offline: the studio's workspace description, as the Qt dialog
            session.use_workspace_description()
            _state["connection"] = f"Could not read the accsyn workspace: {error}"
        if not cancelled.is_set():
            session.finish_scan(_state["pending"])
    except Exception as error:  # reported in the dialog as one sentence, never a traceback
        _state["error"] = f"The scan failed: {error}"


def _starting() -> SubmitChoices:
    """The session's starting choices for the dialog, made once per scan (the studio's ``before_dialog`` hook runs
    once, not at every redraw); offline with no workspace known, the engine of Blender's family, as everywhere."""
    if "starting" not in _state:
        _state["starting"] = _state["session"].starting_choices()
    starting: SubmitChoices = _state["starting"]
    return starting


class ACCSYN_OT_submit(bpy.types.Operator):
    """Check the scene's files and submit it to accsyn as a render job"""

    bl_idname = "accsyn.submit"
    bl_label = "Submit to accsyn..."
    bl_options = {"REGISTER"}

    _timer: Any = None
    _thread: Optional[threading.Thread] = None
    _cancel: Optional[threading.Event] = None

    def invoke(self, context: Any, event: Any) -> Any:
        host = BlenderHost(context.scene)
        session = SubmitSession(host)
        wm = context.window_manager
        wm.progress_begin(0, 100)
        try:
            pending = session.collect_scan(None, lambda done, total: wm.progress_update(100 * done // max(total, 1)))
        except ScanCancelled:
            wm.progress_end()
            return {"CANCELLED"}
        _state.clear()
        _state.update(session=session, pending=pending)
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=_prepare, args=(self._cancel,), name="accsyn-scan", daemon=True)
        self._thread.start()
        self._timer = wm.event_timer_add(0.1, window=context.window)
        wm.modal_handler_add(self)
        self.report({"INFO"}, "accsyn: checking the scene's files...")
        return {"RUNNING_MODAL"}

    def modal(self, context: Any, event: Any) -> Any:
        if event.type == "ESC" and self._cancel is not None:
            self._cancel.set()
        if event.type != "TIMER" or (self._thread is not None and self._thread.is_alive()):
            return {"PASS_THROUGH"}
        context.window_manager.event_timer_remove(self._timer)
        context.window_manager.progress_end()
        if self._cancel is not None and self._cancel.is_set():
            self.report({"WARNING"}, "accsyn: the scan was cancelled")
            return {"CANCELLED"}
        bpy.ops.accsyn.submit_dialog("INVOKE_DEFAULT")
        return {"FINISHED"}

    def execute(self, context: Any) -> Any:
        """Without a window (scripts): scan, check and submit at once, through the scripted submit."""
        from .scripted import submit

        try:
            created = submit()
        except AccsynDccError as error:
            self.report({"ERROR"}, f"accsyn: {error}")
            return {"CANCELLED"}
        self.report({"INFO"}, "accsyn: created job " + ", ".join(str(job.get("id")) for job in created))
        return {"FINISHED"}


class ACCSYN_OT_submit_dialog(bpy.types.Operator):
    """Review the choices and the files, then submit to accsyn or export the payload"""

    bl_idname = "accsyn.submit_dialog"
    bl_label = "Submit to accsyn"
    bl_options = {"INTERNAL"}

    engine: bpy.props.StringProperty(name="Engine")  # type: ignore[valid-type]
    frames: bpy.props.StringProperty(name="Frames")  # type: ignore[valid-type]
    bucket_size: bpy.props.IntProperty(name="Frames per task", min=1, default=10)  # type: ignore[valid-type]
    queue: bpy.props.StringProperty(name="Queue")  # type: ignore[valid-type]
    filters: bpy.props.StringProperty(name="Filters")  # type: ignore[valid-type]
    allow_missing: bpy.props.BoolProperty(name="Submit anyway (send what exists)")  # type: ignore[valid-type]
    send_off_share: bpy.props.StringProperty(  # type: ignore[valid-type]
        name="Also send", description="Files on no share outside the project to send from here, separated by ;"
    )
    export_path: bpy.props.StringProperty(name="Export payload to", subtype="FILE_PATH")  # type: ignore[valid-type]

    def invoke(self, context: Any, event: Any) -> Any:
        session: Optional[SubmitSession] = _state.get("session")
        if session is None:
            return {"CANCELLED"}
        initial = _starting()
        self.engine, self.frames, self.queue = initial.engine, initial.range_text, initial.queue
        self.bucket_size, self.filters = max(initial.bucket_size, 1), initial.filters
        return context.window_manager.invoke_props_dialog(self, width=640)

    def choices(self) -> SubmitChoices:
        return replace(
            _starting(),
            engine=self.engine,
            range_text=self.frames,
            bucket_size=self.bucket_size,
            queue=self.queue,
            filters=self.filters,
            allow_missing=self.allow_missing,
            send_off_share=tuple(path.strip() for path in self.send_off_share.split(";") if path.strip()),
        )

    def draw(self, context: Any) -> None:
        layout = self.layout
        for line in (_state.get("error"), _state.get("connection")):
            if line:
                layout.label(text=line, icon="ERROR")
        for name in ("engine", "frames", "bucket_size", "queue", "filters"):
            layout.prop(self, name)
        session: SubmitSession = _state["session"]
        choices = self.choices()
        box = layout.box()
        box.label(text="Outputs")
        for item in choices.outputs:
            box.label(text=f"{item.node}: {item.path}" + ("  (movie: one task)" if item.is_movie else ""))
        box = layout.box()
        box.label(text="Files")
        for text, icon in _file_rows(session, choices):
            box.label(text=text, icon=icon)
        findings = session.findings(choices)
        for finding in blockers(findings)[:4]:
            layout.label(text=finding.message, icon="CANCEL")
        layout.prop(self, "allow_missing")
        layout.prop(self, "send_off_share")
        layout.prop(self, "export_path")

    def execute(self, context: Any) -> Any:
        session: SubmitSession = _state["session"]
        choices = self.choices()
        try:
            if self.export_path:
                with open(bpy.path.abspath(self.export_path), "w", encoding="utf-8") as stream:
                    json.dump(session.payloads(choices), stream, indent=2)
                self.report({"INFO"}, f"accsyn: payload written to {self.export_path}")
                return {"FINISHED"}
            created = session.submit(choices)
        except (AccsynDccError, OSError) as error:
            self.report({"ERROR"}, f"accsyn: {error}")
            return {"CANCELLED"}
        self.report({"INFO"}, "accsyn: created job " + ", ".join(str(job.get("id")) for job in created))
        monitor.start(session.client, [str(job.get("id")) for job in created])  # reported when they end
        return {"FINISHED"}


def _file_rows(session: SubmitSession, choices: SubmitChoices) -> List[Any]:
    """The first rows of the file list, problems first (``preflight.dependency_states``), and a count of the rest."""
    scan = session.scan_result
    if scan is None:
        return [("The files have not been checked.", "ERROR")]
    rule = session.send_rule(choices)
    ranked = []
    for dependency in scan.dependencies:
        state = dependency_states(dependency, rule, choices.allow_missing)[0]
        rank = {BLOCKER: 0, WARNING: 1}.get(state.severity or "", 2)
        text = f"{state.label} {dependency.node}: {dependency.path} {state.detail}".strip()
        ranked.append((rank, text, ("ERROR", "QUESTION", "CHECKMARK")[rank]))
    ranked += [(1, f"unresolved {item.node}.{item.knob}: {item.reason}", "QUESTION") for item in scan.unresolved]
    rows = [(text, icon) for _rank, text, icon in sorted(ranked, key=lambda row: row[0])]
    if len(rows) > ROWS_SHOWN:
        rows = [*rows[:ROWS_SHOWN], (f"... and {len(rows) - ROWS_SHOWN} more", "NONE")]
    return rows


class ACCSYN_PT_output(bpy.types.Panel):
    bl_label = "accsyn"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "output"

    def draw(self, context: Any) -> None:
        self.layout.operator(ACCSYN_OT_submit.bl_idname, icon="EXPORT")
        self.layout.operator(monitor.ACCSYN_OT_monitor.bl_idname, icon="SORTTIME")


def menu_entry(self: Any, context: Any) -> None:
    self.layout.separator()
    self.layout.operator(ACCSYN_OT_submit.bl_idname, icon="EXPORT")
    self.layout.operator(monitor.ACCSYN_OT_monitor.bl_idname, icon="SORTTIME")


CLASSES = (ACCSYN_OT_submit, ACCSYN_OT_submit_dialog, ACCSYN_PT_output)
