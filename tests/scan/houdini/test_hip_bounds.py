"""The security probes' .hip files: each is read in bounded time and memory, ending in a result or one line."""

from __future__ import annotations

from typing import Dict, List

import pytest
from fuzzing import scan_bounded
from hip_files import HipFile, Node, backwards_archive, with_parm_lines, with_sections

from accsyn_dcc.scan.houdini import scan_file
from accsyn_dcc.scan.houdini.archive import HipError
from accsyn_dcc.scan.houdini.hip import MAX_NODE_PATH_CHARS, MAX_STATEMENT_CHARS, load_hip

SCANNER = "accsyn_dcc.scan.houdini"
MEMORY = 512 * 1024 * 1024
"""Address space for the child that scans one probe (the readers before the fixes needed 2 to 7 GB)."""
PROBE = 100_000
"""How many times each probe repeats its piece: a line of that many brackets took 84 s before the fix."""


def evil_parm_lines(count: int) -> List[str]:
    """Parm lines each quadratic (or worse) in a backtracking pattern."""
    brackets = "[" * count
    return [
        f"file\t[ 0\tlocks=0 ]\t(\t{brackets}\t)",  # a value of brackets only
        brackets,  # a line of brackets, no parm
        'file2\t[ 0\tlocks=0 ]\t(\t"' + '\\"' * count + "\t)",  # a string that never closes, full of \"
        "file3\t[ 0\tlocks=0 ]\t(\t" + "[ a " * (count // 2) + ")",  # channels that never close
        "file4\t[ 0\tlocks=0 ]\t(\t" + '[ a "' * (count // 2) + ")",
        "file5\t[ 0\tlocks=0 ]\t(\t`" + '\\"' * count + "\t)",  # an expression that never closes, full of \"
        "file6\t[ 0\tlocks=0 ]\t(\t" + '" `' * count + "\t)",  # quotes and backticks, each opening the other
    ]


def evil_nodes(count: int) -> Dict[str, str]:
    """Ten nodes ``count`` levels deep (each one's category was looked for from the whole path of each level
    above it: 3 s a node at 120,000 levels before the fix), and a node under a 4,080-character path with
    ``count`` inputs wired in (each input held that whole path: 500 MB for 120,000)."""
    deep, network = "obj/" + "a/" * count, "obj/" + "n" * 4080
    wired = "inputs\n{\n" + "".join(f"{index} \tin{index} 0 1\n" for index in range(count)) + "}\n"
    return {**{f"{deep}x{index}.init": "type = file\n" for index in range(10)},
            f"{network}/merge1.init": "type = merge\n", f"{network}/merge1.def": wired}  # fmt: skip


def evil_sections(count: int) -> Dict[str, str]:
    """Sections whose blocks never close (20,000 channels took 25 s before the fix, 200,000 characters of one
    word in the library list 139 s)."""
    return {"obj/geo1/file1.chn": "channel a {\n" * count, "obj/geo1/file1.def": "inputs {\n" * count,
            ".OPlibraries": "a" * (count * 10)}  # fmt: skip


def test_parm_lines_that_made_the_value_pattern_backtrack_read_in_linear_time(tmp_path):
    scene = tmp_path / "brackets.hip"
    scene.write_bytes(with_parm_lines(evil_parm_lines(PROBE)))
    answer = scan_bounded(SCANNER, scene, MEMORY, seconds=30)
    assert "result" in answer


def test_sections_whose_blocks_never_close_read_in_linear_time(tmp_path):
    scene = tmp_path / "blocks.hip"
    scene.write_bytes(with_sections(evil_sections(PROBE)))
    answer = scan_bounded(SCANNER, scene, MEMORY, seconds=30)
    assert "result" in answer


def test_deep_node_paths_and_many_inputs_are_read_in_bounded_time_and_memory(tmp_path):
    scene = tmp_path / "nodes.hip"
    scene.write_bytes(with_sections(evil_nodes(120_000)))  # a section name holds at most 262,143 bytes
    result = scan_bounded(SCANNER, scene, MEMORY, seconds=30)["result"]
    assert isinstance(result, dict)
    assert result["errors"] == [f"{scene}: a node path longer than {MAX_NODE_PATH_CHARS} characters; not read"] * 10
    merge = next(node for node in load_hip(str(scene)).nodes if node.type == "merge")
    assert merge.inputs == [] and merge.category == "Object"  # nothing of the scene is wired in


@pytest.mark.parametrize(
    "value",
    ['a "quoted" word', "back\\slash\\", "( parens ) and [ brackets ] ", "", "tab\there", "$HIP/geo/$F4.bgeo.sc",
     "`chs(\"../x\")`", "]", "["],
)  # fmt: skip
def test_parm_values_read_back_as_saved(tmp_path, value):
    hip = HipFile(tmp_path / "values.hip")
    parms = {"file": [value], "t": [1.5, -2, 1e-07], "f": [("f1", "1001", "$FSTART"), ("f2", "a ] b", 'ch("x")')]}
    hip.nodes.append(Node("/obj/geo1/file1", "file", parms))
    [node] = load_hip(str(hip.write())).nodes
    assert [item.raw for item in node.parms["file"]] == [value]
    assert [item.raw for item in node.parms["t"]] == ["1.5", "-2", "1e-07"]
    assert [(item.raw, item.channel, item.expression) for item in node.parms["f"]] == [
        ("1001", "f1", "$FSTART"), ("a ] b", "f2", 'ch("x")')]  # fmt: skip


def test_a_section_size_that_points_back_is_refused(tmp_path):
    scene = tmp_path / "backwards.hip"
    scene.write_bytes(backwards_archive(64 * 1024))
    answer = scan_bounded(SCANNER, scene, MEMORY, seconds=30)
    assert "not an unsigned octal number" in str(answer.get("error"))
    with pytest.raises(HipError, match=f"^{scene}: a section header holds a size that is not an unsigned octal"):
        scan_file(str(scene), environ={})


def test_a_value_over_the_limit_is_one_line_naming_node_parm_and_file(tmp_path):
    """A 16 MB string cost 2.2 GB before the limit; its text is never quoted."""
    huge = "q" * (16 * 1024 * 1024)
    scene = tmp_path / "huge.hip"
    variables = f"set -g BIG = '{huge}'\nset -g SHOT = 'sh010'\n"
    scene.write_bytes(with_parm_lines([f'file\t[ 0\tlocks=0 ]\t(\t"$HIP/{huge}"\t)', "t\t[ 0\tlocks=0 ]\t(\t1\t)"],
                                      variables))  # fmt: skip
    answer = scan_bounded(SCANNER, scene, MEMORY, seconds=60)
    result = answer["result"]
    assert isinstance(result, dict) and "qqq" not in str(result)
    over = f"longer than {MAX_STATEMENT_CHARS // (1024 * 1024)} MB; not read"
    assert sorted(result["errors"]) == [f"{scene}: /obj/geo1/file1 parm file: {over}",
                                        f"{scene}: variable BIG: {over}"]  # fmt: skip
    [unresolved] = result["unresolved"]
    assert (unresolved["node"], unresolved["knob"], unresolved["value"]) == ("/obj/geo1/file1", "file", "")
    assert unresolved["reason"] == over
    [node] = load_hip(str(scene)).nodes[1:]
    assert node.number("t") == 1 and load_hip(str(scene)).variables["SHOT"] == "sh010"


def test_a_path_through_a_variable_holding_a_backtick_is_unresolved_on_its_parm(tmp_path):
    hip = HipFile(tmp_path / "shot.hip", variables={"SHOT": '`chs("/obj/shot/name")`', "SEQ": "sq01"})
    hip.nodes.append(Node("/obj/geo1/cache", "file", {"file": ["$HIP/$SEQ/$SHOT/cache.bgeo"]}))
    result = scan_file(str(hip.write()), environ={})
    assert result.dependencies == []
    [unresolved] = result.unresolved
    assert (unresolved.node, unresolved.knob) == ("/obj/geo1/cache", "file")
    assert unresolved.reason == "a backtick expression, evaluated by Houdini only"


def test_variables_that_multiply_each_other_stop_at_a_bound(tmp_path):
    """Three levels of a thousand references each would expand to 2 GB."""
    hip = HipFile(tmp_path / "bomb.hip", variables={"A": "$B" * 1000, "B": "$C" * 1000, "C": "$D" * 1000, "D": "xy"})
    hip.nodes.append(Node("/obj/geo1/cache", "file", {"file": ["$HIP/$A.bgeo"]}))
    scene = hip.write()
    result = scan_bounded(SCANNER, scene, MEMORY, seconds=30)["result"]
    assert isinstance(result, dict)
    [unresolved] = result["unresolved"]
    assert unresolved["node"] == "/obj/geo1/cache" and "expand to more than 64 KB" in unresolved["reason"]
