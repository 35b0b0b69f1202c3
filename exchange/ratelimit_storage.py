"""Rate-limit counters in a SQLite file, shared by every worker of one server without another service.

``limits`` (under Flask-Limiter) keeps counters in memory (each worker its own, so a limit is
multiplied by the number of workers), Redis, Memcached or MongoDB. This storage keeps them in one
small SQLite file, ``exchange+sqlite:////absolute/path.db`` (SQLAlchemy's spelling), so all the
workers of a server count together. Servers that do not share a disk share Redis instead.

Registering the class registers its scheme: importing this module is enough.
"""
import os
import sqlite3
import threading
import time
from math import floor

from limits.storage import MovingWindowSupport, SlidingWindowCounterSupport, Storage
from limits.storage.base import TimestampedSlidingWindow

SCHEME = "exchange+sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS moving_window_entries (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS moving_window_entries_key_at ON moving_window_entries (key, at);
"""


def uri_for(path) -> str:
    """The storage URI of a counters file."""
    return f"{SCHEME}:///{os.path.abspath(path)}"


class SQLiteStorage(Storage, MovingWindowSupport, SlidingWindowCounterSupport, TimestampedSlidingWindow):
    """Fixed, moving and sliding windows in one SQLite file; one connection per process and thread."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1][1:] or ":memory:"
        self.timeout = float(options.get("timeout", 5))
        self._local = threading.local()

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        # A worker forked after the first use must not share its parent's connection.
        if getattr(self._local, "pid", None) != os.getpid():
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
            self._local.connection, self._local.pid = connection, os.getpid()
        return self._local.connection

    def _write(self):
        """A write transaction taken at once, so that read-then-write is atomic across workers."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        return _Transaction(connection)

    # Fixed windows -------------------------------------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with self._write() as db:
            return self._incr(db, key, expiry, amount, time.time())

    @staticmethod
    def _incr(db, key: str, expiry: int, amount: int, now: float) -> int:
        db.execute("DELETE FROM counters WHERE key = ? AND expires <= ?", (key, now))
        db.execute("INSERT INTO counters VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET count = count + ?",
                   (key, amount, now + expiry, amount))
        return db.execute("SELECT count FROM counters WHERE key = ?", (key,)).fetchone()[0]

    def decr(self, key: str, amount: int = 1) -> int:
        with self._write() as db:
            db.execute("UPDATE counters SET count = max(count - ?, 0) WHERE key = ?", (amount, key))
            row = db.execute("SELECT count FROM counters WHERE key = ?", (key,)).fetchone()
            return row[0] if row else 0

    def get(self, key: str) -> int:
        row = self._connection().execute(
            "SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._connection().execute(
            "SELECT expires FROM counters WHERE key = ? AND expires > ?", (key, now)).fetchone()
        return row[0] if row else now

    def check(self) -> bool:
        return self._connection().execute("SELECT 1").fetchone() == (1,)

    def reset(self) -> int:
        with self._write() as db:
            counted = db.execute("SELECT (SELECT count(*) FROM counters) + "
                                 "(SELECT count(DISTINCT key) FROM moving_window_entries)").fetchone()[0]
            db.execute("DELETE FROM counters")
            db.execute("DELETE FROM moving_window_entries")
            return counted

    def clear(self, key: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM counters WHERE key = ?", (key,))
            db.execute("DELETE FROM moving_window_entries WHERE key = ?", (key,))

    # Moving windows ------------------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with self._write() as db:
            db.execute("DELETE FROM moving_window_entries WHERE key = ? AND at <= ?", (key, now - expiry))
            taken = db.execute("SELECT count(*) FROM moving_window_entries WHERE key = ?", (key,)).fetchone()[0]
            if taken + amount > limit:
                return False
            db.executemany("INSERT INTO moving_window_entries VALUES (?, ?)", [(key, now)] * amount)
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        oldest, count = self._connection().execute(
            "SELECT min(at), count(*) FROM (SELECT at FROM moving_window_entries WHERE key = ? AND at > ?"
            " ORDER BY at DESC LIMIT ?)", (key, now - expiry, limit)).fetchone()
        return (oldest, count) if count else (now, 0)

    # Sliding window counters ---------------------------------------------------------------

    def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        with self._write() as db:  # one transaction: no other worker slips in between the read and the write
            previous, previous_ttl, current, _ = self._sliding_window(previous_key, current_key, expiry, now)
            if floor(previous * previous_ttl / expiry + current) + amount > limit:
                return False
            self._incr(db, current_key, 2 * expiry, amount, now)
            return True

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        now = time.time()
        return self._sliding_window(*self.sliding_window_keys(key, expiry, now), expiry, now)

    def _sliding_window(self, previous_key, current_key, expiry, now) -> tuple[int, float, int, float]:
        previous, current = self.get(previous_key), self.get(current_key)
        previous_ttl = (1 - (((now - expiry) / expiry) % 1)) * expiry if previous else 0.0
        return previous, previous_ttl, current, (1 - ((now / expiry) % 1)) * expiry + expiry

    def clear_sliding_window(self, key: str, expiry: int) -> None:
        for each in self.sliding_window_keys(key, expiry, time.time()):
            self.clear(each)


class _Transaction:
    """COMMIT on leaving normally, ROLLBACK on an exception; returns the connection."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, kind, _error, _trace) -> None:
        self.connection.execute("ROLLBACK" if kind else "COMMIT")
