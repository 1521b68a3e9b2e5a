"""A small, typed accsyn API v3 client for submitters: TLS verified, timeouts, retries only where safe.

Retry policy: GETs, the login and status edits are idempotent and are retried with backoff when accsyn cannot
be reached. ``create_compute_job`` is retried too, even after a read timeout when the job may already exist:
it always sends ``allow_duplicates: False``, and accsyn then answers a repeat of an unfinished identical job
with the existing job instead of creating a second one. Refusals (``message``) are never retried.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Set, Tuple, Union

import requests
from urllib3.exceptions import DecodeError, HTTPError, ReadTimeoutError

from accsyn_dcc import json_text
from accsyn_dcc.api import transport
from accsyn_dcc.api.errors import (
    AuthenticationError,
    BackendError,
    NotConfigured,
    ProtocolError,
    UnreachableError,
    scrub,
)
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.workspace import Engine, Queue, Site, Volume, WorkspaceInfo

log = logging.getLogger(__name__)

MASTER_HOSTNAME = "master.accsyn.com"
DEFAULT_PORT = 443
JOB_TYPE = "compute"
Timeout = Tuple[float, float]
DEFAULT_DEADLINE = 45.0
"""Seconds one call may take in all (connect, reply, retries): a server that never answers, or trickles, ends there."""
MIB = 1024 * 1024
DEFAULT_MAX_REPLY = 64 * MIB
"""Bytes one reply may hold once unpacked: a reply that announces or grows past it is refused as it comes."""
MAX_REPLY_ENV = "ACCSYN_DCC_MAX_REPLY_MB"
"""Overrides ``DEFAULT_MAX_REPLY``, in MiB."""
READ_SIZE = 65536
_insecure_warned: Set[str] = set()
"""Workspaces already warned about disabled TLS verification (warned once per process)."""


@dataclass(frozen=True)
class Endpoint:
    """Where requests go: scheme, host and port."""

    scheme: str
    host: str
    port: int

    def url(self, uri: str) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/api/v3{uri}"


def parse_proxy(proxy: str) -> Tuple[str, int]:
    """``host:port``, ``host`` (port 80) or ``accsyn:host:port`` to (host, port); SOCKS is refused clearly."""
    parts = proxy.strip().split(":")
    kind = "accsyn"
    if len(parts) == 3:
        kind, host, port_text = parts
    elif len(parts) == 2:
        host, port_text = parts
    elif len(parts) == 1:
        host, port_text = parts[0], "80"
    else:
        raise NotConfigured(f"ACCSYN_PROXY {proxy!r} is not host, host:port or type:host:port")
    if kind.lower() in ("socks", "socks5"):
        raise NotConfigured(
            f"ACCSYN_PROXY {proxy!r}: SOCKS proxies are not supported by accsyn-dcc (they patch every socket of the "
            "host application); use an accsyn proxy (host:port) instead"
        )
    if kind.lower() != "accsyn":
        raise NotConfigured(f"ACCSYN_PROXY {proxy!r}: unknown proxy type {kind!r} (expected accsyn)")
    if not host or not port_text.isdigit():
        raise NotConfigured(f"ACCSYN_PROXY {proxy!r}: expected host:port with a numeric port")
    return host, int(port_text)


@dataclass(frozen=True)
class Submitted:
    """A job sent: the job accsyn answered with, and whether it was there before (the same job, sent again)."""

    job: Dict[str, Any]
    earlier: bool


class AccsynClient:
    """One logged-in conversation with an accsyn workspace; safe to share between threads."""

    def __init__(
        self,
        credentials: Credentials,
        timeout: Timeout = (10, 30),
        retries: int = 2,
        deadline: float = DEFAULT_DEADLINE,
        max_reply_bytes: int = DEFAULT_MAX_REPLY,
    ) -> None:
        """``timeout``: (connect, read) seconds per attempt; ``deadline``: seconds for one whole call, retries too;
        ``max_reply_bytes``: the most one reply may hold."""
        if not credentials.workspace or not credentials.user or not credentials.api_key:
            raise NotConfigured("accsyn workspace, user and API key are all required")
        if deadline <= 0:
            raise NotConfigured(f"the accsyn call deadline must be positive (got {deadline})")
        if max_reply_bytes <= 0:
            raise NotConfigured(f"the accsyn reply size cap must be positive (got {max_reply_bytes})")
        if isinstance(credentials.verify, str) and not os.path.exists(credentials.verify):
            raise NotConfigured(f"ACCSYN_CA_BUNDLE names {credentials.verify}, a file that does not exist")
        self._credentials = credentials
        self._timeout = timeout
        self._deadline = float(deadline)
        self._max_reply = max_reply_bytes
        self._retries = max(0, retries)
        self._lock = threading.Lock()
        self._http = requests.Session()
        self._proxy = parse_proxy(credentials.proxy) if credentials.proxy else None
        self._endpoint: Optional[Endpoint] = None
        self._session_id: Optional[str] = None
        self.user_id: Optional[str] = None
        self.role: Optional[str] = None
        if credentials.verify is False and credentials.workspace not in _insecure_warned:
            _insecure_warned.add(credentials.workspace)
            log.warning("TLS certificate verification is OFF for accsyn workspace %s", credentials.workspace)

    def __repr__(self) -> str:
        return f"AccsynClient({self._credentials})"

    def close(self) -> None:
        with self._lock:
            self._http.close()

    def __enter__(self) -> AccsynClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- connection -----------------------------------------------------------------------------------------

    def _direct(self, host: str, port: int) -> Endpoint:
        if self._proxy:
            return Endpoint("http", self._proxy[0], self._proxy[1])
        return Endpoint("https", host, port)

    def endpoint(self) -> Endpoint:
        """The API endpoint, looked up through accsyn's master host unless credentials name a hostname."""
        if self._endpoint is None:
            creds = self._credentials
            if creds.hostname:
                self._endpoint = self._direct(creds.hostname, creds.port or DEFAULT_PORT)
            else:
                master = self._direct(MASTER_HOSTNAME, creds.port or DEFAULT_PORT)
                reply = self._call_with_retries(
                    "GET", master, transport.HOST_LOOKUP_URI, {"ident": creds.workspace}, auth=False, retry=True
                )
                if "message" in reply:
                    refusal = self.scrub(str(reply.get("message_hr") or reply["message"]))
                    raise NotConfigured(f"accsyn workspace {creds.workspace!r}: {refusal}")
                result = reply.get("result")
                if not isinstance(result, dict) or not result.get("hostname"):
                    raise ProtocolError(f"accsyn's host lookup for {creds.workspace!r} named no hostname")
                port = creds.port or int(result.get("port") or DEFAULT_PORT)
                self._endpoint = self._direct(str(result["hostname"]), port)
        return self._endpoint

    def login(self) -> None:
        """Log in (``PUT /api/v3/api/login``); wrong workspace, user or key raise AuthenticationError."""
        reply = self._call_with_retries("PUT", self.endpoint(), transport.LOGIN_URI, {}, auth=True, retry=True)
        if "message" in reply or "exception" in reply:
            text = reply.get("message_hr") or reply.get("message") or "login refused"
            raise AuthenticationError(
                f"accsyn refused the login of {self._credentials.user} to workspace "
                f"{self._credentials.workspace}: {self.scrub(str(text))}"
            )
        result = reply.get("result")
        if not isinstance(result, dict) or not result.get("session_id"):
            raise ProtocolError("accsyn's login reply holds no session")
        self._session_id = str(result["session_id"])
        self.user_id = str(result.get("id") or "")
        self.role = str(result.get("role") or "")

    # -- jobs --------------------------------------------------------------------------------------------------

    def create_compute_job(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        """Submit a Compute job; returns the job dict (with ``id``). A repeat of an unfinished job returns it."""
        data = dict(payload)
        data["allow_duplicates"] = False
        return self._created_job(self.event("POST", f"{JOB_TYPE}/create", data, retry=True))

    def submit_job(self, payload: Dict[str, Any], duplicate: bool = False) -> Submitted:
        """Create a Compute job. Unless ``duplicate``, a repeat of an unfinished identical job is answered with that
        job (accsyn's ``allow_duplicates: False``), and ``Submitted.earlier`` says it existed before this call.
        With ``duplicate`` the job is created anyway, and never retried (a retry could create it twice)."""
        sent = transport.utc_timestamp()
        if duplicate:
            data = dict(payload, allow_duplicates=True)
            job = self._created_job(self.event("POST", f"{JOB_TYPE}/create", data, retry=False))
        else:
            job = self.create_compute_job(payload)
        created = job.get("created")  # accsyn's UTC "YYYY-MM-DDTHH:MM:SS": text order is time order
        return Submitted(job, earlier=bool(created) and str(created) < sent)

    @staticmethod
    def _created_job(result: Any) -> Dict[str, Any]:
        job = result[0] if isinstance(result, list) and len(result) == 1 else result
        if not isinstance(job, dict) or not job.get("id"):
            raise ProtocolError("accsyn accepted the job but returned no job id")
        return job

    def search_jobs(self, query: Optional[str] = None, finished: bool = False) -> List[Dict[str, Any]]:
        """The jobs matching ``query`` (accsyn's query language, e.g. ``status=failed``), finished ones too when
        ``finished``."""
        data: Dict[str, Any] = {"finished": True} if finished else {}
        return self._list(self.event("GET", f"{JOB_TYPE}/find", data, query=query or None))

    def update_tasks(self, job_id: str, changes: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Edit tasks of a job as one batch: ``[{"id": <task id>, "status": ...}, ...]`` (``task/edit``)."""
        return self._list(self.event("PUT", "task/edit", changes, entity_id=job_id, retry=True))

    def job_metrics(self, job_id: str) -> Dict[str, Any]:
        """A job's progress as accsyn measures it (``<job type>/metrics``)."""
        result = self.event("GET", f"{JOB_TYPE}/metrics", {"attributes": None}, query=f"id={job_id}")
        if not isinstance(result, dict):
            raise ProtocolError(f"accsyn returned {type(result).__name__} where job metrics were expected")
        return result

    def task_log(self, task_id: str) -> List[str]:
        """A task's log lines, oldest first (``log/find`` of the task)."""
        data = {"entitytype": "task", "sort": "date", "sort_reverse": False}
        return [str(row.get("text", "")) for row in self._list(self.event("GET", "log/find", data, entity_id=task_id))]

    def find_jobs(self, finished: bool = False, limit: Optional[int] = None) -> List[Dict[str, Any]]:
        data: Dict[str, Any] = {}
        if finished:
            data["finished"] = True
        if limit:
            data["limit"] = limit
        return self._list(self.event("GET", f"{JOB_TYPE}/find", data))

    def find_job(self, job_id: str) -> Optional[Dict[str, Any]]:
        found = self._list(self.event("GET", f"{JOB_TYPE}/find", {}, entity_id=job_id))
        return found[0] if found else None

    def find_tasks(self, job_id: str) -> List[Dict[str, Any]]:
        return self._list(self.event("GET", "task/find", {"parent": job_id}))

    def pause_job(self, job_id: str) -> Dict[str, Any]:
        return self._set_status(job_id, "paused")

    def resume_job(self, job_id: str) -> Dict[str, Any]:
        return self._set_status(job_id, "waiting")

    def abort_job(self, job_id: str) -> Dict[str, Any]:
        return self._set_status(job_id, "aborted")

    def _set_status(self, job_id: str, status: str) -> Dict[str, Any]:
        found = self._list(self.event("PUT", f"{JOB_TYPE}/edit", {"status": status}, entity_id=job_id, retry=True))
        if not found:
            raise ProtocolError(f"accsyn returned no job after setting job {job_id} to {status}")
        return found[0]

    # -- workspace ---------------------------------------------------------------------------------------------

    def find_engines(self) -> List[Engine]:
        return [Engine.from_dict(item) for item in self._find("engine", "type=compute")]

    def find_volumes(self) -> List[Volume]:
        return [Volume.from_dict(item) for item in self._find("volume")]

    def find_sites(self) -> List[Site]:
        return [Site.from_dict(item) for item in self._find("site")]

    def find_queues(self) -> List[Queue]:
        return [Queue.from_dict(item) for item in self._find("queue")]

    def workspace_info(self) -> WorkspaceInfo:
        return WorkspaceInfo(
            engines=self.find_engines(), volumes=self.find_volumes(), sites=self.find_sites(), queues=self.find_queues()
        )

    def _find(self, entity_type: str, query: Optional[str] = None) -> List[Dict[str, Any]]:
        return self._list(self.event("GET", f"{entity_type}/find", {}, query=query))

    @staticmethod
    def _list(result: Any) -> List[Dict[str, Any]]:
        if not isinstance(result, list):
            raise ProtocolError(f"accsyn returned {type(result).__name__} where a list was expected")
        return [item for item in result if isinstance(item, dict)]

    # -- events ------------------------------------------------------------------------------------------------

    def event(
        self,
        method: str,
        uri: str,
        data: Any = None,
        query: Optional[str] = None,
        entity_id: Optional[str] = None,
        retry: Optional[bool] = None,
    ) -> Any:
        """Send one event and return its ``result``; logs in first when needed, and once more when accsyn says the
        session has expired (the refused event was not carried out, so it is sent again)."""
        if self._session_id is None:
            self.login()
        creds = self._credentials
        safe = method == "GET" if retry is None else retry
        reply = self._send_event(method, uri, data, query, entity_id, safe)
        if _session_refused(reply):
            log.info("accsyn session of %s expired; logging in again", creds.user)
            self.login()
            reply = self._send_event(method, uri, data, query, entity_id, safe)
        if "exception" in reply:
            raise BackendError(
                self.scrub(str(reply["exception"])),
                f"accsyn failed on {uri}; please contact the {creds.workspace} admin",
            )
        if "message" in reply:
            readable = reply.get("message_hr")
            raise BackendError(self.scrub(str(reply["message"])), self.scrub(str(readable)) if readable else None)
        if "result" not in reply:
            raise ProtocolError(f"accsyn's reply to {uri} holds no result")
        return reply["result"]

    def _send_event(
        self, method: str, uri: str, data: Any, query: Optional[str], entity_id: Optional[str], retry: bool
    ) -> Dict[str, Any]:
        creds = self._credentials
        assert self._session_id is not None
        body = transport.envelope(creds.workspace, self._session_id, creds.user, uri, data, query, entity_id)
        return self._call_with_retries(method, self.endpoint(), transport.EVENT_URI, body, auth=True, retry=retry)

    def _call_with_retries(
        self, method: str, endpoint: Endpoint, uri: str, body: Any, auth: bool, retry: bool
    ) -> Dict[str, Any]:
        deadline_at = time.monotonic() + self._deadline
        attempts = 1 + (self._retries if retry else 0)
        for attempt in range(attempts):
            try:
                return self._call(method, endpoint, uri, body, auth, deadline_at)
            except UnreachableError:
                delay = 0.5 * (2**attempt)
                if attempt + 1 >= attempts or time.monotonic() + delay >= deadline_at:
                    raise
                log.info("accsyn unreachable on %s %s, retrying in %.1fs", method, uri, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _call(
        self, method: str, endpoint: Endpoint, uri: str, body: Any, auth: bool, deadline_at: float
    ) -> Dict[str, Any]:
        creds = self._credentials
        headers = transport.headers(creds.workspace, creds.user, creds.api_key) if auth else transport.headers()
        url = endpoint.url(uri)
        where = self.scrub(f"{endpoint.host}:{endpoint.port}")  # a looked-up host name is the server's text
        remaining = deadline_at - time.monotonic()
        if remaining <= 0:
            raise UnreachableError(f"accsyn at {where} did not answer {method} {uri} within {self._deadline:g} s")
        verify: Union[bool, str] = creds.verify
        timeout = (min(self._timeout[0], remaining), min(self._timeout[1], remaining))
        kwargs: Dict[str, Any] = {"headers": headers, "timeout": timeout, "verify": verify, "stream": True}
        if method in transport.QUERY_METHODS:
            kwargs["params"] = transport.raw_query(body)
        else:
            kwargs["data"] = transport.dumps(body)
        try:
            with self._lock:
                response = self._http.request(method, url, **kwargs)
                try:
                    data = self._read_body(response, deadline_at, timeout[1], f"accsyn at {where} ({method} {uri})")
                finally:
                    response.close()
        except requests.ConnectTimeout:
            raise UnreachableError(
                f"accsyn at {where} did not accept a connection within {timeout[0]:.1f} s ({method} {uri})"
            ) from None
        except requests.Timeout:
            raise UnreachableError(
                f"accsyn at {where} took the request but sent no reply within {timeout[1]:.1f} s ({method} {uri})"
            ) from None
        except requests.RequestException as error:
            reason = _innermost_reason(error)
            raise UnreachableError(self.scrub(f"Could not reach accsyn at {where} ({reason})")) from None
        encoding = response.encoding or "utf-8"
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            raise ProtocolError(
                self.scrub(f"accsyn at {where} answered {method} {uri} in an unknown character set {encoding!r}")
            ) from None
        try:
            reply = transport.strip_object_ids(json_text.loads(text))
        except (ValueError, RecursionError):  # RecursionError: a reply nested as deep as JSON allows
            snippet = " ".join(self.scrub(text)[:4096].split())[:200]  # scrubbed whole: a cut never halves a key
            raise ProtocolError(
                f"accsyn at {where} answered {method} {uri} with HTTP {response.status_code} and no JSON: {snippet!r}"
            ) from None
        if not isinstance(reply, dict):
            raise ProtocolError(f"accsyn's reply to {method} {uri} is not a JSON object")
        return reply

    def _read_body(self, response: requests.Response, deadline_at: float, read_timeout: float, what: str) -> bytearray:
        """The whole reply body, unpacked; UnreachableError when it is still coming at the deadline or breaks off,
        ProtocolError when it announces or grows past the size cap.

        Reads whatever has arrived (``read1``), so a server trickling a byte at a time is noticed at the
        deadline; urllib3 before 2.0 has no ``read1``, and is read a byte at a time instead.
        """
        limit = f"the {self._max_reply / MIB:g} MiB a reply may be ({MAX_REPLY_ENV}); gave up"
        declared = response.headers.get("Content-Length", "")
        if declared.isdecimal() and int(declared) > self._max_reply:
            raise ProtocolError(f"{what}: the reply announces {int(declared):,} bytes, more than {limit}")
        raw = response.raw
        read_some = getattr(raw, "read1", None)
        body = bytearray()
        while True:
            try:
                chunk = read_some(READ_SIZE, decode_content=True) if read_some else raw.read(1, decode_content=True)
            except ReadTimeoutError:
                raise UnreachableError(f"{what}: the reply stopped coming for {read_timeout:.1f} s; gave up") from None
            except DecodeError:
                raise ProtocolError(f"{what}: the reply's compression (Content-Encoding) is broken") from None
            except HTTPError:
                of = f" of {int(declared):,}" if declared.isdecimal() else ""
                raise UnreachableError(f"{what}: the reply broke off after {raw.tell():,}{of} bytes") from None
            if not chunk:
                return body
            body += chunk
            if len(body) > self._max_reply:
                raise ProtocolError(f"{what}: the reply grew past {limit}")
            if time.monotonic() > deadline_at:
                raise UnreachableError(f"{what}: the reply was still coming after {self._deadline:g} s; gave up")

    def scrub(self, text: str) -> str:
        """``text`` (the server's, for people to read) without this client's API key or session, in any form."""
        return scrub(text, self._credentials.api_key, self._session_id)


def _session_refused(reply: Dict[str, Any]) -> bool:
    """True when accsyn refused an event because its session is invalid or expired (the key itself was accepted)."""
    text = f"{reply.get('message', '')} {reply.get('message_hr', '')}" if "message" in reply else ""
    return bool(_SESSION_REFUSAL.search(text))


_SESSION_REFUSAL = re.compile(
    r"(invalid|expired|not valid)\b.*\bsession|\bsession\b.*\b(invalid|expired|not valid)", re.I
)


def _innermost_reason(error: BaseException) -> str:
    """What ended a request at its root (``Connection refused``, ``Name or service not known``, an SSL error),
    without the connection-pool and URL text that requests and urllib3 wrap around it."""
    cause = error
    for _depth in range(10):  # requests -> urllib3 retries -> connection -> socket; never a loop
        inner = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
        reason = getattr(cause, "reason", None)
        following = inner or (reason if isinstance(reason, BaseException) else None) or cause.__cause__
        if following is None:
            break
        cause = following
    return cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
