"""Start-up of the plugin inside Nuke: the menu, and one clear message when something is missing."""

from __future__ import annotations

import logging
from typing import Any, Optional

import nuke

log = logging.getLogger(__name__)

MENU_NAME = "accsyn"
SUBMIT_RENDER = "Submit render..."
SUBMIT_SELECTED = "Submit selected Writes..."
MONITOR = "Monitor jobs..."


def report(text: str) -> None:
    """Show ``text`` once: a dialog in the GUI, the terminal/log in ``nuke -t``."""
    log.warning(text)
    if getattr(nuke, "GUI", False):
        nuke.message(text)
    else:
        nuke.tprint(text)


def install_menu() -> Optional[Any]:
    """Add accsyn > Submit render... / Submit selected Writes... / Monitor jobs... to Nuke's main menu bar; None when
    it failed.

    Nothing heavy is imported here: Qt, requests and the dialog load when the artist first clicks.
    """
    try:
        from accsyn_dcc.plugin_start import missing_modules

        missing = missing_modules()
    except ImportError:
        missing = ["accsyn_dcc"]
    if missing:
        report(
            f"accsyn: the submitter could not load (missing: {', '.join(missing)}). "
            "Run 'python install/install.py nuke' from the accsyn-dcc folder, then restart Nuke."
        )
        return None
    accsyn_menu = nuke.menu("Nuke").addMenu(MENU_NAME)
    accsyn_menu.addCommand(SUBMIT_RENDER, lambda: _open(selected_only=False))
    accsyn_menu.addCommand(SUBMIT_SELECTED, lambda: _open(selected_only=True))
    accsyn_menu.addCommand(MONITOR, _monitor)
    return accsyn_menu


def _open(selected_only: bool) -> Any:
    from accsyn_nuke import commands

    return commands.open_dialog(selected_only=selected_only)


def _monitor() -> Any:
    from accsyn_nuke import commands

    return commands.open_job_monitor()
