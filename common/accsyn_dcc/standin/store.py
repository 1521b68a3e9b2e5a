"""SQLite persistence of the stand-in's jobs, tasks and sessions; a restart on the same data dir loses nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from typing import Any, Dict, List, Optional

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, seq INTEGER, fingerprint TEXT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, job TEXT NOT NULL, seq INTEGER, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tasks_job ON tasks (job, seq);
CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, user TEXT NOT NULL);
"""
DATABASE_NAME = "standin.sqlite3"


class Store:
    """Jobs and tasks as JSON documents in ``<data_dir>/standin.sqlite3``; every call is serialised."""

    def __init__(self, data_dir: str) -> None:
        os.makedirs(data_dir, exist_ok=True)
        self.path = os.path.join(data_dir, DATABASE_NAME)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add_job(self, job: Dict[str, Any], fingerprint: str, tasks: List[Dict[str, Any]]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            seq = self._next_seq("jobs")
            self._db.execute("INSERT INTO jobs VALUES (?, ?, ?, ?)", (job["id"], seq, fingerprint, json.dumps(job)))
            self._db.executemany(
                "INSERT INTO tasks VALUES (?, ?, ?, ?)",
                [(task["id"], job["id"], index, json.dumps(task)) for index, task in enumerate(tasks)],
            )
            self._db.execute("COMMIT")

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
        with self._lock:
            self._db.execute("BEGIN")
            deleted = self._db.execute("DELETE FROM jobs WHERE id = ?", (job_id,)).rowcount
            self._db.execute("DELETE FROM tasks WHERE job = ?", (job_id,))
            self._db.execute("COMMIT")
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
            self._db.execute("INSERT INTO sessions VALUES (?, ?)", (token, user_id))

    def session_user(self, token: str) -> Optional[str]:
        with self._lock:
            row = self._db.execute("SELECT user FROM sessions WHERE token = ?", (token,)).fetchone()
        return str(row[0]) if row else None
