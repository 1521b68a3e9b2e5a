"""Small editors of the submit dialog: farm filters, environment variables and per-site transfer settings."""

from __future__ import annotations

import re
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from accsyn_dcc.filters import build_filters, review_filters
from accsyn_dcc.ui.qt import QtWidgets, Signal
from accsyn_dcc.workspace import OPERATING_SYSTEMS

SiteSettings = Mapping[str, Mapping[str, Mapping[str, str]]]
ALL_OS = "all"
"""The env editor's OS for a variable set on every OS (``common``)."""
_RAM_SHOWN = r"[<>][1-9]\d{0,2}g"
_HOSTS_SHOWN = r"([+-])[\w.*/]+(\1[\w.*/]+)*"
_SITES_SHOWN = r"-[\w.]+|[\w.]+(\+[\w.]+)*"
"""Statements the filter fields show (RAM in GB, hosts to include or exclude, sites); others show as text."""


def _names(text: str) -> List[str]:
    return [name for name in text.replace(",", " ").split() if name]


class FiltersEditor(QtWidgets.QWidget):
    """RAM limit, hostnames and sites to include/exclude, and any other statement as text; ``changed`` on every
    edit. Shows a filters text (``set_text``) and gives one back (``text``)."""

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
        self.other = QtWidgets.QLineEdit()
        self.other.setPlaceholderText("other filters, e.g. cores:>8,pool:+gpu")
        layout.addRow("Other filters", self.other)
        self.ram_operator.currentIndexChanged.connect(self._edited)
        self.ram_gb.valueChanged.connect(self._edited)
        for edit in (self.hosts_include, self.hosts_exclude, self.sites_include, self.sites_exclude, self.other):
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

    def text(self) -> str:
        """The accsyn filters text these fields make (``ram:>32g,site:hq,cores:>8``)."""
        values = self.values()
        built = build_filters(
            ram=self.ram(),
            hostname_include=values["hostname_include"],
            hostname_exclude=values["hostname_exclude"],
            site_include=values["site_include"],
            site_exclude=values["site_exclude"],
        )
        return ",".join(part for part in (built, self.other.text().strip()) if part)

    def set_text(self, text: str) -> None:
        """Show a filters text (a key given twice combined): RAM, hostnames and sites in their fields, every other
        statement as it is."""
        reviewed = review_filters(text)
        text = text if reviewed.problems else reviewed.text
        ram: Optional[str] = None
        values: Dict[str, List[str]] = {}
        other: List[str] = []
        for statement in (part.strip() for part in text.split(",")):
            key, _colon, expression = (item.strip() for item in statement.partition(":"))
            key = key.lower()
            if key == "ram" and ram is None and re.fullmatch(_RAM_SHOWN, expression, re.IGNORECASE):
                ram = expression.lower()
            elif key == "hostname" and key not in values and re.fullmatch(_HOSTS_SHOWN, expression):
                values[key] = expression[1:].split(expression[0])
                values["hostname_include" if expression[0] == "+" else "hostname_exclude"] = values[key]
            elif key == "site" and key not in values and re.fullmatch(_SITES_SHOWN, expression):
                values[key] = expression.lstrip("-").split("+")
                values["site_exclude" if expression[0] == "-" else "site_include"] = values[key]
            elif statement:
                other.append(statement)
        self.ram_operator.setCurrentIndex({">": 1, "<": 2}[ram[0]] if ram else 0)
        if ram:
            self.ram_gb.setValue(int(ram[1:-1]))
        for key, edit in (
            ("hostname_include", self.hosts_include),
            ("hostname_exclude", self.hosts_exclude),
            ("site_include", self.sites_include),
            ("site_exclude", self.sites_exclude),
        ):
            edit.setText(" ".join(values.get(key, ())))
        self.other.setText(",".join(other))


