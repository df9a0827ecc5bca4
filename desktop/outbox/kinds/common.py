"""What every action kind's sending shares: where answers are written."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from desktop.cache.database import Cache


def mirror(cache: Cache, write: Callable[[Connection], None]) -> None:
    """Bring the mirror in step with an answer, after the work file recorded it.

    Its own transaction, committed second: a crash in between leaves the
    mirror behind (the next sync corrects it), never the user's work. One
    transaction over both files would not do: SQLite commits the mirror's log
    before it deletes the work file's journal.
    """
    with cache.write() as connection:
        write(connection)
