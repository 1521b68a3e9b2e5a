"""The ``accsyn-dcc`` command line. Each subcommand lives in its own module with a ``register``."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from types import FrameType
from typing import List, Optional, Tuple

from accsyn_dcc import __version__
from accsyn_dcc.cli.terminal import printable
from accsyn_dcc.errors import AccsynDccError

_COMMAND_MODULES: Tuple[str, ...] = ("submit", "payload", "scan", "farm", "demo", "server", "jobs", "config")
"""Modules of ``accsyn_dcc.cli``; each defines ``register(subparsers)`` and sets ``handler``."""
OUTPUT_CLOSED = 141
"""Exit code when whoever reads the output stopped (``| head``): a shell's for a command ended by SIGPIPE."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accsyn-dcc", description="Submit render jobs to accsyn.")
    parser.add_argument("--version", action="version", version=f"accsyn-dcc {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in _COMMAND_MODULES:
        importlib.import_module(f"accsyn_dcc.cli.{name}").register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run one command; errors the suite raises on purpose print as one line, exit code 1; a closed standard
    output ends it quietly."""
    args = build_parser().parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
    try:
        exit_code: int = args.handler(args)
        sys.stdout.flush()  # here, so that a closed output is noticed while it can still be answered
    except BrokenPipeError:
        _discard_output()
        return OUTPUT_CLOSED
    except AccsynDccError as error:
        print(printable(f"accsyn-dcc {args.command}: {error}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"accsyn-dcc {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    return exit_code


def _discard_output() -> None:
    """Point standard output at the null device, so that Python's last flush of what is still buffered cannot
    fail too (and print a traceback)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # an output without a file descriptor (a test's capture) has no last flush
        pass


def _interrupt(signum: int, frame: Optional[FrameType]) -> None:
    """SIGTERM stops a command like Ctrl-C does, so it can stop what it started."""
    raise KeyboardInterrupt
