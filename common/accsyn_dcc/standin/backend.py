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
from accsyn_dcc.paths import current_os, default_job_name
from accsyn_dcc.payload_rules import review_payload, review_sites
from accsyn_dcc.ranges import FrameRange
from accsyn_dcc.standin.progress import StatusLog, combined_metrics, job_metrics, log_rows, page_rows
from accsyn_dcc.standin.query import QueryError, compile_query
from accsyn_dcc.standin.store import Store
from accsyn_dcc.standin.workspace_calls import SHARE_KINDS, CallRefused, attributes, file_call, find_share, setting_call

Reply = Dict[str, Any]
JOB_TYPES = ("compute", "job")
SEEDED_TYPES = ("engine", *SHARE_KINDS, "site", "queue", "user")
"""Read from the seed (a missing list is empty); the ``queue``s clients may edit and delete."""
ALIASES = {"share": "folder"}
"""Deprecated entity type names and today's (accsyn 3.2.3)."""
ENTITY_TYPES = (*JOB_TYPES, "task", *SEEDED_TYPES, *ALIASES, "workspace")
FINISHED_JOB_STATUSES = ("done", "aborted")
WRITEABLE_JOB_STATUSES = ("waiting", "paused", "aborted", "done")
WRITEABLE_JOB_FIELDS = ("status", "priority", "name", "description", "metadata", "parameters")
"""``parameters`` takes ``site`` only: the per-site transfer settings, which can be edited after submit."""
WRITEABLE_QUEUE_FIELDS = ("name", "priority", "status", "description", "metadata")
QUEUE_STATUSES = ("waiting", "paused")
MAX_REPORT = 100
"""The most entities one report describes."""
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
    """The seed file at ``path`` (default: the demo workspace), in the format ``accsyn_dcc.standin`` describes;
    ``ValueError`` names the first thing wrong with it."""
    with open(path or DEFAULT_SEED, encoding="utf-8") as handle:
        seed = json.load(handle)
    if not isinstance(seed, dict) or not isinstance(seed.get("workspace"), str) or not seed["workspace"]:
        raise ValueError('a seed is a JSON object with a "workspace" code')
    for entity_type in SEEDED_TYPES:
        entities = seed.get(f"{entity_type}s", [])
        if not isinstance(entities, list) or not all(isinstance(entity, dict) for entity in entities):
            raise ValueError(f'"{entity_type}s" is a list of objects')
        for entity in entities:
            if not entity.get("id") or not entity.get("code"):
                raise ValueError(f'every entry of "{entity_type}s" has an "id" and a "code"')
    return seed


