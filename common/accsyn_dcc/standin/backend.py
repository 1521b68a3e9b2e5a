"""What the stand-in backend answers (accsyn-protocol.md section 5), independent of HTTP.

Every method returns the reply dict: ``{"result": ...}`` or ``{"message": ..., "message_hr": ...}``.
Payloads are checked with ``accsyn_dcc.payload_rules.review_payload`` (range, filters, fields) plus the
workspace: engine, queue and ``share=``/``site=`` codes must exist.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import os
import re
import reprlib
import secrets
import sqlite3
from typing import Any, Callable, Dict, List, Mapping, Optional

from accsyn_dcc.api.transport import ungzip_data, utc_timestamp
from accsyn_dcc.errors import Problem, ValidationError
from accsyn_dcc.paths import default_job_name
from accsyn_dcc.payload_rules import review_payload
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.standin.progress import job_metrics, log_rows
from accsyn_dcc.standin.query import QueryError, compile_query
from accsyn_dcc.standin.store import Store
from accsyn_dcc.standin.workspace_calls import CallRefused, attributes, file_call, setting_call

Reply = Dict[str, Any]
JOB_TYPES = ("compute", "job")
SEEDED_TYPES = ("engine", "volume", "site", "queue", "user")
ENTITY_TYPES = (*JOB_TYPES, "task", *SEEDED_TYPES)
FINISHED_JOB_STATUSES = ("done", "aborted")
WRITEABLE_JOB_STATUSES = ("waiting", "paused", "aborted", "done")
WRITEABLE_JOB_FIELDS = ("status", "priority", "name", "description", "metadata")
WRITEABLE_TASK_STATUSES = ("queued", "failed", "onhold", "excluded", "done")
REQUEUED_JOB_STATUSES = ("done", "failed")
"""A job in one of these statuses goes back to ``waiting`` when one of its tasks is queued again."""
JOB_ATTRIBUTES = (
    "id", "name", "code", "type", "engine", "engine_hr", "status", "created", "modified", "user", "user_hr",
    "parent", "parent_hr", "priority", "input", "output", "range", "compute", "inactive", "metadata", "description",
)  # fmt: skip
TASK_ATTRIBUTES = ("id", "uri", "item", "status", "job", "job_hr", "priority", "created", "started", "finished", "node",
                   "time", "metadata")  # fmt: skip
MAX_BODY = 16 * 1024 * 1024
"""The most bytes of JSON a request carries, as its body or unpacked from ``gz_data`` (a Compute payload is a few
kilobytes)."""
SESSION_SECONDS = 12 * 3600.0
"""How long a login session stays valid."""
WRITEABLE_TASK_FIELDS = ("status", "priority", "metadata")
_SHARE_REF = re.compile(r"\b(share|site)=([^/\\:\s]+)")
_CLIPPED = reprlib.Repr()
_CLIPPED.maxstring = 80
DEFAULT_SEED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "standin_seed.json")


class RefusedRequest(Exception):
    """A request the backend refuses; becomes ``{"message", "message_hr"}``."""

    def __init__(self, message: str, message_hr: Optional[str] = None, problems: Optional[List[Any]] = None) -> None:
        super().__init__(message)
        self.reply: Reply = {"message": message, "message_hr": message_hr or message}
        if problems:
            self.reply["problems"] = problems


def load_seed(path: Optional[str] = None) -> Dict[str, Any]:
    with open(path or DEFAULT_SEED, encoding="utf-8") as handle:
        seed: Dict[str, Any] = json.load(handle)
    return seed


def new_id() -> str:
    """A 24-character lower-case hex id (Mongo ObjectId style)."""
    return secrets.token_hex(12)


class Backend:
    """One workspace seeded from JSON, with jobs, tasks and sessions persisted in ``store``."""

    def __init__(
        self,
        seed: Mapping[str, Any],
        store: Store,
        on_job_changed: Optional[Callable[[Dict[str, Any]], None]] = None,
        on_status: Optional[Callable[[str], None]] = None,
    ) -> None:
        self.workspace = str(seed["workspace"])
        self.seed = seed
        self.store = store
        self.on_job_changed = on_job_changed or (lambda job: None)
        """Told each job created, and each job whose status or tasks a client edits (the farm obeys at once)."""
        self.on_status = on_status or (lambda line: None)
        """Told one line for each job created and each status a client sets."""
        self.session_seconds = SESSION_SECONDS

    # -- entry points ----------------------------------------------------------------------------------------

    def lookup(self, request: Any, port: int) -> Reply:
        ident = request.get("ident") if isinstance(request, dict) else None
        if ident != self.workspace:
            return RefusedRequest(f"Unknown workspace {ident!r}").reply
        return {"result": {"hostname": "127.0.0.1", "port": port}}

    def login(self, headers: Mapping[str, str]) -> Reply:
        user = self._authenticated_user(headers)
        if user is None:
            return RefusedRequest("Invalid credentials", "Wrong workspace, user or API key").reply
        token = secrets.token_hex(16)
        self.store.add_session(token, user["id"])
        return {"result": {"role": user.get("role", "standard"), "id": user["id"], "session_id": token}}

    def event(self, method: str, event: Any, headers: Mapping[str, str]) -> Reply:
        try:
            if not isinstance(event, dict):
                raise RefusedRequest("The event must be a JSON object")
            user = self._event_user(event, headers)
            if "gz_data" in event:
                try:
                    event = dict(event, data=ungzip_data(event["gz_data"], MAX_BODY))
                except (TypeError, ValueError) as error:
                    raise RefusedRequest(f"gz_data could not be decoded: {error}") from None
            return {"result": self._dispatch(method, str(event.get("uri") or ""), event, user)}
        except RefusedRequest as refusal:
            return refusal.reply
        except sqlite3.Error as error:  # e.g. another server holds the data folder's database: answer, never hang
            return {"exception": f"the stand-in's database could not answer ({error}); try again"}

    # -- authentication --------------------------------------------------------------------------------------

    def _authenticated_user(self, headers: Mapping[str, str]) -> Optional[Dict[str, Any]]:
        if headers.get("X-Accsyn-Workspace") != self.workspace:
            return None
        scheme, _, credentials = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic" or credentials.count(":") != 1:
            return None
        try:
            name, key = (base64.b64decode(part).decode("utf-8") for part in credentials.split(":"))
        except (binascii.Error, UnicodeDecodeError):
            return None
        for user in self.seed.get("users", []):
            if user["code"].lower() == name.lower() and secrets.compare_digest(str(user["api_key"]), key):
                return dict(user)
        return None

    def _event_user(self, event: Mapping[str, Any], headers: Mapping[str, str]) -> Dict[str, Any]:
        user = self._authenticated_user(headers)
        if user is None or event.get("workspace") != self.workspace:
            raise RefusedRequest("Not authenticated", "Wrong workspace, user or API key")
        if self.store.session_user(str(event.get("session") or ""), self.session_seconds) != user["id"]:
            raise RefusedRequest("Invalid session", "Your accsyn session is not valid; log in again")
        return user

    # -- dispatch --------------------------------------------------------------------------------------------

    def _dispatch(self, method: str, uri: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> Any:
        if method == "GET" and uri == "entitytypes":
            return list(ENTITY_TYPES)
        data = event.get("data") or {}
        try:
            if method == "GET" and uri == "attributes":
                return attributes(
                    _object(uri, data), {"job": WRITEABLE_JOB_FIELDS, "compute": WRITEABLE_JOB_FIELDS},
                    self._attributes(),
                )  # fmt: skip
            if uri == "setting":
                return setting_call(method, _object(uri, data), event.get("id"), self.store)
            if method == "GET" and uri == "workspace/file":
                return file_call(_object(uri, data), self.seed.get("volumes", []))
            if method == "GET" and uri == "log/find":
                return self._logs(_object(uri, data), str(event.get("id") or ""))
        except CallRefused as refusal:
            raise RefusedRequest(str(refusal)) from None
        entity_type, _, action = uri.partition("/")
        handlers: Dict[tuple, Callable[[str, Mapping[str, Any], Mapping[str, Any]], Any]] = {
            ("POST", "create"): self._create,
            ("GET", "find"): self._find,
            ("PUT", "edit"): self._edit,
            ("DELETE", "delete"): self._delete,
            ("GET", "metrics"): self._metrics,
            ("POST", "activate"): self._activation,
            ("DELETE", "deactivate"): self._activation,
        }
        handler = handlers.get((method, action))
        if handler is None or entity_type not in ENTITY_TYPES:
            raise RefusedRequest(f"{method} {uri} is not supported by the accsyn-dcc stand-in")
        return handler(entity_type, event, user)

    def _attributes(self) -> Dict[str, Any]:
        known: Dict[str, Any] = {"job": JOB_ATTRIBUTES, "compute": JOB_ATTRIBUTES, "task": TASK_ATTRIBUTES}
        for entity_type in SEEDED_TYPES:
            names = {key for entity in self.seed.get(f"{entity_type}s", []) for key in entity if key != "api_key"}
            known[entity_type] = tuple(names)
        return known

    def _activation(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> bool:
        """``activate_one``/``deactivate_one`` of a job: hidden from finds until activated again, never lost."""
        if entity_type not in JOB_TYPES:
            raise RefusedRequest(f"Activating a {entity_type} is not supported by the stand-in")
        ident = str(event.get("id") or event.get("query") or "")
        job = self.store.job(ident) or next((j for j in self.store.jobs() if j.get("name", "").lower() == ident), None)
        if job is None:
            raise RefusedRequest(f"No job {ident!r}")
        job["inactive"] = str(event.get("uri", "")).endswith("/deactivate")
        job["modified"] = utc_timestamp()
        self.store.save_job(job)
        self.on_status(f"job {job['id']} ({job.get('name')}): {'deactivated' if job['inactive'] else 'activated'}")
        return True

    def _metrics(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> Dict[str, Any]:
        """``<job type>/metrics`` of one job (``where id=<job id>``): its tasks counted, elapsed, estimate."""
        query = event.get("query")
        try:
            predicate = compile_query(query if isinstance(query, str) else None)
        except QueryError as error:
            raise _bad_query(query, error) from None
        jobs = [job for job in self.store.jobs() if predicate(job)] if entity_type in JOB_TYPES else []
        if len(jobs) != 1:
            raise RefusedRequest(f"metrics: {len(jobs)} jobs match; name one job with 'where id=<job id>'")
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        job_id = jobs[0]["id"]
        return job_metrics(jobs[0], list(self.store.changed_tasks(job_id).values()), self.store.task_count(job_id), now)

    def _logs(self, data: Mapping[str, Any], entity_id: str) -> List[Dict[str, Any]]:
        """``log/find`` of a task (``entitytype: task``, its id): its bucket's log, one row per line."""
        if data.get("entitytype") != "task":
            raise RefusedRequest(f"The stand-in keeps the logs of tasks only (not of {data.get('entitytype')!r})")
        task = self.store.task(entity_id)
        if task is None:
            return []  # a task that has not run has no log yet
        pagination = _object("log pagination", data.get("pagination") or {})
        skip, limit = pagination.get("skip") or 0, pagination.get("limit") or 0
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (skip, limit)):
            raise RefusedRequest("log pagination skip and limit must be whole numbers")
        search = data.get("search") if isinstance(data.get("search"), str) else None
        log = (task.get("metadata") or {}).get("log")
        return log_rows(str(log) if log else None, search, bool(data.get("sort_reverse")), skip, limit)

    # -- create ----------------------------------------------------------------------------------------------

    def _create(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> Any:
        if entity_type not in JOB_TYPES:
            raise RefusedRequest(f"Creating {entity_type} is not supported by the stand-in")
        data = event.get("data")
        if not isinstance(data, dict) or not data:
            raise RefusedRequest("No job data was given", "The job payload is empty")
        reviewed = review_payload(data)  # as accsyn stores it: setting values as text, each change warned
        payload: Dict[str, Any] = reviewed.value
        warnings = [str(warning) for warning in reviewed.warnings]
        allow_duplicates = payload.get("allow_duplicates")
        problems = list(reviewed.problems)
        engine = self._seeded("engine", payload.get("engine"))
        if isinstance(payload.get("engine"), str) and engine is None:
            problems.append(_problem("engine", payload["engine"], "no such engine in this workspace"))
        problems.extend(self._reference_problems(payload))
        queue = self._queue(payload.get("queue"))
        if queue is None:
            problems.append(_problem("queue", payload.get("queue"), "no such queue in this workspace"))
        if problems:
            text = "; ".join(str(problem) for problem in problems)
            raise RefusedRequest(f"Invalid job: {text}", f"The job was refused: {text}", [vars(p) for p in problems])
        assert engine is not None and queue is not None
        fingerprint = _fingerprint(payload, str(user["id"]))
        if allow_duplicates is False:
            for existing in self.store.jobs_with_fingerprint(fingerprint):
                if existing.get("status") not in FINISHED_JOB_STATUSES:
                    return [existing]
        job = self._new_job(payload, engine, queue, user)
        self.store.add_job(job, fingerprint, self._items(payload, engine))
        self.on_status(f"job {job['id']} ({job['name']}): created, {job['status']}")
        for warning in warnings:
            self.on_status(f"job {job['id']} ({job['name']}): warning: {warning}")
        self.on_job_changed(job)
        return [job]

    def _reference_problems(self, payload: Mapping[str, Any]) -> List[Any]:
        problems = []
        known = {"share": {v["code"].lower() for v in self.seed.get("volumes", [])},
                 "site": {s["code"].lower() for s in self.seed.get("sites", [])}}  # fmt: skip
        paths = [("input", payload.get("input")), ("output", payload.get("output"))]
        dependencies = payload.get("dependencies")
        if isinstance(dependencies, list):
            paths.extend((f"dependencies[{index}]", path) for index, path in enumerate(dependencies))
        for field, path in paths:
            if not isinstance(path, str):
                continue
            for kind, code in _SHARE_REF.findall(path):
                if code.lower() not in known[kind]:
                    problems.append(_problem(field, path, f"no {kind} {code!r} in this workspace"))
        return problems

    def _queue(self, name: Any) -> Optional[Dict[str, Any]]:
        queues = self.seed.get("queues", [])
        if name is None:
            return next((q for q in queues if q.get("compute_default") or q.get("default")), queues[0])
        wanted = str(name).lower()
        return next((q for q in queues if wanted in (q["id"], q["code"].lower(), q["name"].lower())), None)

    def _new_job(
        self, payload: Dict[str, Any], engine: Mapping[str, Any], queue: Mapping[str, Any], user: Mapping[str, Any]
    ) -> Dict[str, Any]:
        now = utc_timestamp()
        name = payload.get("name") or default_job_name(str(payload["input"]))
        stored = {key: value for key, value in payload.items() if key != "allow_duplicates"}
        return {
            "id": new_id(),
            "name": name,
            "code": name,
            "type": "compute",
            "engine": engine["code"],
            "engine_hr": engine.get("name") or engine["code"],
            "status": payload.get("status") or "waiting",
            "created": now,
            "modified": now,
            "user": user["id"],
            "user_hr": user["code"],
            "parent": queue["id"],
            "parent_hr": queue["code"],
            "priority": queue.get("priority", 500),
            "input": payload["input"],
            "output": payload.get("output"),
            "range": payload.get("range"),
            "compute": stored,
        }

    def _items(self, payload: Mapping[str, Any], engine: Mapping[str, Any]) -> str:
        """The job's items: its range (else the engine's default range), or ``all``; one task per item, the URIs
        engines report done, as accsyn keeps them; buckets only group them."""
        settings = engine.get("settings") or {}
        text = payload.get("range") or (settings.get("default_range") if settings.get("items") else None)
        if not text or not settings.get("items", True):
            return "all"
        try:
            return str(FrameRange.parse(str(text)))
        except ValidationError as error:
            raise RefusedRequest(str(error)) from None

    # -- find ------------------------------------------------------------------------------------------------

    def _find(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> List[Dict[str, Any]]:
        data = _object("find", event.get("data") or {})
        query = event.get("query")
        if query is not None and not isinstance(query, str):
            raise RefusedRequest(f"find query must be text (got {type(query).__name__})")
        try:
            predicate = compile_query(query)
        except QueryError as error:
            raise _bad_query(query, error) from None
        for key in ("limit", "skip"):
            if (
                key in data
                and data[key] is not None
                and (isinstance(data[key], bool) or not isinstance(data[key], int))
            ):
                raise RefusedRequest(f"find {key} must be a whole number (got {data[key]!r})")
        entity_id = event.get("id")
        candidates = self._entities(entity_type, data.get("parent"))
        if entity_type in JOB_TYPES and not data.get("inactive"):
            candidates = [job for job in candidates if not job.get("inactive")]
        if entity_id:
            return [entity for entity in candidates if entity.get("id") == entity_id]
        try:
            matches = [entity for entity in candidates if predicate(entity)]
        except QueryError as error:  # its patterns took too many steps
            raise _bad_query(query, error) from None
        if entity_type in JOB_TYPES:
            active = [job for job in matches if job.get("status") not in FINISHED_JOB_STATUSES]
            if not data.get("finished") and not (data.get("single_entity_query") and not active):
                matches = active
        skip = int(data.get("skip") or 0)
        matches = matches[skip:]
        if data.get("limit"):
            matches = matches[: int(data["limit"])]
        attributes = data.get("attributes")
        if isinstance(attributes, list) and attributes:
            if not all(isinstance(name, str) for name in attributes):
                raise RefusedRequest(f"find attributes must be names (got {attributes!r:.80})")
            keep = set(attributes) | {"id"}
            matches = [{key: value for key, value in entity.items() if key in keep} for entity in matches]
        return matches

    def _entities(self, entity_type: str, parent: Any) -> List[Dict[str, Any]]:
        if entity_type in JOB_TYPES:
            jobs = self.store.jobs()
            return [job for job in jobs if job.get("parent") == parent] if parent else jobs
        if entity_type == "task":
            return self.store.tasks(str(parent) if parent else None)
        entities = [dict(entity) for entity in self.seed.get(f"{entity_type}s", [])]
        for entity in entities:
            entity.pop("api_key", None)
        return entities

    def _seeded(self, entity_type: str, code: Any) -> Optional[Dict[str, Any]]:
        if not isinstance(code, str):
            return None
        wanted = code.lower()
        return next((e for e in self._entities(entity_type, None) if wanted in (e["code"].lower(), e["id"])), None)

    # -- edit / delete ---------------------------------------------------------------------------------------

    def _edit(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> List[Dict[str, Any]]:
        data = event.get("data")
        job = self.store.job(str(event.get("id") or ""))
        if job is None:
            raise RefusedRequest(f"No job with id {event.get('id')!r}")
        if entity_type == "task":
            return self._edit_tasks(job, data)
        if entity_type not in JOB_TYPES:
            raise RefusedRequest(f"Editing {entity_type} is not supported by the stand-in")
        if not isinstance(data, dict) or not data:
            raise RefusedRequest("Edit data must be a non-empty object")
        for key, value in data.items():
            if key not in WRITEABLE_JOB_FIELDS:
                raise RefusedRequest(f"Job attribute {key!r} is not writeable")
            if key == "status" and value not in WRITEABLE_JOB_STATUSES:
                allowed = ", ".join(WRITEABLE_JOB_STATUSES)
                raise RefusedRequest(f"Job status {value!r} cannot be set; use one of {allowed}")
        previous = job.get("status")
        job.update(data)
        job["modified"] = utc_timestamp()
        self.store.save_job(job)
        if job.get("status") != previous:
            self.on_status(f"job {job['id']} ({job.get('name')}): {job.get('status')}")
        self.on_job_changed(job)
        return [job]

    def _edit_tasks(self, job: Dict[str, Any], data: Any) -> List[Dict[str, Any]]:
        """Edit tasks; a task ``queued`` again puts its finished job back to ``waiting``, so it renders again."""
        if not isinstance(data, list) or not data:
            raise RefusedRequest("task/edit data must be a non-empty list of {id, status|priority|metadata}")
        tasks = {task["id"]: task for task in self.store.tasks(job["id"])}
        changed = []
        for change in data:
            task = tasks.get(change.get("id")) if isinstance(change, dict) else None
            if task is None:
                raise RefusedRequest(f"No task {change!r} in job {job['id']}")
            for key, value in change.items():
                if key != "id" and key not in WRITEABLE_TASK_FIELDS:
                    raise RefusedRequest(f"Task attribute {key!r} is not writeable")
                if key == "status" and value not in WRITEABLE_TASK_STATUSES:
                    raise RefusedRequest(f"Task status {value!r} cannot be set")
            task.update(change)
            changed.append(task)
        self.store.save_tasks(changed)
        if job.get("status") in REQUEUED_JOB_STATUSES and any(task["status"] == "queued" for task in changed):
            job.update(status="waiting", modified=utc_timestamp())
            self.store.save_job(job)
            self.on_status(f"job {job['id']} ({job.get('name')}): waiting (tasks queued again)")
        self.on_job_changed(job)
        return changed

    def _delete(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> bool:
        if entity_type not in JOB_TYPES:
            raise RefusedRequest(f"Deleting {entity_type} is not supported by the stand-in")
        if not self.store.delete_job(str(event.get("id") or "")):
            raise RefusedRequest(f"No job with id {event.get('id')!r}")
        return True


def _object(what: str, data: Any) -> Dict[str, Any]:
    if not isinstance(data, dict):
        raise RefusedRequest(f"{what} data must be an object")
    return data


def _bad_query(query: Optional[str], error: QueryError) -> RefusedRequest:
    return RefusedRequest(f"Bad query {_CLIPPED.repr(query)}: {error}")


def _problem(field: str, value: Any, message: str) -> Problem:
    return Problem(field, value, message)


def _fingerprint(payload: Mapping[str, Any], user_id: str) -> str:
    canonical = {key: value for key, value in payload.items() if key != "allow_duplicates"}
    text = json.dumps([user_id, canonical], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
