"""Houdini scenes: the offline .hip reader and the scan both it and the live Houdini scan use."""

from accsyn_dcc.scan.houdini.scanner import scan_file, scan_hip_scene

__all__ = ["scan_file", "scan_hip_scene"]
