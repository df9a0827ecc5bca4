"""What every part of the Discourse face's data shares: connections with its SQL functions, and a
cache of whole orderings that any write empties.

Listing users 100 a page means sorting the whole community for every page;
the sorted ids are kept instead, until this face writes anything (its
version) or another writer moves the store's change position.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from desktop.sandbox.discourse.data.activity import register_functions
from desktop.sandbox.store.database import StoreDatabase

_T = TypeVar("_T")
#: Orderings kept (user lists by query, the badge list): a few, each at most one id per member.
_CACHED = 8


class DiscourseBase(StoreDatabase):
    """Connections, writes that bump a version, and the cache. Thread safety: any thread."""

    def __init__(
        self, path: Path, *, community_name: str = "Sandbox", clock: Callable[[], float] = time.time
    ) -> None:
        self._version = 0
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        super().__init__(path, community_name=community_name, clock=clock)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = super()._conn()
            register_functions(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with super()._write() as conn:
            yield conn
        with self._cache_lock:
            self._version += 1

    @contextmanager
    def _write_unversioned(self) -> Iterator[sqlite3.Connection]:
        """A write nothing cached depends on (the staff action log): the cache stays."""
        with super()._write() as conn:
            yield conn

    def _cached(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``, reused until anything is written (here, or by another writer of the database)."""
        stamp = (self._version, self.current_seq(), key)
        with self._cache_lock:
            if stamp in self._cache:
                self._cache.move_to_end(stamp)
                found: _T = self._cache[stamp]
                return found
        value = compute()
        with self._cache_lock:
            self._cache[stamp] = value
            while len(self._cache) > _CACHED:
                self._cache.popitem(last=False)
        return value
