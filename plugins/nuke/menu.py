# Nuke runs this at GUI start-up: adds the "accsyn" menu. A failure shows one message and Nuke starts anyway.
try:
    from accsyn_nuke import startup

    startup.install_menu()
except Exception as _accsyn_error:
    print(f"accsyn: the menu could not be added ({_accsyn_error}); Nuke starts without it.")
