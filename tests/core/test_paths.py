"""The path mapper: every OS's path forms onto share notation, and the entries for input conversion."""

import pytest

from accsyn_dcc.paths import PathMapper, default_job_name, normalise
from accsyn_dcc.workspace import Volume

PROJECTS = Volume("projects", {"windows": "P:", "mac": "/Volumes/projects", "linux": "/mnt/projects"}, default=True)
NETWORK = Volume("net", {"windows": "\\\\fileserver\\vfx", "mac": "/Volumes/vfx", "linux": "/net/vfx"})
NESTED = Volume(
    "shots", {"windows": "P:\\show\\shots", "mac": "/Volumes/projects/show/shots", "linux": "/mnt/projects/show/shots"}
)


@pytest.fixture
def mapper():
    return PathMapper([PROJECTS, NETWORK, NESTED], local_os="linux")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("P:\\show\\comp\\a.nk", "share=projects/show/comp/a.nk"),
        ("P:/show/comp/a.nk", "share=projects/show/comp/a.nk"),
        ("p:\\SHOW\\comp\\a.nk", "share=projects/SHOW/comp/a.nk"),
        ("P:\\", "share=projects"),
        ("P:", "share=projects"),
        ("\\\\fileserver\\vfx\\plates\\p.exr", "share=net/plates/p.exr"),
        ("//fileserver/vfx/plates/p.exr", "share=net/plates/p.exr"),
        ("\\\\FILESERVER\\VFX\\plates\\p.exr", "share=net/plates/p.exr"),
        ("/Volumes/projects/show/a.nk", "share=projects/show/a.nk"),
        ("/mnt/projects/show/a.nk", "share=projects/show/a.nk"),
        ("/mnt/projects/", "share=projects"),
        ("/mnt/projects//show///a.nk", "share=projects/show/a.nk"),
        ("/net/vfx/x", "share=net/x"),
    ],
)
def test_paths_on_volumes_map_to_share_notation(mapper, path, expected):
    assert mapper.to_accsyn(path) == expected


def test_nested_volume_longest_prefix_wins(mapper):
    assert mapper.to_accsyn("/mnt/projects/show/shots/sh010/a.nk") == "share=shots/sh010/a.nk"
    assert mapper.to_accsyn("P:\\show\\shots\\sh010\\a.nk") == "share=shots/sh010/a.nk"
    assert mapper.to_accsyn("P:\\show\\shotsy\\a.nk") == "share=projects/show/shotsy/a.nk"


@pytest.mark.parametrize(
    "path",
    [
        "/mnt/projectsX/a.nk",
        "/MNT/projects/a.nk",
        "/Volumes/Projects/a.nk",
        "Q:\\a.nk",
        "//otherserver/vfx/a",
        "relative/a.nk",
        "/tmp/a.nk",
    ],
)
def test_paths_on_no_volume_are_not_mapped(mapper, path):
    assert mapper.to_accsyn(path) is None


def test_outside_paths_are_reported_never_dropped(mapper):
    report = mapper.map_all(["/mnt/projects/a", "/tmp/b", "/tmp/b", "Q:\\c"])
    assert report.outside == ["/tmp/b", "Q:\\c"]
    assert [item.share_path for item in report.mapped] == ["share=projects/a", None, None]
    assert [volume.code for volume in report.volumes] == ["projects"]


def test_the_users_own_mapping_wins():
    mapper = PathMapper([PROJECTS], local_mappings={"projects": "X:\\"}, local_os="windows")
    assert mapper.to_accsyn("X:\\show\\a.nk") == "share=projects/show/a.nk"
    assert mapper.to_accsyn("P:\\show\\a.nk") == "share=projects/show/a.nk"
    assert mapper.local_prefix(PROJECTS) == "X:\\"


def test_mapped_share_paths_only_for_prefixes_no_volume_covers():
    assert PathMapper([PROJECTS], local_os="windows").mapped_share_paths() == []
    same_as_volume = PathMapper([PROJECTS], local_mappings={"projects": "p:\\"}, local_os="windows")
    assert same_as_volume.mapped_share_paths() == []
    old_mount = PathMapper([PROJECTS], local_mappings={"projects": "/mnt/oldproj"}, local_os="linux")
    assert old_mount.mapped_share_paths() == [{"remote": "/mnt/oldproj", "local": "share=projects"}]


def test_to_native_per_os(mapper):
    assert mapper.to_native("share=projects/show/a.nk", "windows") == "P:\\show\\a.nk"
    assert mapper.to_native("share=projects/show/a.nk", "mac") == "/Volumes/projects/show/a.nk"
    assert mapper.to_native("share=unknown/a", "linux") is None


def test_helpers():
    assert normalise("C:\\a\\\\b\\") == "C:/a/b"
    assert normalise("\\\\srv\\share\\") == "//srv/share"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("C:\\projects\\nuke\\vfx\\test_v002.nk", "test_v002"),
        ("C:/projects/nuke/vfx/test_v002.nk", "test_v002"),
        ("C:test_v002.nk", "test_v002"),
        ("\\\\fileserver\\vfx\\shot.v003.hip", "shot.v003"),
        ("/Volumes/projects/show/light.blend", "light"),
        ("/mnt/projects/show/layout.ma", "layout"),
        ("share=projects/show/stage.usda", "stage"),
        ("P:\\renders\\", "renders"),
        ("/mnt/projects/.hidden", ".hidden"),
        ("scene", "scene"),
    ],
)
def test_a_default_job_name_is_the_inputs_file_name_without_extension_from_any_os(path, expected):
    assert default_job_name(path) == expected


def test_a_share_path_is_found_where_this_machine_has_the_share():
    """One conversion for the local farm's outputs and transfers and the monitor's output folder."""
    volumes = [Volume("projects", {"linux": "/mnt/projects/", "windows": "P:\\"}, id="v1")]
    assert PathMapper(volumes, local_os="linux").to_local("share=projects/shot/out") == "/mnt/projects/shot/out"
    assert PathMapper(volumes, local_os="windows").to_local("share=v1/shot/out") == "P:\\shot\\out"
    assert PathMapper(volumes, {"projects": "/Volumes/p"}, local_os="mac").to_local("share=projects") == "/Volumes/p"
    assert PathMapper(volumes, local_os="mac").to_local("share=projects/x") is None  # no path on this OS
    assert PathMapper(volumes, local_os="linux").to_local("share=other/x") is None
