"""The ``accsyn-dcc`` command line. Each subcommand lives in its own module with a ``register``."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, Optional, Tuple

from accsyn_dcc import __version__
from accsyn_dcc.errors import AccsynDccError

_COMMAND_MODULES: Tuple[str, ...] = ("submit", "payload", "farm", "demo")
"""Modules of ``accsyn_dcc.cli``; each defines ``register(subparsers)`` and sets ``handler``."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accsyn-dcc", description="Submit render jobs to accsyn.")
    parser.add_argument("--version", action="version", version=f"accsyn-dcc {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in _COMMAND_MODULES:
        importlib.import_module(f"accsyn_dcc.cli.{name}").register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run one command; errors the suite raises on purpose print as one line, exit code 1."""
    args = build_parser().parse_args(argv)
    try:
        exit_code: int = args.handler(args)
    except AccsynDccError as error:
        print(f"accsyn-dcc {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"accsyn-dcc {args.command}: interrupted", file=sys.stderr)
        return 130
    return exit_code
