"""Stand-in nodes, knobs and script state (owned by the scanner work)."""
