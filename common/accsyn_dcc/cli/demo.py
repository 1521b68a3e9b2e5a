"""``accsyn-dcc demo``: build a small real Blender scene, submit it to the local farm, render it."""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from typing import Any

from accsyn_dcc.config import Settings
from accsyn_dcc.demo import build_demo_project
from accsyn_dcc.farm import run_local
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.paths import current_os
from accsyn_dcc.preflight import raise_for_blockers
from accsyn_dcc.session import SubmitSession


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
    session = SubmitSession(SceneFileHost(scene), settings, offline=True)
    scan = session.scan()
    choices = replace(
        session.initial_choices(), engine="blender", output_folder=os.path.join(root, "renders"), bucket_size=1
    )
    raise_for_blockers(session.findings(choices))
    [planned] = session.plan(choices)
    print(f"scanned {scene}: {len(scan.dependencies)} dependencies, {len(scan.missing)} missing")
    print(session.summary([planned]))
    farm = os.path.join(root, "farm")  # the scene was just built again: no frame of an earlier run is kept
    summary = run_local(planned.payload(), workers=args.workers, settings=settings, work_dir=farm, fresh=True)
    print(summary)
    for name in sorted(os.listdir(os.path.join(root, "renders"))):
        print(f"  rendered {os.path.join(root, 'renders', name)}")
    return 0 if summary.ok else 1
