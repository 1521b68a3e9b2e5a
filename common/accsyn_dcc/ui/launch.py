"""Open the shared submit dialog, or the job monitor, from a host's menu, shelf or button: one way for every host
plugin.

Any failure becomes one message through the host's own ``report`` (Nuke's message box, Maya's warning
line, Houdini's message), never a traceback in the artist's face; open dialogs stay referenced so
Python does not collect a window that is still showing.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Optional

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.hosts import HostAdapter

log = logging.getLogger(__name__)

_open_dialogs: List[Any] = []


def open_submit_dialog(
    make_host: Callable[[Dict[str, Any]], HostAdapter],
    parent: Any,
    report: Callable[[str], None],
    selected_only: bool = False,
) -> Optional[Any]:
    """Show the dialog on the host ``make_host(settings)`` builds, parented to ``parent``; ``selected_only`` with
    no output selected is one message, never a dialog for every output.

    ``settings`` are the whole settings (studio, then user), as a scripted ``submit()`` gives its host, so
    per-host keys such as ``nuke_engine`` act the same in both."""
    try:
        from accsyn_dcc.config import load_settings
        from accsyn_dcc.remembered import SETTINGS_KEY, RememberedSettings
        from accsyn_dcc.session import SubmitSession
        from accsyn_dcc.ui import monitor
        from accsyn_dcc.ui.submit_dialog import SubmitDialog

        monitor.set_notifier(report)  # the jobs it submits are announced through the host's messages when they end
        settings = load_settings()
        remembered = RememberedSettings(dict(settings.get(SETTINGS_KEY) or {}))
        host = make_host(settings.values)
        if selected_only and not host.outputs(selected_only=True):
            words = host.words
            report(f"accsyn: No {words.output} is selected; select the {words.outputs} to submit, then try again.")
            return None
        dialog = SubmitDialog(
            host, selected_only=selected_only, parent=parent, settings=remembered, session=SubmitSession(host, settings)
        )
    except AccsynDccError as error:
        report(f"accsyn: {error}")
        return None
    except Exception as error:
        log.exception("accsyn submit dialog failed to open")
        report(f"accsyn: the submit dialog could not open ({type(error).__name__}: {error}).")
        return None
    _open_dialogs[:] = [open_one for open_one in _open_dialogs if _showing(open_one)]
    _open_dialogs.append(dialog)
    dialog.show()
    return dialog


def open_job_monitor(parent: Any, report: Callable[[str], None]) -> Optional[Any]:
    """Show the job monitor parented to ``parent``; a job submitted in this session is announced through ``report``
    when it ends, and a monitor that cannot open is one message."""
    try:
        from accsyn_dcc.ui import monitor

        monitor.set_notifier(report)
        return monitor.open_monitor(parent)
    except Exception as error:
        report(f"accsyn: the job monitor could not open ({type(error).__name__}: {error}).")
        return None


def _showing(dialog: Any) -> bool:
    """True while ``dialog`` is on screen; False once closed or deleted (with its parent window, say)."""
    try:
        return bool(dialog.isVisible())
    except RuntimeError:  # the binding's "Internal C++ object already deleted"
        return False
