"""``accsyn-dcc submit``: a scene file through the submit session, then printed, sent, or rendered here.

The same pre-flight as the dialogs: a missing file or frame, an unusable input or an output on no
share stops the submit (exit 1) with every reason listed, unless ``--allow-missing`` sends what exists
and says what was left out. ``--allow-missing`` is about missing files only: a file on no share outside
the scene's folder is sent only when named with ``--send-off-share``, and a file in a private place
(``/etc``, ``~/.ssh``, the credentials file...) never. ``--dry-run`` and ``--local`` create no jobs: they
read the workspace as a submit does (``session.find_workspace``), and say so when none is known.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict, replace
from typing import Any, Dict, List, Sequence, Tuple

from accsyn_dcc.cli.terminal import one_line
from accsyn_dcc.config import load_settings
from accsyn_dcc.errors import AccsynDccError, ValidationError
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.payload_rules import ENV_SECTIONS, INPUT_CONVERSIONS
from accsyn_dcc.preflight import Finding, PreflightError, blockers, check_input
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import OPERATING_SYSTEMS


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("submit", help="submit a scene as a render job")
    parser.add_argument("scene", help="the scene file to render (.nk, .blend, ...)")
    parser.add_argument(
        "--engine",
        help="engine code, e.g. nuke-15 (default: the settings' nuke_engine, maya_engine or houdini_engine for the "
        "scene's application, else their default engine, else the newest engine for the scene's extension)",
    )
    parser.add_argument("--range", help="frames, e.g. '1001-1100', '1-10,20', '5-250x5' (default: the scene's)")
    parser.add_argument("--output", help="output folder (default: the folder the scene writes to)")
    parser.add_argument("--dep", action="append", default=[], metavar="PATH", help="an extra dependency (repeatable)")
    parser.add_argument("--filters", help="accsyn filters, e.g. 'ram:>32g,site:hq'")
    parser.add_argument("--bucket", type=int, help="frames per task (task_bucketsize)")
    parser.add_argument("--queue", help="queue name, code or id")
    parser.add_argument("--name", help="job name (default: the scene's name)")
    parser.add_argument("--arguments", help="extra render arguments (write --arguments=-txV)")
    parser.add_argument("--input-conversion", choices=INPUT_CONVERSIONS, help="path conversion of the input file")
    parser.add_argument("--env", action="append", default=[], metavar="[OS:]NAME=VALUE",
                        help="an environment variable; OS linux, mac or windows sets it on that OS only")  # fmt: skip
    parser.add_argument(
        "--allow-missing", action="store_true", help="submit although files or frames are missing: send what exists"
    )
    parser.add_argument(
        "--send-off-share", action="append", default=[], metavar="PATH",
        help="send this file (or folder) although it is on no share and outside the scene's folder (repeatable)",
    )  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="run every check and print the payload, sending nothing")
    parser.add_argument(
        "--test-render", action="store_true",
        help="first render the first frame here, in place and on an empty site sent only the job's files, and "
        "stop when the two differ",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON only: payloads, findings and summary")
    parser.add_argument("--local", action="store_true", help="render on this machine with the local farm")
    parser.add_argument(
        "--duplicate", action="store_true", help="send the job even when the same one is submitted and unfinished"
    )
    parser.add_argument("--workers", type=int, default=2, help="parallel tasks with --local (default 2)")
    parser.add_argument(
        "--site", action="append", default=[], metavar="NAME[=ROOT]",
        help="with --local: render on this site only, sent the job's files (its root: ROOT, the settings' or an "
        "empty temporary folder; repeatable)",
    )  # fmt: skip
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    host = SceneFileHost(args.scene, settings.default_choices.get("engine"), settings.values)
    unusable = blockers(check_input(host.scene_path(), None))
    if unusable:
        raise AccsynDccError(unusable[0].message)
    session = SubmitSession(host, settings, offline=args.dry_run or args.local)
    try:
        prepared = session.prepare_in_one_call(
            lambda choices: _overlay(choices, args), args.range, args.test_render, engine=args.engine or ""
        )
    except PreflightError as stopped:
        if args.json:
            print(json.dumps({"payloads": [], "findings": _as_dicts(stopped.all_findings),
                              "workspace": session.workspace_origin.describe()}, indent=2))  # fmt: skip
        raise
    workspace = session.workspace_origin.describe()
    findings, payloads = prepared.findings, prepared.payloads
    summary = session.summary(prepared.planned)
    if not args.json:
        for finding in findings:
            print(f"warning: {finding.message}", file=sys.stderr)
        print(summary, file=sys.stderr)
    if args.dry_run:
        document: Any = {"payloads": payloads, "findings": _as_dicts(findings), "summary": summary,
                         "workspace": workspace}  # fmt: skip
        print(json.dumps(document if args.json else (payloads[0] if len(payloads) == 1 else payloads), indent=2))
        return 0
    if args.local:
        from accsyn_dcc.farm import run_local

        sites = [root for root in (_site_root(text, settings) for text in args.site) if root]
        names = [text.partition("=")[0].strip() for text in args.site]
        if names:
            only = "site:" + "+".join(names)
            payloads = [dict(payload, filters=",".join(filter(None, [payload.get("filters"), only])))
                        for payload in payloads]  # fmt: skip
        results = [run_local(payload, workers=args.workers, settings=settings, sites=sites) for payload in payloads]
        for result in results:
            print(json.dumps(result.to_dict(), indent=2) if args.json else result)
        return 0 if all(result.ok for result in results) else 1
    sent = session.send(payloads, duplicate=args.duplicate)
    created = [submitted.job for submitted in sent]
    if args.json:
        document = {"jobs": created, "already_submitted": [str(each.job["id"]) for each in sent if each.earlier],
                    "findings": _as_dicts(findings), "summary": summary, "workspace": workspace}  # fmt: skip
        print(json.dumps(document, indent=2, default=str))
        return 0
    for submitted in sent:
        job = submitted.job
        if submitted.earlier:
            print(one_line(f"already submitted as job {job['id']} ({job.get('status')}); --duplicate sends it again"))
        else:
            print(one_line(f"created job {job['id']}"))
    return 0


def _site_root(text: str, settings: Any) -> str:
    """``NAME=ROOT`` for ``--site``: as given, the settings' root for NAME, else an empty temporary folder."""
    name, equals, _root = text.partition("=")
    described = settings.site_entries
    if equals or any(entry.get("code") == name and entry.get("root") for entry in described):
        return text if equals else ""
    return f"{name}={tempfile.mkdtemp(prefix=f'accsyn-site-{name}-')}"