def share_folders(seed: Mapping[str, Any], shares: Mapping[str, str]) -> Dict[str, Any]:
    """``seed`` with each ``code: folder`` of ``shares`` a volume whose path for this OS is the folder: the seed's
    volume of that code keeps its id, name and other OSes' paths, a new code is added as a volume."""
    volumes = [dict(volume) for volume in seed.get("volumes", [])]
    for code, folder in shares.items():
        volume = next((other for other in volumes if str(other.get("code")).lower() == code.lower()), None)
        if volume is None:
            volume = {"id": new_id(), "code": code, "name": code, "type": "volume", "status": "enabled"}
            volume["default"] = not any(other.get("default") for other in volumes)
            volumes.append(volume)
        volume["paths"] = {**(volume.get("paths") or {}), current_os(): os.path.abspath(folder)}
    return {**seed, "volumes": volumes}


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
        self.on_status = on_status if isinstance(on_status, StatusLog) else StatusLog(on_status)
        """Told one line for each job created and each status a client sets; the workspace's log."""
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
            uri = str(event.get("uri") or "")
            result = self._dispatch(method, uri, event, user)
            return {"result": result, "report": result} if uri.endswith("/report") else {"result": result}
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
            if uri == "workspace/file":
                return file_call(method, _object(uri, data), self._shares())
            if method == "GET" and uri == "log/find":
                return self._logs(_object(uri, data), str(event.get("id") or ""))
        except CallRefused as refusal:
            raise RefusedRequest(str(refusal)) from None
        except OSError as error:  # a file operation the machine refused (permissions, a busy file)
            raise RefusedRequest(f"{uri}: {error.strerror or error}") from None
        entity_type, _, action = uri.partition("/")
        entity_type = ALIASES.get(entity_type, entity_type)
        handlers: Dict[tuple, Callable[[str, Mapping[str, Any], Mapping[str, Any]], Any]] = {
            ("POST", "create"): self._create,
            ("GET", "find"): self._find,
            ("PUT", "edit"): self._edit,
            ("DELETE", "delete"): self._delete,
            ("GET", "metrics"): self._metrics,
            ("GET", "report"): self._report,
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
        """``<type>/metrics``: of one job (``where id=<job id>``) its tasks counted, elapsed, estimate; of several
        jobs, a queue's (``queue where code=...``) or the workspace's, the jobs by status and their tasks counted."""
        matched = self._matching(entity_type, event.get("query"))
        if entity_type in JOB_TYPES:
            jobs = matched
            if not jobs:
                raise RefusedRequest(f"metrics: no job matches {_CLIPPED.repr(event.get('query'))}")
        elif entity_type == "queue":
            queues = {queue["id"] for queue in matched}
            jobs = [job for job in self.store.jobs() if job.get("parent") in queues]
        elif entity_type == "workspace":
            jobs = self.store.jobs()
        else:
            raise RefusedRequest(f"The stand-in measures jobs, queues and the workspace (not {entity_type})")
        metrics = [self._job_metrics(job) for job in jobs]
        return metrics[0] if entity_type in JOB_TYPES and len(metrics) == 1 else combined_metrics(metrics)

    def _job_metrics(self, job: Mapping[str, Any]) -> Dict[str, Any]:
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        changed = list(self.store.changed_tasks(job["id"]).values())
        return job_metrics(job, changed, self.store.task_count(job["id"]), now)

    def _report(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> str:
        """``<type>/report``: the matching entities as readable text (a job with its tasks counted)."""
        matched = self._matching(entity_type, event.get("query"))
        parts = [f"{len(matched)} {entity_type} entities match {_CLIPPED.repr(event.get('query') or '')}"]
        for entity in matched[:MAX_REPORT]:
            if entity_type in JOB_TYPES:
                entity = dict(entity, tasks=self._job_metrics(entity))
            parts.append(f"{entity_type} {entity.get('id')}\n{json.dumps(entity, indent=2, sort_keys=True)}")
        return "\n\n".join(parts)

    def _matching(self, entity_type: str, query: Any) -> List[Dict[str, Any]]:
        """Every entity of a type (inactive, finished and archived ones too) that ``query`` matches."""
        if query is not None and not isinstance(query, str):
            raise RefusedRequest(f"query must be text (got {type(query).__name__})")
        try:
            predicate = compile_query(query)
            return [entity for entity in self._entities(entity_type, None) if predicate(entity)]
        except QueryError as error:
            raise _bad_query(query, error) from None

    def _logs(self, data: Mapping[str, Any], entity_id: str) -> List[Dict[str, Any]]:
        """``log/find``: of a task (``entitytype: task``, its id) its bucket's log, one row per line; of the workspace
        (or of an entity, by its id) the status lines told to the stand-in, ``{"line", "date", "text"}``."""
        entity_type = ALIASES.get(str(data.get("entitytype")), str(data.get("entitytype")))
        if entity_type not in ENTITY_TYPES:
            raise RefusedRequest(f"No entity type {entity_type!r} keeps a log")
        pagination = _object("log pagination", data.get("pagination") or {})
        skip, limit = pagination.get("skip") or 0, pagination.get("limit") or 0
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in (skip, limit)):
            raise RefusedRequest("log pagination skip and limit must be whole numbers")
        search = data.get("search") if isinstance(data.get("search"), str) else None
        reverse = bool(data.get("sort_reverse"))
        if entity_type != "task":
            rows = self.on_status.rows(entity_id if entity_type != "workspace" else None)
            return page_rows(rows, search, reverse, skip, limit)
        task = self.store.task(entity_id)
        log = (task.get("metadata") or {}).get("log") if task else None  # a task that has not run has no log yet
        return log_rows(str(log) if log else None, search, reverse, skip, limit)

    # -- create ----------------------------------------------------------------------------------------------

    def _create(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> Any:
        if entity_type not in JOB_TYPES:
            raise RefusedRequest(f"Creating {entity_type} is not supported by the stand-in")
        data = event.get("data")
        if not isinstance(data, dict) or not data:
            raise RefusedRequest("No job data was given", "The job payload is empty")
        replace_duplicates = data.get("replace_duplicates")  # accsyn-python-api 3.4: never the existing job
        reviewed = review_payload({key: value for key, value in data.items() if key != "replace_duplicates"})
        payload: Dict[str, Any] = reviewed.value  # as accsyn stores it: setting values as text, each change warned
        warnings = [str(warning) for warning in reviewed.warnings]
        allow_duplicates = payload.get("allow_duplicates")
        problems = list(reviewed.problems)
        if replace_duplicates is not None and not isinstance(replace_duplicates, bool):
            problems.append(_problem("replace_duplicates", replace_duplicates, "must be true or false"))
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
        if allow_duplicates is False and not replace_duplicates:
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
        shares = self._shares()
        sites = self._entities("site", None)
        paths = [("input", payload.get("input")), ("output", payload.get("output"))]
        dependencies = payload.get("dependencies")
        if isinstance(dependencies, list):
            paths.extend((f"dependencies[{index}]", path) for index, path in enumerate(dependencies))
        for field, path in paths:
            if not isinstance(path, str):
                continue
            for kind, code in _SHARE_REF.findall(path):
                if (find_share(code, shares) if kind == "share" else find_share(code, sites)) is None:
                    problems.append(_problem(field, path, f"no {kind} {code!r} in this workspace"))
        return problems

    def _shares(self) -> List[Dict[str, Any]]:
        return [share for kind in SHARE_KINDS for share in self._entities(kind, None)]

    def _queue(self, name: Any) -> Optional[Dict[str, Any]]:
        queues = [queue for queue in self._entities("queue", None) if not queue.get("archived")]
        if name is None:
            defaults = [q for q in queues if q.get("compute_default") or q.get("default")]
            return next(iter(defaults or queues), None)
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
        if entity_id:  # get_entity: found even when inactive or archived
            return [entity for entity in candidates if entity.get("id") == entity_id]
        for hidden in ("inactive", "archived"):
            if not data.get(hidden):
                candidates = [entity for entity in candidates if not entity.get(hidden)]
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
        if entity_type == "workspace":
            code = self.workspace
            return [{"id": hashlib.sha256(code.encode("utf-8")).hexdigest()[:24], "code": code, "name": code}]
        edited = self.store.edited_entities(entity_type)
        entities = []
        for seeded in self.seed.get(f"{entity_type}s", []):
            entity = dict(edited.get(seeded["id"]) or seeded)
            entity.pop("api_key", None)
            if entity_type in SHARE_KINDS:
                entity.setdefault("type", entity_type)
            entities.append(entity)
        return entities

    def _seeded(self, entity_type: str, code: Any) -> Optional[Dict[str, Any]]:
        if not isinstance(code, str):
            return None
        wanted = code.lower()
        return next((e for e in self._entities(entity_type, None) if wanted in (e["code"].lower(), e["id"])), None)

    # -- edit / delete ---------------------------------------------------------------------------------------

    def _edit(self, entity_type: str, event: Mapping[str, Any], user: Mapping[str, Any]) -> List[Dict[str, Any]]:
        data = event.get("data")
        if entity_type == "queue":
            return [self._edit_queue(self._live_queue(event.get("id")), data)]
        if entity_type not in (*JOB_TYPES, "task"):
            raise RefusedRequest(f"Editing {entity_type} is not supported by the stand-in")
        job = self.store.job(str(event.get("id") or ""))
        if job is None:
            raise RefusedRequest(f"No job with id {event.get('id')!r}")
        if entity_type == "task":
            return self._edit_tasks(job, data)
        if not isinstance(data, dict) or not data:
            raise RefusedRequest("Edit data must be a non-empty object")
        for key, value in data.items():
            if key not in WRITEABLE_JOB_FIELDS:
                raise RefusedRequest(f"Job attribute {key!r} is not writeable")
            if key == "status" and value not in WRITEABLE_JOB_STATUSES:
                allowed = ", ".join(WRITEABLE_JOB_STATUSES)
                raise RefusedRequest(f"Job status {value!r} cannot be set; use one of {allowed}")
        if "parameters" in data:
            self._edit_site_settings(job, data["parameters"])
        previous = job.get("status")
        job.update({key: value for key, value in data.items() if key != "parameters"})
        job["modified"] = utc_timestamp()
        self.store.save_job(job)
        if job.get("status") != previous:
            self.on_status(f"job {job['id']} ({job.get('name')}): {job.get('status')}")
        self.on_job_changed(job)
        return [job]

    def _edit_site_settings(self, job: Dict[str, Any], parameters: Any) -> None:
        """``{"parameters": {"site": {<site>: {"settings": ...}}}}``: those sites' settings replaced, under the
        payload's one rule (``review_sites``); the other parameters are fixed at submit."""
        if not isinstance(parameters, dict) or set(parameters) != {"site"}:
            raise RefusedRequest("After submit only parameters.site (the per-site transfer settings) can be edited")
        reviewed = review_sites(parameters["site"])
        if reviewed.problems:
            raise RefusedRequest("Invalid site settings: " + "; ".join(str(problem) for problem in reviewed.problems))
        compute = job.setdefault("compute", {})
        stored = dict(compute.get("parameters") or {})
        stored["site"] = {**(stored.get("site") or {}), **reviewed.value}
        compute["parameters"] = stored
        for warning in reviewed.warnings:
            self.on_status(f"job {job['id']} ({job.get('name')}): warning: {warning}")

    def _live_queue(self, queue_id: Any) -> Dict[str, Any]:
        queue = next((q for q in self._entities("queue", None) if q["id"] == queue_id and not q.get("archived")), None)
        if queue is None:
            raise RefusedRequest(f"No queue with id {queue_id!r}")
        return queue

    def _edit_queue(self, queue: Dict[str, Any], data: Any) -> Dict[str, Any]:
        if not isinstance(data, dict) or not data:
            raise RefusedRequest("Edit data must be a non-empty object")
        for key, value in data.items():
            if key not in WRITEABLE_QUEUE_FIELDS:
                raise RefusedRequest(f"Queue attribute {key!r} is not writeable")
            if key == "status" and value not in QUEUE_STATUSES:
                raise RefusedRequest(f"Queue status {value!r} cannot be set; use one of {', '.join(QUEUE_STATUSES)}")
            if key == "priority" and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000):
                raise RefusedRequest(f"Queue priority {value!r} must be a whole number from 0 to 1000")
            if key in ("name", "description") and not isinstance(value, str):
                raise RefusedRequest(f"Queue {key} must be text")
        queue.update(data, modified=utc_timestamp())
        self.store.save_entity("queue", queue)
        return queue

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
        if entity_type == "queue":
            return self._delete_queue(self._live_queue(event.get("id")), _object("delete", event.get("data") or {}))
        if entity_type not in JOB_TYPES:
            raise RefusedRequest(f"Deleting {entity_type} is not supported by the stand-in")
        if not self.store.delete_job(str(event.get("id") or "")):
            raise RefusedRequest(f"No job with id {event.get('id')!r}")
        return True

    def _delete_queue(self, queue: Dict[str, Any], data: Mapping[str, Any]) -> bool:
        """A queue is archived (``get_entity`` still finds it); one with unfinished jobs only with ``force``."""
        unfinished = [job for job in self.store.jobs() if job.get("parent") == queue["id"]
                      and job.get("status") not in FINISHED_JOB_STATUSES]  # fmt: skip
        if unfinished and not data.get("force"):
            raise RefusedRequest(f"Queue {queue['code']} has {len(unfinished)} unfinished jobs; delete it with force")
        queue.update(archived=True, modified=utc_timestamp())
        self.store.save_entity("queue", queue)
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
