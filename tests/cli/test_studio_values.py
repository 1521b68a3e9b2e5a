"""The studio file takes ``SubmitChoices``' shapes and the payload sends compute.rst's: ``defaults.envs`` and
``defaults.os_envs`` (and ``--env linux:NAME=VALUE``) as per-OS ``envs``, ``defaults.site_settings``
``{site: {direction: {...}}}`` as ``{site: {"settings": {...}}}``, and setting values given as numbers or text."""

import json

import pytest

import accsyn_dcc.scan
from accsyn_dcc.cli import main
from accsyn_dcc.config import ConfigError, load_settings
from accsyn_dcc.scan.records import Output, ScanResult

SITE_SETTINGS = {"local": {"download": {"enable": "false"}, "upload": {"task_bucketsize": 1},
                           "common": {"transfer_speedlimit": "2"}}}  # fmt: skip
ENVS = {"FOUNDRY_LICENSE_DEBUG": "true"}
OS_ENVS = {"linux": {"NUKE_PATH": "/projects/nuke/src"}, "windows": {"NUKE_PATH": "C:\\projects\\nuke\\src"}}


def studio_file(tmp_path, defaults):
    root = tmp_path / "projects"
    (root / "shot").mkdir(parents=True)
    config = {
        "workspace": {
            "volumes": [{"code": "projects", "paths": {"windows": "P:", "mac": "/P", "linux": str(root)}}],
            "engines": [{"code": "nuke-15", "settings": {"default_range": "1-10", "default_bucketsize": 5}}],
        },
        "defaults": defaults,
    }
    path = tmp_path / "studio.json"
    path.write_text(json.dumps(config))
    return path


@pytest.fixture
def submit(tmp_path, monkeypatch):
    """Run ``submit --dry-run --json`` on a scene under a studio file with ``defaults``; give its payload."""

    def run(defaults, *options):
        path = studio_file(tmp_path, defaults)
        for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(path))
        monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
        script = tmp_path / "projects" / "shot" / "shot.nk"
        script.write_text("Root {}\n")
        out = Output("Write1", str(tmp_path / "projects" / "out.%04d.exr"), None, [])
        monkeypatch.setattr(accsyn_dcc.scan, "scan_scene", lambda path, frames=None: ScanResult(path, outputs=[out]))
        code = main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--json", *options])
        return code, json.loads(run.capsys.readouterr().out)["payloads"][0] if code == 0 else None

    return run


@pytest.fixture(autouse=True)
def _capsys(submit, capsys):
    submit.capsys = capsys


def test_the_studio_file_takes_the_seeds_site_settings_and_sends_them_as_text(submit):
    code, payload = submit({"site_settings": SITE_SETTINGS})
    assert code == 0
    assert payload["parameters"]["site"] == {"local": {"settings": {
        "download": {"enable": "false"}, "upload": {"task_bucketsize": "1"}, "common": {"transfer_speedlimit": "2"}}}}


def test_the_studio_file_takes_per_os_envs(submit):
    code, payload = submit({"envs": ENVS, "os_envs": OS_ENVS})
    assert code == 0
    assert payload["envs"] == {"common": ENVS, **OS_ENVS}


def test_the_studio_file_takes_a_speed_limit_as_text(submit):
    code, payload = submit({"transfer_speedlimit": "-1", "bucket_size": 4})
    assert code == 0
    assert payload["settings"] == {"task_bucketsize": "4", "transfer_speedlimit": "-1"}


def test_per_os_env_options_go_to_their_os_and_plain_ones_to_common(submit):
    code, payload = submit({}, "--env", "linux:NUKE_PATH=/x", "--env", "windows:NUKE_PATH=X:\\x",
                           "--env", "mac:NUKE_PATH=/Volumes/x", "--env", "OCIO=/a:/b")  # fmt: skip
    assert code == 0
    assert payload["envs"] == {"common": {"OCIO": "/a:/b"}, "linux": {"NUKE_PATH": "/x"},
                               "windows": {"NUKE_PATH": "X:\\x"}, "mac": {"NUKE_PATH": "/Volumes/x"}}  # fmt: skip


def test_an_env_option_for_an_unknown_os_is_refused_naming_it(submit, capsys):
    code, _ = submit({}, "--env", "amiga:NUKE_PATH=/x")
    assert code != 0
    assert "amiga" in capsys.readouterr().err


def test_a_bad_site_setting_in_the_studio_file_is_named(tmp_path):
    path = studio_file(tmp_path, {"site_settings": {"local": {"sideways": {}}}})
    with pytest.raises(ConfigError, match=r"'defaults\.site_settings' must be"):
        load_settings({"ACCSYN_DCC_STUDIO_CONFIG": str(path), "ACCSYN_DCC_USER_CONFIG": str(tmp_path / "u.json")})
