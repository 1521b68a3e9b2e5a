"""A seeded mutator over Maya ASCII scenes: every input ends in a result or the typed error, fast and small."""

from __future__ import annotations

import random
import time
import tracemalloc
from pathlib import Path

import pytest
from ma_files import must_show_scene
from maya_scene import every_kind_scene, layered_scene, write_ma

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.scan.maya import scan_file

MUTATIONS = 120
SECONDS_PER_INPUT = 3.0
PEAK_BYTES = 200 * 1024 * 1024
PIECES = [
    ";", '"', "\\", "\n", "{", "}", "//", "/*", "*/", "-", "-p", "-n", "createNode file -n \"x\";\n",
    'setAttr ".ftn" -type "string" "', 'file -r -rfn "loopRN" "', "\ufeff", "\x00", "\x1b[2J", "<UDIM>", "<f>",
    "####", "%0999999999d", "$ACCSYN_API_KEY", "${HOME}", "C:\\\\", "select -ne :defaultRenderGlobals;\n",
    'setAttr ".fs" 1e400;\n', 'setAttr ".ef" nan;\n', 'setAttr ".uvt" 3;\n', 'setAttr ".ufe" yes;\n',
    'connectAttr "a.lit" "a.pls";\n', 'createNode renderSetupLayer -n "L";\n', 'setAttr ".pad" 999999999;\n',
]  # fmt: skip


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(text) + 1)
        action = rng.random()
        if action < 0.45:
            text = text[:position] + rng.choice(PIECES) + text[position:]
        elif action < 0.7:
            text = text[:position] + text[min(len(text), position + rng.randint(1, 80)) :]
        elif action < 0.9:
            end = min(len(text), position + rng.randint(1, 200))
            text = text[:end] + text[position:end] + text[end:]
        else:
            text = text[:position] + str(rng.choice([0, -1, 10**30, 2**63])) + text[position:]
    return text


@pytest.mark.parametrize("builder", ["must_show", "every_kind", "layered"])
def test_mutated_scenes_end_in_a_result_or_the_typed_error(tmp_path, builder):
    if builder == "must_show":
        scene = must_show_scene(tmp_path)
    else:
        scene = write_ma({"every_kind": every_kind_scene, "layered": layered_scene}[builder](tmp_path))
    source = scene.read_text(encoding="utf-8")
    rng = random.Random(f"accsyn-maya-{builder}")
    target = Path(scene).with_name("mutated.ma")
    environ = {"HOME": str(tmp_path), "ACCSYN_API_KEY": "never-printed"}
    slowest = 0.0
    tracemalloc.start()
    try:
        for _ in range(MUTATIONS):
            target.write_text(mutate(source, rng), encoding="utf-8", errors="surrogatepass")
            started = time.monotonic()
            try:
                result = scan_file(str(target), environ=environ)
            except AccsynDccError as error:
                assert "never-printed" not in str(error)
            else:
                assert "never-printed" not in repr(result.to_dict())
            slowest = max(slowest, time.monotonic() - started)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert slowest < SECONDS_PER_INPUT
    assert peak < PEAK_BYTES
