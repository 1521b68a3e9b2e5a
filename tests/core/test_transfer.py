"""The dependency rule: a sequence's folder is sent only when it holds nothing but the needed files."""

from __future__ import annotations

import os

from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.references import FileReference
from accsyn_dcc.scan.dependencies import check_references
from accsyn_dcc.scan.records import Dependency
from accsyn_dcc.transfer import describe_size, plan_transfer, sent_as_they_are


def _touch(folder, names, size=10):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"x" * size)


def _plan(references, frames="1-3"):
    dependencies, unresolved = check_references(references, FrameRange.parse(frames))
    assert unresolved == []
    return dependencies, plan_transfer(dependencies)


def test_folder_with_only_the_needed_frames_is_sent_whole(tmp_path):
    plates = tmp_path / "plate_v002"
    _touch(plates, [f"plate.{frame:04d}.exr" for frame in (1, 2, 3)])
    _deps, plan = _plan([FileReference("Read1", "file", "x", str(plates / "plate.%04d.exr"), "read")])
    assert plan.paths == (str(plates),)
    assert plan.file_count == 3 and plan.byte_count() == 30


def test_folder_with_other_versions_sends_only_the_needed_files(tmp_path):
    plates = tmp_path / "plates"
    for version in range(1, 11):
        _touch(plates, [f"plate_v{version:03d}.{frame:04d}.exr" for frame in range(1, 6)])
    _deps, plan = _plan([FileReference("Read1", "file", "x", str(plates / "plate_v004.####.exr"), "read")])
    assert plan.paths == tuple(str(plates / f"plate_v004.{frame:04d}.exr") for frame in (1, 2, 3))


def test_frames_outside_the_job_range_keep_the_folder_from_being_sent(tmp_path):
    plates = tmp_path / "plate"
    _touch(plates, [f"plate.{frame}.exr" for frame in range(1, 11)])
    _deps, plan = _plan([FileReference("Read1", "file", "x", str(plates / "plate.$F.exr"), "read")])
    assert len(plan.paths) == 3 and all(path.endswith(".exr") for path in plan.paths)


def test_missing_frames_are_reported_not_sent(tmp_path):
    plates = tmp_path / "plate"
    _touch(plates, ["plate.0001.exr", "plate.0003.exr"])
    [dependency], plan = _plan([FileReference("Read1", "file", "x", str(plates / "plate.%04d.exr"), "read")])
    assert dependency.missing == "2"
    assert plan.paths == (str(plates),)
    assert plan.file_count == 2


def test_udim_tiles_all_found_and_sent(tmp_path):
    textures = tmp_path / "tex"
    _touch(textures, ["wood.1001.exr", "wood.1002.exr", "wood.1011.exr", "metal.1001.exr"])
    [dependency], plan = _plan([FileReference("file1", "fileTextureName", "x", str(textures / "wood.<UDIM>.exr"))])
    assert dependency.exists and dependency.tiles == ["1001", "1002", "1011"]
    assert sorted(plan.paths) == sorted(str(textures / f"wood.{tile}.exr") for tile in ("1001", "1002", "1011"))


def test_udim_with_no_tile_is_missing(tmp_path):
    (tmp_path / "tex").mkdir()
    [dependency], plan = _plan([FileReference("file1", "ftn", "x", str(tmp_path / "tex" / "wood.<UDIM>.exr"))])
    assert not dependency.exists and plan.paths == ()


def test_stereo_views_need_both_eyes(tmp_path):
    renders = tmp_path / "r"
    _touch(renders, ["a_left.1.exr", "a_right.1.exr", "a_left.2.exr"])
    reference = FileReference(
        "Read1", "file", "x", str(renders / "a_%V.%d.exr"), "read",
        variants=({"view": "left"}, {"view": "right"}),
    )  # fmt: skip
    [dependency], _ = _plan([reference], "1-2")
    assert dependency.missing == "2"


def test_unfilled_view_token_is_unresolved(tmp_path):
    reference = FileReference("Read1", "file", "x", str(tmp_path / "<Camera>.exr"))
    dependencies, unresolved = check_references([reference], None)
    assert dependencies == [] and "camera" in unresolved[0].reason


def test_single_files_sent_as_they_are_and_unresolved_kept(tmp_path):
    (tmp_path / "lut.cube").write_text("x")
    references = [
        FileReference("Vectorfield1", "vfield_file", "x", str(tmp_path / "lut.cube"), "lut"),
        FileReference("Read2", "file", "[python os.getcwd()]", None, condition="python is not evaluated"),
    ]
    dependencies, unresolved = check_references(references, None)
    assert plan_transfer(dependencies).paths == (str(tmp_path / "lut.cube"),)
    assert unresolved[0].node == "Read2" and unresolved[0].reason == "python is not evaluated"


