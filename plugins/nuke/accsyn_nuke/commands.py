"""What the accsyn menu items run: open the shared submit dialog on the live Nuke session.

Imported at the first click (``startup.install_menu`` only checks the modules can be found), so Qt,
requests and the dialog cost nothing at Nuke's start-up.
"""

from __future__ import annotations

import logging
from typing import Any, List

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.ui.qt import QtWidgets
from accsyn_nuke import startup
from accsyn_nuke.adapter import NukeHost

log = logging.getLogger(__name__)

_open_dialogs: List[Any] = []
"""Open dialogs, kept referenced so Python does not collect a non-modal window."""


def open_dialog(selected_only: bool) -> Any:
    """Show the submit dialog parented to Nuke's main window; any failure becomes one message."""
    try:
        from accsyn_dcc.remembered import RememberedSettings
        from accsyn_dcc.ui.submit_dialog import SubmitDialog

        remembered = RememberedSettings.load()
        dialog = SubmitDialog(
            NukeHost(settings=remembered.values),
            selected_only=selected_only,
            parent=QtWidgets.QApplication.activeWindow(),
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
