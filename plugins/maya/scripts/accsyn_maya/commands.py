"""What the shelf buttons and the Render menu items run: the shared submit dialog on the open Maya scene, and the
job monitor.

Imported at the first click (``startup`` only registers the UI), so Qt, requests and the dialog cost
nothing at Maya's start-up.
"""

from __future__ import annotations

from typing import Any, Optional

from accsyn_dcc.ui.launch import open_job_monitor as open_monitor_for
from accsyn_dcc.ui.launch import open_submit_dialog
from accsyn_dcc.ui.qt import QtWidgets
from accsyn_maya import startup
from accsyn_maya.adapter import MayaHost

MAIN_WINDOW_NAME = "MayaWindow"
"""The object name of Maya's main window, in every Maya with Qt (PySide2 in 2023-2024, PySide6 in 2025+)."""


def main_window() -> Optional[Any]:
    """Maya's main window, found among Qt's top-level widgets (no shiboken needed)."""
    if QtWidgets.QApplication.instance() is None:
        return None
    for widget in QtWidgets.QApplication.topLevelWidgets():
        if widget.objectName() == MAIN_WINDOW_NAME:
            return widget
    return None


def open_dialog(selected_only: bool = False) -> Any:
    """Show the submit dialog parented to Maya's main window; any failure becomes one warning line."""
    return open_submit_dialog(
        lambda settings: MayaHost(settings=settings), main_window(), startup.report, selected_only=selected_only
    )


def open_job_monitor() -> Any:
    """Show the job monitor; a job submitted in this session is announced on Maya's warning line when it ends."""
    return open_monitor_for(main_window(), startup.report)
