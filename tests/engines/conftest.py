"""Stand-in Nuke and Maya Render executables for the engine tests."""

import textwrap

import pytest
from fake_executables import FAKE_HYTHON, FAKE_RENDER, install_executable

FAKE_NUKE = textwrap.dedent(
    """\
    #!{python}
    import json, os, sys
    record = os.environ["FAKE_NUKE_ARGV"] + ".%d" % os.getpid()  # parallel workers: each writes whole, then swaps
    with open(record, "w") as stream:
        json.dump(sys.argv[1:], stream)
    os.replace(record, os.environ["FAKE_NUKE_ARGV"])
    frames = sys.argv[sys.argv.index("-F") + 1] if "-F" in sys.argv else "1"
    first, _, last = frames.partition("-")
    for frame in range(int(first), int(last or first) + 1):
        print("Writing /renders/comp.%04d.exr took 0.1 seconds" % frame, flush=True)
    sys.exit(int(os.environ.get("FAKE_NUKE_EXIT", "0")))
    """
)


@pytest.fixture
def fake_nuke(tmp_path, monkeypatch):
    """A stand-in Nuke executable that records its argv and prints Nuke's 'Writing ... took' lines."""
    path = install_executable(tmp_path, "Nuke15.1", FAKE_NUKE)
    monkeypatch.setenv("NUKE_EXECUTABLE", str(path))
    monkeypatch.setenv("FAKE_NUKE_ARGV", str(tmp_path / "argv.json"))
    return path


@pytest.fixture
def fake_render(tmp_path, monkeypatch):
    """A stand-in for Maya's Render that records argv and environment and prints Arnold's written-file lines."""
    path = install_executable(tmp_path, "Render", FAKE_RENDER)
    monkeypatch.setenv("MAYA_RENDER_EXECUTABLE", str(path))
    monkeypatch.setenv("FAKE_RENDER_ARGV", str(tmp_path / "render.json"))
    return path


FAKE_HUSK = textwrap.dedent(
    """\
    #!{python}
    import json, os, sys
    record = os.environ["FAKE_HOUDINI_ARGV"] + ".%d" % os.getpid()  # parallel workers: each writes whole, then swaps
    with open(record, "w") as stream:
        json.dump({{"argv": sys.argv[1:], "pathmap": os.environ.get("HOUDINI_PATHMAP", "")}}, stream)
    os.replace(record, os.environ["FAKE_HOUDINI_ARGV"])
    first = int(sys.argv[sys.argv.index("--frame") + 1])
    count = int(sys.argv[sys.argv.index("--frame-count") + 1])
    for frame in range(first, first + count):
        print("[12:00:01] Wrote image: /renders/shot.%04d.exr" % frame, flush=True)
    """
)


@pytest.fixture
def fake_houdini(tmp_path, monkeypatch):
    """Stand-in hython and husk executables that record argv and HOUDINI_PATHMAP."""
    hython = install_executable(tmp_path, "hython", FAKE_HYTHON)
    husk = install_executable(tmp_path, "husk", FAKE_HUSK)
    monkeypatch.setenv("HOUDINI_HYTHON", str(hython))
    monkeypatch.setenv("HUSK_EXECUTABLE", str(husk))
    monkeypatch.setenv("FAKE_HOUDINI_ARGV", str(tmp_path / "houdini.json"))
    return hython, husk
