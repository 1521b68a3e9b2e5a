"""SQLite persistence of the stand-in's jobs, tasks and sessions; a restart on the same data dir loses nothing."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from typing import Any, Dict, Iterator, List, Optional

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, seq INTEGER, fingerprint TEXT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, job TEXT NOT NULL, seq INTEGER, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tasks_job ON tasks (job, seq);
CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, user TEXT NOT NULL);
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


class Store:
    """Jobs and tasks as JSON documents in ``<data_dir>/standin.sqlite3``; every call is serialised."""

    def __init__(self, data_dir: str) -> None:
        os.makedirs(data_dir, exist_ok=True)
        self.path = os.path.join(data_dir, DATABASE_NAME)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS)
        self._db.executescript(_SCHEMA)
        self._add_column("sessions", "created REAL NOT NULL DEFAULT 0")

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

    def add_job(self, job: Dict[str, Any], fingerprint: str, tasks: List[Dict[str, Any]]) -> None:
        with self._lock, self._transaction():
            seq = self._next_seq("jobs")
            self._db.execute("INSERT INTO jobs VALUES (?, ?, ?, ?)", (job["id"], seq, fingerprint, json.dumps(job)))
            self._db.executemany(
                "INSERT INTO tasks VALUES (?, ?, ?, ?)",
                [(task["id"], job["id"], index, json.dumps(task)) for index, task in enumerate(tasks)],
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
        with self._lock:
            if job_id is None:
                rows = self._db.execute("SELECT body FROM tasks ORDER BY job, seq").fetchall()
            else:
                rows = self._db.execute("SELECT body FROM tasks WHERE job = ? ORDER BY seq", (job_id,)).fetchall()
        return [json.loads(row[0]) for row in rows]

    def save_tasks(self, tasks: List[Dict[str, Any]]) -> None:
        with self._lock:
            self._db.executemany("UPDATE tasks SET body = ? WHERE id = ?", [(json.dumps(t), t["id"]) for t in tasks])

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
