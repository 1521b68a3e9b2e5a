"""A filter key given twice is combined into one statement with a warning (compute.rst recommends combining),
never refused."""

import pytest

from accsyn_dcc.compute_job import ComputeJob
from accsyn_dcc.filters import parse_filters, review_filters
from accsyn_dcc.payload_rules import review_payload


@pytest.mark.parametrize(
    ("text", "combined"),
    [
        ("hostname:-a,hostname:-b", "hostname:-a-b"),
        ("ram:>32g,hostname:-a,site:hq,hostname:-b-c", "ram:>32g,hostname:-a-b-c,site:hq"),
        ("hostname:+a,hostname:+b,hostname:-b", "hostname:+a"),
        ("site:hq,site:sthlm", "site:hq+sthlm"),
        ("ram:>32g,ram:<64g", "ram:>32g,ram:<64g"),  # one statement cannot say it: kept, accsyn applies both
    ],
)
def test_repeated_keys_are_combined_with_a_warning(text, combined):
    reviewed = review_filters(text)
    assert reviewed.problems == ()
    assert reviewed.text == combined
    assert len(reviewed.warnings) == 1 and "appears" in reviewed.warnings[0].message


def test_a_payload_with_repeated_hostnames_is_accepted_and_stored_combined():
    reviewed = review_payload({"engine": "nuke-13", "input": "/a.nk", "filters": "hostname:-a,hostname:-b"})
    assert reviewed.problems == ()
    assert reviewed.value["filters"] == "hostname:-a-b"
    assert [warning.field for warning in reviewed.warnings] == ["filters"]


def test_parse_gives_the_combined_statements():
    assert [str(each) for each in parse_filters("hostname:-a,hostname:-b")] == ["hostname:-a-b"]


def test_the_built_payload_sends_the_combined_statement():
    payload = ComputeJob(engine="nuke-13", input="/a.nk", filters="hostname:-a,hostname:-b").to_payload()
    assert payload["filters"] == "hostname:-a-b"


def test_a_submit_says_it_combined_the_filters(tmp_path, monkeypatch, capsys):
    """The command line (and so every entry point: it is ``SubmitSession.prepare``) warns of the combination."""
    import json

    from accsyn_dcc.cli import main

    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", "")
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    scene = tmp_path / "comp.nk"
    scene.write_text(f"Root {{\n first_frame 1\n last_frame 2\n}}\nWrite {{\n file {tmp_path}/out.%04d.exr\n}}\n")
    args = ["submit", str(scene), "--engine", "nuke", "--filters", "hostname:-a,hostname:-b", "--dry-run"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["filters"] == "hostname:-a-b"
    assert "warning: filters: 'hostname' appears 2 times; combined into 'hostname:-a-b'" in captured.err
