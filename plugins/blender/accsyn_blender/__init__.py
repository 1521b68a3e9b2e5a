"""accsyn for Blender: "Submit to accsyn..." and "Monitor accsyn jobs..." in the Render menu and Output Properties,
and a scripted submit.

Scripted use (the Python console, a pipeline tool, ``blender -b shot.blend --python-expr ...``)::

    import accsyn_blender
    payloads = accsyn_blender.submit(dry_run=True, engine="blender")
"""

bl_info = {
    "name": "accsyn render submitter",
    "author": "accsyn-dcc",
    "version": (0, 1, 0),
    "blender": (4, 2, 0),
    "location": "Render > Submit to accsyn...",
    "description": "Submit the scene to the accsyn render farm, with every file it reads checked first",
    "category": "Render",
}


def submit(*args, **kwargs):
    """See ``accsyn_blender.scripted.submit`` (loaded on first use so Blender's start-up stays light)."""
    _add_paths()
    from .scripted import submit as scripted_submit

    return scripted_submit(*args, **kwargs)


def _add_paths():
    """Make ``accsyn_dcc`` importable: the paths the installer recorded beside this file, when any."""
    import os
    import sys

    recorded = os.path.join(os.path.dirname(os.path.abspath(__file__)), "accsyn_paths.txt")
    if os.path.isfile(recorded):
        with open(recorded, encoding="utf-8") as stream:
            for line in stream.read().splitlines():
                if line and os.path.isdir(line) and line not in sys.path:
                    sys.path.append(line)


def register():
    import sys

    _add_paths()
    # Installed as an extension this package is bl_ext.<repository>.accsyn_blender; scripts import it by its name.
    sys.modules.setdefault("accsyn_blender", sys.modules[__name__])
    import bpy

    from . import monitor, ui

    for cls in ui.CLASSES + monitor.CLASSES:
        bpy.utils.register_class(cls)
    monitor.register_properties()
    bpy.types.TOPBAR_MT_render.append(ui.menu_entry)


def unregister():
    import sys

    import bpy

    from . import monitor, ui

    bpy.types.TOPBAR_MT_render.remove(ui.menu_entry)
    monitor.unregister_properties()
    for cls in reversed(ui.CLASSES + monitor.CLASSES):
        bpy.utils.unregister_class(cls)
    if sys.modules.get("accsyn_blender") is sys.modules[__name__]:
        del sys.modules["accsyn_blender"]
