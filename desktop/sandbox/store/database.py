"""The sandbox database's connections, transactions and ``meta`` counters, shared by the whole store.

It knows no API: the v1 face (``v1.py`` and the tables) and the Discourse face
(``desktop.sandbox.discourse``) both build on it, each with its own records.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.sandbox.store.upgrade import upgrade_schema


class StoreDatabase:
    """The connection handling every part of the sandbox store builds on.

    Thread safety: any thread. Each thread gets its own connection (WAL lets
    readers run beside the writer); writes are serialised by one lock and run
    in ``BEGIN IMMEDIATE`` transactions.
    """

    def __init__(
        self, path: Path, *, community_name: str = "Sandbox", clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.community_name = community_name
        self._clock = clock
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._closed = False
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        with self._write_lock:
            upgrade_schema(conn)

    # --- connections and transactions ---------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise RuntimeError("the sandbox store is closed")
            # check_same_thread=False only so close() may close every thread's
            # connection; each connection is still used by its own thread alone.
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=OFF")
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        # One deferred transaction gives multi-query reads a single snapshot.
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        self._closed = True
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    def _now(self) -> int:
        return int(self._clock())

    # --- the meta table: counters and the change sequence ---------------------

    @staticmethod
    def _next_seq(conn: sqlite3.Connection) -> int:
        row = conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value").fetchone()
        return int(row[0])

    @staticmethod
    def _bump(conn: sqlite3.Connection, key: str, delta: int) -> None:
        conn.execute("UPDATE meta SET value = value + ? WHERE key = ?", (delta, key))

    def seeded_with(self) -> tuple[int, int]:
        """The ``(members, seed)`` this database was seeded with."""
        meta = dict(self._conn().execute("SELECT key, value FROM meta").fetchall())
        return int(meta.get("seed_members", 0)), int(meta.get("seed", 0))

    def seeded_epoch(self) -> int | None:
        """The start of the day (Unix seconds) the seeded dates are relative to; ``None`` if not recorded."""
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'seed_epoch'").fetchone()
        return None if row is None else int(row[0])

    def current_seq(self) -> int:
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        return int(row[0]) if row else 0
