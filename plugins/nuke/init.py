# Nuke runs this at start-up (GUI and `nuke -t`) once `plugins/nuke` is on its plugin path.
# It puts accsyn-dcc's shared core and vendored dependencies on sys.path; it never stops Nuke from starting.
try:
    from accsyn_nuke import startup

    startup.add_paths()
except Exception as _accsyn_error:
    print(f"accsyn: the plugin could not start ({_accsyn_error}); Nuke starts without it.")
