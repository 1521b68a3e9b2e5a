"""Forms found in real public USD layers: value-clip templates (the ``clips`` dictionary and the legacy
``clipTemplate*`` metadata) and RenderMan shader identifiers in ``info:filePath``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

pytest.importorskip("pxr")

from test_usd_untrusted import deep_prims

TEMPLATED = """#usda 1.0
(
    endTimeCode = 4
    startTimeCode = 1
)

def Xform "Anim" (
    clips = {
        dictionary default = {
            asset manifestAssetPath = @./clips/manifest.usda@
            string primPath = "/Anim"
            double templateActiveOffset = 0.5
            asset templateAssetPath = @./clips/anim.##.usda@
            double templateEndTime = 4
            double templateStartTime = 1
            double templateStride = 1
        }
        dictionary sub = {
            string primPath = "/Sub"
            asset templateAssetPath = @./sub/s.###.##.usd@
            double templateEndTime = 1.5
            double templateStartTime = 1
            double templateStride = 0.25
        }
    }
)
{
}
"""
"""A prim with two templated clip sets, as OpenUSD writes ``UsdClipsAPI.SetClipTemplate*``."""

LEGACY = """#usda 1.0

def Xform "Legacy" (
    clipPrimPath = "/Legacy"
    clipTemplateAssetPath = @./legacy/cache.#.usd@
    clipTemplateEndTime = 3
    clipTemplateStartTime = 1
    clipTemplateStride = 1
)
{
}
"""
"""The clip template metadata USD wrote before the ``clips`` dictionary (2017)."""

RENDERMAN = """#usda 1.0

def Material "Rock"
{
    def Shader "Surface"
    {
        uniform token info:implementationSource = "sourceAsset"
        uniform asset info:filePath = @PxrDisney@
    }

    def Shader "Texture"
    {
        uniform token info:implementationSource = "sourceAsset"
        uniform asset info:filePath = @PxrTexture@
        asset inputs:filename = @./tex/rock.tex@
    }

    def Shader "Manifold"
    {
        uniform token info:implementationSource = "sourceAsset"
        uniform asset info:filePath = @PxrManifold2D@
    }

    def Shader "Custom"
    {
        uniform token info:implementationSource = "sourceAsset"
        uniform asset info:filePath = @PxrNotAShader@
    }
}
"""


def write(root: Path, files: Dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def scan(path: Path) -> dict:
    completed = subprocess.run([sys.executable, "-m", "accsyn_dcc", "scan", str(path), "--json"],
                               capture_output=True, text=True, timeout=120)  # fmt: skip
    assert completed.returncode == 0 and completed.stderr == "", completed.stderr[-500:]
    return json.loads(completed.stdout)


def by_name(report: dict, root: Path) -> Dict[str, dict]:
    return {Path(dep["path"]).relative_to(root).as_posix(): dep for dep in report["dependencies"]}


def clip(texture: str = "") -> str:
    body = f"    asset tex = @{texture}@\n" if texture else ""
    return f'#usda 1.0\n\ndef Xform "Anim"\n{{\n{body}}}\n'


def test_a_clip_template_is_expanded_over_its_times_each_clip_read_with_the_layer_check(tmp_path):
    write(tmp_path, {
        "shot.usda": TEMPLATED, "clips/manifest.usda": clip(), "clips/anim.01.usda": clip(),
        "clips/anim.02.usda": clip("../tex/rock.exr"), "clips/anim.04.usda": deep_prims(),  # 03 is missing
        "sub/s.001.00.usd": clip(), "sub/s.001.25.usd": clip(), "sub/s.001.50.usd": clip(), "tex/rock.exr": "x",
    })  # fmt: skip
    report = scan(tmp_path / "shot.usda")
    found = by_name(report, tmp_path)
    assert sorted(found) == [
        "clips/anim.01.usda", "clips/anim.02.usda", "clips/anim.03.usda", "clips/anim.04.usda", "clips/manifest.usda",
        "sub/s.001.00.usd", "sub/s.001.25.usd", "sub/s.001.50.usd", "tex/rock.exr",
    ]  # fmt: skip
    assert found["clips/anim.01.usda"]["node"] == str(tmp_path / "shot.usda")  # the layer holding the template
    assert found["tex/rock.exr"]["node"] == str(tmp_path / "clips/anim.02.usda")  # a clip brings what it loads
    assert [name for name, dep in found.items() if not dep["exists"]] == ["clips/anim.03.usda"]
    [deep] = report["unresolved"]  # the clip OpenUSD would crash on is checked like any layer, and not read
    assert deep["node"] == str(tmp_path / "shot.usda") and deep["value"] == "./clips/anim.04.usda"
    assert "nested deeper than" in deep["reason"]


def test_the_legacy_clip_template_metadata_is_expanded_too(tmp_path):
    write(tmp_path, {"shot.usda": LEGACY, "legacy/cache.1.usd": clip(), "legacy/cache.2.usd": clip("./a.exr")})
    found = by_name(scan(tmp_path / "shot.usda"), tmp_path)
    assert sorted(found) == ["legacy/a.exr", "legacy/cache.1.usd", "legacy/cache.2.usd", "legacy/cache.3.usd"]
    assert sorted(name for name, dep in found.items() if not dep["exists"]) == ["legacy/a.exr", "legacy/cache.3.usd"]


@pytest.mark.parametrize(
    "fields, reason",
    [("double templateEndTime = 1e9\n double templateStartTime = 0\n double templateStride = 1", "100000"),
     ("double templateEndTime = 4\n double templateStartTime = 1\n double templateStride = 0", "stride"),
     ("double templateEndTime = 4\n double templateStartTime = 1", "stride")],
    ids=["a billion clips", "no stride", "stride missing"],
)  # fmt: skip
def test_a_clip_template_that_cannot_be_expanded_is_named_not_checked(tmp_path, fields, reason):
    (tmp_path / "shot.usda").write_text(
        '#usda 1.0\ndef "A" (\n clips = {\n dictionary default = {\n string primPath = "/A"\n'
        f" asset templateAssetPath = @./c.#.usd@\n {fields}\n }}\n }}\n)\n{{\n}}\n"
    )
    report = scan(tmp_path / "shot.usda")
    assert report["dependencies"] == []
    [problem] = report["unresolved"]
    assert problem["value"] == "./c.#.usd" and reason in problem["reason"]


def test_renderman_shader_identifiers_are_provided_by_renderman_an_unknown_bare_name_stays_missing(tmp_path):
    from accsyn_dcc.scan import scan_scene

    write(tmp_path, {"look.usda": RENDERMAN, "tex/rock.tex": "x"})
    result = scan_scene(str(tmp_path / "look.usda"))
    provided = {Path(dep.path).name: dep.provided_by for dep in result.dependencies if dep.provided_by}
    assert provided == {"PxrDisney": "RenderMan", "PxrTexture": "RenderMan", "PxrManifold2D": "RenderMan"}
    assert [Path(dep.path).name for dep in result.missing] == ["PxrNotAShader"]
    assert [Path(dep.path).name for dep in result.dependencies if dep.exists and not dep.provided_by] == ["rock.tex"]
