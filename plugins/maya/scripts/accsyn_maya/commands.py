"""What the shelf button and the Render menu item run: the shared submit dialog on the open Maya scene.

Imported at the first click (``startup`` only registers the UI), so Qt, requests and the dialog cost
nothing at Maya's start-up.
"""

from __future__ import annotations

import logging
from typing import Any, List, Optional

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ui.qt import QtWidgets
from accsyn_maya import startup
from accsyn_maya.adapter import MayaHost

log = logging.getLogger(__name__)

MAIN_WINDOW_NAME = "MayaWindow"
"""The object name of Maya's main window, in every Maya with Qt (PySide2 in 2023-2024, PySide6 in 2025+)."""

_open_dialogs: List[Any] = []
"""Open dialogs, kept referenced so Python does not collect a non-modal window."""


def main_window() -> Optional[Any]:
    """Maya's main window, found among Qt's top-level widgets (no shiboken needed)."""
    application = QtWidgets.QApplication.instance()
    if application is None:
        return None
    for widget in QtWidgets.QApplication.topLevelWidgets():
        if widget.objectName() == MAIN_WINDOW_NAME:
            return widget
    return None


def open_dialog(selected_only: bool = False) -> Any:
    """Show the submit dialog parented to Maya's main window; any failure becomes one warning line."""
    try:
        from accsyn_dcc.remembered import RememberedSettings
        from accsyn_dcc.ui.submit_dialog import SubmitDialog

        remembered = RememberedSettings.load()
        dialog = SubmitDialog(
            MayaHost(settings=remembered.values),
            selected_only=selected_only,
            parent=main_window(),
            settings=remembered,
        )
    except AccsynDccError as error:
        startup.report(f"accsyn: {error}")
        return None
    except Exception as error:
        log.exception("accsyn submit dialog failed to open")
        startup.report(f"accsyn: the submit dialog could not open ({type(error).__name__}: {error}).")
        return None
    _open_dialogs[:] = [open_one for open_one in _open_dialogs if open_one.isVisible()]
    _open_dialogs.append(dialog)
    dialog.show()
    return dialog
