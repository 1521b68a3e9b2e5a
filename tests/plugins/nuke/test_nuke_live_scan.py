"""The live scanner through the stand-in ``nuke`` module gives the offline scanner's records."""

import pytest

from accsyn_dcc.errors import ScanCancelled
from accsyn_dcc.scan.nuke import scan_file
from nuke_fixtures import environ


@pytest.fixture
def nuke_graph(show, tmp_path, monkeypatch):
    tests = __import__("pathlib").Path(__file__).parents[2]
    monkeypatch.syspath_prepend(str(tests / "fake_hosts"))
    monkeypatch.syspath_prepend(str(tests.parent / "plugins" / "nuke"))
    for name, value in environ(show, tmp_path).items():
        monkeypatch.setenv(name, value)
    import nuke
    from nuke import _graph

    nuke.scriptOpen(str(show / "comp" / "shot_v012.nk"))
    yield nuke
    _graph._reset_graph()


def records(result):
    return (
        sorted((d.node, d.knob, d.kind, d.path, d.exists, d.frames, d.missing) for d in result.dependencies),
        sorted((o.node, o.path, o.range, tuple(o.views), o.is_movie) for o in result.outputs),
        sorted((u.node, u.knob) for u in result.unresolved),
        result.frame_range,
    )


def test_live_scan_matches_offline_scan(nuke_graph, show, tmp_path):
    from accsyn_nuke import live_scan as live

    progress = []
    snapshot = live.collect(progress=lambda done, total: progress.append((done, total)))
    live_result = snapshot.finish()
    offline = scan_file(str(show / "comp" / "shot_v012.nk"), environ=environ(show, tmp_path))
    live_records, offline_records = records(live_result), records(offline)
    assert live_records[0] == offline_records[0]
    assert live_records[1] == offline_records[1]
    assert live_records[3] == offline_records[3]
    assert set(live_records[2]) >= {("MissingThing1", "class"), ("Text2", "font")}
    assert progress[-1][0] == progress[-1][1] == len(nuke_graph.allNodes(recurseGroups=True))


def test_cancel_stops_the_collection(nuke_graph, monkeypatch):
    from accsyn_nuke import live_scan as live

    monkeypatch.setattr(live, "PROGRESS_EVERY", 1)
    with pytest.raises(ScanCancelled):
        live.collect(cancelled=lambda: True)
