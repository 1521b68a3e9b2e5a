"""A dry run is the submit minus the send: the same workspace, the same checks, the same payload.

Engines and shares come from the connected workspace when credentials exist, else the studio's
offline description, else the last workspace read from accsyn (cached, never with the key); when
none is known the dry run says so once and takes the engine named after the scene's application.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accsyn_dcc.api import connect
from accsyn_dcc.cli import main

CREDENTIALS = ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_PROXY")


@pytest.fixture
def script(tmp_path, monkeypatch):
    """A Nuke script writing beside itself (on no share), with no studio settings and no credentials."""
    path = tmp_path / "x.nk"
    path.write_text(
        "Root {\n inputs 0\n first_frame 1\n last_frame 10\n}\n"
        f"Write {{\n file {tmp_path}/render/x.%04d.exr\n file_type exr\n name Write1\n}}\n"
    )
    for name in (*CREDENTIALS, "ACCSYN_CREDENTIALS_PATH", "ACCSYN_DCC_STUDIO_CONFIG", "ACCSYN_DOMAIN", "ACCSYN_ORG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    return path


@pytest.fixture
def connected(credentials, monkeypatch):
    """Credentials for the stand-in backend in the environment (its volumes are /mnt/projects, /mnt/library)."""
    for name, value in zip(CREDENTIALS, (credentials.workspace, credentials.user, credentials.api_key,
                                         credentials.proxy)):  # fmt: skip
        monkeypatch.setenv(name, value)
    return credentials


def blocker_codes(document):
    return sorted(finding["code"] for finding in document["findings"] if finding["severity"] == "blocker")


def run_json(capsys, *argv):
    code = main(["submit", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_with_credentials_the_dry_run_is_blocked_as_the_submit_is(script, connected, capsys):
    dry_code, dry = run_json(capsys, str(script), "--engine", "blendr", "--dry-run")
    sent_code, sent = run_json(capsys, str(script), "--engine", "blendr")
    assert dry_code == sent_code == 1
    assert blocker_codes(dry) == blocker_codes(sent) == ["output_outside_share", "unknown_engine"]
    assert dry["workspace"] == sent["workspace"] == "read from accsyn"


def test_with_credentials_the_dry_run_takes_the_workspace_engine_and_bucket(script, connected, capsys):
    text = script.read_text().replace(f"{script.parent}/render", "/mnt/projects/shot/render")
    script.write_text(text)
    code, document = run_json(capsys, str(script), "--dry-run")
    assert code == 0
    [payload] = document["payloads"]
    assert payload["engine"] == "nuke-16" and payload["settings"]["task_bucketsize"] == "5"
    assert payload["output"] == "share=projects/shot/render"
    assert not [finding for finding in document["findings"] if finding["code"] == "no_workspace"]
    with connect(connected) as client:
        assert client.find_jobs() == []  # read, never created


def test_without_any_workspace_the_dry_run_says_so_once_and_takes_the_host_engine(script, capsys):
    code, document = run_json(capsys, str(script), "--dry-run")
    assert code == 0
    [payload] = document["payloads"]
    assert payload["engine"] == "nuke"
    assert document["workspace"] == "no workspace is known"
    assert [finding["code"] for finding in document["findings"]].count("no_workspace") == 1
    assert main(["submit", str(script), "--dry-run"]) == 0
    assert capsys.readouterr().err.count("no workspace is known") == 1


def test_without_any_workspace_an_engine_given_by_name_is_used_unchecked(script, capsys):
    code, document = run_json(capsys, str(script), "--engine", "blendr", "--dry-run")
    assert code == 0 and document["payloads"][0]["engine"] == "blendr"
    assert [finding["code"] for finding in document["findings"]] == ["no_workspace"]


def test_the_studio_description_blocks_the_dry_run_as_the_workspace_would(script, tmp_path, capsys, monkeypatch):
    studio = {"workspace": {"engines": [{"code": "nuke-15", "settings": {"filename_extensions": ".nk"}}],
                            "volumes": [{"code": "projects", "paths": {"linux": "/mnt/projects"}}]}}  # fmt: skip
    (tmp_path / "studio.json").write_text(json.dumps(studio))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    code, document = run_json(capsys, str(script), "--engine", "blendr", "--dry-run")
    assert code == 1 and blocker_codes(document) == ["output_outside_share", "unknown_engine"]
    assert document["workspace"] == "the studio's offline workspace description (settings 'workspace')"


def test_the_last_connected_workspace_serves_a_dry_run_without_credentials(
    script, connected, capsys, monkeypatch, workspace_cache
):
    code, _ = run_json(capsys, str(script), "--engine", "nuke-15", "--dry-run")  # reads accsyn, caches it
    assert code == 1  # the Write is on no share of the stand-in
    cached = Path(workspace_cache).read_text(encoding="utf-8")
    assert connected.api_key not in cached and connected.user not in cached and "api_key" not in cached
    for name in CREDENTIALS:
        monkeypatch.delenv(name)

    code, document = run_json(capsys, str(script), "--engine", "blendr", "--dry-run")
    assert code == 1 and blocker_codes(document) == ["output_outside_share", "unknown_engine"]
    assert document["workspace"].startswith("the last workspace read from accsyn (read ")
    assert workspace_cache in document["workspace"]

    script.write_text(script.read_text().replace(f"{script.parent}/render", "/mnt/library/x/render"))
    code, document = run_json(capsys, str(script), "--dry-run")
    assert code == 0
    [payload] = document["payloads"]
    assert payload["engine"] == "nuke-16" and payload["settings"]["task_bucketsize"] == "5"
    assert payload["output"] == "share=library/x/render"


def test_local_renders_still_work_without_any_workspace(script, capsys, monkeypatch):
    import accsyn_dcc.farm

    ran = []

    class Result:
        ok = True

        def to_dict(self):
            return {}

    monkeypatch.setattr(accsyn_dcc.farm, "run_local", lambda payload, **options: ran.append(payload) or Result())
    assert main(["submit", str(script), "--local"]) == 0
    assert [payload["engine"] for payload in ran] == ["nuke"]
