"""A stand-in for Autodesk's ``maya`` package (``maya.cmds``, ``maya.mel``) with the real API's names and
signatures (long flag names, as in ``maya-stubs``), and no Maya. ``_scene`` holds the open scene."""
