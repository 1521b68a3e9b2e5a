"""What the accsyn menu items run: the shared submit dialog on the live Nuke session, and the job monitor.

Imported at the first click (``startup.install_menu`` only checks the modules can be found), so Qt,
requests and the dialog cost nothing at Nuke's start-up.
"""

from __future__ import annotations

from typing import Any

from accsyn_dcc.ui.launch import open_job_monitor as open_monitor_for
from accsyn_dcc.ui.launch import open_submit_dialog
from accsyn_dcc.ui.qt import QtWidgets
from accsyn_nuke import startup
from accsyn_nuke.adapter import NukeHost


def open_dialog(selected_only: bool) -> Any:
    """Show the submit dialog parented to Nuke's main window; any failure becomes one message."""
    return open_submit_dialog(
        lambda settings: NukeHost(settings=settings),
        QtWidgets.QApplication.activeWindow(),
        startup.report,
        selected_only=selected_only,
    )


def open_job_monitor() -> Any:
    """Show the job monitor; a job submitted in this session is announced with Nuke's message when it ends."""
    return open_monitor_for(QtWidgets.QApplication.activeWindow(), startup.report)
