"""Alembic environment for the BadgeDesk work file (see :mod:`desktop.cache.migration_env`)."""

from __future__ import annotations

from desktop.cache.migration_env import run
from desktop.cache.schema import work_metadata

run(work_metadata)
