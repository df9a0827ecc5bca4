"""The four kinds of rows a sync lists page by page: badges, members, awards, requests.

Which of them a server has (requests only with a request desk), how a page
of each is fetched from the session's ports, how a listing of them pages to
its end, and how a page is stored.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.dialects.base import CommunitySummary, Page, ServerSession
from desktop.domain import Award, Badge, BadgeRequest, Member
from desktop.sync.paging import PageGuard

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


def listing(
    session: ServerSession,
    summary: CommunitySummary,
    phases: Sequence[str],
    cursor: str | None,
    *,
    page_size: int,
    cancel: CancelToken,
) -> Iterator[tuple[str, Page[object]]]:
    """Every page of each of ``phases`` in turn, the first from ``cursor``; each checked by a
    :class:`PageGuard` before it is handed on (so a runaway page is never stored)."""
    next_cursor = cursor
    for current in phases:
        guard = PageGuard.for_phase(summary, current, page_size, next_cursor)
        while True:
            cancel.raise_if_cancelled()
            page = fetch_page(session, current, next_cursor, page_size)
            guard.check(len(page.items), page.next_cursor)
            yield current, page
            next_cursor = page.next_cursor
            if next_cursor is None:
                break


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
