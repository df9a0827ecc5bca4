"""What the rule builder offers to choose from: the cache's groups, by id where the server lists them.

Thread safety: reads through its own connection; may run on any worker thread.
"""

from __future__ import annotations

from desktop.cache.database import Cache
from desktop.rules import GroupRef


def rule_groups(cache: Cache) -> list[GroupRef]:
    """Every group a rule can name: the server's (with their ids), then those only member rows name."""
    with cache.read() as connection:
        listed = [
            GroupRef(int(row[0]), str(row[1]))
            for row in connection.exec_driver_sql("SELECT id, name FROM member_groups")
        ]
    names = {g.name for g in listed}
    unlisted = [GroupRef(None, name) for name in cache.groups() if name not in names]
    return sorted([*listed, *unlisted], key=lambda g: (g.name.casefold(), g.id or 0))
