"""The durable state of one crawl job: its frontier and the URLs it has claimed, in SQLite.

One table, ``frontier``, keyed by the canonical URL a request was made for (the spider's
``triage_url``), is at once the seen set (a URL with a row was claimed) and the queue (rows
holding a pickled request). A row moves through these states::

    PENDING   yielded by a callback, not yet handed to the scheduler
    QUEUED    in the scheduler, waiting to be downloaded
    INFLIGHT  handed to the downloader
    DONE      its item is stored in the database AND its callback has run to the end

``STORED`` and ``PARSED`` are flags set independently (the database commit and the end of the
callback happen in either order); a row is DONE when both are set. On resume every row that
is not DONE is queued again, so a page whose links were not all recorded is fetched again and
its links are re-derived; a page stored twice is one row (the database upserts by URL).

Every change goes into one open SQLite transaction that is committed every
:data:`COMMIT_INTERVAL` seconds and at close. A crash (``kill -9``) therefore loses a suffix
of the changes, never a middle part, and any prefix of the change sequence is a consistent
state: a child request is always recorded before its parent is marked PARSED. SQLite in WAL
mode keeps committed transactions across a killed process.
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, MutableSet
from pathlib import Path
from typing import IO, Any

from w3lib.url import canonicalize_url

PENDING, QUEUED, INFLIGHT, DONE = 0, 1, 2, 3
STORED, PARSED = 1, 2
COMMIT_INTERVAL = 0.5
STATE_FILE = "frontier.sqlite"
LOCK_FILE = "lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS frontier (
    seq      INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,
    state    INTEGER NOT NULL,
    flags    INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL DEFAULT 0,
    request  BLOB
);
CREATE INDEX IF NOT EXISTS frontier_queue ON frontier (state, priority DESC, seq);
CREATE TABLE IF NOT EXISTS job (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class JobError(Exception):
    """A job directory that cannot be used, with a one-line message for the user."""


def url_key(url: str) -> str:
    """The frontier key of a URL: the spider's claim key (canonical, no fragment)."""
    try:
        return canonicalize_url(url, keep_fragments=False)
    except ValueError:
        return url


# --- locks ------------------------------------------------------------------------------------
_held: dict[str, IO[str]] = {}


