"""How a child process ended, in words: a render farm's processes are stopped by signals (a crash, the
out-of-memory killer) more often than a log says."""

from __future__ import annotations

import signal


def stopped_by(returncode: int) -> str:
    """The signal (POSIX) or exception code (Windows) that stopped a process; empty when it exited by itself."""
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    if returncode >= 0xC0000000:  # an NTSTATUS error: 0xC0000005 is an access violation
        return f"exception 0x{returncode:08X}"
    return ""


def exit_status(returncode: int) -> str:
    """``exit code 3``, or ``stopped by SIGSEGV`` when a signal or an exception ended the process."""
    stopped = stopped_by(returncode)
    return f"stopped by {stopped}" if stopped else f"exit code {returncode}"
