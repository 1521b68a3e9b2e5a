"""What the shelf tools and the Render menu entries run: the shared submit dialog on the open Houdini scene, and
the job monitor.

Imported at the first click, so Qt, requests and the dialog cost nothing at Houdini's start-up.
"""

from __future__ import annotations

import logging
from typing import Any

import hou

from accsyn_houdini.adapter import HoudiniHost

log = logging.getLogger(__name__)


def report(text: str) -> None:
    """One message: a dialog in the GUI, the terminal in ``hython``."""
    log.warning(text)
    if hou.isUIAvailable():
        hou.ui.displayMessage(text)
    else:
        print(text)


def _loadable() -> bool:
    """True when accsyn-dcc and its dependencies can be imported; else one message."""
    from accsyn_dcc.plugin_start import missing_modules

    missing = missing_modules()
    if missing:
        report(
            f"accsyn: the submitter could not load (missing: {', '.join(missing)}). "
            "Run 'python install/install.py houdini' from the accsyn-dcc folder, then restart Houdini."
        )
    return not missing


def open_dialog(selected_only: bool = False) -> Any:
    """Show the submit dialog parented to Houdini's main window (``hou.qt.mainWindow()``)."""
    if not _loadable():
        return None
    from accsyn_dcc.ui.launch import open_submit_dialog

    main_window: Any = hou.qt.mainWindow()  # Houdini's own Qt binding; the dialog's is the same one
    return open_submit_dialog(
        lambda settings: HoudiniHost(settings=settings), main_window, report, selected_only=selected_only
    )


def open_job_monitor() -> Any:
    """Show the job monitor; a job submitted in this session is announced with Houdini's message when it ends."""
    if not _loadable():
        return None
    from accsyn_dcc.ui.launch import open_job_monitor as open_monitor_for

    main_window: Any = hou.qt.mainWindow()
    return open_monitor_for(main_window, report)
