"""Configuration layering and credential precedence; nothing touches the real home."""

import json

import pytest

from accsyn_dcc.config import ConfigError, load_credentials, load_settings, save_user_settings


@pytest.fixture
def environ(tmp_path):
    return {"ACCSYN_DCC_USER_CONFIG": str(tmp_path / "user" / "settings.json")}


def test_user_settings_layer_over_studio_defaults(tmp_path, environ):
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"defaults": {"queue": "Medium", "filters": "ram:>32g"}, "local_share_paths": {}}))
    environ["ACCSYN_DCC_STUDIO_CONFIG"] = str(studio)
    save_user_settings({"defaults": {"queue": "High"}}, environ)
    save_user_settings({"submit": {"engine": "nuke-15"}}, environ)
    settings = load_settings(environ)
    assert settings.get("defaults") == {"queue": "High", "filters": "ram:>32g"}
    assert settings.get("submit") == {"engine": "nuke-15"}
    assert json.loads((tmp_path / "user" / "settings.json").read_text())["defaults"] == {"queue": "High"}


def test_workspace_section_describes_volumes(tmp_path, environ):
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"workspace": {"volumes": [{"code": "p", "paths": {"linux": "/p"}}]}}))
    environ["ACCSYN_DCC_STUDIO_CONFIG"] = str(studio)
    assert [volume.code for volume in load_settings(environ).workspace.volumes] == ["p"]


@pytest.mark.parametrize("text", ["{not json", "[" * 100_000])
def test_bad_studio_config_names_the_file(tmp_path, environ, text):
    studio = tmp_path / "studio.json"
    studio.write_text(text)
    environ["ACCSYN_DCC_STUDIO_CONFIG"] = str(studio)
    with pytest.raises(ConfigError, match=r"studio\.json"):
        load_settings(environ)


def test_credentials_precedence_and_stray_env_file_ignored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("ACCSYN_WORKSPACE=stray\nACCSYN_API_USER=u\nACCSYN_API_KEY=k\n")
    assert load_credentials(environ={}) is None
    named = tmp_path / "creds.env"
    named.write_text("# studio\nACCSYN_WORKSPACE=\"named\"\nACCSYN_API_USER=user@x\nACCSYN_API_KEY='s3cret'\n")
    environ = {"ACCSYN_WORKSPACE": "env", "ACCSYN_API_USER": "e", "ACCSYN_API_KEY": "envkey"}
    assert load_credentials(environ=environ).workspace == "env"
    from_file = load_credentials(env_file=str(named), environ=environ)
    assert (from_file.workspace, from_file.api_key) == ("named", "s3cret")
    from_args = load_credentials(workspace="arg", environ={"ACCSYN_CREDENTIALS_PATH": str(named)})
    assert (from_args.workspace, from_args.user) == ("arg", "user@x")
    assert "s3cret" not in repr(from_file) and "s3cret" not in str(from_file)


def test_tls_options():
    base = {"ACCSYN_WORKSPACE": "w", "ACCSYN_API_USER": "u", "ACCSYN_API_KEY": "k"}
    assert load_credentials(environ=base).verify is True
    assert load_credentials(environ={**base, "ACCSYN_CA_BUNDLE": "/ca.pem"}).verify == "/ca.pem"
    assert load_credentials(environ={**base, "ACCSYN_DCC_INSECURE": "1"}).verify is False
    with pytest.raises(ConfigError, match="ACCSYN_API_PORT"):
        load_credentials(environ={**base, "ACCSYN_API_PORT": "http"})


def test_malformed_env_file_names_the_line(tmp_path):
    named = tmp_path / "creds.env"
    named.write_text("ACCSYN_WORKSPACE=w\nthis is not a pair\n")
    with pytest.raises(ConfigError, match="line 2"):
        load_credentials(env_file=str(named), environ={})


def test_workspace_sections_at_the_top_level_are_refused(tmp_path, environ):
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"volumes": [{"code": "p", "paths": {"linux": "/p"}}]}))
    environ["ACCSYN_DCC_STUDIO_CONFIG"] = str(studio)
    with pytest.raises(ConfigError, match=r'studio\.json: volumes belong under "workspace"'):
        load_settings(environ)


def test_every_host_engine_override_is_accepted(tmp_path, environ):
    studio = tmp_path / "studio.json"
    overrides = {"nuke_engine": "nuke-15", "maya_engine": "maya-2024", "houdini_engine": "houdini-20"}
    studio.write_text(json.dumps(overrides))
    environ["ACCSYN_DCC_STUDIO_CONFIG"] = str(studio)
    assert load_settings(environ).values == overrides
    studio.write_text(json.dumps({"maya_engine": 2024}))
    with pytest.raises(ConfigError, match="'maya_engine' must be an engine code"):
        load_settings(environ)
