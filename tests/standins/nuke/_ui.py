"""Stand-in menus, messages and script saving (owned by the plugin work)."""