def _overlay(choices: SubmitChoices, args: argparse.Namespace) -> SubmitChoices:
    """The command line's options over the session's initial choices (made for ``--engine``)."""
    given: Dict[str, Any] = {
        "name": args.name,
        "bucket_size": args.bucket,
        "queue": args.queue,
        "filters": args.filters,
        "input_conversion": args.input_conversion,
        "arguments": args.arguments,
        "output_folder": args.output,
    }
    changes = {key: value for key, value in given.items() if value is not None}
    sections: Dict[str, Dict[str, str]] = {}
    for section, name, value in (_env_entry(text) for text in args.env):
        sections.setdefault(section, {})[name] = value
    return replace(choices.with_envs(sections), **changes, extra_dependencies=tuple(args.dep),
                   allow_missing=args.allow_missing,
                   send_off_share=tuple(os.path.abspath(path) for path in args.send_off_share))  # fmt: skip


def _as_dicts(findings: Sequence[Finding]) -> List[Dict[str, Any]]:
    return [asdict(finding) for finding in findings]


def _env_entry(text: str) -> Tuple[str, str, str]:
    """``[OS:]NAME=VALUE`` as (envs section, name, value): ``common`` without an OS (compute.rst's per-OS envs)."""
    assignment, equals, value = text.partition("=")
    section, _colon, name = assignment.rpartition(":")
    section = section.strip().lower() or "common"
    if not equals or not name.strip():
        raise ValidationError.single("--env", text, "expected NAME=VALUE or OS:NAME=VALUE")
    if section not in ENV_SECTIONS:
        known = ", ".join(OPERATING_SYSTEMS)
        raise ValidationError.single("--env", text, f"'{section}' is no OS; expected one of {known}")
    return section, name.strip(), value
