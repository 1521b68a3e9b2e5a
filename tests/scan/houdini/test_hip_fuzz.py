"""A seeded mutator over Houdini scene files: every input ends in a result or the typed error, fast and small."""

from __future__ import annotations

import itertools
import random
from typing import List

import pytest
from fuzzing import fuzz_count, fuzz_rng, mutate, scan_each
from hip_files import archive, backwards_archive, licensed_archive, must_show_scene, with_parm_lines, with_sections
from test_hip_bounds import evil_nodes, evil_parm_lines, evil_sections
from test_hip_reader import every_kind

from accsyn_dcc.scan.houdini import scan_file
from accsyn_dcc.scan.houdini.archive import sections

MUTATIONS = 150
PIECES = [
    b"070707", b"HouNC\x1a", b"HouLC\x1a1033600", b"TRAILER!!!\x00", b"\x00", b"77777777777", b"`", b"$", b"${",
    b"$T", b"$F999",
    b"[ f1\t1e400 ]", b"\"", b"\\", b"\n", b"{", b"}", b"type = file\n", b"$ACCSYN_API_KEY", b"\xff\xfe",
    b"frange nan inf\n", b"filepath99999999999", b"bypass on", b"%0999d", b"$HIPNAME:r:t:e:h", b"${OS:r}",
]  # fmt: skip


def evil_seeds() -> List[bytes]:
    """The security probes' scenes, smaller: backtracking parm lines, blocks that never close, deep nodes and
    many inputs, a size pointing back, values over the limit, a backtick in a variable and variables that multiply
    each other."""
    over_the_limit = "q" * (2 * 1024 * 1024)
    return [
        with_parm_lines(evil_parm_lines(10_000)),
        with_sections(evil_sections(10_000)),
        with_sections(evil_nodes(10_000)),
        backwards_archive(64 * 1024),
        licensed_archive(sections(with_parm_lines(['file\t[ 0\tlocks=0 ]\t(\t"$HIP/a.bgeo"\t)']))[1]),
        b"HouNC\x1a" + b"0" * 28 + b"x" * 100_000,
        with_parm_lines(['file\t[ 0\tlocks=0 ]\t(\t`chs(\\"/tasks/topnet1/out/sopoutput\\")`\t)']),
        with_parm_lines([f'file\t[ 0\tlocks=0 ]\t(\t"{over_the_limit}"\t)'], f"set -g BIG = '{over_the_limit}'\n"),
        with_parm_lines(['file\t[ 0\tlocks=0 ]\t(\t"$HIP/$SHOT.bgeo"\t)'], "set -g SHOT = '`chs(\"x\")`'\n"),
        with_parm_lines(['file\t[ 0\tlocks=0 ]\t(\t"$A"\t)'],
                        "".join(f"set -g {name} = '{f'${after}' * 1000}'\n" for name, after in zip("ABC", "BCD"))),
    ]  # fmt: skip


def mutate_a_section(data: bytes, rng: random.Random) -> bytes:
    """Mutate the text of one section and archive again, so the sizes stay right and the readers behind run."""
    _kind, entries = sections(data)
    index = rng.randrange(len(entries))
    name, body = entries[index]
    entries[index] = (name, mutate(body, rng, PIECES))
    return archive(entries)


@pytest.mark.parametrize("builder", ["must_show", "every_kind"])
def test_mutated_hip_files_end_in_a_result_or_the_typed_error(tmp_path, builder):
    scene = must_show_scene(tmp_path) if builder == "must_show" else every_kind(tmp_path).write()
    source = scene.read_bytes()
    rng = fuzz_rng(f"accsyn-hip-{builder}")
    mutations = (
        mutate(source, rng, PIECES) if rng.random() < 0.3 else mutate_a_section(source, rng)
        for _ in range(fuzz_count(MUTATIONS))
    )
    inputs = itertools.chain(evil_seeds(), mutations)
    parsed = scan_each(scan_file, scene.with_name("mutated.hip"), inputs, {"HOME": str(tmp_path)})
    assert parsed > fuzz_count(MUTATIONS) // 2  # mutations reach the readers behind the archive, not only its headers
