"""The shared Qt user interface (the submit dialog) that every Qt host (Nuke, Maya, Houdini) reuses."""
