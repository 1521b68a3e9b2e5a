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


def _copies():
    """This add-on in each enabled extensions repository, in Blender's order: (module name, install root) pairs.

    A studio tree (``BLENDER_SYSTEM_EXTENSIONS``) is the root of its repository; a user repository's root is the
    user's extensions folder.
    """
    import os

    import bpy

    extensions = getattr(bpy.context.preferences, "extensions", None)
    repos = extensions.repos if extensions else ()
    return [(f"bl_ext.{repo.module}.accsyn_blender", os.path.dirname(os.path.realpath(repo.directory)))
            for repo in repos if repo.enabled and os.path.isfile(os.path.join(repo.directory, "accsyn_blender",
                                                                              "__init__.py"))]  # fmt: skip


def _steps_aside():
    """True when this copy leaves the UI to another: of a per-user and a studio copy the per-user one registers.

    Said once in Blender's console. A studio copy steps aside only once the per-user one is loaded (the enable
    script runs before the preferences' add-ons); a per-user copy enabled after a studio one disables it.
    """
    import addon_utils

    from accsyn_dcc import plugin_start

    copies = _copies()
    if len(copies) < 2:
        return False
    chosen, passed = plugin_start.choose_copy([root for _, root in copies])
    chosen_name = next(name for name, root in copies if root == chosen)
    if chosen_name != __name__:
        if addon_utils.check(chosen_name)[1]:
            plugin_start.say_once(chosen, passed, print)
            return True
        return False
    plugin_start.say_once(chosen, passed, print)
    for name, _ in copies:
        if name != __name__ and addon_utils.check(name)[1]:
            addon_utils.disable(name, default_set=False)
    return False


def register():
    import sys

    _add_paths()
    if _steps_aside():
        return
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

    if sys.modules.get("accsyn_blender") is not sys.modules[__name__]:
        return  # stepped aside at register: another copy holds the UI
    import bpy

    from . import monitor, ui

    bpy.types.TOPBAR_MT_render.remove(ui.menu_entry)
    monitor.unregister_properties()
    for cls in reversed(ui.CLASSES + monitor.CLASSES):
        bpy.utils.unregister_class(cls)
    if sys.modules.get("accsyn_blender") is sys.modules[__name__]:
        del sys.modules["accsyn_blender"]