def test_a_folder_the_render_reads_whole_is_sent_whole_with_every_file_under_it_counted(tmp_path):
    bake = tmp_path / "bakes" / "gn"
    _touch(bake, ["meta.json"])
    _touch(bake / "data", ["0001.bphys", "0002.bphys"])
    reference = FileReference("Object 'Cube'", "bake_directory", "//bakes/gn", str(bake), "geometry bake",
                              frame_dependent=False, folder=True)  # fmt: skip
    dependencies, plan = _plan([reference])
    assert [dependency.exists for dependency in dependencies] == [True]
    assert plan.paths == (str(bake),) and plan.file_count == 3 and plan.byte_count() == 30
    assert sent_as_they_are([str(bake / "data"), str(bake / "meta.json")]).file_count == 3  # added by hand


def test_a_path_that_names_a_folder_where_a_file_is_read_is_reported_never_sent(tmp_path):
    """A Read set to the plates folder (a typo, an empty file name) would send the whole folder."""
    plates = tmp_path / "plates"
    _touch(plates, ["a.0001.exr", "b.0001.exr"])
    references = [
        FileReference("Read1", "file", str(plates), str(plates), "read", frame_dependent=False),
        FileReference("Fluid", "cache_directory", "x", str(plates / "a.0001.exr"), "fluid cache", folder=True),
    ]
    dependencies, unresolved = check_references(references, None)
    assert dependencies == [] and plan_transfer(dependencies).paths == ()
    assert [(item.node, item.reason) for item in unresolved] == [
        ("Read1", "it names a folder, not a file"),
        ("Fluid", "it names a file, not a folder"),
    ]


def test_a_link_to_nothing_is_missing_not_sent(tmp_path):
    """The folder's listing holds a link whose target is gone: the render could not read it either."""
    (tmp_path / "grain.exr").symlink_to(tmp_path / "deleted.exr")
    reference = FileReference("Read4", "file", "x", str(tmp_path / "grain.exr"), "read", frame_dependent=False)
    [dependency], unresolved = check_references([reference], None)
    assert not dependency.exists and unresolved == [] and dependency.found_as == ""  # not a twin of itself
    assert plan_transfer([dependency]).paths == ()


def test_a_name_that_differs_only_in_case_or_accent_encoding_is_missing_with_its_twin_named(tmp_path):
    """A Mac or Windows disk reads ``Plate.0001.exr`` as ``plate.0001.exr``; a Linux render node does not."""
    _touch(tmp_path / "plates", ["plate.0001.exr", "plate.0002.exr", "plate.0003.exr"])
    _touch(tmp_path / "fonts", ["cafe\u0301.ttf"])  # saved by macOS: the accent as a character of its own
    references = [
        FileReference("Read1", "file", "x", str(tmp_path / "plates" / "Plate.%04d.exr"), "read"),
        FileReference("Text1", "font", "x", str(tmp_path / "fonts" / "caf\u00e9.ttf"), "font", frame_dependent=False),
        FileReference("Read2", "file", "x", str(tmp_path / "plates" / "plate.%04d.exr"), "read"),
    ]
    dependencies, _unresolved = check_references(references, FrameRange.parse("1-3"))
    assert [(dependency.exists, dependency.found_as) for dependency in dependencies] == [
        (False, str(tmp_path / "plates" / "plate.0001.exr")),
        (False, str(tmp_path / "fonts" / "cafe\u0301.ttf")),
        (True, ""),
    ]


def test_conditional_reference_is_marked():
    [dependency], _ = check_references(
        [FileReference("Read1", "file", "x", "/nowhere/a.exr", required=False, condition="read_from_file is {{x}}")],
        None,
    )
    assert dependency.conditional and "read_from_file" in dependency.condition


def test_describe_size():
    assert describe_size(999) == "999 bytes"
    assert describe_size(1_500_000) == "1.5 MB"
    assert describe_size(3 * 10**15) == "3000.0 TB"


def test_a_frame_token_in_a_folder_name_is_checked_and_sent_per_frame(tmp_path):
    for frame in (1, 3):
        _touch(tmp_path / "cache" / f"{frame:04d}", [f"points.{frame:04d}.bgeo"])
    pattern = str(tmp_path / "cache" / "$F4" / "points.$F4.bgeo")
    [dependency], plan = _plan([FileReference("Cache1", "file", "x", pattern, "cache")])
    assert (dependency.exists, dependency.frames, dependency.missing) == (True, "1-3", "2")
    assert sorted(plan.paths) == [str(tmp_path / "cache" / f"{frame:04d}") for frame in (1, 3)]


def test_frames_wider_than_the_padding_and_percent_signs_in_names(tmp_path):
    plates = tmp_path / "100%_plates"
    _touch(plates, ["shot%.998.exr", "shot%.999.exr", "shot%.1000.exr"])
    reference = FileReference("Read1", "file", "x", str(plates / "shot%.###.exr"), "read")
    [dependency], plan = _plan([reference], "998-1001")
    assert (dependency.exists, dependency.missing) == (True, "1001")
    assert plan.paths == (str(plates),)


