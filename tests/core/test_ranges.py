"""The accsyn range grammar: parsing, normalising, counting and bucket splitting."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accsyn_dcc.errors import ValidationError
from accsyn_dcc.ranges import Bucket, FrameRange, compact, parse_item


@pytest.mark.parametrize(
    ("text", "normalised", "count"),
    [
        ("1001-1100", "1001-1100", 100),
        ("4", "4", 1),
        ("5-250x5", "5-250x5", 50),
        ("1-10x4", "1-9x4", 3),
        ("5-5", "5", 1),
        ("1-10x1", "1-10", 10),
        ("1-10, 20 30-50x2", "1-10,20,30-50x2", 22),
        ("  1001-1005 ,,1003 ", "1001-1005,1003", 5),
    ],
)
def test_parse_normalises_and_counts(text, normalised, count):
    frame_range = FrameRange.parse(text)
    assert str(frame_range) == normalised
    assert len(frame_range) == count


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10-1", "reversed; write 1-10"),
        ("1-10x0", "step must be a positive"),
        ("1-10x-2", "step must be a positive"),
        ("-5", "negative frames"),
        ("1--5", "negative frames"),
        ("", "empty"),
        (" , ", "empty"),
        ("1-10,abc", "not a range entry"),
        ("1-2000000", "more than"),
    ],
)
def test_bad_ranges_name_the_field_and_entry(text, message):
    with pytest.raises(ValidationError) as caught:
        FrameRange.parse(text, field="range")
    assert message in str(caught.value)
    assert str(caught.value).startswith("range:")


def test_every_bad_entry_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        FrameRange.parse("10-1 abc 5")
    assert [problem.value for problem in caught.value.problems] == ["10-1", "abc"]


def test_buckets_are_consecutive_runs_in_dispatch_order():
    buckets = FrameRange.parse("1-10,20,30-34x2").buckets(4)
    assert [bucket.item for bucket in buckets] == ["1-4", "5-8", "9-10", "20", "30", "32", "34"]


def test_bucket_size_must_be_positive():
    with pytest.raises(ValidationError, match="task_bucketsize"):
        FrameRange.parse("1-10").buckets(0)


def test_duplicates_count_once_and_keep_first_position():
    frame_range = FrameRange.parse("5-7,1-6")
    assert frame_range.frames() == [5, 6, 7, 1, 2, 3, 4]
    assert len(frame_range) == 7


def test_clipped_keeps_the_step_grid():
    assert str(FrameRange.parse("1-100x10").clipped(15, 60)) == "21-51x10"
    assert FrameRange.parse("1-10").clipped(20, 30) is None


def test_compact():
    assert compact([1015, 1012, 1013, 1014, 1020]) == "1012-1015,1020"
    assert compact([]) == ""


def test_parse_item_reads_accsyn_item():
    assert parse_item("all") is None
    assert parse_item(None) is None
    assert parse_item("1001") == Bucket(1001, 1001)
    assert parse_item("1001-1005") == Bucket(1001, 1005)
    with pytest.raises(ValueError):
        parse_item("1-9x2")


entries = st.tuples(st.integers(0, 500), st.integers(0, 60), st.integers(1, 7))


@given(st.lists(entries, min_size=1, max_size=6), st.integers(1, 9))
def test_buckets_cover_exactly_the_frames(raw_entries, size):
    text = ",".join(f"{first}-{first + length}x{step}" for first, length, step in raw_entries)
    frame_range = FrameRange.parse(text)
    bucketed = [frame for bucket in frame_range.buckets(size) for frame in bucket.frames()]
    assert bucketed == list(frame_range.frames())
    assert all(len(bucket) <= size for bucket in frame_range.buckets(size))
    assert list(FrameRange.parse(str(frame_range)).frames()) == list(frame_range.frames())


@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), min_size=1, max_size=8))
def test_from_runs_is_the_union_of_the_runs_in_order(raw_runs):
    runs = [(first, first + length) for first, length in raw_runs]
    union = sorted({frame for first, last in runs for frame in range(first, last + 1)})
    merged = FrameRange.from_runs(reversed(runs))
    assert list(merged.frames()) == union
    assert len(merged.entries) == sum(1 for a, b in zip([None, *union], union) if a is None or b != a + 1)
