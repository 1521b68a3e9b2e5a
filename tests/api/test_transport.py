"""Wire format: size estimate, gzip rule, raw query, headers, reply decoding, and parity with accsyn_api."""

from __future__ import annotations

import base64
import json
import urllib.parse
from typing import Any, Dict, List

import accsyn_api
import pytest

from accsyn_dcc.api import connect, transport
from accsyn_dcc.standin import RecordedRequest


def test_size_estimate_follows_the_official_rule():
    assert (
        transport.estimate_size({"ab": "xyz", "n": 5, "none": None, "l": ["a", {"k": True}]})
        == 2 + 3 + 1 + 10 + 4 + 1 + 1 + 1 + 10
    )


@pytest.mark.parametrize("length, compressed", [(102400 - 1, False), (102400, True)])
def test_gzip_only_when_the_estimate_is_strictly_above_the_threshold(length, compressed):
    data = {"k": "x" * length}  # estimate = 1 + length
    event = transport.envelope("demo", "s", "u@x", "compute/create", data)
    assert ("gz_data" in event) is compressed and ("data" in event) is not compressed
    if compressed:
        assert transport.ungzip_data(event["gz_data"]) == data


def test_envelope_fields():
    event = transport.envelope("demo", "sess", "u@x", "task/find", {"parent": "p"}, query="status=done", entity_id="i")
    assert set(event) == {"audience", "workspace", "eid", "session", "uri", "ident", "created", "hostname", "data",
                          "query", "id"}  # fmt: skip
    assert event["audience"] == "api" and len(event["eid"]) == 36
    assert len(event["created"]) == 19 and event["created"][10] == "T"
    assert set(transport.envelope("demo", "s", "u", "x/find", {})) == {
        "audience", "workspace", "eid", "session", "uri", "ident", "created", "hostname", "data"}  # fmt: skip


def test_raw_query_matches_the_official_encoding():
    value = {"a": "x y/z+é", "b": [1, None, True]}
    assert transport.raw_query(value) == accsyn_api.Session._url_quote(value)


def test_authorization_is_two_separate_base64_halves():
    headers = transport.headers("demo", "artist@example.com", "k:ey")
    user, key = headers["Authorization"].split(" ")[1].split(":")
    assert headers["Authorization"].startswith("basic ")
    assert base64.b64decode(user) == b"artist@example.com" and base64.b64decode(key) == b"k:ey"
    assert headers["X-Accsyn-Workspace"] == "demo" and "X-Accsyn-Device" in headers
    assert set(transport.headers()) == {"X-Accsyn-Device"}


def test_object_id_prefixes_are_stripped_in_dicts_and_lists_of_dicts():
    reply = {"result": [{"id": "ObjectId:abc", "nested": {"q": "ObjectId:def"}}, "ObjectId:bare"]}
    assert transport.strip_object_ids(reply) == {"result": [{"id": "abc", "nested": {"q": "def"}}, "ObjectId:bare"]}


def _capture(standin) -> List[RecordedRequest]:
    seen: List[RecordedRequest] = []
    standin.hook = seen.append
    return seen


def _by_path(seen: List[RecordedRequest]) -> Dict[Any, RecordedRequest]:
    return {(request.method, request.path, (request.payload or {}).get("uri")): request for request in seen}


def _form(request: RecordedRequest) -> Dict[str, Any]:
    payload = request.payload or {}
    form: Dict[str, Any] = {
        "keys": set(payload),
        "headers": {name.lower() for name in request.headers} & {"authorization", "x-accsyn-workspace",
                                                                 "x-accsyn-device", "content-type"},
        "authorization": request.headers.get("Authorization"),
    }  # fmt: skip
    if request.method in ("GET", "DELETE"):
        # The raw query is exactly quote(json.dumps(...)) of the envelope, with no "key=".
        form["raw_is_quoted_json"] = request.raw_query == urllib.parse.quote(json.dumps(payload))
    return form


def test_both_clients_put_the_same_envelopes_on_the_wire(official_env, credentials):
    big = [f"share=projects/plates/plate.{frame:05d}.exr" for frame in range(4_000)]
    job = {"name": "parity", "engine": "nuke-15", "input": "share=projects/p.nk", "range": "1-2",
           "dependencies": big, "allow_duplicates": False}  # fmt: skip
    seen = _capture(official_env)
    session = accsyn_api.Session()
    official_job = session.create("compute", dict(job))
    session.find("compute")
    session.find("task", entityid=official_job["id"])
    session.find("engine where type=compute")
    session.update("compute", official_job["id"], {"status": "paused"})
    official = _by_path(seen)
    seen.clear()
    client = connect(credentials)
    ours_job = client.create_compute_job(dict(job, name="parity2"))
    client.find_jobs()
    client.find_tasks(ours_job["id"])
    client.find_engines()
    client.pause_job(ours_job["id"])
    ours = _by_path(seen)
    assert ("GET", "/api/v3/J3PKTtDvolDMBtTy6AFGA", None) in ours
    assert set(official) == set(ours)
    for key in official:
        assert _form(official[key]) == _form(ours[key]), key
    create = ("POST", "/api/v3/event", "compute/create")
    assert "gz_data" in official[create].payload and "gz_data" in ours[create].payload
    assert official[("GET", "/api/v3/event", "engine/find")].payload["query"] == "type=compute"
    assert ours[("GET", "/api/v3/event", "engine/find")].payload["query"] == "type=compute"
