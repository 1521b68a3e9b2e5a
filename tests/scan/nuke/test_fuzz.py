"""A seeded mutator over the Nuke fixtures: every input ends in a result or the typed error, fast and small."""

from __future__ import annotations

import pytest
from fuzzing import fuzz_count, fuzz_rng, mutate, scan_each

from accsyn_dcc.scan.nuke import scan_file
from nuke_fixtures import FIXTURES

MUTATIONS = 400
PIECES = [
    "{", "}", "[", "]", '"', "\\", "\n", ";", "$", "#", "%0999999999d", "[value root.name]", "[value N.v][value N.v]",
    "\ufeff", "{{1e400}}", " first_frame nan\n", " last_frame 999999\n", "clone $C0 {\n}\n", "end_group\n",
    "Group {\n}\n", "Precomp {\n file /dev/zero\n}\n", "[getenv ACCSYN_API_KEY]", "\x00", "\x1b[2J", "%V", "####",
    " use_limit true\n first x\n",
]  # fmt: skip


@pytest.mark.parametrize("fixture", ["shot_v012.nk", "bg_precomp.nk", "StudioGlow.gizmo", "windows_paths.nk"])
def test_mutated_scripts_end_in_a_result_or_the_typed_error(tmp_path, fixture):
    rng = fuzz_rng(f"accsyn-{fixture}")
    source = (FIXTURES / fixture).read_text().replace("__ROOT__", str(tmp_path))
    inputs = (mutate(source, rng, PIECES) for _ in range(fuzz_count(MUTATIONS // 4)))
    scan_each(scan_file, tmp_path / "mutated.nk", inputs, {"HOME": str(tmp_path), "ACCSYN_DCC_SYSTEM_FONTS": ""})