def acquire_lock(path: str | Path, what: str, *, note_pid: bool = True) -> None:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) for the life of this process.

    Raises :class:`JobError` naming ``what`` when another process holds it. Taking a lock this
    process already holds is a no-op (the CLI and the crawl's components may both ask). With
    ``note_pid`` the file holds the owner's pid, for the message a second crawl gets.
    """
    path = Path(path).resolve()
    if str(path) in _held:
        return
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until exit
    except OSError as exc:
        raise JobError(f"cannot lock {what} ({path}): {exc.strerror}; check the path") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = ""
        if note_pid:
            handle.seek(0)
            holder = f" (pid {handle.read().strip()})"
        handle.close()
        raise JobError(f"{what} is in use by a running crawl{holder}; wait for it to end or "
                       "use another one") from None
    if note_pid:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
    _held[str(path)] = handle


def release_lock(path: str | Path) -> None:
    handle = _held.pop(str(Path(path).resolve()), None)
    if handle is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def check_job_dir(directory: str | Path) -> None:
    """Raise :class:`JobError` (one line) unless ``directory`` can hold a job's state."""
    path = Path(directory).expanduser().resolve() / STATE_FILE
    if not path.exists():
        return
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise JobError(f"job directory {path.parent} holds no usable job state ({exc}); pass a "
                       "new --job-dir") from None


# --- the job state --------------------------------------------------------------------------
class JobState:
    """The frontier and seen set of the job in ``directory`` (created if missing)."""

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory).expanduser().resolve()
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JobError(f"cannot create job directory {self.dir}: {exc.strerror}; pass "
                           "another --job-dir") from None
        acquire_lock(self.dir / LOCK_FILE, f"job directory {self.dir}")
        try:
            self.db = sqlite3.connect(self.dir / STATE_FILE, isolation_level="DEFERRED",
                                      check_same_thread=False)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.executescript(_SCHEMA)
            self.db.commit()
            self.rows = self.db.execute("SELECT count(*) FROM frontier").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise JobError(f"job directory {self.dir} holds no usable job state ({exc}); "
                           "pass a new --job-dir") from None
        self.pending_claims: set[str] = set()

    # job metadata
    def get(self, name: str) -> Any:
        row = self.db.execute("SELECT value FROM job WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, name: str, value: Any) -> None:
        self.db.execute("INSERT INTO job (name, value) VALUES (?, ?) ON CONFLICT (name) DO "
                        "UPDATE SET value = excluded.value", (name, json.dumps(value)))

    # resume
    def requeue_unfinished(self) -> int:
        """Queue again every row that is not DONE (the start of a resumed run)."""
        cur = self.db.execute(
            "UPDATE frontier SET state = ?, flags = 0 WHERE state != ? AND request IS NOT NULL",
            (QUEUED, DONE))
        self.db.commit()
        return cur.rowcount

    # the seen set
    def is_seen(self, key: str) -> bool:
        if key in self.pending_claims:
            return True
        return self.db.execute("SELECT 1 FROM frontier WHERE key = ?", (key,)).fetchone() is not None

    def claim(self, key: str) -> None:
        """Remember ``key`` as claimed until its request is recorded (or the process ends)."""
        self.pending_claims.add(key)

    def claimed(self) -> int:
        return self.rows + len(self.pending_claims)

    # the frontier
    def record(self, key: str, request: bytes, priority: int, state: int) -> bool:
        """Store a request for ``key`` in ``state`` (PENDING or QUEUED).

        A DONE row is left alone (returns False); any other row gets the newer request.
        """
        self.pending_claims.discard(key)
        row = self.db.execute("SELECT state FROM frontier WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.db.execute("INSERT INTO frontier (key, state, priority, request) "
                            "VALUES (?, ?, ?, ?)", (key, state, priority, request))
            self.rows += 1
            return True
        if row[0] == DONE:
            return False
        if state == PENDING and row[0] != PENDING:
            return True  # already queued or in flight: the scheduler has it
        self.db.execute("UPDATE frontier SET state = ?, priority = ?, request = ? WHERE key = ?",
                        (state, priority, request, key))
        return True

    def pop(self) -> tuple[str, bytes] | None:
        """The next queued request (highest priority, then oldest), marked INFLIGHT."""
        row = self.db.execute("SELECT seq, key, request FROM frontier WHERE state = ? "
                              "ORDER BY priority DESC, seq LIMIT 1", (QUEUED,)).fetchone()
        if row is None:
            return None
        self.db.execute("UPDATE frontier SET state = ? WHERE seq = ?", (INFLIGHT, row[0]))
        return row[1], row[2]

    def has_queued(self) -> bool:
        return self.db.execute("SELECT 1 FROM frontier WHERE state = ? LIMIT 1",
                               (QUEUED,)).fetchone() is not None

    def queued(self) -> int:
        return self.db.execute("SELECT count(*) FROM frontier WHERE state = ?",
                               (QUEUED,)).fetchone()[0]

    def mark(self, keys: Iterable[str], flag: int) -> None:
        """Set ``flag`` (STORED or PARSED) on ``keys``; rows with both become DONE."""
        both = STORED | PARSED
        for key in keys:
            self.db.execute(
                "UPDATE frontier SET flags = flags | ?1, "
                "state = CASE WHEN (flags | ?1) = ?2 THEN ?3 ELSE state END, "
                "request = CASE WHEN (flags | ?1) = ?2 THEN NULL ELSE request END "
                "WHERE key = ?4", (flag, both, DONE, key))

    def counts(self) -> dict[str, int]:
        names = {PENDING: "pending", QUEUED: "queued", INFLIGHT: "inflight", DONE: "done"}
        out = dict.fromkeys(names.values(), 0)
        for state, n in self.db.execute("SELECT state, count(*) FROM frontier GROUP BY state"):
            out[names[state]] = n
        return out

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        try:
            self.db.commit()
            self.db.close()
        finally:
            release_lock(self.dir / LOCK_FILE)


class SeenSet(MutableSet[str]):
    """The spider's set of claimed URL keys, kept in the job state instead of memory."""

    def __init__(self, state: JobState) -> None:
        self.state = state

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.state.is_seen(key)

    def add(self, key: str) -> None:
        self.state.claim(key)

    def discard(self, key: str) -> None:
        self.state.pending_claims.discard(key)

    def __len__(self) -> int:
        return self.state.claimed()

    def __iter__(self) -> Iterator[str]:
        yield from self.state.pending_claims
        for (key,) in self.state.db.execute("SELECT key FROM frontier"):
            yield key


def dumps(request_dict: dict[str, Any]) -> bytes:
    return pickle.dumps(request_dict, protocol=5)


def loads(blob: bytes) -> dict[str, Any]:
    return pickle.loads(blob)
