"""The one token grammar: every frame, tile and view form each host writes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accsyn_dcc.tokens import FRAME, TILE, VIEW, PathPattern, TokenError, find_tokens


@pytest.mark.parametrize(
    ("path", "frame", "expected"),
    [
        ("/p/plate.%04d.exr", 7, "/p/plate.0007.exr"),
        ("/p/plate.%4d.exr", 7, "/p/plate.0007.exr"),
        ("/p/plate.%d.exr", 7, "/p/plate.7.exr"),
        ("/p/plate.####.exr", 7, "/p/plate.0007.exr"),
        ("/p/plate.#.exr", 12, "/p/plate.12.exr"),
        ("/p/plate.@@@.exr", 7, "/p/plate.007.exr"),
        ("/p/plate.$F.exr", 7, "/p/plate.7.exr"),
        ("/p/plate.$F4.exr", 7, "/p/plate.0007.exr"),
        ("/p/plate.${F4}.exr", 7, "/p/plate.0007.exr"),
        ("/p/plate.$FF.exr", 7, "/p/plate.7.exr"),
        ("/p/plate.<f>.exr", 7, "/p/plate.7.exr"),
        ("/p/plate.<f4>.exr", 7, "/p/plate.0007.exr"),
        ("/p/plate.<Frame>.exr", 7, "/p/plate.7.exr"),
        ("/p/plate.%04d.exr", 12345, "/p/plate.12345.exr"),
        ("/p/$F4/plate.$F4.exr", 3, "/p/0003/plate.0003.exr"),
    ],
)
def test_frame_tokens(path, frame, expected):
    pattern = PathPattern.parse(path)
    assert pattern.is_sequence
    assert pattern.with_values(frame) == expected


@pytest.mark.parametrize("path", ["/p/$FOO/a.exr", "/p/a.exr", "/p/$HIP/a.exr", "/p/50percent.exr"])
def test_not_frame_tokens(path):
    assert not PathPattern.parse(path).is_sequence


@pytest.mark.parametrize(
    ("name", "tile", "label"),
    [
        ("wood.<UDIM>.exr", "wood.1012.exr", "1012"),
        ("wood.%(UDIM)d.exr", "wood.1012.exr", "1012"),
        ("wood.<UVTILE>.exr", "wood.u2_v3.exr", "u2_v3"),
        ("wood.u<U>_v<V>.exr", "wood.u2_v3.exr", "u2_v3"),
        ("wood.u<u>_v<v>.exr", "wood.u0_v1.exr", "u0_v1"),
        ("wood_u#_v#.exr", "wood_u1_v2.exr", "u1_v2"),
    ],
)
def test_tile_tokens(name, tile, label):
    from accsyn_dcc.tokens import tile_label

    pattern = PathPattern.parse("/tex/" + name)
    assert pattern.is_tiled and not pattern.is_sequence
    match = pattern.name_matcher().match(tile)
    assert match is not None and tile_label(match) == label
    assert pattern.name_matcher().match("other." + tile) is None


@pytest.mark.parametrize(
    ("path", "values", "expected"),
    [
        ("/r/out_%V.%04d.exr", {"view": "left"}, "/r/out_left.0001.exr"),
        ("/r/out_%v.%04d.exr", {"view": "left"}, "/r/out_l.0001.exr"),
        (
            "/r/<Scene>/<RenderLayer>/<Camera>.####.exr",
            {"scene": "s", "layer": "bg", "camera": "cam"},
            "/r/s/bg/cam.0001.exr",
        ),
        ("/r/<Layer>_<RenderPass>.<f4>.exr", {"layer": "fg", "pass": "beauty"}, "/r/fg_beauty.0001.exr"),
    ],
)
def test_view_tokens(path, values, expected):
    assert PathPattern.parse(path).with_values(1, values) == expected


def test_token_kinds_and_order():
    kinds = [token.kind for token in find_tokens("/a/%V/b.<UDIM>.%04d.exr")]
    assert kinds == [VIEW, TILE, FRAME]


def test_absurd_padding_is_refused():
    with pytest.raises(TokenError, match="999999999"):
        find_tokens("/p/a.%0999999999d.exr")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["/s/a.%04d.exr", "/s/a.####.exr", "/s/a_$F3.x", "/s/a.<f2>.x", "/s/a.%d.x", "/s/a\0b.%04d.x"]),
    st.lists(st.integers(-20_000, 20_000), max_size=40) | st.builds(range, st.integers(-50, 50), st.integers(-50, 150)),
)
def test_frame_names_are_the_paths_with_each_frame(path, frames):
    pattern = PathPattern.parse(path)
    assert pattern.frame_names(frames) == [pattern.with_values(frame) for frame in frames]


def test_frame_names_with_two_frame_tokens():
    pattern = PathPattern.parse("/s/%03d/a.####.exr")
    assert pattern.frame_names(range(9, 11)) == ["/s/009/a.0009.exr", "/s/010/a.0010.exr"]


def test_a_repeated_tile_token_names_the_same_tile_and_frames_are_read_as_written():
    from accsyn_dcc.tokens import tile_label

    repeated = PathPattern.parse("/tex/wood.<UDIM>.<UDIM>.exr")
    assert tile_label(repeated.name_matcher().match("wood.1012.1012.exr")) == "1012"
    assert repeated.name_matcher().match("wood.1012.1013.exr") is None
    animated = PathPattern.parse("/tex/fire.<UDIM>.%04d.exr")
    matcher = animated.name_matcher()
    assert animated.frame_of(matcher.match("fire.1001.0012.exr")) == 12
    assert animated.frame_of(matcher.match("fire.1001.00012.exr")) is None  # %04d never writes 00012
    twice = PathPattern.parse("/tex/fire.<UDIM>.%04d.####.exr")
    assert twice.frame_of(twice.name_matcher().match("fire.1001.0012.0013.exr")) is None
