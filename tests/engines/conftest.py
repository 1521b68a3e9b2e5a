"""A stand-in Nuke executable for the engine tests."""

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

