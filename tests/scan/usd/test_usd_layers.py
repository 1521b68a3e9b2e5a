"""USD layers written with OpenUSD itself: every layer, texture and UDIM tile found, nothing that is not a file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, Tuple, Union

import pytest

pxr = pytest.importorskip("pxr")
from pxr import Sdf, Usd, UsdShade  # noqa: E402

from accsyn_dcc.references import FileReference  # noqa: E402
from accsyn_dcc.scan.dependencies import check_references  # noqa: E402
from accsyn_dcc.scan.usd import layer_assets  # noqa: E402


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def build_asset(root: Path) -> Path:
    """A sublayer chain, a reference, a payload, a variant, value clips and a UDIM texture with a tile missing."""
    for name in ("base", "deep", "chair", "heavy", "red", "blue"):
        Sdf.Layer.CreateNew(str(root / f"{name}.usda")).Save()
    base = Sdf.Layer.FindOrOpen(str(root / "base.usda"))
    base.subLayerPaths.append("./deep.usda")
    base.Save()
    for frame in (1, 2):
        clip = Sdf.Layer.CreateNew(str(root / "clips" / f"anim.{frame:03d}.usda"))
        clip.Save()
    for tile in (1001, 1002):  # 1011 is named by the material's tiles but not on disk
        touch(root / "tex" / f"skin.{tile}.exr")
    stage = Usd.Stage.CreateNew(str(root / "asset.usda"))
    stage.GetRootLayer().subLayerPaths.append("./base.usda")
    world = stage.DefinePrim("/World", "Xform")
    world.GetReferences().AddReference("./chair.usda")
    world.GetPayloads().AddPayload("./heavy.usda")
    look = world.GetVariantSets().AddVariantSet("look")
    for variant in ("red", "blue", "green"):
        look.AddVariant(variant)
        look.SetVariantSelection(variant)
        with look.GetVariantEditContext():
            stage.DefinePrim("/World/Geo").GetReferences().AddReference(f"./{variant}.usda")
    look.SetVariantSelection("red")
    clips = Usd.ClipsAPI(stage.DefinePrim("/World/Anim"))
    clips.SetClipAssetPaths([Sdf.AssetPath("./clips/anim.001.usda"), Sdf.AssetPath("./clips/anim.002.usda")])
    clips.SetClipPrimPath("/Anim")
    clips.SetClipActive([(1, 0), (2, 1)])
    shader = UsdShade.Shader.Define(stage, "/World/Looks/skin")
    shader.CreateIdAttr("UsdUVTexture")
    shader.CreateInput("file", Sdf.ValueTypeNames.Asset).Set("./tex/skin.<UDIM>.exr")
    stage.GetRootLayer().Save()
    return root / "asset.usda"


def test_scan_lists_layers_tiles_and_missing_assets_with_their_layer(tmp_path):
    asset = build_asset(tmp_path)
    completed = subprocess.run([sys.executable, "-m", "accsyn_dcc", "scan", str(asset), "--json"],
                               capture_output=True, text=True, check=True)  # fmt: skip
    report = json.loads(completed.stdout)
    found = {Path(dep["path"]).relative_to(tmp_path).as_posix(): dep for dep in report["dependencies"]}
    assert sorted(found) == [
        "base.usda", "blue.usda", "chair.usda", "clips/anim.001.usda", "clips/anim.002.usda", "deep.usda",
        "green.usda", "heavy.usda", "red.usda", "tex/skin.<UDIM>.exr",
    ]  # fmt: skip
    assert found["tex/skin.<UDIM>.exr"]["tiles"] == ["1001", "1002"]
    assert not found["green.usda"]["exists"] and found["green.usda"]["node"] == str(asset)
    assert found["deep.usda"]["node"] == str(tmp_path / "base.usda")  # the layer that holds it
    assert all(dep["exists"] for name, dep in found.items() if name != "green.usda")
    assert "UsdUVTexture" not in completed.stdout  # a shader identifier is not a file
    assert completed.stderr == ""  # the missing green.usda is in the report, not in OpenUSD's warnings too


def test_a_host_dependency_on_a_layer_brings_what_the_layer_loads(tmp_path):
    asset = build_asset(tmp_path)
    reference = FileReference("|set|setShape", "filePath", str(asset), str(asset), "usd", frame_dependent=False)
    dependencies, unresolved = check_references([reference], None, environ={})
    by_path = {Path(dep.path).name: dep for dep in dependencies}
    assert by_path["asset.usda"].node == "|set|setShape"
    assert by_path["chair.usda"].node == "|set|setShape"
    assert by_path["chair.usda"].knob == f"filePath > {asset}"
    assert unresolved == []


@pytest.mark.parametrize(
    "name, content",
    [
        ("broken.usda", b'#usda 1.0\ndef Xform "A" (\n references = @unterminated\n'),  # OpenUSD raises
        ("damaged.usd", b"PXR-USDC\x00\x07" + bytes(range(256)) * 4),  # refused before OpenUSD: a damaged crate
        ("empty.usdc", b""),
    ],
)
def test_a_layer_openusd_cannot_read_is_reported_not_a_traceback(tmp_path, name, content):
    broken = tmp_path / name
    broken.write_bytes(content)
    reference = FileReference("geo", "file", str(broken), str(broken), "usd", frame_dependent=False)
    dependencies, unresolved = check_references([reference], None, environ={})
    assert [dep.path for dep in dependencies] == [str(broken)]
    [problem] = unresolved
    assert problem.node == "geo"
    assert "OpenUSD could not read it" in problem.reason or "damaged crate" in problem.reason


def test_layer_assets_keeps_the_authored_path_and_its_layer(tmp_path):
    asset = build_asset(tmp_path)
    pairs = layer_assets(str(asset)).assets
    assert (str(tmp_path / "base.usda"), "./deep.usda") in pairs


def test_a_stage_scanned_on_its_own_lists_its_render_products_and_range(tmp_path):
    from pxr import UsdRender

    from accsyn_dcc.scan import scan_scene

    stage = Usd.Stage.CreateNew(str(tmp_path / "shot.usda"))
    stage.SetStartTimeCode(1001)
    stage.SetEndTimeCode(1048)
    UsdRender.Product.Define(stage, "/Render/Products/beauty").CreateProductNameAttr("./render/beauty.$F4.exr")
    stage.GetRootLayer().Save()
    result = scan_scene(str(tmp_path / "shot.usda"))
    assert str(result.frame_range) == "1001-1048"
    [product] = result.outputs
    assert (product.node, product.path, str(product.range), product.file_type) == (
        "/Render/Products/beauty",
        f"{tmp_path}/render/beauty.$F4.exr",
        "1001-1048",
        "exr",
    )


USD_PIECES = [
    "(", ")", "[", "]", "{", "}", '"', "@", "@@@", "<UDIM>", "$F4", "%0999d", "\n", "#usda 1.0\n", "\x00", "1e400",
    "subLayers = [@/dev/zero@]", "subLayers = [@./asset.usda@]", "references = @/proc/self/environ@", "nan",
    "#", ".##", "double templateStride = 0\n", "double templateEndTime = 1e9\n", "@PxrTexture@", "clipTemplate",
]  # fmt: skip


def _seeds(root: Path) -> Dict[str, Tuple[str, Union[str, bytes]]]:
    """The layers the fuzz test starts from, by name: (file it is written to, content)."""
    from test_usd_real_scenes import LEGACY, RENDERMAN, TEMPLATED, clip
    from test_usd_untrusted import UNPARSABLE, crate_with_a_huge_section, deep_dictionaries, deep_prims

    (root / "broken.usda").write_text(UNPARSABLE)
    for name in ("clips/manifest.usda", "clips/anim.01.usda", "clips/anim.02.usda", "sub/s.001.25.usd",
                 "legacy/cache.1.usd"):  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(clip("./rock.exr"))
    (root / "clips/anim.03.usda").write_text(deep_prims())
    return {
        "clip templates": ("mutated.usda", TEMPLATED),
        "legacy clip template and renderman identifiers": ("mutated.usda", LEGACY + RENDERMAN.split("\n", 1)[1]),
        "asset": ("mutated.usda", build_asset(root).read_text()),
        "deep dictionaries": ("mutated.usda", deep_dictionaries()),  # OpenUSD crashed on these
        "deep prims": ("mutated.usda", deep_prims()),
        "unreadable sublayer": ("mutated.usda", "#usda 1.0\n(\n subLayers = [@./broken.usda@, @./base.usda@]\n)\n"),
        "crate with a huge section": ("mutated.usdc", crate_with_a_huge_section(root)),
    }


@pytest.mark.parametrize(
    "seed, count, least_read",
    [("asset", 80, 1), ("deep dictionaries", 10, 0), ("deep prims", 10, 0), ("unreadable sublayer", 20, 1),
     ("crate with a huge section", 20, 0), ("clip templates", 30, 1),
     ("legacy clip template and renderman identifiers", 30, 1)],
)  # fmt: skip
def test_mutated_layers_end_in_a_result_or_the_typed_error(tmp_path, seed, count, least_read):
    from fuzzing import fuzz_count, fuzz_rng, mutate, scan_each

    from accsyn_dcc.scan.usd import scan_file

    target, source = _seeds(tmp_path)[seed]
    rng = fuzz_rng(f"accsyn-usd {seed}")
    pieces = USD_PIECES if isinstance(source, str) else [piece.encode() for piece in USD_PIECES]
    inputs = (mutate(source, rng, pieces) for _ in range(fuzz_count(count)))
    assert scan_each(scan_file, tmp_path / target, inputs, {}) >= least_read


def test_a_nuke_readgeo_of_a_layer_brings_what_the_layer_loads(tmp_path):
    from accsyn_dcc.scan.nuke import scan_file

    asset = build_asset(tmp_path)
    script = tmp_path / "comp.nk"
    script.write_text(f"Root {{\n inputs 0\n first_frame 1\n last_frame 2\n}}\n"
                      f"ReadGeo2 {{\n inputs 0\n file {asset}\n name ReadGeo1\n}}\n")  # fmt: skip
    result = scan_file(str(script), environ={})
    found = {(dep.node, Path(dep.path).name) for dep in result.dependencies}
    assert ("ReadGeo1", "asset.usda") in found and ("ReadGeo1", "deep.usda") in found
    [green] = [dep for dep in result.dependencies if dep.path.endswith("green.usda")]
    assert not green.exists and green.knob == f"file > {asset}"
