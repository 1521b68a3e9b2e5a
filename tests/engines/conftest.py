"""Stand-in Nuke and Maya Render executables for the engine tests."""

import stat
import sys
import textwrap

import pytest

FAKE_NUKE = textwrap.dedent(
    """\
    #!{python}
    import json, os, sys
    with open(os.environ["FAKE_NUKE_ARGV"], "w") as stream:
        json.dump(sys.argv[1:], stream)
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
    path = tmp_path / "bin" / "Nuke15.1"
    path.parent.mkdir()
    path.write_text(FAKE_NUKE.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("NUKE_EXECUTABLE", str(path))
    monkeypatch.setenv("FAKE_NUKE_ARGV", str(tmp_path / "argv.json"))
    return path


FAKE_RENDER = textwrap.dedent(
    """\
    #!{python}
    # Prints what Arnold's drivers print for each image: every layer of -rl, with a beauty and one AOV per frame.
    import json, os, sys
    with open(os.environ["FAKE_RENDER_ARGV"], "w") as stream:
        json.dump({{"argv": sys.argv[1:], "pythonpath": os.environ.get("PYTHONPATH", ""),
                    "pairs": os.environ.get("ACCSYN_MAYA_PATH_PAIRS", "")}}, stream)
    first = int(sys.argv[sys.argv.index("-s") + 1]) if "-s" in sys.argv else 1
    last = int(sys.argv[sys.argv.index("-e") + 1]) if "-e" in sys.argv else first
    layers = sys.argv[sys.argv.index("-rl") + 1].split(",") if "-rl" in sys.argv else ["defaultRenderLayer"]
    folder = sys.argv[sys.argv.index("-rd") + 1] if "-rd" in sys.argv else "/renders"
    for layer in layers:
        name = "masterLayer" if layer == "defaultRenderLayer" else layer.replace("rs_", "", 1)
        for frame in range(first, last + 1):
            for aov in ("beauty", "diffuse"):
                path = "%s/shot/%s/%s_%s.%04d.exr" % (folder, name, name, aov, frame)
                print("00:00:01   512MB         | [driver_exr] writing file `%s'" % path, flush=True)
    sys.exit(int(os.environ.get("FAKE_RENDER_EXIT", "0")))
    """
)


@pytest.fixture
def fake_render(tmp_path, monkeypatch):
    """A stand-in for Maya's Render that records argv and environment and prints Arnold's written-file lines."""
    path = tmp_path / "bin" / "Render"
    path.parent.mkdir(exist_ok=True)
    path.write_text(FAKE_RENDER.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("MAYA_RENDER_EXECUTABLE", str(path))
    monkeypatch.setenv("FAKE_RENDER_ARGV", str(tmp_path / "render.json"))
    return path


FAKE_HYTHON = textwrap.dedent(
    """\
    #!{python}
    # Records argv and HOUDINI_PATHMAP, then prints what the render script prints for each frame.
    import json, os, sys
    options = json.loads(sys.argv[-1])
    with open(os.environ["FAKE_HOUDINI_ARGV"], "w") as stream:
        json.dump({{"argv": sys.argv[1:], "pathmap": os.environ.get("HOUDINI_PATHMAP", "")}}, stream)
    for frame in range(options["first"], options["last"] + 1):
        print("ROP node endRender", flush=True)
        print("accsyn: frame %d rendered" % frame, flush=True)
    sys.exit(int(os.environ.get("FAKE_HOUDINI_EXIT", "0")))
    """
)

FAKE_HUSK = textwrap.dedent(
    """\
    #!{python}
    import json, os, sys
    with open(os.environ["FAKE_HOUDINI_ARGV"], "w") as stream:
        json.dump({{"argv": sys.argv[1:], "pathmap": os.environ.get("HOUDINI_PATHMAP", "")}}, stream)
    first = int(sys.argv[sys.argv.index("--frame") + 1])
    count = int(sys.argv[sys.argv.index("--frame-count") + 1])
    for frame in range(first, first + count):
        print("[12:00:01] Wrote image: /renders/shot.%04d.exr" % frame, flush=True)
    """
)


def _executable(folder, name, text):
    path = folder / "bin" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def fake_houdini(tmp_path, monkeypatch):
    """Stand-in hython and husk executables that record argv and HOUDINI_PATHMAP."""
    hython = _executable(tmp_path, "hython", FAKE_HYTHON)
    husk = _executable(tmp_path, "husk", FAKE_HUSK)
    monkeypatch.setenv("HOUDINI_HYTHON", str(hython))
    monkeypatch.setenv("HUSK_EXECUTABLE", str(husk))
    monkeypatch.setenv("FAKE_HOUDINI_ARGV", str(tmp_path / "houdini.json"))
    return hython, husk
