"""The dependency table: every file the scan found (and every value it could not resolve) with its status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Optional, Set

from accsyn_dcc.preflight import BLOCKER, OK, WARNING, dependency_states
from accsyn_dcc.scan.records import ScanResult
from accsyn_dcc.sending import OUTSIDE_PROJECT, SendRule
from accsyn_dcc.ui.qt import QtCore, QtGui

UNRESOLVED = "unresolved"
_ORDER = {BLOCKER: 0, WARNING: 1}
"""Row order: blocking rows first, then warnings, then the rest, so a long table needs no sorting on the UI thread."""

COLUMNS = ("Path", "Kind", "Node", "Status")


@dataclass(frozen=True)
class DependencyRow:
    path: str
    kind: str
    node: str
    status: str
    """The state's label (``preflight.dependency_states``), or ``unresolved``."""
    detail: str = ""
    code: str = ""
    """The state's code: ``outside_project`` rows can be ticked to send."""
    severity: Optional[str] = None

    @property
    def status_text(self) -> str:
        return f"{self.status} {self.detail}".strip()

    @property
    def is_problem(self) -> bool:
        return self.status != OK

    @property
    def choosable(self) -> bool:
        """A file on no share outside the project: the artist may choose, by ticking it, to send it."""
        return self.code == OUTSIDE_PROJECT


def rows_from_scan(scan: ScanResult, rule: Optional[SendRule] = None) -> List[DependencyRow]:
    """One row per dependency (its deciding state) and per unresolved value, problems first (a stable order).

    ``rule`` (made without chosen files) says which files are withheld: a private one, or one on no share
    outside the project, which the artist may tick to send."""
    rows: List[DependencyRow] = []
    for dep in scan.dependencies:
        node = f"{dep.node}.{dep.knob}" if dep.knob else dep.node
        state = dependency_states(dep, rule)[0]
        rows.append(DependencyRow(dep.path, dep.kind, node, state.label, state.detail, state.code, state.severity))
    for item in scan.unresolved:
        rows.append(DependencyRow(item.value, "", f"{item.node}.{item.knob}", UNRESOLVED, f"({item.reason})",
                                  "unresolved", WARNING))  # fmt: skip
    return sorted(rows, key=lambda row: _ORDER.get(row.severity or "", 2))


def report(rows: List[DependencyRow]) -> str:
    """A plain-text report (tab separated, one row a line) for the clipboard."""
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join((row.path, row.kind, row.node, row.status_text)) for row in rows]
    return "\n".join(lines) + "\n"


class DependencyTableModel(QtCore.QAbstractTableModel):
    """Rows of ``DependencyRow``; problems are drawn in a warning colour. A file outside every share and the
    project has a check box: ticking it is the artist's choice, by name, to send it from this machine."""

    chosen_changed = QtCore.Signal()

    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(parent)
        self.rows: List[DependencyRow] = []
        self._chosen: Set[str] = set()

    def set_rows(self, rows: List[DependencyRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._chosen &= {row.path for row in self.rows if row.choosable}
        self.endResetModel()

    def chosen_paths(self) -> List[str]:
        """The off-share files the artist ticked, in table order."""
        return [row.path for row in self.rows if row.path in self._chosen]

    def flags(self, index: Any) -> Any:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0 and self.rows[index.row()].choosable:
            flags |= QtCore.Qt.ItemIsUserCheckable
        return flags

    def setData(self, index: Any, value: Any, role: Any = QtCore.Qt.EditRole) -> bool:
        if role != QtCore.Qt.CheckStateRole or not index.isValid() or index.column() != 0:
            return False
        row = self.rows[index.row()]
        if not row.choosable:
            return False
        if _state_number(value) == _state_number(QtCore.Qt.Checked):
            self._chosen.add(row.path)
        else:
            self._chosen.discard(row.path)
        self.dataChanged.emit(index, index, [role])
        self.chosen_changed.emit()
        return True

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Any, role: Any = QtCore.Qt.DisplayRole) -> Any:
        if role == QtCore.Qt.DisplayRole and orientation == QtCore.Qt.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Any, role: Any = QtCore.Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (QtCore.Qt.DisplayRole, QtCore.Qt.ToolTipRole):
            return (row.path, row.kind, row.node, row.status_text)[index.column()]
        if role == QtCore.Qt.CheckStateRole and index.column() == 0 and row.choosable:
            return QtCore.Qt.Checked if row.path in self._chosen else QtCore.Qt.Unchecked
        if role == QtCore.Qt.ForegroundRole and row.is_problem:
            return QtGui.QBrush(QtGui.QColor(220, 120, 40) if row.severity != BLOCKER else QtGui.QColor(220, 60, 60))
        return None


def _state_number(state: Any) -> int:
    """A check state as a number, whether the binding hands over an int or an enum (PySide6's has ``value``)."""
    return int(getattr(state, "value", state))
