"""SQLite persistence of the stand-in's jobs, tasks, sessions, settings and edits of seeded entities (queues); a
restart on the same data dir loses nothing.

A job keeps the text of its items (its range, or ``all``); its tasks are made from it when read, and only a task
that changed (status, times, reason) has a row of its own. So a job of 100,000 frames costs one row when created,
and each task's id is the same at every read (derived from the job and the item).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
import uuid
from typing import Any, Dict, Iterator, List, Optional, Sequence

from accsyn_dcc.ranges import FrameRange

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, seq INTEGER, fingerprint TEXT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, job TEXT NOT NULL, seq INTEGER, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tasks_job ON tasks (job, seq);
CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, user TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    entitytype TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (entitytype, id)
);
CREATE TABLE IF NOT EXISTS settings (
    entitytype TEXT NOT NULL, entityid TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (entitytype, entityid, name)
);
"""
DATABASE_NAME = "standin.sqlite3"
BUSY_SECONDS = 10.0
"""How long a write waits for another process (a second server on the same data folder) to finish."""
CLOSE_SECONDS = 1.0
"""How long closing waits for a call under way, so that stopping the server (Ctrl-C) stays prompt."""


ROWS_PER_QUERY = 500
"""Task ids asked for in one query (SQLite's limit on a statement's parameters is 999 in older builds)."""

