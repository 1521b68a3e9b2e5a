"""Studio hooks: the studio's own Python, run by the submit session for every dialog, scripted ``submit()`` and
the command line alike.

The hook files are every ``*.py`` in the ``hooks`` folder beside the studio config file and each path its
``hooks`` key lists (relative to that file's folder), run in file-name order. Each may define any of:

* ``before_dialog(choices)``: returns the initial choices, adjusted (a ``SubmitChoices``);
* ``check(plan)``: returns findings (a ``Plan`` holds the scene, the choices and their payloads): ``Finding``
  objects, ``(severity, message)`` pairs or ``{"severity": ..., "message": ...}``, severity ``blocker`` or
  ``warning``; None for none. Each becomes a Finding with code ``studio_hook`` naming the hook file;
* ``before_send(payload)``: returns the Compute payload to send, checked by the payload rules;
* ``after_submit(jobs)``: told the created job records (what it returns is ignored).

Hooks are imported on purpose: they are the studio's code, not a scene's. Each import and each call runs in a
worker thread for at most ``hook_timeout`` seconds (studio config; default 10), so a host's UI thread waits no
longer. A hook file that cannot be imported, or a function that raises, runs too long or returns the wrong
shape, is one line naming the file and function, never a traceback: a blocker finding (import, ``before_dialog``,
``check``), a refused send (``before_send``: nothing is sent), a logged warning (``after_submit``: the jobs exist).
"""

from __future__ import annotations

import copy
import glob
import importlib.util
import logging
import os
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from accsyn_dcc.errors import AccsynDccError, ValidationError
from accsyn_dcc.payload_rules import check_payload
from accsyn_dcc.preflight import BLOCKER, WARNING, Finding

HOOK_CODE = "studio_hook"
DEFAULT_TIMEOUT = 10.0
"""Seconds each hook import or call may take (the studio config's ``hook_timeout`` changes it)."""
HOOKS_FOLDER = "hooks"

log = logging.getLogger(__name__)


class HookError(AccsynDccError):
    """A studio hook failed: one line naming its file and function."""


@dataclass(frozen=True)
class Plan:
    """What ``check(plan)`` sees: the scene, the choices (a ``SubmitChoices``) and the Compute payloads they make
    before ``before_send`` (none while the choices cannot make a job: other findings say why)."""

    scene: str
    choices: Any
    payloads: Tuple[Dict[str, Any], ...]


def plan_for(session: Any, choices: Any) -> Plan:
    """``check``'s view of ``session`` planning ``choices``: the payloads before ``before_send`` (none when the
    choices cannot make a job yet)."""
    try:
        payloads = tuple(planned.job.to_payload() for planned in session.plan(choices))
    except AccsynDccError:
        payloads = ()
    return Plan(session.host.scene_path() or "", choices, payloads)


def hook_paths(settings: Any) -> List[str]:
    """The hook files ``settings`` name, in file-name order: the ``hooks`` folder beside the studio config file,
    then the ``hooks`` key's paths (relative ones against the studio config's folder)."""
    folder = os.path.dirname(os.path.abspath(settings.studio_path)) if settings.studio_path else ""
    found = glob.glob(os.path.join(folder, HOOKS_FOLDER, "*.py")) if folder else []
    found += [os.path.join(folder, os.path.expanduser(path)) for path in settings.get("hooks") or ()]
    unique = {os.path.normpath(os.path.abspath(path)) for path in found}
    return sorted(unique, key=lambda path: (os.path.basename(path), path))


def hook_problems(settings: Any) -> List[str]:
    """What keeps each hook file of ``settings`` from loading, found without running it (missing, unreadable, not
    Python); one sentence each."""
    problems = []
    for path in hook_paths(settings):
        try:
            with open(path, "rb") as stream:
                compile(stream.read(), path, "exec")
        except OSError as error:
            problems.append(f"hooks: {path} cannot be read ({error.strerror})")
        except (SyntaxError, ValueError) as error:
            problems.append(f"studio hook {os.path.basename(path)} cannot be imported: {type(error).__name__}: "
                            f"{_one_line(str(error))}")  # fmt: skip
    return problems


