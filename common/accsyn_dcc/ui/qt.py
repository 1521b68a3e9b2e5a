"""The one Qt import point of the suite: whatever binding the host ships (PySide2 or PySide6), through qtpy.

Every UI module imports Qt from here and nowhere else, so supporting another binding is qtpy's job.
"""

from __future__ import annotations

from qtpy import QtCore, QtGui, QtWidgets
from qtpy.QtCore import Signal, Slot

__all__ = ["QtCore", "QtGui", "QtWidgets", "Signal", "Slot"]
