"""A community server without a changes feed, as a session over in-memory lists.

It offers the ports a snapshot sync reads (directory and request desk) and
no feed, answering in domain types as a dialect's session does. A test
changes ``rows`` between syncs as the server's community changes, and may
set ``trap`` to fail a listing call (the network gone, a malformed page) or
to look at the cache while a sync runs (it is called on the sync's fetch
thread, before each page is made).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop.dialects.base import CommunitySummary, Page, RequestFilter
from desktop.domain import (
    Award,
    Badge,
    BadgeRequest,
    BadgeState,
    Member,
    MemberStatus,
    RequestState,
)
from tests.ports import SelfPorts

KINDS = ("badges", "members", "awards", "requests")
#: Called with (kind, cursor) before each page is made; raise from it to fail the call.
Trap = Callable[[str, str | None], None]

_DAY = datetime(2024, 1, 1, 10, tzinfo=UTC)


def member(i: int, name: str | None = None, status: MemberStatus = MemberStatus.ACTIVE) -> Member:
    name = name or f"Member {i}"
    return Member(i, f"m{i}", name, f"m{i}@example.org", _DAY + timedelta(days=i), None, status)


def badge(i: int, title: str | None = None) -> Badge:
    return Badge(i, f"b{i}", title or f"Badge {i}", "", "", "", "", BadgeState.PUBLISHED, "", 1)


def award(i: int, member_id: int, badge_id: int) -> Award:
    return Award(i, member_id, badge_id, _DAY + timedelta(days=i), "Alice Moderator", "")


def request(
    i: int, member_id: int, badge_id: int, state: RequestState = RequestState.PENDING
) -> BadgeRequest:
    return BadgeRequest(i, member_id, badge_id, "please", None, _DAY + timedelta(days=i), state, 1)


class FeedlessServer(SelfPorts):
    """7 members, 3 badges, 8 awards and 4 requests; cursors are "after this id".

    Thread safety: the sync calls it from its fetch thread; a test changes it
    only between syncs.
    """

    kind = "test-feedless"

    def __init__(self) -> None:
        self.rows: dict[str, dict[int, Any]] = {
            "badges": {b.id: b for b in (badge(i) for i in range(1, 4))},
            "members": {m.id: m for m in (member(i) for i in range(1, 8))},
            "awards": {
                a.id: a
                for a in (
                    award(i, member_id, badge_id)
                    for i, (member_id, badge_id) in enumerate(
                        [(1, 1), (1, 2), (2, 1), (3, 3), (4, 2), (5, 1), (6, 3), (7, 2)], start=1
                    )
                )
            },
            "requests": {r.id: r for r in (request(i, i + 1, i % 3 + 1) for i in range(1, 5))},
        }
        self.trap: Trap | None = None
        #: Every listing call, in order: (kind, cursor).
        self.calls: list[tuple[str, str | None]] = []

    # --- the directory and the request desk ---------------------------------------

    def community(self) -> CommunitySummary:
        pending = sum(1 for r in self.rows["requests"].values() if r.state is RequestState.PENDING)
        return CommunitySummary(
            name="Feedless Community",
            members=len(self.rows["members"]),
            badges=len(self.rows["badges"]),
            awards=len(self.rows["awards"]),
            requests=pending,
            changes_cursor="",
        )

    def me(self) -> str:
        return "Alice Moderator"

    def badges(self, cursor: str | None, limit: int) -> Page[Badge]:
        return self._page("badges", cursor, limit)

    def members(self, cursor: str | None, limit: int) -> Page[Member]:
        return self._page("members", cursor, limit)

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        assert badge_id is None and member_id is None  # a sync lists them all
        return self._page("awards", cursor, limit)

    def requests(self, state: RequestFilter, cursor: str | None, limit: int) -> Page[BadgeRequest]:
        assert state == "all"  # a sync lists them all
        return self._page("requests", cursor, limit)

    # --- paging -------------------------------------------------------------------

    def _page(self, kind: str, cursor: str | None, limit: int) -> Page[Any]:
        self.calls.append((kind, cursor))
        if self.trap is not None:
            self.trap(kind, cursor)
        after = int(cursor or 0)
        ids = sorted(i for i in self.rows[kind] if i > after)
        taken = ids[:limit]
        more = len(ids) > limit
        return Page([self.rows[kind][i] for i in taken], str(taken[-1]) if more else None)

    def calls_of(self, kind: str) -> list[str | None]:
        return [cursor for k, cursor in self.calls if k == kind]