class Store:
    """Jobs and tasks as JSON documents in ``<data_dir>/standin.sqlite3``; every call is serialised."""

    def __init__(self, data_dir: str) -> None:
        os.makedirs(data_dir, exist_ok=True)
        self.path = os.path.join(data_dir, DATABASE_NAME)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS)
        self._db.executescript(_SCHEMA)
        self._add_column("sessions", "created REAL NOT NULL DEFAULT 0")
        self._add_column("jobs", "items TEXT")  # NULL: an older data folder, where every task has its row

    def _add_column(self, table: str, definition: str) -> None:
        """Bring a data folder written by an older stand-in up to date."""
        columns = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
        if definition.split()[0] not in columns:
            self._db.execute(f"ALTER TABLE {table} ADD COLUMN {definition}")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any failure: never a transaction left open."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the database, waiting at most ``CLOSE_SECONDS`` for a call under way (which may wait
        ``BUSY_SECONDS`` for another server's lock); past that, it is left to that call and closes with the process."""
        if self._lock.acquire(timeout=CLOSE_SECONDS):
            try:
                self._db.close()
            finally:
                self._lock.release()

    def add_job(self, job: Dict[str, Any], fingerprint: str, items: str) -> None:
        """Store ``job`` with its tasks, one per item of ``items`` (a range's text, or ``all``), all ``queued``."""
        with self._lock, self._transaction():
            seq = self._next_seq("jobs")
            self._db.execute(
                "INSERT INTO jobs (id, seq, fingerprint, body, items) VALUES (?, ?, ?, ?, ?)",
                (job["id"], seq, fingerprint, json.dumps(job), items),
            )

    def _next_seq(self, table: str) -> int:
        row = self._db.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}").fetchone()
        return int(row[0])

    def jobs(self) -> List[Dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM jobs ORDER BY seq").fetchall()
        return [json.loads(row[0]) for row in rows]

    def job(self, job_id: str) -> Optional[Dict[str, Any]]:
        with self._lock:
            row = self._db.execute("SELECT body FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def jobs_with_fingerprint(self, fingerprint: str) -> List[Dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM jobs WHERE fingerprint = ? ORDER BY seq", (fingerprint,))
            return [json.loads(row[0]) for row in rows.fetchall()]

    def save_job(self, job: Dict[str, Any]) -> None:
        with self._lock:
            self._db.execute("UPDATE jobs SET body = ? WHERE id = ?", (json.dumps(job), job["id"]))

    def delete_job(self, job_id: str) -> bool:
        with self._lock, self._transaction():
            deleted = self._db.execute("DELETE FROM jobs WHERE id = ?", (job_id,)).rowcount
            self._db.execute("DELETE FROM tasks WHERE job = ?", (job_id,))
        return bool(deleted)

    def tasks(self, job_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every task of a job (of every job when None), in item order."""
        if job_id is None:
            with self._lock:
                ids = [row[0] for row in self._db.execute("SELECT id FROM jobs ORDER BY seq").fetchall()]
            return [task for job in ids for task in self.tasks(job)]
        with self._lock:
            job = self._db.execute("SELECT body, items FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if job is None:
            return []
        changed = self.changed_tasks(job_id)
        if job[1] is None:
            return list(changed.values())
        body = json.loads(job[0])
        return [changed.get(item) or new_task(body, item) for item in item_list(job[1])]

    def task_count(self, job_id: str) -> int:
        """How many tasks a job has (without making them)."""
        with self._lock:
            job = self._db.execute("SELECT items FROM jobs WHERE id = ?", (job_id,)).fetchone()
            rows = self._db.execute("SELECT COUNT(*) FROM tasks WHERE job = ?", (job_id,)).fetchone()
        if job is None:
            return 0
        return int(rows[0]) if job[0] is None else len(item_list(job[0]))

    def task(self, task_id: str) -> Optional[Dict[str, Any]]:
        """A task that has a row of its own (one that has run or was edited), else None."""
        with self._lock:
            row = self._db.execute("SELECT body FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def job_tasks(self, job_id: str, items: Sequence[str]) -> List[Dict[str, Any]]:
        """The tasks of ``items`` of a job, reading only their rows (a frame reported done reads one row, not the
        job's every task)."""
        with self._lock:
            row = self._db.execute("SELECT body, items FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            return []
        job = json.loads(row[0])
        if row[1] is None:  # an older data folder: every task has a row, under an id of its own
            changed = self.changed_tasks(job_id)
        else:
            ids = [task_id(job_id, item) for item in items]
            bodies: List[Any] = []
            with self._lock:
                for start in range(0, len(ids), ROWS_PER_QUERY):
                    chunk = ids[start : start + ROWS_PER_QUERY]
                    marks = ",".join("?" * len(chunk))
                    bodies += self._db.execute(f"SELECT body FROM tasks WHERE id IN ({marks})", chunk).fetchall()
            changed = {str(task["uri"]): task for task in (json.loads(body[0]) for body in bodies)}
        return [changed.get(item) or new_task(job, item) for item in items]

    def changed_tasks(self, job_id: str) -> Dict[str, Dict[str, Any]]:
        """The tasks of a job that have a row of their own, by item (the others are ``queued`` as created)."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM tasks WHERE job = ? ORDER BY seq", (job_id,)).fetchall()
        tasks = [json.loads(row[0]) for row in rows]
        return {str(task["uri"]): task for task in tasks}

    def save_tasks(self, tasks: List[Dict[str, Any]]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO tasks (id, job, seq, body) VALUES (?, ?, ?, ?)",
                [(task["id"], task["job"], _seq(task), json.dumps(task)) for task in tasks],
            )

    def add_session(self, token: str, user_id: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions (token, user, created) VALUES (?, ?, ?)", (token, user_id, time.time())
            )

    def session_user(self, token: str, max_age: float) -> Optional[str]:
        """The user of a session younger than ``max_age`` seconds; None for an unknown or expired one."""
        with self._lock:
            row = self._db.execute("SELECT user, created FROM sessions WHERE token = ?", (token,)).fetchone()
        if row is None or time.time() - float(row[1]) > max_age:
            return None
        return str(row[0])

    def edited_entities(self, entitytype: str) -> Dict[str, Dict[str, Any]]:
        """The seeded entities of a type that clients edited or deleted, by id, as they are now."""
        with self._lock:
            rows = self._db.execute("SELECT id, body FROM entities WHERE entitytype = ?", (entitytype,)).fetchall()
        return {str(entity_id): json.loads(body) for entity_id, body in rows}

    def save_entity(self, entitytype: str, entity: Dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO entities VALUES (?, ?, ?)", (entitytype, entity["id"], json.dumps(entity))
            )

    def settings(self, entitytype: str, entityid: str) -> Dict[str, str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT name, value FROM settings WHERE entitytype = ? AND entityid = ? ORDER BY name",
                (entitytype, entityid),
            ).fetchall()
        return {str(name): str(value) for name, value in rows}

    def set_setting(self, entitytype: str, entityid: str, name: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?, ?, ?)", (entitytype, entityid, name, value))

    def delete_setting(self, entitytype: str, entityid: str, name: str) -> bool:
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM settings WHERE entitytype = ? AND entityid = ? AND name = ?", (entitytype, entityid, name)
            )
        return bool(cursor.rowcount)


def item_list(items: str) -> List[str]:
    """The items of a job, as task URIs: ``["all"]`` or each frame of the range as text."""
    return ["all"] if items == "all" else [str(frame) for frame in FrameRange.parse(items).frames()]


def task_id(job_id: str, item: str) -> str:
    """The UUID of a job's task for ``item``: the same at every read."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"accsyn-dcc:{job_id}/{item}"))


def new_task(job: Dict[str, Any], item: str) -> Dict[str, Any]:
    """A task as created: ``queued``, nothing run yet."""
    return {"id": task_id(job["id"], item), "uri": item, "item": item, "status": "queued", "job": job["id"],
            "job_hr": job.get("name"), "priority": job.get("priority"), "created": job.get("created"),
            "started": None, "finished": None, "node": None, "metadata": {}}  # fmt: skip


def _seq(task: Dict[str, Any]) -> Optional[int]:
    """Rows are read in item order: a frame's number orders them (``all`` is a job's only task)."""
    item = str(task.get("uri"))
    return int(item) if item.lstrip("-").isdigit() else None
