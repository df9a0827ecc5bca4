"""Stopping a long read of the cache when the user cancels it.

A report counts a million awards in one SQL statement that runs for
seconds: checking a :class:`~desktop.cancellation.CancelToken` between
statements would not stop it. SQLite calls a progress handler every so many
virtual-machine instructions while a statement runs; one that answers
"stop" makes SQLite abandon the statement with ``OperationalError:
interrupted``, which :func:`cancellable` turns into
:class:`~desktop.cancellation.Cancelled`. The statement's transaction is
rolled back and the connection stays usable (it goes back to the pool).

Thread safety: use it on the thread that holds the connection; the token may
be cancelled from any thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from desktop.cancellation import Cancelled, CancelToken

#: SQLite asks the token every this many VM instructions: a few milliseconds of counting on a
#: laptop (about 35 million instructions a second), so a cancel stops the statement at once, yet
#: rarely enough that the handler, which needs the GIL each time, never slows the count while the
#: GUI thread or another worker runs Python.
CHECK_EVERY = 100_000


@contextmanager
def cancellable(connection: Connection, cancel: CancelToken | None) -> Iterator[None]:
    """While inside, the statements run on ``connection`` stop when ``cancel`` is cancelled,
    raising :class:`~desktop.cancellation.Cancelled`.

    The progress handler is removed on the way out, whatever happened: the
    pooled connection serves other reads after. ``None``: nothing to stop.
    """
    if cancel is None:
        yield
        return
    cancel.raise_if_cancelled()
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection), "the cache is SQLite"
    raw.set_progress_handler(lambda: int(cancel.cancelled), CHECK_EVERY)
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as error:
        # SQLAlchemy wraps the driver's error (a row fetched late may raise it unwrapped).
        if cancel.cancelled and "interrupted" in str(error):
            raise Cancelled() from error
        raise
    finally:
        raw.set_progress_handler(None, 0)
