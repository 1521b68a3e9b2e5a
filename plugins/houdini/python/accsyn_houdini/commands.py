"""What the shelf tool and the Render menu entry run: the shared submit dialog on the open Houdini scene.

Imported at the first click, so Qt, requests and the dialog cost nothing at Houdini's start-up.
"""

from __future__ import annotations

import logging
from typing import Any, List

import hou

from accsyn_dcc.errors import AccsynDccError
from accsyn_houdini.adapter import HoudiniHost

log = logging.getLogger(__name__)

_open_dialogs: List[Any] = []
"""Open dialogs, kept referenced so Python does not collect a non-modal window."""


def report(text: str) -> None:
    """One message: a dialog in the GUI, the terminal in ``hython``."""
    log.warning(text)
    if hou.isUIAvailable():
        hou.ui.displayMessage(text)
    else:
        print(text)


def open_dialog(selected_only: bool = False) -> Any:
    """Show the submit dialog parented to Houdini's main window (``hou.qt.mainWindow()``)."""
    try:
        from accsyn_dcc.plugin_start import missing_modules

        missing = missing_modules()
        if missing:
            raise AccsynDccError(
                f"the submitter could not load (missing: {', '.join(missing)}). "
                "Run 'python install/install.py houdini' from the accsyn-dcc folder, then restart Houdini."
            )
        from accsyn_dcc.remembered import RememberedSettings
        from accsyn_dcc.ui.submit_dialog import SubmitDialog

        remembered = RememberedSettings.load()
        main_window: Any = hou.qt.mainWindow()  # Houdini's own Qt binding; the dialog's is the same one
        dialog = SubmitDialog(
            HoudiniHost(settings=remembered.values),
            selected_only=selected_only,
            parent=main_window,
            settings=remembered,
        )
    except AccsynDccError as error:
        report(f"accsyn: {error}")
        return None
    except Exception as error:
        log.exception("accsyn submit dialog failed to open")
        report(f"accsyn: the submit dialog could not open ({type(error).__name__}: {error}).")
        return None
    _open_dialogs[:] = [open_one for open_one in _open_dialogs if open_one.isVisible()]
    _open_dialogs.append(dialog)
    dialog.show()
    return dialog
