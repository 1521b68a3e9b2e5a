"""accsyn-dcc: submit render jobs to accsyn from DCC applications, and run them on a farm."""

__version__ = "0.1.0"
