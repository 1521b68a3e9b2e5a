"""Layers OpenUSD crashes on, fails on or complains about: the scan names each in one line and goes on.

The crashing inputs run in a child ``accsyn-dcc scan`` (a crash there must not take the test run down too).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

pytest.importorskip("pxr")
from pxr import Sdf, Usd

from accsyn_dcc.scan.usd import MAX_NESTING


def deep_dictionaries(levels: int = 35_000) -> str:
    """0.6 MB of nested layer metadata: OpenUSD's parser overflows its stack (SIGSEGV) on it."""
    return "#usda 1.0\n(\n customLayerData = " + "{ dictionary a = " * levels + "{}" + " }" * levels + "\n)\n"


def deep_prims(levels: int = 100_000) -> str:
    """Prims nested 100,000 deep: the same crash through ``def`` blocks."""
    return "#usda 1.0\n" + 'def "a" {\n' * levels + "}\n" * levels


UNPARSABLE = '#usda 1.0\ndef "A" (\n references = @unterminated\n'


def crate_with_a_huge_section(root: Path) -> bytes:
    """A crate file whose TOKENS section claims 1 TB: OpenUSD prints ``failed call to posix_madvise`` itself."""
    stage = Usd.Stage.CreateNew(str(root / "good.usdc"))
    stage.DefinePrim("/World", "Xform")
    stage.GetRootLayer().Save()
    data = bytearray((root / "good.usdc").read_bytes())
    (toc,) = struct.unpack_from("<q", data, 16)
    struct.pack_into("<q", data, toc + 8 + 24, 2**40)  # the first section's size
    return bytes(data)


