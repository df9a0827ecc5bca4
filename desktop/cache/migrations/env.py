"""Alembic environment for the BadgeDesk mirror file (see :mod:`desktop.cache.migration_env`).

``work_path`` names the profile's work file, for the migration that moves the
user's work out of an old one-file cache.
"""

from __future__ import annotations

from desktop.cache.migration_env import run
from desktop.cache.schema import mirror_metadata

run(mirror_metadata)
