"""One rule for accsyn setting values: numbers and booleans are accepted with a warning and stored as text,
by ``payload --validate``, the local farm and the stand-in alike (compute.rst: setting values are strings)."""

import json

import pytest

from accsyn_dcc.cli import main
from accsyn_dcc.errors import ValidationError
from accsyn_dcc.farm import LocalFarm
from accsyn_dcc.payload_rules import review_payload, validate_payload
from accsyn_dcc.standin.backend import Backend, load_seed
from accsyn_dcc.standin.store import Store

NUMERIC = {
    "engine": "nuke-13",
    "input": "/projects/shot.nk",
    "range": "1-4",
    "settings": {"task_bucketsize": 5, "transfer_speedlimit": -1.0},
    "parameters": {"site": {"local": {"settings": {"upload": {"task_bucketsize": 1}, "download": {"enable": False}}}}},
}
AS_TEXT = {"task_bucketsize": "5", "transfer_speedlimit": "-1"}
ENGINE = """\
import os, sys
sys.path.append(os.environ["ACCSYN_COMPUTE_COMMON_PATH"])
from common import Common


class Engine(Common):
    # -- ENGINE CONFIG START --
    SETTINGS = {"items": True, "default_bucketsize": 1}
    # -- ENGINE CONFIG END --
"""


def test_the_rule_accepts_numbers_stores_text_and_warns_naming_each_field():
    review = review_payload(NUMERIC)
    assert review.problems == ()
    assert review.value["settings"] == AS_TEXT
    assert review.value["parameters"]["site"]["local"]["settings"] == {
        "upload": {"task_bucketsize": "1"},
        "download": {"enable": "false"},
    }
    warned = {warning.field for warning in review.warnings}
    assert warned == {
        "settings.task_bucketsize",
        "settings.transfer_speedlimit",
        "parameters.site.local.settings.upload.task_bucketsize",
        "parameters.site.local.settings.download.enable",
    }
    assert NUMERIC["settings"]["task_bucketsize"] == 5  # the caller's payload is left as it was


def test_the_rule_still_refuses_what_is_no_setting_value():
    problems = validate_payload({**NUMERIC, "settings": {"task_bucketsize": 0, "transfer_speedlimit": [1]}})
    assert {problem.field for problem in problems} == {"settings.task_bucketsize", "settings.transfer_speedlimit"}


def test_payload_validate_accepts_accsyns_own_numeric_test_payload_with_a_warning(tmp_path, capsys):
    path = tmp_path / "nuke-13.json"
    path.write_text(json.dumps(NUMERIC))
    assert main(["payload", "--validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "settings.task_bucketsize" in out and "warning" in out


def test_the_local_farm_accepts_numbers_and_keeps_them_as_text(tmp_path):
    (tmp_path / "engines").mkdir()
    (tmp_path / "engines" / "nuke-13.py").write_text(ENGINE)
    farm = LocalFarm(NUMERIC, engines_dir=str(tmp_path / "engines"),
                     work_dir=str(tmp_path / "work"), progress=False)  # fmt: skip
    assert farm.payload["settings"] == AS_TEXT


def test_the_local_farm_refuses_what_the_rule_refuses(tmp_path):
    with pytest.raises(ValidationError, match=r"settings\.task_bucketsize"):
        LocalFarm(dict(NUMERIC, settings={"task_bucketsize": "zero"}), engines_dir=str(tmp_path),
                  work_dir=str(tmp_path / "work"), progress=False)  # fmt: skip


def test_the_standin_stores_site_setting_numbers_as_text_with_a_warning(tmp_path):
    lines = []
    seed = load_seed()
    backend = Backend(seed, Store(str(tmp_path)), on_status=lines.append)
    [job] = backend._create("compute", {"data": dict(NUMERIC, queue="medium")}, seed["users"][0])
    stored = backend.store.job(job["id"])
    assert stored["compute"]["settings"] == AS_TEXT
    assert stored["compute"]["parameters"]["site"]["local"]["settings"]["upload"] == {"task_bucketsize": "1"}
    assert any("parameters.site.local.settings.upload.task_bucketsize" in line for line in lines)
