"""A seeded mutator over Houdini scene files: every input ends in a result or the typed error, fast and small."""

from __future__ import annotations

import random
import time
import tracemalloc

import pytest
from hip_files import archive, must_show_scene
from test_hip_reader import every_kind

from accsyn_dcc.errors import AccsynDccError
from accsyn_dcc.scan.houdini import scan_file
from accsyn_dcc.scan.houdini.archive import sections

MUTATIONS = 150
PIECES = [
    b"070707", b"HouNC1", b"TRAILER!!!\x00", b"\x00", b"77777777777", b"`", b"$", b"${", b"$T", b"$F999",
    b"[ f1\t1e400 ]", b"\"", b"\\", b"\n", b"{", b"}", b"type = file\n", b"$ACCSYN_API_KEY", b"\xff\xfe",
    b"frange nan inf\n", b"filepath99999999999", b"bypass on",
]  # fmt: skip


def mutate_a_section(data: bytes, rng: random.Random) -> bytes:
    """Mutate the text of one section and archive again, so the sizes stay right and the readers behind run."""
    _kind, entries = sections(data)
    index = rng.randrange(len(entries))
    name, body = entries[index]
    entries[index] = (name, mutate(body, rng))
    return archive(entries)


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(data) + 1)
        action = rng.random()
        if action < 0.4:
            piece = rng.choice(PIECES)
            data = data[:position] + piece + data[position + (len(piece) if rng.random() < 0.5 else 0) :]
        elif action < 0.7:
            data = data[:position] + data[min(len(data), position + rng.randint(1, 40)) :]
        else:
            end = min(len(data), position + rng.randint(1, 120))
            data = data[:end] + data[position:end] + data[end:]
    return data


@pytest.mark.parametrize("builder", ["must_show", "every_kind"])
def test_mutated_hip_files_end_in_a_result_or_the_typed_error(tmp_path, builder):
    scene = must_show_scene(tmp_path) if builder == "must_show" else every_kind(tmp_path).write()
    source = scene.read_bytes()
    rng = random.Random(f"accsyn-hip-{builder}")
    target = scene.with_name("mutated.hip")
    environ = {"HOME": str(tmp_path), "ACCSYN_API_KEY": "never-printed"}
    slowest, parsed = 0.0, 0
    tracemalloc.start()
    try:
        for _ in range(MUTATIONS):
            target.write_bytes(mutate(source, rng) if rng.random() < 0.3 else mutate_a_section(source, rng))
            started = time.monotonic()
            try:
                result = scan_file(str(target), environ=environ)
                parsed += 1
                assert "never-printed" not in repr(result.to_dict())
            except AccsynDccError as error:
                assert "never-printed" not in str(error)
            slowest = max(slowest, time.monotonic() - started)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert slowest < 3.0 and peak < 200 * 1024 * 1024
    assert parsed > MUTATIONS // 2  # the mutations reach the readers behind the archive, not only its headers