def scan(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accsyn_dcc", "scan", *map(str, paths), "--json"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def stderr_lines(completed: subprocess.CompletedProcess) -> List[str]:
    return completed.stderr.splitlines()


@pytest.mark.parametrize("content", [deep_dictionaries(), deep_prims()], ids=["dictionaries", "prims"])
def test_a_layer_nested_too_deep_for_openusd_is_refused_in_one_line(tmp_path, content):
    layer = tmp_path / "deep.usda"
    layer.write_text(content)
    completed = scan(layer)
    assert completed.returncode == 1, completed.stderr[-300:]
    assert stderr_lines(completed) == [
        f"accsyn-dcc scan: {layer}: nested deeper than {MAX_NESTING} levels; not read (OpenUSD's parser would "
        "overflow its stack)"
    ]


def test_a_deep_layer_behind_a_sublayer_or_reference_is_named_with_the_layer_that_loads_it(tmp_path):
    (tmp_path / "deep.usda").write_text(deep_dictionaries())
    (tmp_path / "deeper.usda").write_text(deep_prims())
    (tmp_path / "fine.usda").write_text("#usda 1.0\n")
    (tmp_path / "shot.usda").write_text(
        '#usda 1.0\n(\n subLayers = [@./deep.usda@, @./fine.usda@]\n)\ndef "W" ( references = @./deeper.usda@ ) {}\n'
    )
    completed = scan(tmp_path / "shot.usda")
    assert completed.returncode == 0 and completed.stderr == "", completed.stderr[-300:]
    report = json.loads(completed.stdout)
    assert sorted(Path(dep["path"]).name for dep in report["dependencies"]) == ["deep.usda", "deeper.usda", "fine.usda"]
    refused = {Path(item["value"]).name: item for item in report["unresolved"]}
    assert sorted(refused) == ["deep.usda", "deeper.usda"]
    assert refused["deep.usda"]["node"] == str(tmp_path / "shot.usda")
    assert f"nested deeper than {MAX_NESTING} levels" in refused["deeper.usda"]["reason"]


@pytest.mark.parametrize(
    "loads",
    [
        "(\n subLayers = [@./deep.usda:SDF_FORMAT_ARGS:a=b@]\n)\n",  # the same file, under another identifier
        '(\n expressionVariables = {\n string NAME = "deep"\n }\n subLayers = [@`"./${NAME}.usda"`@]\n)\n',
        "(\n subLayers = [@deep.usda@]\n)\n",  # no ./: OpenUSD still looks next to the layer first
        'def "W" ( payload = @./deep.usda@ ) {}\n',
    ],
    ids=["format arguments", "expression", "bare name", "payload"],
)
def test_every_way_of_naming_a_deep_layer_is_checked(tmp_path, loads):
    (tmp_path / "deep.usda").write_text(deep_dictionaries())
    (tmp_path / "shot.usda").write_text("#usda 1.0\n" + loads)
    completed = scan(tmp_path / "shot.usda")
    assert completed.returncode == 0 and completed.stderr == "", completed.stderr[-300:]
    [refused] = json.loads(completed.stdout)["unresolved"]
    assert refused["reason"].startswith(f"USD layer {tmp_path / 'deep.usda'}: nested deeper than")


def test_a_layer_not_read_is_unmuted_after_the_read_in_the_callers_process(tmp_path):
    """A host's process: the layer kept from OpenUSD (muted while the read lasts) opens as itself again after."""
    from accsyn_dcc.references import FileReference
    from accsyn_dcc.scan.dependencies import check_references

    (tmp_path / "broken.usda").write_text(UNPARSABLE)
    (tmp_path / "set.usda").write_text("#usda 1.0\n(\n subLayers = [@./broken.usda@]\n)\n")
    reference = FileReference("geo", "file", str(tmp_path / "set.usda"), str(tmp_path / "set.usda"), "usd",
                              frame_dependent=False)  # fmt: skip
    _dependencies, [problem] = check_references([reference], None, environ={})
    assert (problem.node, problem.knob, problem.value) == ("geo", f"file > {tmp_path / 'set.usda'}", "./broken.usda")
    assert str(tmp_path / "broken.usda") not in Sdf.Layer.GetMutedLayers()
    (tmp_path / "broken.usda").write_text("#usda 1.0\n")  # mended
    assert Sdf.Layer.FindOrOpen(str(tmp_path / "broken.usda"))


def test_a_host_dependency_on_a_layer_loading_a_deep_one_is_scanned_not_crashed(tmp_path):
    """The route a host takes (a Nuke ReadGeo here, read offline): OpenUSD runs in the host's own process."""
    (tmp_path / "deep.usda").write_text(deep_dictionaries())
    (tmp_path / "set.usda").write_text("#usda 1.0\n(\n subLayers = [@./deep.usda@]\n)\n")
    script = tmp_path / "comp.nk"
    script.write_text(f"Root {{\n inputs 0\n first_frame 1\n last_frame 1\n}}\n"
                      f"ReadGeo2 {{\n inputs 0\n file {tmp_path / 'set.usda'}\n name ReadGeo1\n}}\n")  # fmt: skip
    completed = scan(script)
    assert completed.returncode == 0, completed.stderr[-300:]
    [refused] = json.loads(completed.stdout)["unresolved"]
    assert (refused["node"], refused["knob"]) == ("ReadGeo1", f"file > {tmp_path / 'set.usda'}")
    assert refused["value"] == "./deep.usda"
    assert refused["reason"].startswith(f"USD layer {tmp_path / 'deep.usda'}: nested deeper than")


def test_an_unreadable_sublayer_is_named_and_the_rest_still_scanned(tmp_path):
    (tmp_path / "broken.usda").write_text(UNPARSABLE)
    (tmp_path / "fine.usda").write_text("#usda 1.0\n(\n subLayers = [@./under_fine.usda@]\n)\n")
    (tmp_path / "under_fine.usda").write_text("#usda 1.0\n")
    (tmp_path / "prop.usda").write_text("#usda 1.0\n")
    shot = tmp_path / "shot.usda"
    shot.write_text(
        '#usda 1.0\n(\n subLayers = [@./broken.usda@, @./fine.usda@]\n)\ndef "W" ( references = @./prop.usda@ ) {}\n'
    )
    completed = scan(shot)
    assert completed.returncode == 0 and completed.stderr == "", completed.stderr[-300:]
    report = json.loads(completed.stdout)
    found = sorted(Path(dep["path"]).name for dep in report["dependencies"])
    assert found == ["broken.usda", "fine.usda", "prop.usda", "under_fine.usda"]
    [problem] = report["unresolved"]
    assert (problem["node"], problem["value"]) == (str(shot), "./broken.usda")
    assert problem["reason"] == f"USD layer {tmp_path / 'broken.usda'}: OpenUSD could not read it (ErrorException)"


@pytest.mark.parametrize("sections_past_the_end", [1, 2])
def test_a_crate_whose_sections_lie_outside_the_file_is_refused_before_openusd(tmp_path, sections_past_the_end):
    """OpenUSD trusts a crate's table of contents: a section claiming a terabyte cost it gigabytes and seconds
    (a long fuzz run: 10.7 s, 5 GB) and made it print ``failed call to posix_madvise``."""
    data = bytearray(crate_with_a_huge_section(tmp_path))
    if sections_past_the_end == 2:
        (toc,) = struct.unpack_from("<q", data, 16)
        struct.pack_into("<q", data, toc + 8 + 5 * 32 + 16, 2**40)  # and SPECS starting past the end
    damaged = tmp_path / "damaged.usdc"
    damaged.write_bytes(bytes(data))
    completed = scan(damaged)
    assert completed.returncode == 1
    assert stderr_lines(completed) == [f"accsyn-dcc scan: {damaged}: a damaged crate file (its table of contents "
                                       "lists sections outside the file); not read"]  # fmt: skip


def test_nesting_is_counted_outside_strings_and_comments_only(tmp_path):
    """Brackets in a string, an asset path or a comment never nest; closing ones there never hide real nesting."""
    from accsyn_dcc.scan.readable import UnreadableFile
    from accsyn_dcc.scan.usd import check_layer

    quoted = tmp_path / "quoted.usda"
    quoted.write_text('#usda 1.0 {{{\n(\n doc = """' + "{" * 5000 + '"""\n)\n# ' + "[" * 5000 + "\n")
    check_layer(str(quoted))
    hidden = tmp_path / "hidden.usda"
    hidden.write_text("#usda 1.0\n" + 'def "a" ( doc = "}" ) {\n' * (MAX_NESTING + 1) + "}\n" * (MAX_NESTING + 1))
    with pytest.raises(UnreadableFile, match="nested deeper"):
        check_layer(str(hidden))
    fine = tmp_path / "fine.usda"
    fine.write_text("#usda 1.0\n" + 'def "a" {\n' * MAX_NESTING + "}\n" * MAX_NESTING)
    check_layer(str(fine))
    assert Sdf.Layer.FindOrOpen(str(fine))  # as deep as the rule lets through, and OpenUSD reads it


def test_a_text_layer_in_a_package_is_checked_too(tmp_path):
    from accsyn_dcc.scan.readable import UnreadableFile
    from accsyn_dcc.scan.usd import check_layer

    (tmp_path / "deep.usda").write_text(deep_prims(MAX_NESTING + 1))
    package = tmp_path / "deep.usdz"
    from pxr import UsdUtils

    assert UsdUtils.CreateNewUsdzPackage(Sdf.AssetPath(str(tmp_path / "deep.usda")), str(package))
    with pytest.raises(UnreadableFile, match="nested deeper"):
        check_layer(str(package))
