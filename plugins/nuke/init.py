# Nuke runs this at start-up (GUI and `nuke -t`) once `plugins/nuke` is on its plugin path, for each plugin folder
# holding it (NUKE_PATH's first, ~/.nuke's last). It keeps one install of accsyn-dcc on sys.path (the per-user one
# over a studio one, saying so once) and puts that install's shared core and vendored dependencies there; nothing
# of accsyn is imported yet, and it never stops Nuke from starting.
def _accsyn_start() -> None:
    import importlib.util
    import os
    import sys

    import nuke

    start = sys.modules.get("accsyn_dcc_plugin_start")
    if start is None:  # loaded by its path: which accsyn_dcc Nuke imports is what it decides
        found = (os.path.join(folder, "..", "..", "common", "accsyn_dcc", "plugin_start.py") for folder in sys.path
                 if folder and os.path.isdir(os.path.join(folder, "accsyn_nuke")))  # fmt: skip
        path = next(filter(os.path.isfile, found), None)
        spec = importlib.util.spec_from_file_location("accsyn_dcc_plugin_start", path) if path else None
        if spec is None or spec.loader is None:
            raise ImportError("no common/accsyn_dcc/plugin_start.py beside the plugin")
        start = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = start
        spec.loader.exec_module(start)
    root = start.step_aside("accsyn_nuke", 2, nuke.tprint)
    if root:
        start.add_core(root)


try:
    _accsyn_start()
except Exception as _accsyn_error:
    print(f"accsyn: the plugin could not start ({_accsyn_error}); Nuke starts without it.")
