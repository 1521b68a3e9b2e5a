"""``accsyn-dcc submit --dry-run`` and ``accsyn-dcc payload --validate``."""

import json
from pathlib import Path

import pytest

import accsyn_dcc.scan
from accsyn_dcc.cli import main
from accsyn_dcc.payload_rules import validate_payload
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import Dependency, Output, ScanResult

SEED = Path(__file__).parents[1] / "fixtures" / "payloads" / "seed_compute.json"


@pytest.fixture
def studio(tmp_path, monkeypatch):
    """A studio config with one volume rooted in tmp_path, and no credentials anywhere."""
    root = tmp_path / "projects"
    (root / "shot").mkdir(parents=True)
    config = {
        "workspace": {
            "volumes": [
                {"code": "projects", "paths": {"windows": "P:", "mac": "/Volumes/projects", "linux": str(root)}}
            ],
            "engines": [{"code": "nuke-15", "settings": {"default_range": "1001-1100", "default_bucketsize": 5}}],
        },
        "defaults": {
            "filters": "ram:>32g,site:sthlm",
            "transfer_speedlimit": -1,
            "queue": "Medium",
            "site_settings": {"local": {"download": {"enable": "false"}}},
        },
    }
    (tmp_path / "studio.json").write_text(json.dumps(config))
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.chdir(tmp_path)
    return root


def test_dry_run_prints_every_seed_field(studio, tmp_path, capsys, monkeypatch):
    script = studio / "shot" / "shot.nk"
    script.write_text("Root {}\n")
    plate = studio / "plates" / "plate.%04d.exr"

    def fake_scan(path, frames=None, **options):
        return ScanResult(
            scene=path,
            dependencies=[Dependency(str(plate), "read", "Read1", "file", True, "1001-1100x2", "")],
            outputs=[Output("Write1", str(studio / "render" / "out.%04d.exr"), None, ["main"])],
            frame_range=FrameRange.from_bounds(1, 100),
        )

    monkeypatch.setattr(accsyn_dcc.scan, "scan_scene", fake_scan)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "lut.cube").write_text("LUT")
    plate.parent.mkdir()
    for frame in range(1001, 1100, 2):
        (plate.parent / f"plate.{frame:04d}.exr").write_bytes(b"exr")
    argv = ["submit", str(script), "--engine", "nuke-15", "--range", "1001-1100x2", "--dry-run"]
    argv += ["--dep", str(elsewhere / "lut.cube"), "--arguments=-txV", "--env", "NUKE_PATH=/tools"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    payload = json.loads(out)
    seed_fields = set(json.loads(SEED.read_text()))
    assert seed_fields <= set(payload)
    assert payload["input"] == "share=projects/shot/shot.nk"
    assert payload["output"] == "share=projects/render"
    assert payload["range"] == "1001-1099x2"
    assert payload["dependencies"] == ["share=projects/plates", str(elsewhere / "lut.cube")]
    assert payload["settings"] == {"task_bucketsize": "5", "transfer_speedlimit": "-1"}
    assert payload["envs"] == {"NUKE_PATH": "/tools"}
    assert payload["parameters"]["remote_os"] in ("linux", "mac", "windows")
    assert "mapped_share_paths" not in payload["parameters"]  # the volume's own paths need no entry
    assert payload["parameters"]["site"] == {"local": {"settings": {"download": {"enable": "false"}}}}
    assert validate_payload(payload) == []
    assert str(elsewhere / "lut.cube") in err and "no accsyn share" in err
    assert "1 job, 50 frames in 50 tasks; dependencies sync 51 files (153 bytes)" in err


def test_movie_outputs_render_in_one_bucket(studio, capsys, monkeypatch):
    script = studio / "shot" / "edit.nk"
    script.write_text("Root {}\n")
    movie = Output("Write1", str(studio / "out.mov"), None, [], "mov", True)
    monkeypatch.setattr(accsyn_dcc.scan, "scan_scene", lambda path, frames=None: ScanResult(path, outputs=[movie]))
    assert main(["submit", str(script), "--engine", "nuke-15", "--range", "1-48", "--dry-run", "--json"]) == 0
    [payload] = json.loads(capsys.readouterr().out)["payloads"]
    assert payload["settings"]["task_bucketsize"] == "48"


def test_submit_without_workspace_says_how_to_configure(studio, capsys):
    (studio / "a.comp").write_text("")
    assert main(["submit", str(studio / "a.comp"), "--engine", "nuke-15"]) == 1
    err = capsys.readouterr().err
    assert "accsyn-dcc server" in err and len(err.strip().splitlines()) == 1


def test_bad_range_is_named(studio, capsys):
    (studio / "a.comp").write_text("")
    assert main(["submit", str(studio / "a.comp"), "--engine", "nuke-15", "--range", "9-1", "--dry-run"]) == 1
    assert "The frame range '9-1' is not valid: the range is reversed; write 1-9." in capsys.readouterr().err


def test_a_bad_range_is_said_in_the_same_words_by_the_command_line_and_a_scripted_submit(studio, capsys):
    """The pre-flight's one sentence, not a second wording raised before it."""
    from accsyn_dcc.hosts import SceneFileHost
    from accsyn_dcc.preflight import PreflightError
    from accsyn_dcc.scripted import scripted_submit
    from accsyn_dcc.session import SubmitSession

    script = studio / "comp.nk"
    script.write_text("Root {\n first_frame 1\n last_frame 9\n}\n")
    assert main(["submit", str(script), "--engine", "nuke-15", "--range", "1-abc", "--dry-run"]) == 1
    said = capsys.readouterr().err
    host = SceneFileHost(str(script))
    SubmitSession(host, offline=True).scan()
    with pytest.raises(PreflightError) as raised:
        scripted_submit(host, engine="nuke-15", range="1-abc", dry_run=True)
    [blocker] = [finding for finding in raised.value.findings if finding.code == "bad_range"]
    assert blocker.message.startswith("The frame range '1-abc' is not valid") and blocker.message in said


def test_payload_validate_accepts_the_seed(capsys):
    assert main(["payload", "--validate", str(SEED)]) == 0
    assert "OK" in capsys.readouterr().out


def test_payload_validate_lists_every_problem(tmp_path, capsys):
    payload = json.loads(SEED.read_text())
    payload["range"] = "x"
    payload["parameters"]["input_conversion"] = "maybe"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(payload))
    assert main(["payload", "--validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["range", "parameters.input_conversion"]


def test_payload_validate_unreadable_file(tmp_path, capsys):
    (tmp_path / "x.json").write_text("{")
    assert main(["payload", "--validate", str(tmp_path / "x.json")]) == 1
    assert "not valid JSON" in capsys.readouterr().err
