"""The payload builder and validator: the seed's example passes, broken variants name their field."""

import copy
import json
from pathlib import Path

import pytest

from accsyn_dcc.compute_job import ComputeJob, JobParameters, SharePathMapping, setting_text
from accsyn_dcc.errors import ValidationError
from accsyn_dcc.payload_rules import check_payload, normalise_legacy_keys, validate_payload

SEED = json.loads((Path(__file__).parents[1] / "fixtures" / "payloads" / "seed_compute.json").read_text())


def test_the_seed_example_is_valid():
    assert validate_payload(SEED) == []


def broken(path, value):
    payload = copy.deepcopy(SEED)
    *parents, last = path
    target = payload
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return payload


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["range"], "1100-1001", "range"),
        (["filters"], "ram:lots", "filters"),
        (["parameters", "input_conversion"], "sometimes", "parameters.input_conversion"),
        (["envs", "FLAT"], "mixed with per-OS sections", "envs.FLAT"),
        (["settings", "task_bucketsize"], [5], "settings.task_bucketsize"),
        (["settings", "task_bucketsize"], "0", "settings.task_bucketsize"),
        (["settings", "transfer_speedlimit"], "fast", "settings.transfer_speedlimit"),
        (["parameters", "mapped_share_paths", 1, "os"], "amiga", "parameters.mapped_share_paths[1].os"),
        (["parameters", "mapped_share_paths", 0, "remote"], "", "parameters.mapped_share_paths[0].remote"),
        (["parameters", "remote_os"], "Windows", "parameters.remote_os"),
        (["parameters", "clear_output_directory"], True, "parameters.clear_output_directory"),
        (["parameters", "site", "local", "settings", "sideways"], {}, "parameters.site.local.settings.sideways"),
        (
            ["parameters", "site", "local", "settings", "common", "transfer_speedlimit"],
            None,
            "parameters.site.local.settings.common.transfer_speedlimit",
        ),
        (["engine"], KeyError, "engine"),
        (["engine"], "nuke 15", "engine"),
        (["input"], "", "input"),
        (["dependencies"], "C:\\a.jpg", "dependencies"),
        (["dependencies", 0], None, "dependencies[0]"),
        (["envs", "linux", "NUKE_PATH"], 3, "envs.linux.NUKE_PATH"),
        (["bogus"], 1, "bogus"),
    ],
)  # fmt: skip
def test_broken_variants_name_the_field(path, value, field):
    problems = validate_payload(broken(path, value))
    assert [problem.field for problem in problems] == [field]


def test_every_problem_is_listed_at_once():
    payload = broken(["range"], "10-1")
    payload["filters"] = "ram:lots"
    payload["settings"]["task_bucketsize"] = 0
    with pytest.raises(ValidationError) as caught:
        check_payload(payload)
    assert {problem.field for problem in caught.value.problems} == {"range", "filters", "settings.task_bucketsize"}
    assert "range: the range is reversed" in str(caught.value)


def test_legacy_keys_are_accepted():
    legacy = normalise_legacy_keys({"code": "x", "app": "nuke-13", "input": "a.nk"})
    assert legacy == {"name": "x", "engine": "nuke-13", "input": "a.nk"}
    assert validate_payload({"code": "x", "app": "nuke-13", "input": "a.nk"}) == []


def test_flat_envs_are_valid():
    assert validate_payload({"engine": "e", "input": "a", "envs": {"A": "1"}}) == []


def test_builder_emits_strings_and_per_os_envs_with_common():
    job = ComputeJob(
        engine="nuke-15",
        input="share=projects/a.nk",
        range="1001-1100",
        settings={"task_bucketsize": 5, "transfer_speedlimit": -1.0},
        os_envs={"linux": {"NUKE_PATH": "/x"}},
        parameters=JobParameters(
            input_conversion="always",
            mapped_share_paths=[SharePathMapping("C:\\projects", "share=projects")],
            site={"local": {"download": {"enable": False}}},
            clear_output_directory="true",
        ),
    )
    payload = job.to_payload()
    assert payload["settings"] == {"task_bucketsize": "5", "transfer_speedlimit": "-1"}
    assert payload["envs"] == {"common": {}, "linux": {"NUKE_PATH": "/x"}}
    assert payload["parameters"]["site"] == {"local": {"settings": {"download": {"enable": "false"}}}}
    assert payload["parameters"]["mapped_share_paths"] == [{"remote": "C:\\projects", "local": "share=projects"}]
    assert "output" not in payload and "dependencies" not in payload
    assert validate_payload(payload) == []


def test_builder_refuses_bad_values_naming_the_field():
    with pytest.raises(ValidationError, match=r"parameters.input_conversion: must be one of .*'sometimes'"):
        ComputeJob(engine="e", input="a", parameters=JobParameters(input_conversion="sometimes")).to_payload()
    with pytest.raises(ValidationError, match="range"):
        ComputeJob(engine="e", input="a", range="x").to_payload()


def test_setting_text():
    assert [setting_text(v) for v in (5, -1.0, 2.5, True, "x")] == ["5", "-1", "2.5", "true", "x"]


def test_a_planned_job_cannot_change_after_its_payload_was_reviewed():
    """``PlannedJob.reviewed`` keeps the job's review: the job record is frozen, so the two never disagree."""
    import dataclasses

    job = ComputeJob(engine="nuke-16", input="share=projects/a.nk", parameters=JobParameters())
    for record, name in ((job, "range"), (job.parameters, "arguments")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, name, "x")
