# Maya runs this at start-up (each module's scripts folder may hold one). It adds accsyn's shelf and Render
# menu item once the UI exists; it never stops Maya from starting and imports nothing heavy.
try:
    from maya import cmds as _accsyn_cmds

    def _accsyn_install_ui() -> None:
        from accsyn_maya import startup

        startup.install_ui()

    if not _accsyn_cmds.about(batch=True):
        _accsyn_cmds.evalDeferred(_accsyn_install_ui, lowestPriority=True)
except Exception as _accsyn_error:
    print(f"accsyn: the plugin could not start ({_accsyn_error}); Maya starts without it.")