class EnvEditor(QtWidgets.QWidget):
    """Environment variables for the render (name, value, OS: all or one of linux/mac/windows, compute.rst's
    per-OS envs), with add/remove and suggestions."""

    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        self.table = QtWidgets.QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Variable", "Value", "OS"])
        self.table.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.Stretch)
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

    def set_variable(self, name: str, value: str, os_name: str = ALL_OS) -> None:
        """Set ``name`` for ``os_name`` (replacing its value when present) or add an empty row when ``name`` is
        empty."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if name and item is not None and item.text() == name and self._os(row) == os_name:
                self.table.setItem(row, 1, QtWidgets.QTableWidgetItem(value))
                return
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QtWidgets.QTableWidgetItem(name))
        self.table.setItem(row, 1, QtWidgets.QTableWidgetItem(value))
        choice = QtWidgets.QComboBox()
        choice.addItems([ALL_OS, *OPERATING_SYSTEMS])
        choice.setCurrentText(os_name)
        choice.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.table.setCellWidget(row, 2, choice)

    def _os(self, row: int) -> str:
        choice = self.table.cellWidget(row, 2)
        return choice.currentText() if isinstance(choice, QtWidgets.QComboBox) else ALL_OS

    def _remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.changed.emit()

    def show_suggested(self, suggestions: Mapping[str, Mapping[str, str]]) -> None:
        """Say which variables the job gets from the scan (``SubmitSession.suggested_envs``: e.g. NUKE_PATH for the
        gizmos, as each OS mounts their folders) unless one is set here."""
        lines = [f"{name} = {value}" + ("" if section == "common" else f" (on {section})")
                 for section, values in suggestions.items() for name, value in values.items()]  # fmt: skip
        self.suggestion.setText(
            "Set from the scan, where the render finds the scene's plugins (add the variable here to set it "
            "yourself):\n" + "\n".join(lines)
            if lines
            else ""
        )

    def _rows(self) -> List[Tuple[str, str, str]]:
        """(OS, name, value) of each named row."""
        found = []
        for row in range(self.table.rowCount()):
            name_item, value_item = self.table.item(row, 0), self.table.item(row, 1)
            name = name_item.text().strip() if name_item is not None else ""
            if name:
                found.append((self._os(row), name, value_item.text() if value_item is not None else ""))
        return found

    def values(self) -> Dict[str, str]:
        """The variables for every OS."""
        return {name: value for os_name, name, value in self._rows() if os_name == ALL_OS}

    def os_values(self) -> Dict[str, Dict[str, str]]:
        """The variables per OS: ``{"linux"|"mac"|"windows": {name: value}}``."""
        found: Dict[str, Dict[str, str]] = {}
        for os_name, name, value in self._rows():
            if os_name != ALL_OS:
                found.setdefault(os_name, {})[name] = value
        return found

    def set_values(self, values: Mapping[str, str]) -> None:
        """Show ``values`` as the variables for every OS (the per-OS ones stay)."""
        self._replace(lambda os_name: os_name == ALL_OS, [(ALL_OS, name, value) for name, value in values.items()])

    def set_os_values(self, values: Mapping[str, Mapping[str, str]]) -> None:
        """Show ``values`` as the per-OS variables (those for every OS stay)."""
        rows = [(os_name, name, value) for os_name, names in values.items() for name, value in names.items()]
        self._replace(lambda os_name: os_name != ALL_OS, rows)

    def _replace(self, replaced: Callable[[str], bool], rows: Sequence[Tuple[str, str, str]]) -> None:
        for row in reversed(range(self.table.rowCount())):
            if replaced(self._os(row)):
                self.table.removeRow(row)
        for os_name, name, value in rows:
            self.set_variable(name, value, os_name)


class SiteSettingsEditor(QtWidgets.QWidget):
    """Transfer settings for one site (or ``local``, the submitting machine): sending the dependencies on/off,
    returning the results on/off, speed limit. For ``local`` compute.rst swaps the directions: upload sends the
    script and dependencies to the main site, download fetches the results.

    ``set_values`` shows the first site of a settings mapping; what the fields do not show (other sites,
    other keys) is given back by ``values`` as it came.
    """

    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QFormLayout(self)
        self.site = QtWidgets.QComboBox()
        self._site_codes = ["", "local"]
        self._given: Dict[str, Dict[str, Dict[str, str]]] = {}
        self.site.addItems(["(none)", "local (this computer)"])
        self.send_dependencies = QtWidgets.QCheckBox()
        self.send_dependencies.setChecked(True)
        self.return_results = QtWidgets.QCheckBox()
        self.return_results.setChecked(True)
        self.speed_limit = QtWidgets.QDoubleSpinBox()
        self.speed_limit.setRange(-1, 100000)
        self.speed_limit.setValue(-1)
        self.speed_limit.setSpecialValueText("unlimited")
        self.speed_limit.setSuffix(" MB/s")
        layout.addRow("Site", self.site)
        layout.addRow("", self.send_dependencies)
        layout.addRow("", self.return_results)
        layout.addRow("Speed limit", self.speed_limit)
        self.site.currentIndexChanged.connect(self._edited)
        for box in (self.send_dependencies, self.return_results):
            box.toggled.connect(self._edited)
        self.speed_limit.valueChanged.connect(self._edited)
        self._edited()

    def set_sites(self, codes: Sequence[str]) -> None:
        """Offer the workspace's sites; the chosen one stays chosen (and offered) even when it is not among them."""
        chosen = self.current_site()
        while self.site.count() > 2:
            self.site.removeItem(2)
        kept = [chosen] if chosen and chosen not in ("local", *codes) else []
        self._site_codes = ["", "local", *codes, *kept]
        self.site.addItems([*codes, *kept])
        self.site.setCurrentIndex(self._site_codes.index(chosen))

    def set_values(self, values: SiteSettings) -> None:
        """Show the first site's settings (downloads, uploads, speed limit)."""
        self._given = {site: {part: dict(keys) for part, keys in parts.items()} for site, parts in values.items()}
        site = next(iter(self._given), "")
        if site not in self._site_codes:
            self._site_codes.append(site)
            self.site.addItem(site)
        settings = self._given.get(site, {})
        for direction, box in zip(_directions(site), (self.send_dependencies, self.return_results)):
            box.setChecked(settings.get(direction, {}).get("enable") != "false")
        limit = settings.get("common", {}).get("transfer_speedlimit", "")
        self.speed_limit.setValue(float(limit) if re.fullmatch(r"-?\d+(\.\d*)?", limit) else -1)
        self.site.setCurrentIndex(self._site_codes.index(site))

    def current_site(self) -> str:
        index = self.site.currentIndex()
        return self._site_codes[index] if 0 <= index < len(self._site_codes) else ""

    def _edited(self, *_args: object) -> None:
        site = self.current_site()
        local = site == "local"
        self.send_dependencies.setText(
            "Upload the script and dependencies from this computer" if local else "Download dependencies to the site"
        )
        self.return_results.setText(
            "Download the results to this computer" if local else "Upload results back to the main site"
        )
        for widget in (self.send_dependencies, self.return_results, self.speed_limit):
            widget.setEnabled(bool(site))
        self.changed.emit()

    def values(self) -> Dict[str, Dict[str, Dict[str, str]]]:
        """``{site: {"download": {...}, "upload": {...}, "common": {...}}}`` with string values, or empty."""
        shown = next(iter(self._given), "")
        result = {site: parts for site, parts in self._given.items() if site != shown}
        site = self.current_site()
        if not site:
            return result
        settings = {part: dict(keys) for part, keys in self._given.get(site, {}).items()}
        for part, box in zip(_directions(site), (self.send_dependencies, self.return_results)):
            _put(settings, part, "enable", None if box.isChecked() else "false", keep_given=box.isChecked())
        limit = self.speed_limit.value()
        _put(settings, "common", "transfer_speedlimit", None if limit == -1 else f"{limit:g}")
        if settings:
            result[site] = settings
        return result


def _directions(site: str) -> Tuple[str, str]:
    """The setting directions of (sending the dependencies, returning the results): swapped for ``local``."""
    return ("upload", "download") if site == "local" else ("download", "upload")


def _put(
    settings: Dict[str, Dict[str, str]], part: str, key: str, value: Optional[str], keep_given: bool = False
) -> None:
    """Set ``settings[part][key]`` (None removes it, but ``keep_given`` keeps a given value other than "false")."""
    keys = settings.setdefault(part, {})
    if value is not None:
        keys[key] = value
    elif not (keep_given and keys.get(key, "false") != "false"):
        keys.pop(key, None)
    if not keys:
        del settings[part]
