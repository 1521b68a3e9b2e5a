"""Stand-in menus, messages, plugin paths and script saving (owned by the plugin work).

Names and signatures follow Foundry's API (see the ``types-nuke`` stubs). What the stand-in shows or
asks is recorded in ``shown`` and ``asked``; ``answers`` holds the replies ``ask`` gives (default True).
``reset()`` brings everything back to a fresh GUI session of Nuke 16.0v2.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

__all__ = [
    "GUI",
    "NUKE_VERSION_MAJOR",
    "NUKE_VERSION_MINOR",
    "NUKE_VERSION_RELEASE",
    "NUKE_VERSION_STRING",
    "Menu",
    "MenuBar",
    "MenuItem",
    "ask",
    "critical",
    "debug",
    "env",
    "error",
    "executing",
    "menu",
    "message",
    "modified",
    "pluginAddPath",
    "pluginAppendPath",
    "scriptSave",
    "selectedNodes",
    "tprint",
    "warning",
]

GUI = True
NUKE_VERSION_MAJOR = 16
NUKE_VERSION_MINOR = 0
NUKE_VERSION_RELEASE = 2
NUKE_VERSION_STRING = "16.0v2"
env: Dict[str, Any] = {}

shown: List[Tuple[str, str]] = []
"""``(kind, text)`` for every message, critical, error, warning and tprint."""
asked: List[str] = []
answers: List[bool] = []
saved: List[Optional[str]] = []
added_plugin_paths: List[str] = []
selection: List[Any] = []
"""The nodes ``selectedNodes()`` returns (set by tests)."""
_script: Dict[str, bool] = {"modified": False}

Command = Union[str, Callable[[], Any], None]


class MenuItem:
    """A command in a menu."""

    def __init__(self, name: str, command: Command = None, shortcut: str = "", icon: str = "", tooltip: str = ""):
        self._name = name
        self._command = command
        self._shortcut = shortcut or ""
        self._icon = icon or ""
        self.tooltip = tooltip or ""
        self.enabled = True
        self.visible = True

    def name(self) -> str:
        return self._name

    def script(self) -> str:
        return self._command if isinstance(self._command, str) else ""

    def shortcut(self) -> str:
        return self._shortcut

    def setShortcut(self, keySequence: str) -> None:
        self._shortcut = keySequence

    def icon(self) -> str:
        return self._icon

    def setIcon(self, icon: str) -> None:
        self._icon = icon

    def setScript(self, script: str) -> None:
        self._command = script

    def setEnabled(self, enabled: bool, recursive: bool = False) -> None:
        self.enabled = enabled

    def setVisible(self, visible: bool) -> None:
        self.visible = visible

    def invoke(self) -> None:
        """Run the command as Nuke does: call a callable, execute a string in the ``nuke`` module's namespace."""
        if callable(self._command):
            self._command()
        elif isinstance(self._command, str) and self._command:
            exec(self._command, vars(sys.modules["nuke"]))


class Menu(MenuItem):
    """A menu holding commands and submenus; names with ``/`` address nested menus."""

    def __init__(self, name: str, icon: str = "", tooltip: str = ""):
        super().__init__(name, None, icon=icon, tooltip=tooltip)
        self._items: List[MenuItem] = []

    def items(self) -> List[MenuItem]:
        return list(self._items)

    def findItem(self, name: str) -> Optional[MenuItem]:
        head, _, rest = name.partition("/")
        found = next((item for item in self._items if item.name() == head), None)
        if not rest:
            return found
        return found.findItem(rest) if isinstance(found, Menu) else None

    def menu(self, name: str) -> Optional[Menu]:
        found = self.findItem(name)
        return found if isinstance(found, Menu) else None

    def addMenu(self, name: str, icon: str = "", tooltip: str = "", index: int = -1, **_ignored: Any) -> Menu:
        parent, _, last = name.rpartition("/")
        owner = self.addMenu(parent) if parent else self
        existing = owner.menu(last)
        if existing is not None:
            return existing
        created = Menu(last, icon=icon, tooltip=tooltip)
        owner._insert(created, index)
        return created

    def addCommand(
        self,
        name: str,
        command: Command = None,
        shortcut: str = "",
        icon: str = "",
        tooltip: str = "",
        index: int = -1,
        readonly: bool = False,
        shortcutContext: int = 0,
        **_ignored: Any,
    ) -> MenuItem:
        parent, _, last = name.rpartition("/")
        owner = self.addMenu(parent) if parent else self
        item = MenuItem(last, command, shortcut=shortcut, icon=icon, tooltip=tooltip)
        previous = owner.findItem(last)
        if previous is not None and not isinstance(previous, Menu):
            owner._items[owner._items.index(previous)] = item
        else:
            owner._insert(item, index)
        return item

    def addSeparator(self, **_ignored: Any) -> MenuItem:
        separator = MenuItem("")
        self._items.append(separator)
        return separator

    def removeItem(self, name: str) -> None:
        found = self.findItem(name)
        if found is not None:
            parent = name.rpartition("/")[0]
            owner = self.menu(parent) if parent else self
            if owner is not None:
                owner._items.remove(found)

    def clearMenu(self) -> None:
        self._items.clear()

    def _insert(self, item: MenuItem, index: int) -> None:
        if index is None or index < 0 or index >= len(self._items):
            self._items.append(item)
        else:
            self._items.insert(index, item)


