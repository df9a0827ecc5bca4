"""The bound on paging: a count the server announces bounds a listing; one it cannot tell does not."""

from __future__ import annotations

import pytest

from desktop.dialects.base import CommunitySummary
from desktop.net.errors import RunawayPaging
from desktop.sync.paging import MAX_EMPTY_PAGES, PageGuard

COUNTED = CommunitySummary("c", members=1_000, badges=10, awards=5_000, requests=0, changes_cursor="")
#: Discourse cannot say how many members it has.
UNCOUNTED = CommunitySummary(
    "c", members=0, badges=10, awards=5_000, requests=0, changes_cursor="", unknown=frozenset({"members"})
)


def _pages(guard: PageGuard, pages: int, size: int) -> None:
    for n in range(pages):
        guard.check(size, f"cursor-{n}")


def test_far_more_members_than_announced_stops_the_sync() -> None:
    guard = PageGuard.for_phase(COUNTED, "members", 100, None)
    with pytest.raises(RunawayPaging, match="far more than the 1,000 it announced"):
        _pages(guard, 100, 100)


def test_a_member_count_the_server_cannot_tell_bounds_nothing_but_loops_still_stop() -> None:
    guard = PageGuard.for_phase(UNCOUNTED, "members", 100, None)
    _pages(guard, 1_000, 100)  # 100,000 members: a big forum, not a runaway
    with pytest.raises(RunawayPaging, match="already sent"):
        guard.check(100, "cursor-5")
    empty = PageGuard.for_phase(UNCOUNTED, "members", 100, None)
    with pytest.raises(RunawayPaging, match="without a single item"):
        _pages(empty, MAX_EMPTY_PAGES + 2, 0)
    # The counts it does tell still bound their listings.
    with pytest.raises(RunawayPaging):
        _pages(PageGuard.for_phase(UNCOUNTED, "awards", 100, None), 1_000, 100)
