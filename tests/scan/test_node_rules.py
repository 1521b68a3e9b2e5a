"""Node rules are data rows of one shape for every host (issue #20, item 4): each reader's table is a tuple of
``FileRule`` rows, its lookups are those rows grouped once, and each live scan reads the same rows."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from accsyn_dcc.scan.houdini import node_types as houdini
from accsyn_dcc.scan.maya import node_types as maya
from accsyn_dcc.scan.maya.model import AttributeName, MayaNode
from accsyn_dcc.scan.maya.scanner import attributes_to_read
from accsyn_dcc.scan.node_rules import FRAMES, SINGLE, SWITCHED, TOKENS, FieldName, FileRule, by_node_type
from accsyn_dcc.scan.nuke import rules as nuke

TESTS = Path(__file__).resolve().parents[1]
for folder in (TESTS / "fake_hosts", TESTS.parent / "plugins" / "nuke", TESTS.parent / "plugins" / "maya" / "scripts",
               TESTS.parent / "plugins" / "houdini" / "python"):  # fmt: skip
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

TABLES = {"nuke": nuke, "maya": maya, "houdini": houdini}


@pytest.mark.parametrize("host", sorted(TABLES))
def test_every_reader_table_is_a_tuple_of_rows_of_the_one_shape(host):
    table = TABLES[host]
    assert isinstance(table.FILE_RULES, tuple) and table.FILE_RULES
    assert {type(row) for row in table.FILE_RULES} == {FileRule}
    assert all(row.frames in FRAMES and isinstance(row.field, FieldName) for row in table.FILE_RULES)
    assert by_node_type(table.FILE_RULES) == table.RULES_BY_TYPE  # the lookups are the rows, grouped once


def test_a_rule_is_frozen_and_names_every_field_it_reads_the_files_first():
    rule = maya.RULES_BY_TYPE["file"][0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.kind = "image"  # type: ignore[misc]
    assert [name.name for name in rule.fields] == ["fileTextureName", "useFrameExtension", "frameOffset",
                                                   "uvTilingMode"]  # fmt: skip
    toggled = nuke.RULES_BY_TYPE["OCIOCDLTransform"][0]
    assert [name.name for name in toggled.fields] == ["file", "read_from_file"]


def test_a_maya_attribute_name_is_a_field_name_with_its_short_name_as_alias():
    name = AttributeName("fileTextureName", "ftn")
    assert isinstance(name, FieldName)
    assert (name.long, name.short, name.spellings) == ("fileTextureName", "ftn", ("fileTextureName", "ftn"))
    same = AttributeName("fileTextureName", "ftn")
    assert name == same and hash(name) == hash(same)
    node = MayaNode("file", "file1", attributes={"ftn": "a.exr"})
    assert node.value(name) == node.value(FieldName("fileTextureName", ("ftn",))) == "a.exr"


def test_each_reader_gets_only_rows_it_reads():
    """What a host's reader does not read stays at its default in that host's rows."""
    maya_only = ("switch", "frame_offset", "tiling", "many", "suffix", "folder")
    defaults = FileRule("x", FieldName("x"), "x")
    for row in nuke.FILE_RULES:  # a sequence through the Read's timing, or one file; a toggle
        assert row.frames in (SINGLE, TOKENS) and not row.off and not row.field.aliases
        assert all(getattr(row, name) == getattr(defaults, name) for name in maya_only)
    for row in houdini.FILE_RULES:  # Houdini follows the path's own tokens; a mode menu names its off values
        assert row.frames == TOKENS and not row.field.aliases
        assert all(getattr(row, name) == getattr(defaults, name) for name in maya_only)
        assert (row.enabled_by is None) == (not row.off)
    for row in maya.FILE_RULES:  # every attribute with its short name; a toggle; a switch for a sequence
        assert len(row.field.spellings) == 2 and not row.off
        assert (row.frames == SWITCHED) == (row.switch is not None)


def test_the_live_scans_read_the_same_rows():
    import accsyn_houdini.live_scan as houdini_live
    import accsyn_maya.live_scan as maya_live

    import accsyn_nuke.live_scan as nuke_live

    assert nuke_live.FILE_RULES is nuke.FILE_RULES
    assert {name.name for row in nuke.FILE_RULES for name in row.fields} <= set(nuke_live.NODE_KNOBS)
    assert maya_live.RULES_BY_TYPE is maya.RULES_BY_TYPE
    for node_type, rows in maya.RULES_BY_TYPE.items():
        assert {name for row in rows for name in row.fields} <= set(attributes_to_read(node_type))
    assert houdini_live.RULES_BY_TYPE is houdini.RULES_BY_TYPE
