"""``--allow-missing`` means missing, nothing else: a scene's reads of secrets and off-share files are never sent."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from accsyn_dcc.cli import main

KEY = "k3y-0f-the-studio-5ecret"


@pytest.fixture
def studio(tmp_path, monkeypatch):
    """A studio on one volume, a home with an SSH key, the credentials file, and the key in the environment."""
    root = tmp_path / "projects"
    (root / "shot").mkdir(parents=True)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    credentials = tmp_path / "secrets" / "accsyn.env"
    credentials.parent.mkdir()
    credentials.write_text(f"ACCSYN_API_KEY={KEY}\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "grade.cube").write_text("LUT_3D_SIZE 2\n")
    (root / "shot" / "plate.exr").write_bytes(b"exr")
    studio_file = {"workspace": {
        "volumes": [{"code": "projects", "paths": {"linux": str(root)}}],
        "engines": [{"code": code, "settings": {"filename_extensions": extension}}
                    for code, extension in (("nuke-15", ".nk"), ("maya-2024", ".ma"), ("houdini-20", ".hip"))],
    }}  # fmt: skip
    (tmp_path / "studio.json").write_text(json.dumps(studio_file))
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_API_KEY", KEY)
    monkeypatch.setenv("ACCSYN_CREDENTIALS_PATH", str(credentials))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.chdir(tmp_path)
    secrets = [str(home / ".ssh" / "id_rsa"), "/etc/passwd", "/proc/self/environ", str(credentials)]
    return root, secrets, str(tmp_path / "elsewhere" / "grade.cube")


def nuke_scene(root: Path, reads: list) -> Path:
    nodes = "".join(f"Read {{\n inputs 0\n file {path}\n name Read{index}\n}}\n" for index, path in enumerate(reads))
    scene = root / "shot" / "comp.nk"
    scene.write_text("Root {\n inputs 0\n first_frame 1\n last_frame 1\n}\n" + nodes
                     + f"Write {{\n file {root}/render/comp.%04d.exr\n file_type exr\n name Write1\n}}\n")  # fmt: skip
    return scene


def maya_scene(root: Path, reads: list, monkeypatch) -> Path:
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "scan" / "maya"))
    from ma_files import maya_ascii, render_globals, texture

    body = "".join(texture(f"file{index}", path) for index, path in enumerate(reads))
    scene = root / "shot" / "light.ma"
    scene.write_text(maya_ascii("light.ma", body + render_globals(f"{root}/render/beauty", 1, 1)))
    return scene


def houdini_scene(root: Path, reads: list, monkeypatch) -> Path:
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "scan" / "houdini"))
    from hip_files import HipFile, Node

    nodes = [Node(f"/obj/geo1/file{index}", "file", {"file": [path]}) for index, path in enumerate(reads)]
    nodes.append(Node("/out/mantra1", "ifd", {"vm_picture": [f"{root}/render/beauty.$F4.exr"]}))
    return HipFile(root / "shot" / "fx.hip", nodes, frame_range=(1, 1)).write()


@pytest.mark.parametrize("host", ["nuke", "maya", "houdini"])
def test_allow_missing_never_sends_a_secret_and_says_so_even_with_json(studio, host, capsys, monkeypatch):
    root, secrets, _elsewhere = studio
    reads = [*secrets, str(root / "shot" / "plate.exr")]
    scene = {"nuke": lambda: nuke_scene(root, reads), "maya": lambda: maya_scene(root, reads, monkeypatch),
             "houdini": lambda: houdini_scene(root, reads, monkeypatch)}[host]()  # fmt: skip
    engine = {"nuke": "nuke-15", "maya": "maya-2024", "houdini": "houdini-20"}[host]
    argv = ["submit", str(scene), "--engine", engine, "--dry-run", "--allow-missing", "--json"]
    assert main(argv) == 1
    printed = capsys.readouterr()
    document = json.loads(printed.out)
    assert document["payloads"] == []
    findings = document["findings"]
    blocked = {finding["subject"]: finding["code"] for finding in findings if finding["severity"] == "blocker"}
    assert blocked == dict.fromkeys(secrets, "private_location")
    for path in secrets:
        assert f"{path} is in the " in printed.err  # the reasons reach stderr, not only the JSON
    assert KEY not in printed.out + printed.err


def test_a_secret_is_never_in_a_payload_even_when_the_findings_are_skipped(studio):
    """The transfer plan obeys the rule on its own: a caller that skips the pre-flight still sends no secret."""
    from accsyn_dcc.config import load_settings
    from accsyn_dcc.hosts import SceneFileHost
    from accsyn_dcc.session import SubmitSession

    root, secrets, elsewhere = studio
    session = SubmitSession(SceneFileHost(str(nuke_scene(root, [*secrets, elsewhere]))), load_settings(), offline=True)
    session.scan()
    choices = session.initial_choices()
    from dataclasses import replace

    chosen = replace(choices, engine="nuke-15", allow_missing=True, extra_dependencies=(secrets[0],),
                     send_off_share=(*secrets, ))  # fmt: skip
    [payload] = session.payloads(chosen)
    assert payload.get("dependencies", []) == []
    [payload] = session.payloads(replace(chosen, send_off_share=(elsewhere,)))
    assert payload["dependencies"] == [elsewhere]


def test_an_off_share_file_outside_the_project_is_sent_only_when_named(studio, capsys):
    root, _secrets, elsewhere = studio
    scene = nuke_scene(root, [elsewhere])
    assert main(["submit", str(scene), "--engine", "nuke-15", "--dry-run", "--allow-missing", "--json"]) == 1
    assert f"{elsewhere} lies on no accsyn share and outside the script's folder" in capsys.readouterr().err
    argv = ["submit", str(scene), "--engine", "nuke-15", "--dry-run", "--json", "--send-off-share", elsewhere]
    assert main(argv) == 0
    [payload] = json.loads(capsys.readouterr().out)["payloads"]
    assert payload["dependencies"] == [elsewhere]


def test_a_link_into_a_private_place_is_private(studio, capsys):
    root, secrets, _elsewhere = studio
    link = root / "shot" / "innocent.exr"
    os.symlink(secrets[0], link)
    assert main(["submit", str(nuke_scene(root, [str(link)])), "--engine", "nuke-15", "--dry-run", "--json"]) == 1
    assert f"{link} is in the home folder's private ~/.ssh" in capsys.readouterr().err


def test_scan_lists_a_private_file_as_never_sent(studio, capsys):
    root, secrets, _elsewhere = studio
    assert main(["scan", str(nuke_scene(root, [secrets[0], str(root / "shot" / "plate.exr")]))]) == 0
    out = capsys.readouterr().out
    assert f"PRIVATE, NEVER SENT Read0 read {secrets[0]}" in out
    assert f"ok      Read1 read {root}/shot/plate.exr" in out
