"""The four kinds of rows a sync lists page by page: badges, members, awards, requests.

Which of them a server has (requests only with a request desk), how a page
of each is fetched from the session's ports, and how it is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.dialects.base import Page, ServerSession
from desktop.domain import Award, Badge, BadgeRequest, Member

#: In the order a listing goes through them: badges first, as members' awards name them.
PHASES = ("badges", "members", "awards", "requests")
#: Badges carry their images: smaller pages keep each answer small.
BADGE_PAGE_MOST = 100


def phases_of(session: ServerSession) -> list[str]:
    """The kinds this server lists (no requests without a request desk)."""
    desk = session.desk
    return [p for p in PHASES if p != "requests" or desk is not None]


def fetch_page(session: ServerSession, phase: str, cursor: str | None, page_size: int) -> Page[Any]:
    """One page of ``phase`` from ``cursor`` (None: the first)."""
    directory = session.directory
    result: Page[Any]
    if phase == "badges":
        result = directory.badges(cursor, min(page_size, BADGE_PAGE_MOST))
    elif phase == "members":
        result = directory.members(cursor, page_size)
    elif phase == "awards":
        result = directory.awards(cursor, page_size)
    else:
        desk = session.desk
        assert desk is not None  # the phase is there only with a desk
        result = desk.requests("all", cursor, page_size)
    return result


def store_rows(phase: str, connection: Connection, items: Sequence[object]) -> None:
    """Within a write transaction: upsert a page's rows of ``phase``."""
    if phase == "badges":
        Cache.upsert_badges(connection, [i for i in items if isinstance(i, Badge)])
    elif phase == "members":
        Cache.upsert_members(connection, [i for i in items if isinstance(i, Member)])
    elif phase == "awards":
        Cache.upsert_awards(connection, [i for i in items if isinstance(i, Award)])
    else:
        Cache.upsert_requests(connection, [i for i in items if isinstance(i, BadgeRequest)])
