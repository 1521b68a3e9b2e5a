"""An expired accsyn session is renewed by logging in again once, transparently; a second refusal is raised."""

from __future__ import annotations

import time
from typing import List

import pytest

from accsyn_dcc.api import BackendError, connect
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.standin import StandinServer


def test_an_expired_session_logs_in_again_once_and_the_call_goes_through(
    standin: StandinServer, credentials: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = connect(credentials)
    logins: List[float] = []
    login = client.login
    monkeypatch.setattr(client, "login", lambda: (logins.append(time.monotonic()), login())[1])
    job = client.create_compute_job({"engine": "blender", "input": "share=projects/a.blend", "range": "1-2"})
    standin.backend.session_seconds = 0.3
    time.sleep(0.4)  # the session is now too old
    assert client.find_job(str(job["id"]))["id"] == job["id"]
    assert len(logins) == 1
    assert client.pause_job(str(job["id"]))["status"] == "paused"  # the renewed session is used from then on
    assert len(logins) == 1


def test_a_session_refused_again_after_the_new_login_is_one_error(
    standin: StandinServer, credentials: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = connect(credentials)
    logins: List[int] = []
    login = client.login
    monkeypatch.setattr(client, "login", lambda: (logins.append(1), login())[1])
    standin.backend.session_seconds = 0.0  # every session, the new one too, is too old
    with pytest.raises(BackendError, match="session is not valid"):
        client.find_jobs()
    assert len(logins) == 1
