"""What the accsyn menu items run: open the shared submit dialog on the live Nuke session.

Imported at the first click (``startup.install_menu`` only checks the modules can be found), so Qt,
requests and the dialog cost nothing at Nuke's start-up.
"""

from __future__ import annotations

from typing import Any

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
