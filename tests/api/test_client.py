"""AccsynClient against the stand-in backend: workspace reads, job life cycle, refusals."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from accsyn_dcc.api import AuthenticationError, BackendError, NotConfigured, UnreachableError, connect
from accsyn_dcc.api.client import AccsynClient, parse_proxy
from accsyn_dcc.credentials import Credentials

NUKE_JOB = {"name": "sh010_comp", "engine": "nuke-15", "input": "share=projects/sh010/comp.nk", "range": "1001-1100"}


def test_workspace_info_reads_engines_volumes_sites_and_queues(credentials):
    info = connect(credentials).workspace_info()
    nuke = info.engine("nuke-15")
    assert nuke is not None and nuke.settings.default_bucketsize == 5 and nuke.settings.default_range == "1001-1100"
    assert nuke.parameters["arguments"] == ["-txV"]
    assert [volume.code for volume in info.volumes if volume.default] == ["projects"]
    assert info.volumes[0].paths["windows"] == "P:"
    assert [site.code for site in info.sites if site.main] == ["hq"]
    assert [(queue.name, queue.priority) for queue in info.queues if queue.default] == [("Medium", 500)]


def test_create_makes_one_task_per_item_and_jobs_can_be_listed(credentials):
    client = connect(credentials)
    job = client.create_compute_job(NUKE_JOB)
    assert len(job["id"]) == 24 and job["status"] == "waiting" and job["engine"] == "nuke-15"
    tasks = client.find_tasks(job["id"])
    assert [task["uri"] for task in tasks[:2]] == ["1001", "1002"] and len(tasks) == 100
    assert client.find_job(job["id"])["name"] == "sh010_comp"
    assert [listed["id"] for listed in client.find_jobs()] == [job["id"]]


def test_tasks_stay_per_item_whatever_the_bucket_size_and_the_setting_is_kept_for_dispatch(credentials):
    from accsyn_dcc.ranges import task_buckets

    client = connect(credentials)
    job = client.create_compute_job(dict(NUKE_JOB, settings={"task_bucketsize": "25"}))
    assert len(client.find_tasks(job["id"])) == 100
    stored = client.find_job(job["id"])["compute"]
    assert [bucket.item for bucket in task_buckets(stored["range"], stored["settings"]["task_bucketsize"], 5)] == [
        "1001-1025",
        "1026-1050",
        "1051-1075",
        "1076-1100",
    ]


def test_pause_resume_abort_and_finished_jobs(credentials):
    client = connect(credentials)
    job_id = client.create_compute_job(NUKE_JOB)["id"]
    assert client.pause_job(job_id)["status"] == "paused"
    assert client.resume_job(job_id)["status"] == "waiting"
    assert client.abort_job(job_id)["status"] == "aborted"
    assert client.find_jobs() == []
    assert [job["id"] for job in client.find_jobs(finished=True)] == [job_id]


def test_repeat_of_an_unfinished_job_returns_it_and_an_aborted_one_does_not(credentials):
    client = connect(credentials)
    first = client.create_compute_job(NUKE_JOB)
    assert client.create_compute_job(NUKE_JOB)["id"] == first["id"]
    client.abort_job(first["id"])
    assert client.create_compute_job(NUKE_JOB)["id"] != first["id"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"engine": "nuke-99"}, "engine"),
        ({"input": "share=nowhere/sh010/comp.nk"}, "input"),
        ({"range": "1100-1001x"}, "range"),
        ({"filters": "ram:lots"}, "filters"),
        ({"input": ""}, "input"),
        ({"queue": "urgent"}, "queue"),
    ],
)
def test_refused_payloads_name_the_field(credentials, change, field):
    client = connect(credentials)
    with pytest.raises(BackendError) as caught:
        client.create_compute_job(dict(NUKE_JOB, **change))
    assert f"{field}" in caught.value.message_hr and caught.value.message
    assert client.find_jobs() == []


def test_wrong_api_key_is_an_authentication_error_without_the_key(credentials):
    wrong = dataclasses.replace(credentials, api_key="not-the-key-123")
    with pytest.raises(AuthenticationError) as caught:
        connect(wrong)
    assert "not-the-key-123" not in str(caught.value) and "artist@example.com" in str(caught.value)


def test_unknown_workspace_is_not_configured(credentials):
    with pytest.raises(NotConfigured, match="nowhere"):
        connect(dataclasses.replace(credentials, workspace="nowhere"))


@pytest.mark.parametrize(
    "proxy, expected", [("10.0.0.5:3128", ("10.0.0.5", 3128)), ("proxyhost", ("proxyhost", 80)),
                        ("accsyn:proxyhost:8080", ("proxyhost", 8080))],
)  # fmt: skip
def test_proxy_forms(proxy, expected):
    assert parse_proxy(proxy) == expected


@pytest.mark.parametrize("proxy", ["socks5:10.0.0.5:1080", "socks:h:1", "http:h:1", "h:port"])
def test_unsupported_proxies_are_not_configured(proxy):
    with pytest.raises(NotConfigured, match="ACCSYN_PROXY"):
        AccsynClient(Credentials("demo", "a@b.c", "k", proxy=proxy))


def test_disabled_tls_verification_is_warned_about(caplog):
    with caplog.at_level(logging.WARNING, logger="accsyn_dcc.api.client"):
        AccsynClient(Credentials("insecure-ws", "a@b.c", "secret-key", hostname="h", verify=False))
    assert "verification is OFF" in caplog.text and "secret-key" not in caplog.text


def test_repr_hides_the_key(credentials):
    assert credentials.api_key not in repr(AccsynClient(credentials))


def test_without_a_proxy_the_client_speaks_verified_https(standin):
    direct = Credentials("demo", "artist@example.com", "demo-0000-standin-key", hostname="127.0.0.1", port=standin.port)
    with pytest.raises(UnreachableError, match=r"(?i)ssl"):
        connect(direct, retries=0)


def test_an_invalid_session_is_refused_by_the_backend_and_the_client_logs_in_again(credentials):
    client = connect(credentials)
    client._session_id = "forged"
    assert client.find_jobs() == []
    assert client._session_id != "forged"  # refused: the client logged in again (tests/api/test_session_renewal.py)
