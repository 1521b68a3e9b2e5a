"""``accsyn-dcc submit``: build a Compute job from a scene, then print it, send it, or run it locally."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Tuple

from accsyn_dcc.config import load_credentials, load_settings
from accsyn_dcc.errors import AccsynDccError, ValidationError
from accsyn_dcc.payload import INPUT_CONVERSIONS
from accsyn_dcc.submission import SubmitOptions, prepare_submission

NOT_CONFIGURED = (
    "no accsyn workspace is configured. Set ACCSYN_WORKSPACE, ACCSYN_API_USER and ACCSYN_API_KEY "
    "(or name a credentials file with ACCSYN_CREDENTIALS_PATH); to try things offline, start the local "
    "stand-in with 'accsyn-dcc server' and set the variables it prints, or render here with --local."
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("submit", help="submit a scene as a render job")
    parser.add_argument("scene", help="the scene file to render (.nk, .blend, ...)")
    parser.add_argument("--engine", help="engine code, e.g. nuke-15 (default: the studio default)")
    parser.add_argument("--range", help="frames, e.g. '1001-1100', '1-10,20', '5-250x5' (default: the scene's)")
    parser.add_argument("--output", help="output folder (default: the folder the scene writes to)")
    parser.add_argument("--dep", action="append", default=[], metavar="PATH", help="an extra dependency (repeatable)")
    parser.add_argument("--filters", help="accsyn filters, e.g. 'ram:>32g,site:hq'")
    parser.add_argument("--bucket", type=int, help="frames per task (task_bucketsize)")
    parser.add_argument("--queue", help="queue name, code or id")
    parser.add_argument("--name", help="job name (default: '<scene> render')")
    parser.add_argument("--arguments", help="extra render arguments (write --arguments=-txV)")
    parser.add_argument("--input-conversion", choices=INPUT_CONVERSIONS, help="path conversion of the input file")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="an environment variable")
    parser.add_argument("--dry-run", action="store_true", help="print the payload instead of sending it")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--local", action="store_true", help="render on this machine with the local farm")
    parser.add_argument("--workers", type=int, default=2, help="parallel tasks with --local (default 2)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    credentials = load_credentials()
    client = None
    if credentials is not None and not args.local:
        from accsyn_dcc.api import connect

        client = connect(credentials)
    elif not (args.dry_run or args.local):
        raise AccsynDccError(NOT_CONFIGURED)
    workspace = client.workspace_info() if client is not None else settings.workspace
    options = SubmitOptions(
        engine=args.engine,
        range=args.range,
        output=args.output,
        name=args.name,
        dependencies=list(args.dep),
        filters=args.filters,
        bucket_size=args.bucket,
        queue=args.queue,
        arguments=args.arguments,
        input_conversion=args.input_conversion,
        envs=dict(_env_pair(text) for text in args.env),
    )
    submission = prepare_submission(args.scene, options, workspace, settings=settings)
    payload = submission.job.to_payload()
    for problem in submission.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.dry_run:
        print(json.dumps(payload, indent=2))
        return 0
    if args.local:
        from accsyn_dcc.farm import run_local

        summary = run_local(payload, workers=args.workers)
        print(json.dumps(summary.to_dict(), indent=2) if args.json else summary)
        return 0 if summary.ok else 1
    assert client is not None
    job = client.create_compute_job(payload)
    print(json.dumps(job, indent=2, default=str) if args.json else f"created job {job['id']}")
    return 0


def _env_pair(text: str) -> Tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ValidationError.single("--env", text, "expected NAME=VALUE")
    return name.strip(), value
