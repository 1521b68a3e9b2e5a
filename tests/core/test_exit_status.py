"""How a child process ended, on every OS (the return codes Python's subprocess gives)."""

from accsyn_dcc.exit_status import exit_status, stopped_by


def test_signals_exceptions_and_exits_are_named():
    assert stopped_by(-11) == "SIGSEGV"
    assert stopped_by(-200) == "signal 200"
    assert stopped_by(0xC0000005) == "exception 0xC0000005"  # Windows: an access violation
    assert stopped_by(1) == ""  # it exited by itself: its own last line says why
    assert exit_status(-9) == "stopped by SIGKILL"
    assert exit_status(7) == "exit code 7"
