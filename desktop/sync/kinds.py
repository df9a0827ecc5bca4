"""The kinds of rows a sync lists page by page: badges, members, awards, groups, requests.

Which of them a server has (groups only with a group listing, requests only
with a request desk: capabilities, never the server's kind), how a page
of each is fetched from the session's ports, how a listing of them pages to
its end, and how a page is stored.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cache.groups import upsert_groups
from desktop.cache.rows import award_row, member_row
from desktop.cancellation import CancelToken
from desktop.dialects.base import CommunitySummary, Page, RowListing, ServerSession
from desktop.dialects.groups import GroupListing
from desktop.domain import AwardRow, Badge, BadgeRequest, Group, MemberRow
from desktop.sync.paging import PageGuard

#: In the order a listing goes through them: badges first, as members' awards name them;
#: groups after members, so a sweep drops a deleted member's memberships with them.
PHASES = ("badges", "members", "awards", "groups", "requests")
#: Badges carry their images: smaller pages keep each answer small.
BADGE_PAGE_MOST = 100


def phases_of(session: ServerSession) -> list[str]:
    """The kinds this server lists (no requests without a request desk, no groups without a
    group listing)."""
    offered = {
        "requests": session.desk is not None,
        "groups": isinstance(session.directory, GroupListing),
    }
    return [p for p in PHASES if offered.get(p, True)]


def fetch_page(session: ServerSession, phase: str, cursor: str | None, page_size: int) -> Page[Any]:
    """One page of ``phase`` from ``cursor`` (None: the first); members and awards as rows
    (:data:`MemberRow`, :data:`AwardRow`), made here on the fetch thread, not by the writer."""
    directory = session.directory
    result: Page[Any]
    if phase == "badges":
        result = directory.badges(cursor, min(page_size, BADGE_PAGE_MOST))
    elif phase == "members":
        if isinstance(directory, RowListing):
            result = directory.member_rows(cursor, page_size)
        else:
            members = directory.members(cursor, page_size)
            result = Page(as_rows(phase, members.items), members.next_cursor)
    elif phase == "awards":
        if isinstance(directory, RowListing):
            result = directory.award_rows(cursor, page_size)
        else:
            awards = directory.awards(cursor, page_size)
            result = Page(as_rows(phase, awards.items), awards.next_cursor)
    elif phase == "groups":
        assert isinstance(directory, GroupListing)  # the phase is there only with a listing
        # Every group's members: a full read (a later sync reads only the changed groups).
        result = directory.groups(cursor)
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


def as_rows(phase: str, items: Sequence[Any]) -> list[Any]:
    """A page's domain objects of ``phase`` as :func:`store_rows` takes them (members and awards
    as rows, the other kinds as they are)."""
    if phase == "members":
        return [member_row(m) for m in items]
    if phase == "awards":
        return [award_row(a) for a in items]
    return list(items)


def item_ids(phase: str, items: Sequence[Any]) -> list[int]:
    """The ids of a page's items of ``phase`` (members and awards are rows: the id first)."""
    if phase in ("members", "awards"):
        return [row[0] for row in items]
    return [item.id for item in items]


def store_rows(phase: str, connection: Connection, items: Sequence[object], *, bulk: bool = False) -> None:
    """Within a write transaction: upsert a page's rows of ``phase`` (see :func:`as_rows`);
    ``bulk``: a full sync's, whose badge counts are deferred (see :meth:`Cache.recount_badges`)."""
    if phase == "badges":
        Cache.upsert_badges(connection, [i for i in items if isinstance(i, Badge)])
    elif phase == "members":
        Cache.upsert_member_rows(connection, cast("Sequence[MemberRow]", items))
    elif phase == "awards":
        Cache.upsert_award_rows(connection, cast("Sequence[AwardRow]", items), replace_older=not bulk)
    elif phase == "groups":
        upsert_groups(connection, [i for i in items if isinstance(i, Group)])
    else:
        Cache.upsert_requests(connection, [i for i in items if isinstance(i, BadgeRequest)])
