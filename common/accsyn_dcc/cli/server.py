"""``accsyn-dcc server``: run the local stand-in accsyn backend on 127.0.0.1 until interrupted.

``--share CODE=FOLDER`` (repeatable) serves a local folder as the share ``CODE``: the seed's volume of that code
gets the folder as its path for this OS, a new code is added as a volume. ``--seed FILE`` replaces the demo
workspace; its format is described in ``accsyn_dcc.standin``.
"""

from __future__ import annotations

import argparse
import os
import re
from typing import Any, Dict, List

from platformdirs import user_data_dir

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.paths import current_os
from accsyn_dcc.standin import DEFAULT_SEED, StandinServer, share_folders

_SHARE_CODE = re.compile(r"[^/\\:\s=]+")
"""A share code as ``share=CODE/...`` paths name it."""


def default_data_dir() -> str:
    return os.path.join(user_data_dir("accsyn-dcc"), "standin")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("server", help="run a local stand-in accsyn backend (127.0.0.1 only)")
    parser.add_argument("--port", type=int, default=8181, help="port on 127.0.0.1 (default 8181; 0 picks a free one)")
    parser.add_argument(
        "--data", default=None, metavar="DIR", help=f"where jobs are kept (default {default_data_dir()})"
    )
    parser.add_argument(
        "--seed", default=None, metavar="FILE", help="workspace seed JSON (default: the demo workspace)"
    )
    parser.add_argument(
        "--share",
        action="append",
        default=[],
        metavar="CODE=FOLDER",
        help="serve a local folder as share CODE (the seed's volume of that code, or a new one); repeatable",
    )
    parser.add_argument("--run-jobs", action="store_true", help="render each new job here with the local farm")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    data_dir = args.data or default_data_dir()
    shares = parse_shares(args.share)
    try:
        server = StandinServer(
            data_dir, seed_path=args.seed, port=args.port, run_jobs=args.run_jobs, on_status=_print_line
        )
        server.seed = share_folders(server.seed, shares)
        server.start()
    except OSError as error:
        where = f"{error.filename}" if error.filename else f"127.0.0.1:{args.port}"  # the data folder, else the port
        raise AccsynDccError(f"cannot start the stand-in ({where}: {error.strerror or error})") from None
    except ValueError as error:
        raise AccsynDccError(f"{args.seed or DEFAULT_SEED}: not a valid seed ({error})") from None
    users = server.seed.get("users") or [{}]
    print(f"accsyn stand-in backend for workspace {server.workspace!r} at {server.url} (data in {data_dir})")
    print("Point accsyn-dcc (and the official accsyn_api) at it with:")
    print(f"  ACCSYN_WORKSPACE={server.workspace}")
    print(f"  ACCSYN_API_USER={users[0].get('code', '')}")
    print(f"  ACCSYN_API_KEY={users[0].get('api_key', '')}")
    print(f"  ACCSYN_PROXY=127.0.0.1:{server.port}")
    for line in share_lines(server.seed.get("volumes", [])):
        print(line)
    print("Press Ctrl+C to stop.", flush=True)
    server.serve_forever()
    return 0


def parse_shares(values: List[str]) -> Dict[str, str]:
    """``CODE=FOLDER`` arguments as ``{code: absolute folder}``; a bad one raises ``AccsynDccError``."""
    shares: Dict[str, str] = {}
    for value in values:
        code, _, folder = value.partition("=")
        if not _SHARE_CODE.fullmatch(code) or not folder:
            raise AccsynDccError(f"--share {value}: expected CODE=FOLDER, a code without / \\ : or spaces")
        if not os.path.isdir(folder):
            raise AccsynDccError(f"--share {value}: {folder} is not a folder")
        shares[code] = os.path.abspath(folder)
    return shares


def share_lines(volumes: List[Dict[str, Any]]) -> List[str]:
    """Where each volume is on this machine, and how to serve a local folder for one that is not here."""
    lines = []
    for volume in volumes:
        code, folder = volume["code"], (volume.get("paths") or {}).get(current_os())
        serve = f"--share {code}=FOLDER serves a local one"
        if not folder:
            lines.append(f"Share {code!r} has no path for {current_os()}: {serve}")
        elif os.path.isdir(folder):
            lines.append(f"Share {code!r} is {folder}")
        else:
            lines.append(f"Share {code!r} is {folder}, not a folder here: {serve}")
    return lines


def _print_line(line: str) -> None:
    print(line, flush=True)
