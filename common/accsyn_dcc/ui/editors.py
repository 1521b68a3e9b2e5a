"""Small editors of the submit dialog: farm filters, environment variables and per-site transfer settings."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from accsyn_dcc.ui.qt import QtWidgets, Signal


def _names(text: str) -> List[str]:
    return [name for name in text.replace(",", " ").split() if name]


class FiltersEditor(QtWidgets.QWidget):
    """RAM limit, hostnames to include/exclude and sites to include/exclude; ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QFormLayout(self)
        ram_row = QtWidgets.QHBoxLayout()
        self.ram_operator = QtWidgets.QComboBox()
        self.ram_operator.addItems(["any", "more than", "less than"])
        self.ram_gb = QtWidgets.QSpinBox()
        self.ram_gb.setRange(1, 4096)
        self.ram_gb.setValue(32)
        self.ram_gb.setSuffix(" GB")
        ram_row.addWidget(self.ram_operator)
        ram_row.addWidget(self.ram_gb)
        layout.addRow("RAM", ram_row)
        self.hosts_include = QtWidgets.QLineEdit()
        self.hosts_include.setPlaceholderText("only these machines, e.g. ren01 ren02")
        self.hosts_exclude = QtWidgets.QLineEdit()
        self.hosts_exclude.setPlaceholderText("never these machines")
        self.sites_include = QtWidgets.QLineEdit()
        self.sites_include.setPlaceholderText("only these sites, e.g. hq")
        self.sites_exclude = QtWidgets.QLineEdit()
        self.sites_exclude.setPlaceholderText("never these sites")
        layout.addRow("Hostnames include", self.hosts_include)
        layout.addRow("Hostnames exclude", self.hosts_exclude)
        layout.addRow("Sites include", self.sites_include)
        layout.addRow("Sites exclude", self.sites_exclude)
        self.ram_operator.currentIndexChanged.connect(self._edited)
        self.ram_gb.valueChanged.connect(self._edited)
        for edit in (self.hosts_include, self.hosts_exclude, self.sites_include, self.sites_exclude):
            edit.textChanged.connect(self._edited)
        self._edited()

    def _edited(self, *_args: object) -> None:
        self.ram_gb.setEnabled(self.ram_operator.currentIndex() != 0)
        self.changed.emit()

    def ram(self) -> Optional[str]:
        """``>32g`` / ``<16g``, or None for no RAM filter."""
        operator = {1: ">", 2: "<"}.get(self.ram_operator.currentIndex())
        return f"{operator}{self.ram_gb.value()}g" if operator else None

    def values(self) -> Dict[str, List[str]]:
        return {
            "hostname_include": _names(self.hosts_include.text()),
            "hostname_exclude": _names(self.hosts_exclude.text()),
            "site_include": _names(self.sites_include.text()),
            "site_exclude": _names(self.sites_exclude.text()),
        }

    def set_state(self, ram: Optional[str], values: Dict[str, Sequence[str]]) -> None:
        if ram and ram[0] in "<>" and ram[1:-1].isdigit():
            self.ram_operator.setCurrentIndex(1 if ram[0] == ">" else 2)
            self.ram_gb.setValue(int(ram[1:-1]))
        else:
            self.ram_operator.setCurrentIndex(0)
        for key, edit in (
            ("hostname_include", self.hosts_include),
            ("hostname_exclude", self.hosts_exclude),
            ("site_include", self.sites_include),
            ("site_exclude", self.sites_exclude),
        ):
            edit.setText(" ".join(values.get(key, ())))


