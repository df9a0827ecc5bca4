"""What the two Alembic environments (mirror and work file) share.

Migrations run only through :mod:`desktop.cache.storage`, which hands the
environment an open connection to one file alone (never attached); there is
no offline (SQL script) mode.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData


def run(metadata: MetaData) -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("BadgeDesk migrations need a connection; use desktop.cache.storage")
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
