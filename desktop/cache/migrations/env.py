"""Alembic environment for the BadgeDesk mirror file.

Migrations run only through :mod:`desktop.cache.storage`, which hands us an
open connection to the mirror alone (not attached); there is no offline (SQL
script) mode. ``work_path`` names the profile's work file, for the migration
that moves the user's work out of an old one-file cache.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from desktop.cache.schema import mirror_metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=mirror_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if _connection is None:
    raise RuntimeError("BadgeDesk migrations need a connection; use desktop.cache.storage")
_run(_connection)
