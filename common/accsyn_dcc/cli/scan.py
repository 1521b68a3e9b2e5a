"""``accsyn-dcc scan SCENE...``: every file each scene's render needs, what is missing, and its outputs.

Several scenes (a whole shot tree from a pipeline) are scanned in one process, every .blend by one Blender
started once: ``--json`` prints one object for one scene and a list for several. A scene that cannot be
read is one line (and exit code 1) without stopping the others. Text from a scene never reaches the
terminal as control characters.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List

from accsyn_dcc.cli.terminal import printable
from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.preflight import BLOCKER, dependency_states
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan import blend, library_warnings, scan_scene
from accsyn_dcc.scan.records import ScanResult
from accsyn_dcc.sending import SendRule

JSON_KEYS = ("scene", "frame_range", "dependencies", "outputs", "unresolved", "errors", "facts")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("scan", help="list the files scenes need")
    parser.add_argument("scenes", nargs="+", metavar="SCENE", help="scene files (.nk, .gizmo, .blend)")
    parser.add_argument("--range", help="frames to check (default: each scene's range)")
    parser.add_argument("--json", action="store_true", help="print JSON: an object, or a list for several scenes")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 even when files are missing; a scene that cannot be read makes it 1."""
    frames = FrameRange.parse(args.range) if args.range else None
    documents: List[Dict[str, Any]] = []
    failed = False
    blends = blend.scan_files([scene for scene in args.scenes if _is_blend(scene)], frames)  # one Blender for all
    for scene in args.scenes:
        try:
            with library_warnings.holding():  # what OpenUSD or OpenColorIO could not load is in the report
                result = next(blends) if _is_blend(scene) else scan_scene(scene, frames=frames)
            if isinstance(result, AccsynDccError):
                raise result
        except AccsynDccError as error:
            failed = True
            print(f"accsyn-dcc scan: {printable(str(error))}", file=sys.stderr)
            documents.append({"scene": scene, "error": str(error)})
            continue
        if args.json:
            data = result.to_dict()
            documents.append({key: data[key] for key in JSON_KEYS})
        else:
            print_result(result)
    blends.close()  # Blender quits now, its thumbnail folder deleted
    if args.json:
        print(json.dumps(documents[0] if len(args.scenes) == 1 else documents, indent=2))
    return 1 if failed else 0


def _is_blend(scene: str) -> bool:
    return scene.lower().endswith(".blend") and not os.path.isdir(scene)


def print_result(result: ScanResult) -> None:
    lines = [f"{result.scene}: {len(result.dependencies)} dependencies, {len(result.outputs)} outputs"]
    rule = SendRule(None, os.path.dirname(result.scene))  # no workspace here: what no flag would ever send
    for dependency in result.dependencies:
        state = dependency_states(dependency, rule)[0]
        label = state.label.upper() if state.severity == BLOCKER else state.label
        detail = f": {state.detail}" if state.detail else ""
        lines.append(f"  {label:7} {dependency.node} {dependency.kind} {dependency.path}{detail}")
    lines += [f"  output  {output.node} {output.path} {output.range or ''}".rstrip() for output in result.outputs]
    lines += [f"  UNRESOLVED {item.node}.{item.knob} = {item.value!r}: {item.reason}" for item in result.unresolved]
    lines += [
        f"  FOUND   {item['node']}.{item['attribute']} = {item['saved']!r} at {item['found']}"
        for item in result.facts.get("relocated", [])
    ]
    lines += [f"  NOT READ {item['path']}: {item['reason']}" for item in result.facts.get("not_followed", [])]
    lines += [f"  ERROR   {error}" for error in result.errors]
    print(printable("\n".join(lines)))
