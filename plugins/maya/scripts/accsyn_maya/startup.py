"""Start-up of the plugin inside Maya: an "accsyn" shelf with a "Submit render" button and an entry in the
Render menu, added once Maya's UI exists, and one clear warning when something is missing.

The shelf is built by code at each start and removed when Maya quits, so Maya never saves a copy of it
among the user's own shelves (an uninstall leaves no dead button behind).
"""

from __future__ import annotations

import logging
from typing import List, Optional

from maya import cmds, mel

log = logging.getLogger(__name__)

SHELF_NAME = "accsyn"
RENDER_MENU = "mainRenderMenu"
MENU_ITEM = "accsynSubmitRenderItem"
MENU_DIVIDER = "accsynSubmitRenderDivider"
LABEL = "Submit render to accsyn..."
MONITOR_ITEM = "accsynMonitorJobsItem"
MONITOR_LABEL = "Monitor accsyn jobs..."


def report(text: str) -> None:
    """Show ``text`` once: Maya's warning line (Script Editor and status bar), or the terminal in batch."""
    log.warning(text)
    cmds.warning(text)


def missing_modules() -> List[str]:
    try:
        from accsyn_dcc.plugin_start import missing_modules as missing

        return missing()
    except ImportError:
        return ["accsyn_dcc"]


def install_ui() -> Optional[str]:
    """Add the shelf and the Render menu item (GUI only); the shelf's name, or None when it could not load."""
    if cmds.about(batch=True):
        return None
    if cmds.menuItem(MENU_ITEM, exists=True):  # added at this start-up already: each install's userSetup.py asks
        return SHELF_NAME
    missing = missing_modules()
    if missing:
        report(
            f"accsyn: the submitter could not load (missing: {', '.join(missing)}). "
            "Run 'python install/install.py maya' from the accsyn-dcc folder, then restart Maya."
        )
        return None
    shelf = add_shelf()
    add_render_menu_item()
    cmds.scriptJob(event=("quitApplication", remove_shelf), runOnce=True)
    return shelf


def add_shelf() -> str:
    top = str(mel.eval("$accsynShelfTop = $gShelfTopLevel"))
    if cmds.shelfLayout(SHELF_NAME, exists=True):
        cmds.deleteUI(SHELF_NAME, layout=True)
    shelf = str(cmds.shelfLayout(SHELF_NAME, parent=top))
    cmds.shelfButton(
        parent=shelf,
        label="Submit render",
        annotation="Submit this scene's render layers to the accsyn farm, with every file checked first",
        image="render.png",
        imageOverlayLabel="accsyn",
        command=open_from_menu,
        sourceType="python",
    )
    cmds.shelfButton(
        parent=shelf,
        label="Monitor jobs",
        annotation="Follow your accsyn jobs: progress, tasks, logs, the last frame; pause, resume, abort, requeue",
        image="render.png",
        imageOverlayLabel="jobs",
        command=open_monitor_from_menu,
        sourceType="python",
    )
    return shelf


def add_render_menu_item() -> None:
    """``Render > Submit render to accsyn...`` (the Rendering menu set's Render menu), when Maya has that menu."""
    if not cmds.menu(RENDER_MENU, exists=True) or cmds.menuItem(MENU_ITEM, exists=True):
        return
    cmds.menuItem(MENU_DIVIDER, parent=RENDER_MENU, divider=True)
    cmds.menuItem(MENU_ITEM, parent=RENDER_MENU, label=LABEL, annotation=LABEL, command=open_from_menu)
    cmds.menuItem(
        MONITOR_ITEM, parent=RENDER_MENU, label=MONITOR_LABEL, annotation=MONITOR_LABEL, command=open_monitor_from_menu
    )


def open_from_menu(*_args: object) -> None:
    """The shelf button's and the menu item's command (Maya passes the item's state as an argument)."""
    from accsyn_maya import commands

    commands.open_dialog()


def open_monitor_from_menu(*_args: object) -> None:
    """The "Monitor jobs" shelf button's and menu item's command."""
    from accsyn_maya import commands

    commands.open_job_monitor()


def remove_shelf() -> None:
    if cmds.shelfLayout(SHELF_NAME, exists=True):
        cmds.deleteUI(SHELF_NAME, layout=True)
