"""Nuke scripts read offline: a tokenizer, the node tree, a TCL subset, and the dependency scan."""

from accsyn_dcc.scan.nuke.scanner import load_script, scan_file
from accsyn_dcc.scan.nuke.tokenizer import NukeScriptError

__all__ = ["NukeScriptError", "load_script", "scan_file"]
