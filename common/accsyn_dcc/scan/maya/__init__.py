"""Maya scenes: the offline Maya ASCII reader and the scan both it and the live Maya scan use."""

from accsyn_dcc.scan.maya.scanner import scan_file, scan_maya_scene

__all__ = ["scan_file", "scan_maya_scene"]
