"""The local farm's sites: filters choose the nodes, and a site with a root of its own renders only what the job
sends it, its results coming back as the job's site settings say (``local`` swapped, compute.rst)."""

import json
import socket
import textwrap
import time

import pytest

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.farm import LocalFarm
from accsyn_dcc.farm.sites import FarmSite, Node, farm_sites
from accsyn_dcc.farm.transfer import transfer, transfer_settings
from accsyn_dcc.workspace import Volume

COPYING_ENGINE = textwrap.dedent(
    """\
    import os, sys
    sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])
    from common import Common


    class Engine(Common):
        # -- ENGINE CONFIG START --
        SETTINGS = {"items": True, "default_bucketsize": 1}
        # -- ENGINE CONFIG END --

        def get_executable(self):
            return sys.executable

        def get_commandline(self, item):
            dependency = self.normalize_path(self.get_compute()["dependencies"][0])
            target = os.path.join(self.get_output(), "frame_%04d.txt" % int(item))
            code = "import sys; a, b, out = sys.argv[1:]; t = open(a).read() + open(b).read(); open(out, 'w').write(t)"
            return [sys.executable, "-c", code, self.get_input(), dependency, target]


    if __name__ == "__main__":
        Engine.main()
    """
)


@pytest.fixture
def studio(tmp_path):
    """The submitter's project (in place), and an engine that writes each frame from its input and dependency."""
    (tmp_path / "engines").mkdir()
    (tmp_path / "engines" / "copier.py").write_text(COPYING_ENGINE)
    project = tmp_path / "studio" / "proj"
    (project / "tex").mkdir(parents=True)
    (project / "scene.txt").write_text("scene;")
    (project / "tex" / "dep.txt").write_text("texture")
    return tmp_path


def job(**extra):
    data = {"engine": "copier", "input": "share=proj/scene.txt", "dependencies": ["share=proj/tex/dep.txt"],
            "output": "share=proj/out", "range": "1-2"}  # fmt: skip
    data.update(extra)
    return data


def site_settings(site, direction, **values):
    return {"site": {site: {"settings": {direction: values}}}}


def run(root, payload, sites):
    volumes = [Volume("proj", {"linux": str(root / "studio" / "proj"), "mac": str(root / "studio" / "proj")})]
    farm = LocalFarm(payload, volumes=volumes, engines_dir=str(root / "engines"), work_dir=str(root / "work"),
                     progress=False, retries=0, sites=sites)  # fmt: skip
    return farm.run()


def two_sites(root, main_root=None):
    return farm_sites([{"code": "hq", "main": True, "root": main_root}], [f"remote={root / 'remote'}"], 1)


@pytest.mark.parametrize(
    "filters, reason",
    [
        (f"hostname:-{socket.gethostname()}", f"host {socket.gethostname()} is excluded"),
        ("site:sthlm", "site hq is not asked for"),
        ("ram:>100000g", "g of RAM (ram:>100000g)"),
    ],
)
def test_a_job_no_node_may_take_waits_with_the_reason(studio, filters, reason):
    summary = run(studio, job(filters=filters), farm_sites([], [], 2))
    assert not summary.ok
    assert summary.waiting_buckets == ["1", "2"] and summary.frames_done == []
    assert all(task.waiting and reason in task.reason for task in summary.tasks)
    assert "2 bucket(s) waiting, the run ends here: waiting: no node may take it: hq/" in str(summary)
    assert not (studio / "studio" / "proj" / "out").exists()


def test_filters_choose_the_site_and_its_nodes(studio):
    sites = (
        FarmSite("hq", None, (Node("ws1", "ws1", "hq", 16, 8),), main=True),
        FarmSite("remote", str(studio / "remote"), (Node("big1", "big1", "remote", 256, 64),)),
    )
    summary = run(studio, job(filters="ram:>32g,cores:>16,hostname:-ws1"), sites)
    assert summary.ok, summary
    assert {(task.site, task.node) for task in summary.tasks} == {("remote", "big1")}
    data = json.loads((studio / "work" / "tasks" / "1" / "data.json").read_text())
    assert data["site"] == {"code": "remote"}  # a named site, never "local"


