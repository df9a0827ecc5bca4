"""Many rows in one statement: ``INSERT … VALUES (…), (…), …`` and ``UPDATE … FROM (VALUES …)``.

``executemany`` steps its statement once for each row, and the ``sqlite3``
module lets go of the GIL around every step and takes it back after. While
another thread runs Python (a sync's fetch thread parsing the next page, the
outbox's requests), each row then waits for that thread to give the GIL back:
a first sync of 200,000 members spent a third of its time so (27–30 s of the
writer's CPU, 17–18 s with one statement for each slice of rows, measured with
``./dev bench first_sync``). A statement of many rows runs in one step, without
the GIL, while the other thread goes on.

Rows of one statement are applied in order, exactly as ``executemany`` applies
them: each row's triggers fire, and an upsert of an id met earlier in the same
statement updates that row.

Each statement has :data:`MOST_ROWS` rows, or a power of two fewer for the
rest: ``sqlite3`` keeps the last 128 statements prepared on each connection,
and a prepared statement of 500 rows with its triggers holds about half a
megabyte, so a few shapes are kept, not one for every length.

Thread safety: pure functions; the caller's connection and transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import chain

from sqlalchemy import Connection

#: Bound parameters a statement may have (SQLite's SQLITE_MAX_VARIABLE_NUMBER: 32766 from
#: 3.32, 999 before).
MOST_PARAMETERS = 32766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
#: Rows a statement holds at most: bigger ones gain nothing (a sync's slice has 500).
MOST_ROWS = 500


def insert_rows(connection: Connection, head: str, tail: str, rows: Sequence[Sequence[object]]) -> None:
    """``{head} VALUES (?, …), … {tail}`` for every row of ``rows`` (all of one width), a few
    statements in all. ``head``: ``INSERT INTO table (columns)``; ``tail``: an ``ON CONFLICT``
    clause, or empty."""
    if not rows:
        return
    width = len(rows[0])
    if set(map(len, rows)) != {width}:
        raise ValueError(f"rows of different widths for {head!r}")
    for start, count in parts(len(rows), width):
        part = rows[start : start + count]
        connection.exec_driver_sql(
            f"{head} VALUES {marks(width, count)}{tail}", tuple(chain.from_iterable(part))
        )


def update_rows(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    also: str = "",
) -> None:
    """Set ``columns`` of the rows of ``table`` whose ``id`` ends each row of ``rows``
    (``(value, …, id)``), a few statements in all (``UPDATE … FROM (VALUES …)``, SQLite 3.33+).
    ``also``: more assignments for every row (``last_error = NULL``). Where rows name an id more
    than once, the last one's values are set, as ``executemany`` would leave them."""
    latest = list({row[-1]: row for row in rows}.values())
    if not latest:
        return
    width = len(columns) + 1
    if set(map(len, latest)) != {width}:
        raise ValueError(f"rows of another width than {len(columns)} columns and an id for {table}")
    assignments = ", ".join(
        [f"{column} = v.column{n}" for n, column in enumerate(columns, 1)] + ([also] if also else [])
    )
    for start, count in parts(len(latest), width):
        part = latest[start : start + count]
        connection.exec_driver_sql(
            f"UPDATE {table} SET {assignments} FROM (VALUES {marks(width, count)}) AS v"
            f" WHERE {table}.id = v.column{width}",
            tuple(chain.from_iterable(part)),
        )


def parts(total: int, width: int) -> Iterator[tuple[int, int]]:
    """(start, count) of each statement of ``total`` rows of ``width`` values: full ones, then
    the rest in falling powers of two."""
    most = max(1, min(MOST_ROWS, MOST_PARAMETERS // width))
    start = 0
    while total - start >= most:
        yield start, most
        start += most
    size = 1 << max(0, (most - 1).bit_length() - 1)
    while start < total:
        while size > total - start:
            size //= 2
        yield start, size
        start += size


@lru_cache(maxsize=64)
def marks(width: int, count: int) -> str:
    """``(?, …), …``: ``count`` rows of ``width`` parameters."""
    row = "(" + ", ".join("?" * width) + ")"
    return ", ".join([row] * count)
