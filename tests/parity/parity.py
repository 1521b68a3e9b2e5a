"""One scene under one studio config through every entry point: the Qt dialog, the host's scripted ``submit()``
and ``accsyn-dcc submit``, each as a dry run and sent to the stand-in accsyn (the job it stores read back).

The studio config sets every ``defaults`` a payload carries (bucket size, filters, common and per-OS envs, site
settings, queue, input conversion, transfer speed limit, mapped share paths) and describes the workspace offline;
the stand-in is seeded with the same workspace, so a dry run (the description) and a send (accsyn's answer) plan
against the same engines and shares.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

from accsyn_dcc.api import connect
from accsyn_dcc.cli import main
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.paths import current_os
from accsyn_dcc.standin import StandinServer
from accsyn_dcc.standin.backend import load_seed

DEFAULTS: Dict[str, Any] = {
    "bucket_size": 3,
    "filters": "ram:>16g,site:hq",
    "queue": "high",
    "input_conversion": "platform",
    "envs": {"STUDIO": "parity"},
    "os_envs": {"linux": {"OCIO": "/studio/ocio/config.ocio"}, "windows": {"OCIO": "S:\\ocio\\config.ocio"}},
    "site_settings": {"hq": {"download": {"enable": "false"}, "upload": {"task_bucketsize": 1}}},
    "transfer_speedlimit": 20,
    "mapped_share_paths": [{"remote": "/old/projects", "local": "share=projects"}],
}  # fmt: skip
"""Every studio default a payload carries (every ``SubmitChoices`` field a ``defaults`` section may set but the
engine, which is each host's own)."""
NUKE_ENGINE = "nuke-14"
"""The studio's engine for Nuke scripts: not the newest, nor the running Nuke 16's (every entry point picks it)."""
CREDENTIAL_VARIABLES = ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_PROXY")
Payload = Dict[str, Any]


def make_studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Studio]:
    """The studio config and the stand-in seeded with its workspace; no credentials in the environment."""
    root = tmp_path / "projects"
    root.mkdir()
    seed = load_seed()
    for volume in seed["volumes"]:
        volume["paths"][current_os()] = str(root / volume["code"]) if volume["code"] != "projects" else str(root)
    workspace = {key: seed[key] for key in ("engines", "volumes", "sites", "queues")}
    (tmp_path / "seed.json").write_text(json.dumps(seed))
    studio = {"defaults": DEFAULTS, "workspace": workspace, "nuke_engine": NUKE_ENGINE}
    (tmp_path / "studio.json").write_text(json.dumps(studio))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user" / "settings.json"))
    with StandinServer(str(tmp_path / "standin"), seed_path=str(tmp_path / "seed.json")) as server:
        made = Studio(root, server, monkeypatch)
        made.offline()
        yield made


@dataclass
class Studio:
    """The studio's projects folder (the ``projects`` share), its config and the stand-in seeded alike."""

    root: Path
    server: StandinServer
    monkeypatch: pytest.MonkeyPatch

    @property
    def credentials(self) -> Credentials:
        user = self.server.seed["users"][0]
        return Credentials(self.server.workspace, user["code"], user["api_key"], proxy=f"127.0.0.1:{self.server.port}")

    def online(self) -> None:
        """Credentials in the environment, as an artist's machine has them: submits read the stand-in's workspace."""
        credentials = self.credentials
        values = (credentials.workspace, credentials.user, credentials.api_key, credentials.proxy)
        for name, value in zip(CREDENTIAL_VARIABLES, values):
            self.monkeypatch.setenv(name, str(value))

    def offline(self) -> None:
        """No credentials: a dry run plans against the studio config's workspace description."""
        for name in (*CREDENTIAL_VARIABLES, "ACCSYN_CREDENTIALS_PATH"):
            self.monkeypatch.delenv(name, raising=False)

    def stored(self, jobs: List[Dict[str, Any]]) -> List[Payload]:
        """The payloads the stand-in stored for ``jobs``; each job is then aborted, so that the next identical
        submit creates a job of its own (an unfinished identical job would be answered instead)."""
        client = connect(self.credentials)
        found = []
        for job in jobs:
            record = client.find_job(str(job["id"]))
            assert record is not None
            found.append(record["compute"])
            client.abort_job(str(job["id"]))
        return found


