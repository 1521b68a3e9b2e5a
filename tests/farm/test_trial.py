"""The test render's rules that need no renderer: one rule for same pixels, and the one-line answers when it
cannot test-render (an engine whose frames it cannot compare, a scene on no share, a job without a range)."""

from array import array

from accsyn_dcc.config import Settings
from accsyn_dcc.farm.compare import Pixels, same_pixels
from accsyn_dcc.farm.trial import trial_render

SETTINGS = Settings({"workspace": {"volumes": [{"code": "projects", "paths": {"linux": "/mnt/projects"}}]}})


def image(*values: float, size=(1, 1, 4)) -> Pixels:
    return Pixels(size, array("f", values))


def test_same_pixels_means_the_same_size_and_every_value_equal():
    assert same_pixels(image(0.5, 0.25, 0, 1), image(0.5, 0.25, 0, 1))
    assert not same_pixels(image(0.5, 0.25, 0, 1), image(0.5, 0.2501, 0, 1))  # tolerance 0
    assert not same_pixels(image(0.5, 0.25, 0, 1), image(0.5, 0.25, 0, 1, size=(1, 1, 3)))
    assert not same_pixels(image(0.5, 0.25, 0, 1), Pixels(error="no such file"))


def test_an_engine_whose_frames_cannot_be_compared_says_so_in_one_line(tmp_path):
    payload = {"engine": "nuke-15", "name": "comp", "input": "share=projects/comp.nk", "range": "1001-1010"}
    finding = trial_render(payload, SETTINGS)
    assert not finding.blocks
    assert finding.message == "test render: not run: nuke-15 frames cannot be compared here (only Blender's)"


def test_a_scene_on_no_share_is_not_test_rendered():
    payload = {"engine": "blender", "name": "shot", "input": "/home/me/shot.blend", "range": "1-3"}
    finding = trial_render(payload, SETTINGS)
    assert finding.message == ("test render: not run: /home/me/shot.blend is on no share, so no empty site can "
                               "be sent it")  # fmt: skip


def test_a_job_without_a_range_is_not_test_rendered():
    finding = trial_render({"engine": "blender", "name": "shot", "input": "share=projects/shot.blend"}, SETTINGS)
    assert finding.message == "test render: not run: the job has no frame range to take one frame from"
