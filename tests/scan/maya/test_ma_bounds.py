"""The security probes' Maya ASCII files: each is read in memory linear in the file, ending in a result or one line."""

from __future__ import annotations

from fuzzing import scan_bounded
from ma_files import dag_chain, many_overrides

from accsyn_dcc.scan.maya import scan_file
from accsyn_dcc.scan.maya.ascii import MAX_DAG_NAME_CHARS, parse_ascii

SCANNER = "accsyn_dcc.scan.maya"
MEMORY = 512 * 1024 * 1024
"""Address space for the child that scans one probe (a 40,000-deep chain took 6.6 GB before the fix)."""


def test_a_dag_chain_nested_past_the_longest_full_name_is_one_line(tmp_path):
    scene = tmp_path / "deep.ma"
    scene.write_text(dag_chain(40_000), encoding="utf-8")
    answer = scan_bounded(SCANNER, scene, MEMORY)
    depth = next(depth for depth in range(1, 40_000) if len("".join(f"|n{level}" for level in range(depth))) > 8192)
    line = 9 + depth  # nine lines of header and settings, then one per transform
    assert answer == {"error": f"{scene}:{line}: a DAG name longer than {MAX_DAG_NAME_CHARS} characters "
                               "(nodes nested too deep); not read"}  # fmt: skip


def test_nodes_under_a_deep_parent_keep_links_not_names(tmp_path):
    """30,000 transforms under a 1,000-deep chain held 30,000 names of 6 KB each (180 MB) before the fix."""
    scene = tmp_path / "wide.ma"
    scene.write_text(dag_chain(1_000, leaves=30_000), encoding="utf-8")
    result = scan_bounded(SCANNER, scene, 128 * 1024 * 1024)["result"]
    assert isinstance(result, dict) and result["errors"] == []


def test_a_layer_of_many_overrides_is_read_in_linear_time(tmp_path):
    """Each override looked for its collection and layer through every connection: 1.5 s for 4,000 before the
    fix, 40,000 would take minutes."""
    scene = tmp_path / "overrides.ma"
    scene.write_text(many_overrides(40_000), encoding="utf-8")
    result = scan_bounded(SCANNER, scene, MEMORY, seconds=30)["result"]
    assert isinstance(result, dict)
    assert [layer["range"] for layer in result["facts"]["layers"]] == ["1", "7-10"]  # the override applied


def test_full_names_and_lookups_by_any_spelling_of_a_dag_path(tmp_path):
    (tmp_path / "deep.ma").write_text(dag_chain(4, leaves=2, caches=True), encoding="utf-8")
    result = scan_file(str(tmp_path / "deep.ma"), environ={})
    assert [dep.node for dep in result.dependencies] == ["|n0|n1|n2|n3|c0", "|n0|n1|n2|n3|c1"]
    scene = parse_ascii(dag_chain(4, leaves=2))
    assert [node.name for node in scene.nodes] == ["n0", "|n0|n1", "|n0|n1|n2", "|n0|n1|n2|n3", "|n0|n1|n2|n3|c0",
                                                   "|n0|n1|n2|n3|c1"]  # fmt: skip
    for spelling in ("|n0|n1|n2|n3|c1", "c1", ":c1", "n3|c1"):
        found = scene.node(spelling)
        assert found is not None and found.name == "|n0|n1|n2|n3|c1", spelling
    assert scene.node("|n0|n2") is not None and scene.node("|n0|n2").name == "|n0|n1|n2"  # by its leaf, as before
    assert scene.node("|nope|x") is None
