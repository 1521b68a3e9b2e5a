"""``accsyn-dcc payload --validate FILE.json``: check any Compute payload and list every problem."""

from __future__ import annotations

import argparse
from typing import Any

from accsyn_dcc import json_text
from accsyn_dcc.payload_rules import review_payload


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("payload", help="check a Compute job payload")
    parser.add_argument("--validate", required=True, metavar="FILE", help="a payload JSON file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    payload = json_text.read_file(args.validate, "the payload")
    reviewed = review_payload(payload)
    for warning in reviewed.warnings:
        print(f"warning: {warning}")
    problems = reviewed.problems
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{args.validate}: OK")
    return 1 if problems else 0
