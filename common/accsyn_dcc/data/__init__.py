"""Data files the core reads at run time (the stand-in seed, the Nuke built-in node classes)."""
