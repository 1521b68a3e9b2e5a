"""Per-host installers: one small module per host application, each defining ``INSTALLER``."""
