"""Alembic environment for the BadgeDesk cache.

Migrations run only through :func:`desktop.cache.database.upgrade`, which hands
us an open connection; there is no offline (SQL script) mode.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from desktop.cache.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if _connection is None:
    raise RuntimeError("BadgeDesk migrations need a connection; use desktop.cache.database.upgrade()")
_run(_connection)