class EnvEditor(QtWidgets.QWidget):
    """Environment variables for the render (name, value), with add/remove and suggestions."""

    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        self.table = QtWidgets.QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Variable", "Value"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.suggestion = QtWidgets.QLabel()
        self.suggestion.setWordWrap(True)
        buttons = QtWidgets.QHBoxLayout()
        self.add_button = QtWidgets.QPushButton("Add")
        self.remove_button = QtWidgets.QPushButton("Remove")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(self.table)
        layout.addWidget(self.suggestion)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.set_variable("", ""))
        self.remove_button.clicked.connect(self._remove_selected)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())

    def set_variable(self, name: str, value: str) -> None:
        """Set ``name`` (replacing its value when present) or add an empty row when ``name`` is empty."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if name and item is not None and item.text() == name:
                self.table.setItem(row, 1, QtWidgets.QTableWidgetItem(value))
                return
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QtWidgets.QTableWidgetItem(name))
        self.table.setItem(row, 1, QtWidgets.QTableWidgetItem(value))

    def _remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.changed.emit()

    def suggest(self, suggestions: Dict[str, str]) -> None:
        """Offer variables the scan suggests (e.g. NUKE_PATH for gizmos); added unless already set."""
        current = self.values()
        added = [name for name in suggestions if name not in current]
        for name in added:
            self.set_variable(name, suggestions[name])
        if added:
            self.suggestion.setText(
                "Suggested from the scan: " + ", ".join(added) + " (gizmos need their folder on the farm)."
            )

    def values(self) -> Dict[str, str]:
        found: Dict[str, str] = {}
        for row in range(self.table.rowCount()):
            name_item, value_item = self.table.item(row, 0), self.table.item(row, 1)
            name = name_item.text().strip() if name_item is not None else ""
            if name:
                found[name] = value_item.text() if value_item is not None else ""
        return found

    def set_values(self, values: Dict[str, str]) -> None:
        self.table.setRowCount(0)
        for name, value in values.items():
            self.set_variable(name, value)


class SiteSettingsEditor(QtWidgets.QWidget):
    """Transfer settings for one site (or ``local``, the submitting machine): downloads on/off, speed limit."""

    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QFormLayout(self)
        self.site = QtWidgets.QComboBox()
        self._site_codes = ["", "local"]
        self.site.addItems(["(none)", "local (this computer)"])
        self.download = QtWidgets.QCheckBox("Download dependencies to the site")
        self.download.setChecked(True)
        self.upload = QtWidgets.QCheckBox("Upload results back to the main site")
        self.upload.setChecked(True)
        self.speed_limit = QtWidgets.QDoubleSpinBox()
        self.speed_limit.setRange(-1, 100000)
        self.speed_limit.setValue(-1)
        self.speed_limit.setSpecialValueText("unlimited")
        self.speed_limit.setSuffix(" MB/s")
        layout.addRow("Site", self.site)
        layout.addRow("", self.download)
        layout.addRow("", self.upload)
        layout.addRow("Speed limit", self.speed_limit)
        self.site.currentIndexChanged.connect(self._edited)
        for box in (self.download, self.upload):
            box.toggled.connect(self._edited)
        self.speed_limit.valueChanged.connect(self._edited)
        self._edited()

    def set_sites(self, codes: Sequence[str]) -> None:
        chosen = self.current_site()
        while self.site.count() > 2:
            self.site.removeItem(2)
        self._site_codes = ["", "local", *codes]
        self.site.addItems(list(codes))
        self.site.setCurrentIndex(self._site_codes.index(chosen) if chosen in self._site_codes else 0)

    def current_site(self) -> str:
        index = self.site.currentIndex()
        return self._site_codes[index] if 0 <= index < len(self._site_codes) else ""

    def _edited(self, *_args: object) -> None:
        enabled = bool(self.current_site())
        for widget in (self.download, self.upload, self.speed_limit):
            widget.setEnabled(enabled)
        self.changed.emit()

    def values(self) -> Dict[str, Dict[str, Dict[str, str]]]:
        """``{site: {"download": {...}, "upload": {...}, "common": {...}}}`` with string values, or empty."""
        site = self.current_site()
        if not site:
            return {}
        settings: Dict[str, Dict[str, str]] = {}
        if not self.download.isChecked():
            settings["download"] = {"enable": "false"}
        if not self.upload.isChecked():
            settings["upload"] = {"enable": "false"}
        limit = self.speed_limit.value()
        if limit != -1:
            settings["common"] = {"transfer_speedlimit": f"{limit:g}"}
        return {site: settings} if settings else {}
