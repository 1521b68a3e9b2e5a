"""``submit --test-render``: the first frame rendered in place and on an empty site, compared pixel for pixel
(bpy, Cycles on the demo shot at 64x48)."""

import json
from dataclasses import replace

import pytest
from session_helpers import StubScan

from accsyn_dcc.cli import main
from accsyn_dcc.config import Settings
from accsyn_dcc.demo import build_demo_project
from accsyn_dcc.farm.trial import trial_render
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.paths import current_os
from accsyn_dcc.preflight import PreflightError
from accsyn_dcc.scripted import scripted_submit

pytestmark = pytest.mark.blender


@pytest.fixture(scope="module")
def shot(tmp_path_factory):
    root = tmp_path_factory.mktemp("trial") / "projects"
    return build_demo_project(str(root)), root


@pytest.fixture
def studio(shot, tmp_path, monkeypatch):
    """The demo project as the one share of the studio settings."""
    values = {"workspace": {"volumes": [{"code": "projects", "paths": {current_os(): str(shot[1])}}]}}
    (tmp_path / "studio.json").write_text(json.dumps(values))
    monkeypatch.setenv("ACCSYN_DCC_STUDIO_CONFIG", str(tmp_path / "studio.json"))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    return Settings(values)


class LeavingOut(SceneFileHost):
    """The scene file, its scan missing the dependencies whose path holds ``part`` (a reader that missed them)."""

    def __init__(self, path: str, part: str) -> None:
        super().__init__(path)
        self.part = part

    def collect_scan(self, frames, progress, cancelled):
        result = super().collect_scan(frames, progress, cancelled).finish()
        kept = [each for each in result.dependencies if self.part not in each.path.replace("\\", "/")]
        assert len(kept) < len(result.dependencies), result.dependencies
        return StubScan(replace(result, dependencies=kept))


def scanned(host: SceneFileHost) -> SceneFileHost:
    """``host`` once read, so it knows the scene's range and outputs as a scripted submit in Blender would."""
    host.collect_scan(None, lambda done, total: None, lambda: False).finish()
    return host


def test_submit_test_render_says_the_first_frame_renders_the_same_on_an_empty_site(shot, studio, capsys):
    argv = ["submit", shot[0], "--engine", "blender", "--range", "2-3", "--dry-run", "--test-render"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "warning: test render: frame 2 renders the same on an empty site" in captured.err.splitlines()
    assert json.loads(captured.out)["range"] == "2-3"  # the job itself is unchanged


def test_without_the_flag_nothing_is_rendered(shot, studio, capsys):
    assert main(["submit", shot[0], "--engine", "blender", "--dry-run"]) == 0
    assert "test render" not in capsys.readouterr().err


def test_a_texture_the_job_leaves_out_renders_differently_and_stops_the_submit(shot, studio):
    with pytest.raises(PreflightError) as raised:
        scripted_submit(scanned(LeavingOut(shot[0], "textures/checker.png")), engine="blender", dry_run=True,
                        test_render=True)  # fmt: skip
    [finding] = raised.value.findings
    assert finding.message == ("test render: frame 1 renders differently on an empty site (beauty_0001.png): the "
                               "job is missing a file the render reads")  # fmt: skip


def test_a_library_the_job_leaves_out_fails_there_with_blenders_reason(shot, studio):
    with pytest.raises(PreflightError) as raised:
        scripted_submit(scanned(LeavingOut(shot[0], "lib/props.blend")), engine="blender", dry_run=True,
                        test_render=True)  # fmt: skip
    [finding] = raised.value.findings
    assert finding.message.startswith("test render: frame 1 fails on an empty site: "), finding.message
    assert "props.blend" in finding.message


def test_a_scripted_submit_with_every_file_passes_and_logs_the_note(shot, studio, caplog):
    [payload] = scripted_submit(scanned(SceneFileHost(shot[0])), range="3", engine="blender", dry_run=True,
                                 test_render=True)  # fmt: skip
    assert payload["range"] == "3"
    assert "accsyn: test render: frame 3 renders the same on an empty site" in caplog.messages


def test_a_test_render_out_of_time_is_stopped_in_one_line(shot, studio):
    [payload] = scripted_submit(scanned(SceneFileHost(shot[0])), engine="blender", dry_run=True)
    finding = trial_render(payload, studio, seconds=0.01)
    assert not finding.blocks
    assert finding.message == ("test render: frame 1 did not render in place and on an empty site within 0.01 s; "
                               "it was stopped, nothing compared")  # fmt: skip
    assert "\n" not in finding.message