def dialog_payloads(qtbot: Any, studio: Studio, host: Any) -> Dict[str, List[Payload]]:
    """The Qt dialog on ``host``: its payloads offline (no credentials: the studio's workspace description), then
    connected to the stand-in its payloads once the scan is done and the job its Submit button creates."""
    from accsyn_dcc.ui.qt import QtCore

    offline = _scanned_dialog(qtbot, host, None)
    assert "Working offline with the studio's workspace description" in offline.connection_label.text()
    dialog = _scanned_dialog(qtbot, host, lambda: connect(studio.credentials))
    shown = dialog.payloads()
    qtbot.waitUntil(dialog.submit_button.isEnabled, timeout=5000)
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.created_jobs != [], timeout=10000)
    return {"dialog": shown, "dialog offline": offline.payloads(), "dialog sent": studio.stored(dialog.created_jobs)}


def _scanned_dialog(qtbot: Any, host: Any, connector: Optional[Callable[[], Any]]) -> Any:
    """The Qt dialog opened on ``host`` (``connector``: None reads the configured accsyn), its scan done."""
    from accsyn_dcc.remembered import RememberedSettings
    from accsyn_dcc.ui.submit_dialog import SubmitDialog

    dialog = SubmitDialog(host, connect=connector, settings=RememberedSettings.load())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.scan is not None and dialog.engine() != "", timeout=10000)
    return dialog


def scripted_payloads(studio: Studio, submit: Callable[..., List[Dict[str, Any]]]) -> Dict[str, List[Payload]]:
    """The host's scripted ``submit()``: a dry run with no credentials, then sent with them."""
    studio.offline()
    dry = submit(dry_run=True)
    studio.online()
    sent = studio.stored(submit())
    studio.offline()
    return {"scripted dry run": dry, "scripted sent": sent}


def cli_payloads(studio: Studio, scene: Path, capsys: pytest.CaptureFixture[str]) -> Dict[str, List[Payload]]:
    """``accsyn-dcc submit SCENE --dry-run --json`` with no credentials, then ``--json`` sent with them."""
    studio.offline()
    capsys.readouterr()
    assert main(["submit", str(scene), "--dry-run", "--json"]) == 0, capsys.readouterr().err
    dry = json.loads(capsys.readouterr().out)["payloads"]
    studio.online()
    assert main(["submit", str(scene), "--json"]) == 0, capsys.readouterr().err
    sent = studio.stored(json.loads(capsys.readouterr().out)["jobs"])
    studio.offline()
    return {"command line dry run": dry, "command line sent": sent}


def assert_identical(payloads: Dict[str, List[Payload]]) -> None:
    """Every entry point's payloads equal the first's, field by field (a difference is named by its field)."""
    (first_name, first), *others = payloads.items()
    assert len(first) == 1, first
    carried = first[0]
    assert (carried["filters"], carried["queue"]) == (DEFAULTS["filters"], DEFAULTS["queue"])
    studio_envs = {section: {name: carried["envs"].get(section, {}).get(name) for name in values}
                   for section, values in {"common": DEFAULTS["envs"], **DEFAULTS["os_envs"]}.items()}  # fmt: skip
    assert studio_envs == {"common": DEFAULTS["envs"], **DEFAULTS["os_envs"]}  # (and what the scan sets: NUKE_PATH)
    assert carried["parameters"]["input_conversion"] == "platform"
    assert carried["settings"]["transfer_speedlimit"] == "20"
    assert DEFAULTS["mapped_share_paths"][0] in carried["parameters"]["mapped_share_paths"]
    assert carried["parameters"]["site"] == {"hq": {"settings": {"download": {"enable": "false"},
                                                                 "upload": {"task_bucketsize": "1"}}}}  # fmt: skip
    for name, each in others:
        assert len(each) == 1, (name, each)
        differing = {key: (first[0].get(key), each[0].get(key)) for key in set(first[0]) | set(each[0])
                     if first[0].get(key) != each[0].get(key)}  # fmt: skip
        assert not differing, f"{name} differs from {first_name}: {differing}"