class MenuBar(Menu):
    """A top-level menu bar (``nuke.menu("Nuke")``)."""


_MENUS: Dict[str, Menu] = {}
_MENU_NAMES = ("Nuke", "Pane", "Nodes", "Properties", "Animation", "Viewer", "Node Graph", "Axis")


def menu(name: str) -> Menu:
    """The named top-level menu: ``Nuke`` (the main menu bar), ``Nodes`` (the toolbar), ``Viewer``, ..."""
    if name not in _MENU_NAMES:
        raise ValueError(f"menu: no menu named {name!r}")
    if name not in _MENUS:
        _MENUS[name] = MenuBar(name) if name == "Nuke" else Menu(name)
    return _MENUS[name]


def message(prompt: str) -> None:
    shown.append(("message", prompt))


def critical(message: str) -> None:
    shown.append(("critical", message))


def error(message: str) -> None:
    shown.append(("error", message))


def warning(message: str) -> None:
    shown.append(("warning", message))


def debug(message: str) -> None:
    shown.append(("debug", message))


def tprint(*args: Any, sep: str = " ", end: str = "\n", file: Any = None) -> None:
    shown.append(("tprint", sep.join(str(arg) for arg in args)))


def ask(prompt: str) -> bool:
    asked.append(prompt)
    return answers.pop(0) if answers else True


def executing(f: Optional[float] = None) -> bool:
    """True while Nuke renders; the stand-in never renders."""
    return False


def modified(status: Optional[bool] = None) -> bool:
    """Whether the open script has unsaved changes; ``modified(True)`` marks it changed."""
    if status is not None:
        _script["modified"] = bool(status)
    return _script["modified"]


def scriptSave(filename: Optional[str] = None) -> bool:
    """Save the script (the stand-in records it and clears the modified flag)."""
    saved.append(filename)
    _script["modified"] = False
    root = getattr(sys.modules["nuke"], "root", None)
    if root is not None and hasattr(root(), "setModified"):
        root().setModified(False)
    return True


def selectedNodes(filter: Optional[str] = None) -> List[Any]:
    return [node for node in selection if filter is None or node.Class() == filter]


def pluginAddPath(args: Union[str, List[str]], addToSysPath: bool = True) -> None:
    paths = [args] if isinstance(args, str) else list(args)
    for path in paths:
        added_plugin_paths.insert(0, path)
        if addToSysPath and path not in sys.path:
            sys.path.insert(0, path)


def pluginAppendPath(args: Union[str, List[str]], addToSysPath: bool = True) -> None:
    paths = [args] if isinstance(args, str) else list(args)
    for path in paths:
        added_plugin_paths.append(path)
        if addToSysPath and path not in sys.path:
            sys.path.append(path)


def set_gui(enabled: bool) -> None:
    """Stand-in control: run as the GUI (True) or as ``nuke -t`` (False)."""
    module = sys.modules["nuke"]
    module.GUI = enabled
    env["gui"] = enabled


def set_version(major: int, minor: int = 0, release: int = 1) -> None:
    """Stand-in control: pretend to be another Nuke version."""
    module = sys.modules["nuke"]
    module.NUKE_VERSION_MAJOR = major
    module.NUKE_VERSION_MINOR = minor
    module.NUKE_VERSION_RELEASE = release
    module.NUKE_VERSION_STRING = f"{major}.{minor}v{release}"
    env.update(NukeVersionMajor=major, NukeVersionMinor=minor, NukeVersionRelease=release)
    env["NukeVersionString"] = module.NUKE_VERSION_STRING


def reset() -> None:
    """Stand-in control: an empty GUI session of Nuke 16.0v2, nothing shown or asked."""
    _MENUS.clear()
    for recorded in (shown, asked, answers, saved, added_plugin_paths, selection):
        recorded.clear()
    _script["modified"] = False
    env.clear()
    env.update(nukex=False, studio=False, threads=8, ExecutablePath="/usr/local/Nuke16.0v2/Nuke16.0")
    if "nuke" in sys.modules:
        set_gui(True)
        set_version(16, 0, 2)
    else:
        env["gui"] = True


reset()
