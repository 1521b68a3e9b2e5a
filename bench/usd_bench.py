"""Time the USD scan against OpenUSD's bare ``UsdUtils.ComputeAllDependencies`` on the same generated layers.

    python bench/usd_bench.py [--layers 200] [--runs 7] [--folder DIR]

The set: a shot layer referencing ``--layers`` asset layers, each with a texture, a RenderMan shader identifier and
a sublayer; every tenth asset also holds a value-clip template of 10 clips, each clip with a texture of its own;
then the same set without clips, where the bare call and ours open the same layers. Timed in one process, each the
median of ``--runs``: the bare call (which neither expands clip templates nor opens the clips), our read alone
(``layer_assets``: every layer checked and opened first, clips expanded and read) and the whole scan (``scan_file``:
the read, the disk checks, the stage's render products). No layer stays open between runs, so each run parses every
layer again.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable, List

from pxr import Sdf, UsdUtils

from accsyn_dcc.scan.usd import layer_assets, scan_file

CLIPS = """    clips = {{
        dictionary default = {{
            string primPath = "/Anim"
            asset templateAssetPath = @./clips/a{index}.##.usda@
            double templateEndTime = 10
            double templateStartTime = 1
            double templateStride = 1
        }}
    }}
"""


def build(root: Path, layers: int, with_clips: bool = True) -> Path:
    """The generated set under ``root``; returns the shot layer."""
    (root / "clips").mkdir(parents=True, exist_ok=True)
    (root / "tex").mkdir(exist_ok=True)
    references = []
    for index in range(layers):
        clips = CLIPS.format(index=index) if with_clips and index % 10 == 0 else ""
        (root / f"asset{index}.usda").write_text(
            f'#usda 1.0\n(\n    subLayers = [@./base{index}.usda@]\n)\n\ndef Xform "Anim" (\n{clips})\n{{\n'
            f'    def Shader "Texture"\n    {{\n        uniform asset info:filePath = @PxrTexture@\n'
            f"        asset inputs:filename = @./tex/t{index}.exr@\n    }}\n}}\n"
        )
        (root / f"base{index}.usda").write_text('#usda 1.0\n\ndef Xform "Base"\n{\n}\n')
        (root / "tex" / f"t{index}.exr").write_bytes(b"x")
        for frame in range(1, 11) if clips else ():
            (root / "clips" / f"a{index}.{frame:02d}.usda").write_text(
                f'#usda 1.0\n\ndef Xform "Anim"\n{{\n    asset tex = @../tex/c{index}.{frame}.exr@\n}}\n'
            )
            (root / "tex" / f"c{index}.{frame}.exr").write_bytes(b"x")
        references.append(f'def "A{index}" (\n    references = @./asset{index}.usda@\n)\n{{\n}}\n')
    shot = root / "shot.usda"
    shot.write_text("#usda 1.0\n\n" + "\n".join(references))
    return shot


def median_seconds(run: Callable[[], object], runs: int) -> float:
    times: List[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--folder", help="build the set here (default: a temporary folder)")
    options = parser.parse_args()
    for with_clips in (True, False):
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(options.folder or temporary) / ("clips" if with_clips else "plain")
            shot = str(build(folder, options.layers, with_clips))
            bare = median_seconds(functools.partial(UsdUtils.ComputeAllDependencies, Sdf.AssetPath(shot)), options.runs)
            read = median_seconds(functools.partial(layer_assets, shot), options.runs)
            scan = median_seconds(functools.partial(scan_file, shot), options.runs)
            found = len(scan_file(shot).dependencies)
        print(f"{options.layers} asset layers {'with' if with_clips else 'without'} clips, {found} dependencies;"
              f" median of {options.runs} runs")  # fmt: skip
        print(f"  bare UsdUtils.ComputeAllDependencies: {bare * 1000:8.1f} ms")
        print(f"  our read (layer_assets):              {read * 1000:8.1f} ms  ({read / bare:.2f}x the bare call)")
        print(f"  our scan (scan_file):                 {scan * 1000:8.1f} ms  ({scan / bare:.2f}x the bare call)")


if __name__ == "__main__":
    main()
