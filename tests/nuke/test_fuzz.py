"""A seeded mutator over the Nuke fixtures: every input ends in a result or the typed error, fast and small."""

from __future__ import annotations

import random
import time
import tracemalloc
from pathlib import Path

import pytest

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.scan.nuke import scan_file
from nuke_fixtures import FIXTURES

MUTATIONS = 400
SECONDS_PER_INPUT = 3.0
PEAK_BYTES = 200 * 1024 * 1024
PIECES = [
    "{", "}", "[", "]", '"', "\\", "\n", ";", "$", "#", "%0999999999d", "[value root.name]", "[value N.v][value N.v]",
    "\ufeff", "{{1e400}}", " first_frame nan\n", " last_frame 999999\n", "clone $C0 {\n}\n", "end_group\n",
    "Group {\n}\n", "Precomp {\n file /dev/zero\n}\n", "[getenv ACCSYN_API_KEY]", "\x00", "\x1b[2J", "%V", "####",
]  # fmt: skip


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(text) + 1)
        action = rng.random()
        if action < 0.4:
            text = text[:position] + rng.choice(PIECES) + text[position:]
        elif action < 0.7:
            end = min(len(text), position + rng.randint(1, 80))
            text = text[:position] + text[end:]
        elif action < 0.9:
            end = min(len(text), position + rng.randint(1, 200))
            text = text[:end] + text[position:end] + text[end:]
        else:
            text = text[:position] + str(rng.choice([0, -1, 10**30, 2**63])) + text[position:]
    return text


@pytest.mark.parametrize("fixture", ["shot_v012.nk", "bg_precomp.nk", "StudioGlow.gizmo", "windows_paths.nk"])
def test_mutated_scripts_end_in_a_result_or_the_typed_error(tmp_path, fixture):
    rng = random.Random(f"accsyn-{fixture}")
    source = (FIXTURES / fixture).read_text().replace("__ROOT__", str(tmp_path))
    target = Path(tmp_path) / "mutated.nk"
    slowest = 0.0
    environ = {"HOME": str(tmp_path), "ACCSYN_API_KEY": "never-printed", "ACCSYN_DCC_SYSTEM_FONTS": ""}
    tracemalloc.start()
    try:
        for _ in range(MUTATIONS // 4):
            target.write_text(mutate(source, rng), encoding="utf-8", errors="surrogatepass")
            started = time.monotonic()
            try:
                scan_file(str(target), environ=environ)
            except AccsynDccError as error:
                assert "never-printed" not in str(error)
            slowest = max(slowest, time.monotonic() - started)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert slowest < SECONDS_PER_INPUT
    assert peak < PEAK_BYTES
