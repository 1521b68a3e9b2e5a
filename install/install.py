"""Make a host application load accsyn-dcc for the current user, or undo it.

    python install/install.py nuke               # install (running it twice changes nothing)
    python install/install.py nuke --print       # show what would be done; writes nothing
    python install/install.py nuke --uninstall   # remove exactly what the install added
    python install/install.py nuke --studio DIR  # one shared tree for every artist; prints the line to set

Each host is a small module in ``install/installers/`` defining ``INSTALLER``; add a host by adding a module
and its name to ``HOSTS``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import List, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from installers.base import Action, Context, HostInstaller, apply_all, current_os, resolve_home, revert_all
from installers.files import InstallError

HOSTS = ("nuke", "blender", "maya", "houdini")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def installer_for(host: str) -> HostInstaller:
    installer: HostInstaller = importlib.import_module(f"installers.{host}").INSTALLER
    return installer


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Install the accsyn-dcc plugin into a host application.")
    parser.add_argument("host", choices=HOSTS, metavar="HOST", help=", ".join(HOSTS[:-1]) + " or " + HOSTS[-1])
    parser.add_argument("--uninstall", action="store_true", help="remove exactly what the install added")
    parser.add_argument("--print", dest="dry_run", action="store_true", help="show what would be done; write nothing")
    parser.add_argument("--studio", metavar="DIR",
                        help="install one shared tree for every artist into DIR (no home is touched) and print "
                             "the environment line that makes HOST load it")  # fmt: skip
    parser.add_argument("--home", help="the user's home folder (default: USERPROFILE on Windows, else HOME)")
    parser.add_argument(
        "--no-vendor",
        dest="vendor",
        action="store_false",
        help="do not vendor requests/platformdirs/qtpy (HOST's own Python already has them)",
    )
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    os_name = current_os()
    if args.home and not os.path.isdir(args.home):  # mistyped, it would grow a home of its own
        print(f"install.py {args.host}: the home folder {args.home} does not exist; name an existing one",
              file=sys.stderr)  # fmt: skip
        return 1
    context = Context(home=resolve_home(args.home, os.environ, os_name), repo=REPO, os_name=os_name)
    try:
        line = None
        if args.studio:
            tree, line = installer_for(args.host).studio(context, os.path.abspath(args.studio), vendor=args.vendor)
            actions: List[Action] = [tree]
        else:
            actions = installer_for(args.host).actions(context, vendor=args.vendor)
        if args.dry_run:
            for action in reversed(actions) if args.uninstall else actions:
                print("would " + action.describe(args.uninstall))
        elif args.uninstall:
            revert_all(actions, print)
        else:
            apply_all(actions, print)
            if line is not None:
                print(f"Set this in the studio's environment (the artists' {args.host} then loads the tree):")
                for text in line.lines(os.path.abspath(args.studio)):
                    print("  " + text)
    except InstallError as error:
        print(f"install.py {args.host}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
