"""A seeded mutator over Maya ASCII scenes: every input ends in a result or the typed error, fast and small."""

from __future__ import annotations

import itertools

import pytest
from fuzzing import fuzz_count, fuzz_rng, mutate, scan_each
from ma_files import dag_chain, many_overrides, must_show_scene
from maya_scene import every_kind_scene, layered_scene, real_forms_scene, write_ma

from accsyn_dcc.scan.maya import scan_file

MUTATIONS = 120
PIECES = [
    ";", '"', "\\", "\n", "{", "}", "//", "/*", "*/", "-", "-p", "-n", "createNode file -n \"x\";\n",
    'setAttr ".ftn" -type "string" "', 'file -r -rfn "loopRN" "', "\ufeff", "\x00", "\x1b[2J", "<UDIM>", "<f>",
    "####", "%0999999999d", "$ACCSYN_API_KEY", "${HOME}", "C:\\\\", "select -ne :defaultRenderGlobals;\n",
    'setAttr ".fs" 1e400;\n', 'setAttr ".ef" nan;\n', 'setAttr ".uvt" 3;\n', 'setAttr ".ufe" yes;\n',
    'connectAttr "a.lit" "a.pls";\n', 'createNode renderSetupLayer -n "L";\n', 'setAttr ".pad" 999999999;\n',
    'createNode relUniqueOverride -n "r";\n', 'setAttr ".mul" 1e308;\n', 'setAttr ".ofs" nan;\n',
    'setAttr ".o" 103.75;\n', "<MAYA_RESOURCES>", "$MAYA_LOCATION", 'createNode pxrUsdReferenceAssembly -n "a";\n',
    'setAttr ".fp" -type "string" "', 'setAttr ".use_existing_tiled_textures" no;\n', ".tx", "incrementalSave/",
]  # fmt: skip


@pytest.mark.parametrize("builder", ["must_show", "every_kind", "layered", "real_forms"])
def test_mutated_scenes_end_in_a_result_or_the_typed_error(tmp_path, builder):
    if builder == "must_show":
        scene = must_show_scene(tmp_path)
    else:
        builders = {"every_kind": every_kind_scene, "layered": layered_scene, "real_forms": real_forms_scene}
        scene = write_ma(builders[builder](tmp_path))
    source = scene.read_text(encoding="utf-8")
    rng = fuzz_rng(f"accsyn-maya-{builder}")
    seeds = [dag_chain(40_000), dag_chain(1_000, leaves=500, caches=True), many_overrides(1_000)]  # the probes
    inputs = itertools.chain(seeds, (mutate(source, rng, PIECES) for _ in range(fuzz_count(MUTATIONS))))
    scan_each(scan_file, scene.with_name("mutated.ma"), inputs, {"HOME": str(tmp_path)})
