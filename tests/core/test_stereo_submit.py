"""One record chain from scan to payload: what the scan found on disk is what the submit sends."""

from __future__ import annotations

import json

from accsyn_dcc.cli import main


def _studio(tmp_path, monkeypatch, root):
    config = {
        "workspace": {
            "volumes": [{"code": "projects", "paths": {"linux": str(root), "windows": "P:"}}],
            "engines": [{"code": "nuke-15", "settings": {"filename_extensions": ".nk", "default_bucketsize": 2}}],
        }
    }
    (tmp_path / "studio.json").write_text(json.dumps(config))
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))


def test_a_stereo_read_sends_both_eyes(tmp_path, monkeypatch, capsys):
    """Root views in Nuke's saved form (one view and its colour per line) and a ``%V`` Read: both eyes sent."""
    root = tmp_path / "projects"
    plates = root / "plates"
    plates.mkdir(parents=True)
    for eye in ("left", "right"):
        for frame in range(1, 5):
            (plates / f"hero_{eye}.{frame:04d}.exr").write_bytes(b"exr")
    (plates / "hero_v001_left.0001.exr").write_bytes(b"an older version: never sent")
    script = root / "stereo.nk"
    script.write_text(
        'Root {\n inputs 0\n first_frame 1\n last_frame 4\n views "left #ff0000\nright #00ff00"\n}\n'
        f"Read {{\n inputs 0\n file {plates}/hero_%V.%04d.exr\n first 1\n last 4\n name ReadHero\n}}\n"
        f"Write {{\n file {root}/render/comp_%V.%04d.exr\n file_type exr\n name Write1\n}}\n"
    )
    _studio(tmp_path, monkeypatch, root)
    assert main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    [payload] = document["payloads"]
    assert sorted(payload["dependencies"]) == sorted(
        f"share=projects/plates/hero_{eye}.{frame:04d}.exr" for eye in ("left", "right") for frame in range(1, 5)
    )
    assert "dependencies sync 8 files (24 bytes)" in document["summary"]


def test_a_stereo_read_alone_in_its_folder_sends_the_folder(tmp_path, monkeypatch, capsys):
    root = tmp_path / "projects"
    plates = root / "plates"
    plates.mkdir(parents=True)
    for eye in ("left", "right"):
        for frame in range(1, 3):
            (plates / f"hero_{eye}.{frame:04d}.exr").write_bytes(b"exr")
    script = root / "stereo.nk"
    script.write_text(
        'Root {\n inputs 0\n first_frame 1\n last_frame 2\n views "left #ff0000\nright #00ff00"\n}\n'
        f"Read {{\n inputs 0\n file {plates}/hero_%V.%04d.exr\n first 1\n last 2\n name ReadHero\n}}\n"
        f"Write {{\n file {root}/render/comp_%V.%04d.exr\n file_type exr\n name Write1\n}}\n"
    )
    _studio(tmp_path, monkeypatch, root)
    assert main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["payloads"][0]["dependencies"] == ["share=projects/plates"]
    assert "dependencies sync 4 files (12 bytes)" in document["summary"]


def test_scan_json_names_the_views_checked_not_every_file(tmp_path, capsys):
    plates = tmp_path / "plates"
    plates.mkdir()
    for eye in ("left", "right"):
        (plates / f"hero_{eye}.0001.exr").write_bytes(b"exr")
    script = tmp_path / "stereo.nk"
    script.write_text(
        'Root {\n inputs 0\n first_frame 1\n last_frame 1\n views "left #ff0000\nright #00ff00"\n}\n'
        f"Read {{\n inputs 0\n file {plates}/hero_%V.%04d.exr\n first 1\n last 1\n name ReadHero\n}}\n"
    )
    assert main(["scan", str(script), "--json"]) == 0
    [dependency] = json.loads(capsys.readouterr().out)["dependencies"]
    assert dependency["exists"] and dependency["variants"] == [{"view": "left"}, {"view": "right"}]
    assert "files" not in dependency
