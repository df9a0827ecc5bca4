"""Alembic environment for the BadgeDesk work file (the user's own work).

Migrations run only through :mod:`desktop.cache.storage`, which hands us an
open connection to the work file alone; there is no offline (SQL script) mode.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from desktop.cache.schema import work_metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=work_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if _connection is None:
    raise RuntimeError("BadgeDesk migrations need a connection; use desktop.cache.storage")
_run(_connection)