def test_a_remote_site_renders_only_what_the_job_sends_and_sends_the_results_back(studio):
    summary = run(studio, job(filters="site:remote"), two_sites(studio))
    assert summary.ok, summary
    remote = studio / "remote" / "proj"
    assert sorted(str(path.relative_to(remote)) for path in remote.rglob("*.txt")) == [
        "out/frame_0001.txt", "out/frame_0002.txt", "scene.txt", "tex/dep.txt"]  # fmt: skip
    assert (studio / "studio" / "proj" / "out" / "frame_0002.txt").read_text() == "scene;texture"
    log = (studio / "work" / "tasks" / "1" / "task.log").read_text()
    assert f"to remote (remote settings): 1 file(s) transferred: {studio}/studio/proj/tex/dep.txt" in log
    assert f"back from remote (remote settings): 1 file(s) transferred: {remote}/out" in log


def test_download_disabled_sends_nothing_to_the_site(studio):
    summary = run(studio, job(filters="site:remote", parameters=site_settings("remote", "download", enable="false")),
                  two_sites(studio))  # fmt: skip
    assert not summary.ok
    assert not (studio / "remote" / "proj" / "tex").exists()
    assert (
        "to remote (remote settings): not transferred (disabled): share=proj/tex/dep.txt"
        in (studio / "work" / "tasks" / "1" / "task.log").read_text()
    )


def test_upload_disabled_keeps_the_results_on_the_site(studio):
    summary = run(studio, job(filters="site:remote", parameters=site_settings("remote", "upload", enable="false")),
                  two_sites(studio))  # fmt: skip
    assert summary.ok, summary
    assert (studio / "remote" / "proj" / "out" / "frame_0001.txt").read_text() == "scene;texture"
    assert not (studio / "studio" / "proj" / "out").exists()


def test_a_roaming_submitters_local_site_has_upload_and_download_swapped(studio):
    """The main site hq has a root of its own, so the submitter roams: ``local``'s upload sends the job's files."""
    main_root = studio / "hq"
    no_upload = job(parameters=site_settings("local", "upload", enable="false"))
    assert not run(studio, no_upload, two_sites(studio, str(main_root))).ok  # nothing sent: no input at hq
    assert not (main_root / "proj" / "scene.txt").exists()

    no_download = job(parameters=site_settings("local", "download", enable="false"))
    summary = run(studio, no_download, two_sites(studio, str(main_root)))
    assert summary.ok, summary  # the files were sent; the results stay at hq
    assert {task.site for task in summary.tasks} <= {"hq", "remote"}
    assert len(list((main_root / "proj" / "out").glob("frame_*"))) == 2
    assert not list((studio / "studio" / "proj").glob("out/frame_*"))

    fetched = job(parameters=site_settings("remote", "upload", enable="true"), range="3")
    assert run(studio, fetched, two_sites(studio, str(main_root))).ok
    assert (studio / "studio" / "proj" / "out" / "frame_0003.txt").read_text() == "scene;texture"


def test_the_speed_limit_paces_the_copy(tmp_path):
    (tmp_path / "a" / "proj").mkdir(parents=True)
    (tmp_path / "a" / "proj" / "big.bin").write_bytes(b"x" * 100 * 1024)
    volumes = [Volume("proj", {"linux": "/nowhere"})]
    payload = {"settings": {"transfer_speedlimit": "-1"}, **site_settings("sthlm", "common", transfer_speedlimit="0.2")}
    settings = transfer_settings({"parameters": payload, "settings": payload["settings"]}, "sthlm", True)
    assert settings.speedlimit == 0.2
    started = time.monotonic()
    lines = transfer(["share=proj/big.bin"], volumes, {"proj": str(tmp_path / "a" / "proj")},
                     {"proj": str(tmp_path / "b" / "proj")}, settings)  # fmt: skip
    assert time.monotonic() - started >= 0.45  # 100 KB at 0.2 MB/s
    assert lines[0].startswith("1 file(s) transferred") and (tmp_path / "b" / "proj" / "big.bin").stat().st_size > 0


def test_no_site_is_called_local():
    with pytest.raises(AccsynDccError, match="never 'local'"):
        farm_sites([], ["local=/tmp/x"], 1)
