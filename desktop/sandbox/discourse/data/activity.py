"""Trust levels and reading statistics the store does not keep, derived from a member's id and dates.

``activity`` is deterministic and plausible (staff are leaders, members who
never came back are new users); ``register_functions`` makes its parts
callable from SQL, so the user list can filter and sort by them exactly as
the rows report them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from desktop.sandbox.discourse.data.schema import SYSTEM_USER_ID

_DAY = 86_400


@dataclass(frozen=True, slots=True)
class Activity:
    """What Discourse counts about a user's reading and posting. Immutable; any thread."""

    trust_level: int
    days_visited: int
    topics_entered: int
    posts_read_count: int
    post_count: int
    time_read: int


def _mix(member_id: int, salt: int) -> float:
    """A fixed pseudo-random number in [0, 1) per member and salt (Knuth's multiplicative hash)."""
    return (((member_id * 2654435761) ^ (salt * 40503)) % 4294967296) / 4294967296.0


def is_admin(groups: str) -> bool:
    return "admins" in groups.split(",")


def is_staff(groups: str) -> bool:
    parts = groups.split(",")
    return "admins" in parts or "staff" in parts


def activity(member_id: int, joined_at: int, last_seen_at: int | None, groups: str = "") -> Activity:
    """The member's derived statistics and trust level; staff are leaders (4), as on many forums."""
    if member_id == SYSTEM_USER_ID:
        return Activity(4, 0, 0, 0, 0, 0)
    if last_seen_at is None:
        return Activity(4 if is_staff(groups) else 0, 0, 0, 0, 0, 0)
    span = max(1, (last_seen_at - joined_at) // _DAY)
    days = max(1, int(span * (0.01 + 0.4 * _mix(member_id, 1) ** 2)))
    topics = days * (1 + int(_mix(member_id, 2) * 8))
    posts_read = topics * (2 + int(_mix(member_id, 3) * 12))
    posts = int(days * 1.2 * _mix(member_id, 4) ** 2)
    if is_staff(groups):
        level = 4
    elif days >= 100 and posts >= 20:
        level = 4 if _mix(member_id, 5) < 0.05 else 3
    elif days >= 15:
        level = 2
    else:
        level = 1
    return Activity(level, days, topics, posts_read, posts, posts_read * 15)


def register_functions(conn: sqlite3.Connection) -> None:
    """Make ``activity``'s parts callable from SQL on ``conn`` (ordering and filtering the list)."""

    def part(name: str) -> Any:
        def value(member_id: int, joined_at: int, last_seen_at: int | None, groups: str = "") -> int:
            return int(getattr(activity(member_id, joined_at, last_seen_at, groups), name))

        return value

    conn.create_function("dc_trust_level", 4, part("trust_level"), deterministic=True)
    for sql_name, field in (
        ("dc_days_visited", "days_visited"),
        ("dc_topics_entered", "topics_entered"),
        ("dc_posts_read", "posts_read_count"),
        ("dc_post_count", "post_count"),
        ("dc_time_read", "time_read"),
    ):
        conn.create_function(sql_name, 3, part(field), deterministic=True)
