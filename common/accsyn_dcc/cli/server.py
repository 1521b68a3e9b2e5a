"""``accsyn-dcc server``: run the local stand-in accsyn backend on 127.0.0.1 until interrupted."""

from __future__ import annotations

import argparse
import os
from typing import Any

from platformdirs import user_data_dir

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.standin import DEFAULT_SEED, StandinServer


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
    parser.add_argument("--run-jobs", action="store_true", help="render each new job here with the local farm")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    data_dir = args.data or default_data_dir()
    try:
        server = StandinServer(
            data_dir, seed_path=args.seed, port=args.port, run_jobs=args.run_jobs, on_status=_print_line
        ).start()
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
    print("Press Ctrl+C to stop.", flush=True)
    server.serve_forever()
    return 0


def _print_line(line: str) -> None:
    print(line, flush=True)
