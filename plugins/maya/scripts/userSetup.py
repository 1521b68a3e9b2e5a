# Maya runs this at start-up (each module's scripts folder may hold one). It keeps one install of accsyn-dcc on
# sys.path (the per-user one over a studio one, saying so once), then adds accsyn's shelf and Render menu item once
# the UI exists; it never stops Maya from starting and imports nothing heavy.
def _accsyn_start() -> None:
    import importlib.util
    import os
    import sys

    from maya import cmds

    start = sys.modules.get("accsyn_dcc_plugin_start")
    if start is None:  # loaded by its path: which accsyn_dcc Maya imports is what it decides
        found = (os.path.join(folder, "..", "..", "..", "common", "accsyn_dcc", "plugin_start.py")
                 for folder in sys.path if folder and os.path.isdir(os.path.join(folder, "accsyn_maya")))  # fmt: skip
        path = next(filter(os.path.isfile, found), None)
        spec = importlib.util.spec_from_file_location("accsyn_dcc_plugin_start", path) if path else None
        if spec is None or spec.loader is None:
            raise ImportError("no common/accsyn_dcc/plugin_start.py beside the plugin")
        start = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = start
        spec.loader.exec_module(start)
    start.step_aside("accsyn_maya", 3, print)
    if not cmds.about(batch=True):
        cmds.evalDeferred(_accsyn_install_ui, lowestPriority=True)


def _accsyn_install_ui() -> None:
    from accsyn_maya import startup

    startup.install_ui()


try:
    _accsyn_start()
except Exception as _accsyn_error:
    print(f"accsyn: the plugin could not start ({_accsyn_error}); Maya starts without it.")