def test_animated_tiles_walk_their_folder_once_and_name_each_missing_frame(tmp_path, monkeypatch):
    from accsyn_dcc.sequences import DirectoryIndex

    textures = tmp_path / "tex"
    _touch(textures, [f"fire.{tile}.{frame:04d}.exr" for tile in (1001, 1002) for frame in range(1, 51) if frame != 7])
    _touch(textures, ["fire.1001.00020.exr", "fire.1003.0099.exr"])  # not as %04d writes frame 20; not needed
    walks = []
    listed = DirectoryIndex.names
    monkeypatch.setattr(DirectoryIndex, "names", lambda self, folder: walks.append(folder) or listed(self, folder))
    reference = FileReference("file1", "fileTextureName", "x", str(textures / "fire.<UDIM>.%04d.exr"))
    [dependency], plan = _plan([reference], "1-50")
    assert (dependency.exists, dependency.missing, dependency.tiles) == (True, "7", ["1001", "1002"])
    assert len(walks) == 2  # to walk the tiles, then its size (cached) for the plan's folder rule: never per frame
    assert plan.file_count == 2 * 49 and str(textures / "fire.1001.00020.exr") not in plan.paths


def test_the_plan_sends_the_files_the_check_found_and_lists_no_folder(tmp_path, monkeypatch):
    """Views, tiles and frames of every host's tokens: the plan groups what the check matched, with no listing."""
    _touch(tmp_path / "stereo", [f"hero_{eye}.{frame}.exr" for eye in ("left", "right") for frame in (1, 2, 3)])
    _touch(tmp_path / "cams", ["beauty_shotCam.0001.exr", "beauty_shotCam.0002.exr", "beauty_shotCam.0003.exr",
                               "beauty_witness.0001.exr"])  # fmt: skip
    _touch(tmp_path / "tex", ["wood_left.1001.exr", "wood_right.1001.exr", "wood_right.1002.exr", "metal.1001.exr"])
    _touch(tmp_path / "geo", [f"out.{frame:04d}.bgeo.sc" for frame in (1, 2, 3, 4)])
    eyes = ({"view": "left"}, {"view": "right"})
    references = [
        FileReference("Read1", "file", "x", str(tmp_path / "stereo" / "hero_%V.%d.exr"), "read", variants=eyes),
        FileReference("|aiImage1", "filename", "x", str(tmp_path / "cams" / "beauty_<Camera>.<f4>.exr"),
                      variants=({"camera": "shotCam"},)),
        FileReference("Image 'wood'", "filepath", "x", str(tmp_path / "tex" / "wood_%V.<UDIM>.exr"), variants=eyes),
        FileReference("/obj/geo1/file1", "file", "x", str(tmp_path / "geo" / "out.$F4.bgeo.sc"), "cache"),
    ]  # fmt: skip
    dependencies, unresolved = check_references(references, FrameRange.parse("1-3"))
    assert unresolved == [] and all(dependency.exists for dependency in dependencies)
    listings = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": listings.append(path) or real_listdir(path))
    plan = plan_transfer(dependencies)
    assert listings == []
    assert plan.paths == (
        str(tmp_path / "stereo"),
        *(str(tmp_path / "cams" / f"beauty_shotCam.{frame:04d}.exr") for frame in (1, 2, 3)),
        *(str(tmp_path / "tex" / f"wood_{tile}.exr") for tile in ("left.1001", "right.1001", "right.1002")),
        *(str(tmp_path / "geo" / f"out.{frame:04d}.bgeo.sc") for frame in (1, 2, 3)),
    )
    assert plan.file_count == 6 + 3 + 3 + 3


def test_sequences_sharing_a_folder_send_it_whole_when_together_they_fill_it(tmp_path):
    """The folder rule counts every sequence the job reads from a folder, from the check's own listing."""
    _touch(tmp_path / "plates", [f"{name}.{frame}.exr" for name in ("bg", "fg") for frame in (1, 2, 3)])
    references = [FileReference(f"Read{name}", "file", "x", str(tmp_path / "plates" / f"{name}.%d.exr"), "read")
                  for name in ("bg", "fg")]  # fmt: skip
    _deps, plan = _plan(references)
    assert plan.paths == (str(tmp_path / "plates"),) and plan.file_count == 6
    _deps, plan = _plan(references[:1])
    assert plan.paths == tuple(str(tmp_path / "plates" / f"bg.{frame}.exr") for frame in (1, 2, 3))


def test_a_record_a_reader_built_itself_is_checked_once_by_the_plan(tmp_path):
    """A Dependency made without ``check_reference`` (no ``files``): its pattern is checked, never sent as text."""
    _touch(tmp_path / "plates", ["plate.0001.exr", "plate.0002.exr", "other.exr"])
    pattern = str(tmp_path / "plates" / "plate.%04d.exr")
    made = Dependency(pattern, "read", "Read1", "file", True, "1-3", "3")
    assert plan_transfer([made]).paths == tuple(str(tmp_path / "plates" / f"plate.000{f}.exr") for f in (1, 2))
    gone = Dependency(str(tmp_path / "gone" / "plate.%04d.exr"), "read", "Read2", "file", True, "1-3")
    assert plan_transfer([gone]).paths == ()
