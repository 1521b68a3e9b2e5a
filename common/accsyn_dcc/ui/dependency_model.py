"""The dependency table: every file the scan found (and every value it could not resolve) with its status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, List, Optional

from accsyn_dcc.scan.records import ScanResult
from accsyn_dcc.ui.qt import QtCore, QtGui

FOUND = "found"
MISSING = "missing"
MISSING_FRAMES = "missing frames"
OUTSIDE_SHARES = "outside any share"
UNRESOLVED = "unresolved"
CONDITIONAL = "conditional"
PROBLEM_ORDER = (MISSING, MISSING_FRAMES, UNRESOLVED, OUTSIDE_SHARES, CONDITIONAL, FOUND)
"""Row order: the worst first, so a long table needs no sorting on the UI thread."""

COLUMNS = ("Path", "Kind", "Node", "Status")


@dataclass(frozen=True)
class DependencyRow:
    path: str
    kind: str
    node: str
    status: str
    detail: str = ""

    @property
    def status_text(self) -> str:
        return f"{self.status} {self.detail}".strip()

    @property
    def is_problem(self) -> bool:
        return self.status != FOUND


def rows_from_scan(scan: ScanResult, on_share: Optional[Callable[[str], bool]] = None) -> List[DependencyRow]:
    """One row per dependency and per unresolved value, problems first (a stable order within each status)."""
    rows: List[DependencyRow] = []
    for dep in scan.dependencies:
        node = f"{dep.node}.{dep.knob}" if dep.knob else dep.node
        if dep.conditional:
            rows.append(DependencyRow(dep.path, dep.kind, node, CONDITIONAL, f"({dep.condition})"))
        elif not dep.exists:
            rows.append(DependencyRow(dep.path, dep.kind, node, MISSING, dep.notes))
        elif dep.missing:
            rows.append(DependencyRow(dep.path, dep.kind, node, MISSING_FRAMES, f"{dep.missing} {dep.notes}".strip()))
        elif on_share is not None and not on_share(dep.path):
            rows.append(DependencyRow(dep.path, dep.kind, node, OUTSIDE_SHARES))
        else:
            rows.append(DependencyRow(dep.path, dep.kind, node, FOUND))
    for item in scan.unresolved:
        rows.append(DependencyRow(item.value, "", f"{item.node}.{item.knob}", UNRESOLVED, f"({item.reason})"))
    return sorted(rows, key=lambda row: PROBLEM_ORDER.index(row.status))


def report(rows: List[DependencyRow]) -> str:
    """A plain-text report (tab separated, one row a line) for the clipboard."""
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join((row.path, row.kind, row.node, row.status_text)) for row in rows]
    return "\n".join(lines) + "\n"


class DependencyTableModel(QtCore.QAbstractTableModel):
    """Rows of ``DependencyRow``; problems are drawn in a warning colour."""

    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(parent)
        self.rows: List[DependencyRow] = []

    def set_rows(self, rows: List[DependencyRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

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
        if role == QtCore.Qt.ForegroundRole and row.is_problem:
            return QtGui.QBrush(QtGui.QColor(220, 120, 40) if row.status != MISSING else QtGui.QColor(220, 60, 60))
        return None
