"""A new mirror built beside the live one, for a full resync (see :mod:`desktop.sync`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.pool import ConnectionPoolEntry, NullPool

from desktop.cache import schema
from desktop.cache.storage import MIRROR_PRAGMAS, upgrade_mirror

if TYPE_CHECKING:
    from desktop.cache.database import Cache


class MirrorBuilder:
    """A new mirror file built beside the live one (a full resync), by one thread.

    It survives an interruption: opening it again goes on from the sync
    position it holds. :meth:`Cache.replace_mirror` swaps it in once complete.
    """

    def __init__(self, cache: Cache, path: Path) -> None:
        self.cache = cache
        self.path = path
        upgrade_mirror(path, cache.work_path)
        self.engine: Engine = create_engine(f"sqlite:///{path}", poolclass=NullPool, hide_parameters=True)
        event.listen(self.engine, "connect", _mirror_pragmas)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def sync_state(self) -> dict[str, str]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(schema.sync_state.c.key, schema.sync_state.c.value))
            return {key: value for key, value in rows}

    def close(self) -> None:
        # The last connection's close checkpoints and removes the log.
        self.engine.dispose()


def _mirror_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("PRAGMA busy_timeout=10000", *MIRROR_PRAGMAS):
        cursor.execute(pragma)
    cursor.close()
