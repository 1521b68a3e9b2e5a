"""``accsyn-dcc payload --validate FILE.json``: check any Compute payload and list every problem."""

from __future__ import annotations

import argparse
from typing import Any

from accsyn_dcc import json_text
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.payload_rules import validate_payload


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("payload", help="check a Compute job payload")
    parser.add_argument("--validate", required=True, metavar="FILE", help="a payload JSON file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        with open(args.validate, encoding="utf-8") as stream:
            payload = json_text.load(stream)
    except OSError as error:
        raise AccsynDccError(f"{args.validate}: cannot read it ({error.strerror})") from None
    except ValueError as error:
        raise AccsynDccError(f"{args.validate}: not valid JSON ({error})") from None
    problems = validate_payload(payload)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{args.validate}: OK")
    return 1 if problems else 0