class Hooks:
    """One session's studio hooks: imported once, on first use; every call bounded by ``timeout``."""

    def __init__(self, paths: Sequence[str] = (), timeout: float = DEFAULT_TIMEOUT) -> None:
        self.paths = list(paths)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._modules: Optional[List[Tuple[str, Any]]] = None
        self._unimported: List[str] = []
        """A line per hook file that could not be imported: a blocker of every check, and no send."""
        self._failures: List[str] = []
        """A line per ``before_dialog`` that failed: a blocker of every check."""

    @classmethod
    def from_settings(cls, settings: Any) -> Hooks:
        return cls(hook_paths(settings), float(settings.get("hook_timeout") or DEFAULT_TIMEOUT))

    # ----------------------------------------------------------------------------------------- the four points
    def before_dialog(self, choices: Any) -> Any:
        """``choices`` as each ``before_dialog`` hook adjusts them; a failing hook leaves them as they were."""
        for label, function, _path in self._functions("before_dialog"):
            try:
                choices = self._shaped(label, self._call(label, function, choices), type(choices), "SubmitChoices")
            except HookError as error:
                self._failed(str(error))
        return choices

    def check(self, plan: Callable[[], Plan]) -> List[Finding]:
        """The findings of every ``check`` hook (``plan`` is made only when one exists), and a blocker for each
        hook that failed before (an import, ``before_dialog``) or fails here."""
        checks = self._functions("check")
        with self._lock:
            findings = [Finding(BLOCKER, HOOK_CODE, line) for line in self._unimported + self._failures]
        made = plan() if checks else None
        for label, function, path in checks:
            try:
                findings += _findings(label, path, self._call(label, function, made))
            except HookError as error:
                findings.append(Finding(BLOCKER, HOOK_CODE, str(error), path))
        return findings

    def before_send(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        """The payload as every ``before_send`` hook returns it, each result checked by the payload rules; raises
        HookError when a hook file could not be imported or a hook fails (then nothing may be sent)."""
        functions = self._functions("before_send")
        if self._unimported:
            raise HookError(self._unimported[0])
        for label, function, _path in functions:
            payload = dict(self._shaped(label, self._call(label, function, copy.deepcopy(payload)), Mapping, "dict"))
            try:
                check_payload(payload)
            except ValidationError as error:
                raise HookError(f"{label}: returned a payload that cannot be sent: {_one_line(str(error))}") from None
        return payload

    def after_submit(self, jobs: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """``jobs``, once every ``after_submit`` hook was told of them; a failing one is logged in one line."""
        for label, function, _path in self._functions("after_submit"):
            try:
                self._call(label, function, copy.deepcopy(jobs))
            except HookError as error:
                log.warning("%s", error)
        return jobs

    # ----------------------------------------------------------------------------------------- machinery
    def _functions(self, name: str) -> List[Tuple[str, Callable[[Any], Any], str]]:
        """``(label, function, path)`` of each hook file defining ``name``, in file-name order."""
        found = []
        for path, module in self._imported():
            function = getattr(module, name, None)
            if callable(function):
                found.append((f"studio hook {os.path.basename(path)}: {name}()", function, path))
        return found

    def _imported(self) -> List[Tuple[str, Any]]:
        with self._lock:
            if self._modules is None:
                self._modules = []
                for index, path in enumerate(self.paths):
                    label = f"studio hook {os.path.basename(path)} cannot be imported"
                    try:
                        self._modules.append((path, self._call(label, _importer(path, index), None)))
                    except HookError as error:
                        self._unimported.append(str(error))
            return self._modules

    def _failed(self, line: str) -> None:
        with self._lock:
            if line not in self._failures:
                self._failures.append(line)

    def _call(self, label: str, function: Callable[[Any], Any], argument: Any) -> Any:
        """``function(argument)`` in a worker thread, waited for at most ``timeout`` seconds."""
        outcome: Dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["value"] = function(argument)
            except BaseException as error:  # a hook's SystemExit must not end the host either
                outcome["error"] = error

        worker = threading.Thread(target=work, name=label, daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise HookError(f"{label}: took longer than {self.timeout:g} s (hook_timeout); it was not waited for")
        if "error" in outcome:
            error = outcome["error"]
            raise HookError(f"{label}: {type(error).__name__}: {_one_line(str(error))}")
        return outcome.get("value")

    @staticmethod
    def _shaped(label: str, value: Any, kind: Any, words: str) -> Any:
        if not isinstance(value, kind):
            raise HookError(f"{label}: returned {type(value).__name__}, not a {words}")
        return value


def _importer(path: str, index: int) -> Callable[[Any], Any]:
    """Imports the hook file ``path`` as a module of its own (registered, so dataclasses in it work)."""

    def load(_: Any) -> Any:
        name = f"accsyn_studio_hook_{index}_{os.path.splitext(os.path.basename(path))[0]}"
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such file {path}")
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError("not a Python file")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        return module

    return load


def _findings(label: str, path: str, returned: Any) -> List[Finding]:
    """A ``check`` hook's result as Findings with code ``studio_hook``; HookError naming the wrong shape."""
    if returned is None:
        return []
    if isinstance(returned, (str, bytes, Mapping)) or not isinstance(returned, Iterable):
        raise HookError(f"{label}: returned {type(returned).__name__}, not a list of findings")
    return [_finding(label, path, item) for item in returned]


def _finding(label: str, path: str, item: Any) -> Finding:
    severity: Any
    message: Any
    if isinstance(item, Finding):
        severity, message = item.severity, item.message
    elif isinstance(item, Mapping):
        severity, message = item.get("severity"), item.get("message")
    elif isinstance(item, (tuple, list)) and len(item) == 2:
        severity, message = item
    else:
        raise HookError(f"{label}: returned {_one_line(repr(item))[:60]}, not a Finding, (severity, message) "
                        "or {severity, message}")  # fmt: skip
    severity = str(severity).lower()
    if severity not in (BLOCKER, WARNING) or not isinstance(message, str) or not message.strip():
        raise HookError(f"{label}: a finding needs severity '{BLOCKER}' or '{WARNING}' and a message "
                        f"(got {_one_line(repr(item))[:60]})")  # fmt: skip
    return Finding(severity, HOOK_CODE, f"{_one_line(message)} (studio hook {os.path.basename(path)})", path)


def _one_line(text: str) -> str:
    return " ".join(text.split())
