"""``accsyn-dcc scan SCRIPT``: list every file a scene's render needs, what is missing, and its outputs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan import scan_scene


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("scan", help="list the files a scene needs")
    parser.add_argument("scene", help="the scene file (.nk, .blend)")
    parser.add_argument("--range", help="frames to check (default: the scene's range)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 even when files are missing; only an unreadable scene is an error (exit 1)."""
    frames = FrameRange.parse(args.range) if args.range else None
    result = scan_scene(args.scene, frames=frames)
    if args.json:
        data = result.to_dict()
        print(json.dumps({key: data[key] for key in ("dependencies", "outputs", "unresolved", "errors")}, indent=2))
        return 0
    print(f"{result.scene}: {len(result.dependencies)} dependencies, {len(result.outputs)} outputs")
    for dependency in result.dependencies:
        state = "ok" if dependency.exists and not dependency.missing else "MISSING"
        detail = f": missing {dependency.missing}" if dependency.missing else ""
        print(f"  {state:7} {dependency.node} {dependency.kind} {dependency.path}{detail}")
    for output in result.outputs:
        print(f"  output  {output.node} {output.path} {output.range or ''}".rstrip())
    for item in result.unresolved:
        print(f"  UNRESOLVED {item.node}.{item.knob} = {item.value!r}: {item.reason}")
    for error in result.errors:
        print(f"  ERROR   {error}")
    return 0
