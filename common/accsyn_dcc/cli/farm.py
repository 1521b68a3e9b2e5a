"""``accsyn-dcc farm run JOB.json``: run a Compute payload on this machine through its engine."""

from __future__ import annotations

import argparse
import json
from typing import Any

from accsyn_dcc import json_text
from accsyn_dcc.farm import run_local


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("farm", help="the local farm")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    run_parser = actions.add_parser("run", help="run a Compute payload (JSON file) here")
    run_parser.add_argument("payload", help="a Compute payload JSON file")
    run_parser.add_argument("--workers", type=int, default=2, help="parallel tasks (default 2)")
    run_parser.add_argument("--retries", type=int, default=1, help="extra attempts for a failed bucket (default 1)")
    run_parser.add_argument("--work-dir", help="where task data and logs go (default: the user cache folder)")
    run_parser.add_argument(
        "--engines", metavar="DIR", help="folder of engine scripts and their common.py (default: the bundled ones)"
    )
    run_parser.add_argument(
        "--site", action="append", default=[], metavar="NAME=ROOT",
        help="a site with its own folder root and --workers nodes; the job's files are sent there (repeatable)",
    )  # fmt: skip
    run_parser.add_argument("--fresh", action="store_true", help="render every bucket again, even those already done")
    run_parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    run_parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    payload = json_text.read_file(args.payload, "the payload")
    summary = run_local(
        payload,
        workers=args.workers,
        sites=args.site,
        retries=args.retries,
        work_dir=args.work_dir,
        engines_dir=args.engines,
        fresh=args.fresh,
    )
    print(json.dumps(summary.to_dict(), indent=2) if args.json else summary)
    return 0 if summary.ok else 1
