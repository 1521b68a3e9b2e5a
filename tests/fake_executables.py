"""Stand-in host executables (Maya's Render, Houdini's hython) for engine and farm tests."""

import stat
import sys
import textwrap
from pathlib import Path

FAKE_RENDER = textwrap.dedent(
    """\
    #!{python}
    # Prints what Arnold's drivers print for each image: every layer of -rl, with a beauty and one AOV per frame.
    import json, os, sys
    record = os.environ["FAKE_RENDER_ARGV"] + ".%d" % os.getpid()  # parallel workers: each writes whole, then swaps
    with open(record, "w") as stream:
        json.dump({{"argv": sys.argv[1:], "pythonpath": os.environ.get("PYTHONPATH", ""),
                    "pairs": os.environ.get("ACCSYN_MAYA_PATH_PAIRS", "")}}, stream)
    os.replace(record, os.environ["FAKE_RENDER_ARGV"])
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


FAKE_HYTHON = textwrap.dedent(
    """\
    #!{python}
    # Records argv and HOUDINI_PATHMAP, then prints what the render script prints for each frame.
    import json, os, sys
    options = json.loads(sys.argv[-1])
    record = os.environ["FAKE_HOUDINI_ARGV"] + ".%d" % os.getpid()  # parallel workers: each writes whole, then swaps
    with open(record, "w") as stream:
        json.dump({{"argv": sys.argv[1:], "pathmap": os.environ.get("HOUDINI_PATHMAP", "")}}, stream)
    os.replace(record, os.environ["FAKE_HOUDINI_ARGV"])
    for frame in range(options["first"], options["last"] + 1):
        print("ROP node endRender", flush=True)
        print("accsyn: frame %d rendered" % frame, flush=True)
    sys.exit(int(os.environ.get("FAKE_HOUDINI_EXIT", "0")))
    """
)


def install_executable(folder: Path, name: str, text: str) -> Path:
    """``text`` (a script template with ``{python}``) as an executable ``folder/bin/name``."""
    path = folder / "bin" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path
