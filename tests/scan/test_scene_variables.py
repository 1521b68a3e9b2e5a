"""One rule for the variables a scanned scene names: never a credential, in every reader (OCIO included)."""

from __future__ import annotations

import json

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.scan.environment import Unresolvable, expand_variables, is_credential_name, scene_variable
from accsyn_dcc.scan.ocio import config_files
from accsyn_dcc.sequences import DirectoryIndex

KEY = "k3y-0f-the-studio-5ecret"


@pytest.mark.parametrize(
    "name",
    ["ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "DB_PASS", "SMTP_PWD",
     "my_private_dir", "SESSION_ID", "Auth_Header", "ftp_password"],
)  # fmt: skip
def test_credential_shaped_names_are_refused(name):
    assert is_credential_name(name)
    with pytest.raises(Unresolvable, match=f"credential variable {name}; refused"):
        scene_variable(name, {name: KEY})


@pytest.mark.parametrize("name", ["SHOT", "JOB", "PWD", "OLDPWD", "HOME", "OCIO", "PASSES_ROOT", "HIP"])
def test_ordinary_names_are_read(name):
    assert not is_credential_name(name)
    assert expand_variables(f"${{{name}}}/a.exr", {name: "/x"}) == "/x/a.exr"


OCIO_CONFIG = """ocio_profile_version: 2
environment:
  ACCSYN_API_KEY: none
search_path: luts
roles:
  default: linear
displays:
  sRGB:
    - !<View> {name: Raw, colorspace: linear}
colorspaces:
  - !<ColorSpace>
    name: linear
    to_scene_reference: !<GroupTransform>
      children:
        - !<FileTransform> {src: "$ACCSYN_API_KEY.cube"}
        - !<FileTransform> {src: "${AWS_SECRET_ACCESS_KEY}.cube"}
        - !<FileTransform> {src: "$GITHUB_TOKEN.cube"}
        - !<FileTransform> {src: "$ACCSYN_CREDENTIALS_PATH"}
        - !<FileTransform> {src: "$SHOT.cube"}
"""


@pytest.fixture
def secrets_in_environment(tmp_path, monkeypatch):
    """The key and other secrets set as a studio machine has them, and a credentials file that exists."""
    credentials = tmp_path / "accsyn.env"
    credentials.write_text(f"ACCSYN_API_KEY={KEY}\n")
    environ = {"ACCSYN_API_KEY": KEY, "AWS_SECRET_ACCESS_KEY": KEY, "GITHUB_TOKEN": KEY,
               "ACCSYN_CREDENTIALS_PATH": str(credentials), "SHOT": "sh010"}  # fmt: skip
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return environ


def test_an_ocio_config_never_reads_a_credential_variable(tmp_path, secrets_in_environment):
    (tmp_path / "config.ocio").write_text(OCIO_CONFIG)
    found = config_files(str(tmp_path / "config.ocio"), secrets_in_environment, DirectoryIndex())
    assert [source for source, _reason in found.unresolved] == [
        "$ACCSYN_API_KEY.cube", "${AWS_SECRET_ACCESS_KEY}.cube", "$GITHUB_TOKEN.cube", "$ACCSYN_CREDENTIALS_PATH"
    ]  # fmt: skip
    assert all("refused" in reason for _source, reason in found.unresolved)
    assert [path.rsplit("/", 1)[-1] for path, _found in found.files] == ["sh010.cube"]
    assert KEY not in repr(found)


def test_a_nuke_script_s_ocio_config_leaks_no_key_into_the_scan_or_the_dry_run(
    tmp_path, monkeypatch, capsys, secrets_in_environment
):
    root = tmp_path / "projects"
    (root / "ocio").mkdir(parents=True)
    (root / "ocio" / "config.ocio").write_text(OCIO_CONFIG)
    script = root / "comp.nk"
    script.write_text(
        "Root {\n inputs 0\n first_frame 1\n last_frame 2\n colorManagement OCIO\n OCIO_config custom\n"
        " customOCIOConfigPath ocio/config.ocio\n}\n"
        f"Write {{\n file {root}/render/comp.%04d.exr\n file_type exr\n name Write1\n}}\n"
    )
    studio = {"workspace": {"volumes": [{"code": "projects", "paths": {"linux": str(root)}}],
                            "engines": [{"code": "nuke-15", "settings": {"filename_extensions": ".nk"}}]}}  # fmt: skip
    (tmp_path / "studio.json").write_text(json.dumps(studio))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.chdir(tmp_path)

    main(["scan", str(script), "--json"])
    scanned = capsys.readouterr()
    main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--allow-missing", "--json"])
    submitted = capsys.readouterr()
    for printed in (scanned.out, scanned.err, submitted.out, submitted.err):
        assert KEY not in printed
        assert "accsyn.env" not in printed.replace("$ACCSYN_CREDENTIALS_PATH", "")
    assert "credential variable ACCSYN_API_KEY; refused" in scanned.out
    assert "accsyn.env" not in json.dumps(json.loads(submitted.out)["payloads"])


def test_every_reader_says_a_value_cannot_be_resolved_with_the_one_exception():
    """Nuke's TCL, Houdini's variables and every reader's environment raise the same ``Unresolvable``."""
    from accsyn_dcc.scan.environment import Unresolvable
    from accsyn_dcc.scan.houdini.variables import expand
    from accsyn_dcc.scan.nuke.tcl import TclEvaluator

    with pytest.raises(Unresolvable, match="needs Nuke"):
        TclEvaluator(lambda node, knob: None, "/p/comp.nk", {}).evaluate("[python nuke.thisNode()]")
    with pytest.raises(Unresolvable, match="backtick"):
        expand("`chs(\"../file\")`", "file1", {}, {})
    with pytest.raises(Unresolvable, match="refused"):
        expand("$ACCSYN_API_KEY/x", "file1", {}, {"ACCSYN_API_KEY": KEY})
