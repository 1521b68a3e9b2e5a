"""The scene's range is parsed once, by the reader that finds it, and travels as that ``FrameRange``.

The scan record holds the ``FrameRange`` itself; the host that remembers the scan hands it on as it is, and
only the edge that writes JSON (``scan --json``) turns it into accsyn range text.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Dict

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.config import Settings
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.scan.records import ScanResult
from accsyn_dcc.session import SubmitChoices, SubmitSession
from accsyn_dcc.workspace import Engine, WorkspaceInfo

SCENE_RANGE = "1001-1010"
TYPED_RANGE = "1001-1005"


@pytest.fixture
def nuke_script(tmp_path, monkeypatch):
    """A Nuke script (root 1001-1010) with one Write, on a studio share; no credentials."""
    root = tmp_path / "projects"
    (root / "shot").mkdir(parents=True)
    studio: Dict[str, Any] = {
        "workspace": {
            "volumes": [{"code": "projects", "paths": {"windows": "P:", "mac": "/Volumes/pr", "linux": str(root)}}],
            "engines": [{"code": "nuke-15", "settings": {"default_range": "1-100", "default_bucketsize": 5}}],
        }
    }
    (tmp_path / "studio.json").write_text(json.dumps(studio))
    for name in ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_CREDENTIALS_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    script = root / "shot" / "comp.nk"
    script.write_text(
        "Root {\n inputs 0\n first_frame 1001\n last_frame 1010\n}\n"
        f"Write {{\n file {root}/render/comp.%04d.exr\n file_type exr\n name Write1\n}}\n"
    )
    return script


@pytest.fixture
def parsed(monkeypatch) -> Counter:
    """Every text ``FrameRange.parse`` is given (``from_bounds`` and ``from_runs`` build through it too)."""
    texts: Counter = Counter()
    parse = FrameRange.parse.__func__  # type: ignore[attr-defined]

    def counting(cls, text, field="range"):
        texts[text] += 1
        return parse(cls, text, field)

    monkeypatch.setattr(FrameRange, "parse", classmethod(counting))
    return texts


def test_a_dry_run_parses_the_scene_range_once(nuke_script, parsed, capsys):
    assert main(["submit", str(nuke_script), "--engine", "nuke-15", "--range", TYPED_RANGE, "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["range"] == TYPED_RANGE
    assert parsed[SCENE_RANGE] == 1  # by the reader; the host, the choices and the checks take that FrameRange
    assert set(parsed) == {SCENE_RANGE, TYPED_RANGE}  # the artist's text is the only other range parsed
    assert parsed[TYPED_RANGE] == 2  # once by the choices (kept through their copies), once by the payload's check


def test_without_a_range_the_scene_range_the_reader_parsed_travels_into_the_choices(nuke_script, parsed, capsys):
    assert main(["submit", str(nuke_script), "--engine", "nuke-15", "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["range"] == SCENE_RANGE
    assert parsed == {SCENE_RANGE: 2}  # by the reader, and by the payload's own check at the boundary


def test_the_host_hands_on_the_range_its_scan_found_as_it_is(nuke_script, parsed):
    host = SceneFileHost(str(nuke_script))
    assert host.frame_range() is None  # not scanned yet
    scan = host.collect_scan(None, lambda done, total: None, lambda: False).finish()
    assert isinstance(scan.frame_range, FrameRange) and str(scan.frame_range) == SCENE_RANGE
    assert host.frame_range() is scan.frame_range and host.frame_range() is scan.frame_range
    assert parsed[SCENE_RANGE] == 1


def test_scan_json_writes_the_range_as_accsyn_range_text(nuke_script, capsys):
    assert main(["scan", str(nuke_script), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["frame_range"] == SCENE_RANGE
    assert ScanResult(scene="x.nk").to_dict()["frame_range"] is None
    stepped = ScanResult(scene="x.blend", frame_range=FrameRange.from_bounds(1, 10, 2)).to_dict()
    assert stepped["frame_range"] == "1-9x2"


def test_an_output_s_own_range_travels_as_its_frame_range(nuke_script, parsed, capsys):
    limited = " use_limit true\n first 1003\n last 1008\n name Write1\n}\nWrite {\n file /x/b.%04d.exr\n name Write2\n"
    nuke_script.write_text(nuke_script.read_text().replace(" name Write1\n", limited))
    host = SceneFileHost(str(nuke_script))
    session = SubmitSession(host, Settings({}), workspace=WorkspaceInfo(engines=[Engine("nuke-15")]))
    scan = session.scan()
    write1, write2 = host.outputs()
    assert isinstance(write1.range, FrameRange) and str(write1.range) == "1003-1008" and write1 is scan.outputs[0]
    choices = SubmitChoices(engine="nuke-15", range_text=TYPED_RANGE, outputs=(write1, write2), one_job_per_output=True)
    assert [payload["range"] for payload in session.payloads(choices)] == ["1003-1005", TYPED_RANGE]
    assert parsed["1003-1008"] == 1  # by the reader; the session clips the job's frames with that FrameRange
    assert main(["scan", str(nuke_script), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outputs"][0]["range"] == "1003-1008"
