"""``accsyn-dcc demo``: build a small real Blender scene, submit it to the local farm, render it."""

from __future__ import annotations

import argparse
import os
from typing import Any

from accsyn_dcc.config import Settings
from accsyn_dcc.demo import build_demo_project
from accsyn_dcc.farm import run_local
from accsyn_dcc.paths import current_os
from accsyn_dcc.submission import SubmitOptions, prepare_submission


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("demo", help="render a small Blender scene on the local farm")
    parser.add_argument("--output", default="demo-output", help="folder for the project and renders")
    parser.add_argument("--workers", type=int, default=2, help="parallel tasks (default 2)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    root = os.path.abspath(args.output)
    project = os.path.join(root, "project")
    print(f"building the demo scene in {project}")
    scene = build_demo_project(project)
    settings = Settings({"workspace": {"volumes": [{"code": "demo", "paths": {current_os(): project}}]}})
    options = SubmitOptions(engine="blender", output=os.path.join(root, "renders"), bucket_size=1)
    submission = prepare_submission(scene, options, settings.workspace, settings=settings)
    missing = [dependency.path for dependency in (submission.scan.missing if submission.scan else [])]
    print(f"scanned {scene}: {len(submission.job.dependencies)} dependencies, {len(missing)} missing")
    summary = run_local(
        submission.job.to_payload(), workers=args.workers, settings=settings, work_dir=os.path.join(root, "farm")
    )
    print(summary)
    for name in sorted(os.listdir(os.path.join(root, "renders"))):
        print(f"  rendered {os.path.join(root, 'renders', name)}")
    return 0 if summary.ok else 1
