"""Contract: the directory and the changes feed page to the end, whatever the page size."""

from __future__ import annotations

import pytest

from desktop.domain import RequestState
from desktop.net.errors import ApiError
from tests.contract.conftest import Dialect, read_all


def test_every_listing_pages_to_the_end(dialect: Dialect) -> None:
    directory = dialect.session.directory
    summary = directory.community()
    for name, small, large, announced in (
        ("members", 37, 5000, summary.members),
        ("badges", 7, 500, summary.badges),
        ("awards", 211, 5000, summary.awards),
    ):
        listing = getattr(directory, name)
        sizes: list[int] = []

        def counted(cursor: str | None, limit: int, listing=listing, sizes=sizes):  # type: ignore[no-untyped-def]
            page = listing(cursor, limit)
            sizes.append(len(page.items))
            return page

        ids = [item.id for item in read_all(counted, small)]
        pages = len(sizes)
        assert len(ids) == len(set(ids)), f"{name}: an item came twice"
        assert max(sizes) <= small, f"{name}: a page of {max(sizes)} items, {small} asked"
        if name in summary.unknown:
            # The server has no count of them (Discourse: members): the two page sizes must agree.
            assert ids, f"{name}: none listed"
        else:
            assert len(ids) == announced, f"{name}: {len(ids)} listed, {announced} announced"
        # The listing ends on the last item's page, or on one empty page after it.
        last_items = max(i for i, size in enumerate(sizes) if size)
        assert pages - last_items <= 2, f"{name}: {pages - last_items - 1} empty pages at the end"
        if dialect.harness.fills_pages:
            assert -(-len(ids) // small) <= pages <= len(ids) // small + 1, f"{name}: {pages} pages"
        assert sorted(ids) == sorted(item.id for item in read_all(listing, large)), name


def test_the_awards_of_one_badge_or_one_member_page_to_the_end(dialect: Dialect) -> None:
    directory = dialect.session.directory
    everything = read_all(directory.awards, 5000)
    badge_id = max({a.badge_id for a in everything}, key=lambda b: sum(a.badge_id == b for a in everything))
    of_badge = read_all(lambda c, n: directory.awards(c, n, badge_id=badge_id), 13)
    assert sorted(a.id for a in of_badge) == sorted(a.id for a in everything if a.badge_id == badge_id)
    member_id = everything[0].member_id
    of_member = read_all(lambda c, n: directory.awards(c, n, member_id=member_id), 2)
    assert sorted(a.id for a in of_member) == sorted(a.id for a in everything if a.member_id == member_id)


@pytest.mark.requires("desk")
def test_requests_page_to_the_end_in_each_state(dialect: Dialect) -> None:
    desk = dialect.session.desk
    assert desk is not None
    listed = {
        state: read_all(lambda c, n, s=state: desk.requests(s, c, n), 3)
        for state in ("pending", "decided", "all")
    }
    ids = {state: [r.id for r in found] for state, found in listed.items()}
    assert all(len(i) == len(set(i)) for i in ids.values())
    summary = dialect.session.directory.community()
    if "requests" in summary.unknown:
        # A server that does not count them (Discourse) says so, and gives 0.
        assert summary.requests == 0
    else:
        assert len(ids["pending"]) == summary.requests
    assert {r.state for r in listed["pending"]} == {RequestState.PENDING}
    assert RequestState.PENDING not in {r.state for r in listed["decided"]}
    assert sorted(ids["pending"] + ids["decided"]) == sorted(ids["all"])


@pytest.mark.requires("feed")
def test_the_feed_pages_to_the_end_and_then_reports_nothing(dialect: Dialect) -> None:
    feed, writer = dialect.session.feed, dialect.session.writer
    assert feed is not None
    since = dialect.session.directory.community().changes_cursor
    pairs = dialect.free_pairs(5)
    granted = writer.award_batch([dialect.award(m, b, notify=False) for m, b in pairs])
    [revoked] = writer.revoke_batch([dialect.revoke(*pairs[0])])
    awards: list[int] = []
    gone: list[int] = []
    cursor, pages = since, 0
    while True:
        page = feed.changes(cursor, 2)
        pages += 1
        assert page.size <= 2
        awards += [a.id for a in page.awards]
        gone += page.revoked_award_ids
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert pages >= 3
    ids = [r.award.id for r in granted if r.award is not None]
    # The first award was revoked since: the feed says so, not that it is there.
    assert revoked.award is not None and gone == [ids[0]]
    assert sorted(awards) == sorted(ids[1:])
    assert cursor == dialect.session.directory.community().changes_cursor
    after = feed.changes(cursor, 2)
    assert (after.size, after.has_more, after.next_cursor) == (0, False, cursor)


@pytest.mark.requires("feed")
def test_a_position_the_server_never_gave_is_refused_as_such(dialect: Dialect) -> None:
    """The sync starts over when the server does not know its position: it must say so."""
    feed = dialect.session.feed
    assert feed is not None
    with pytest.raises(ApiError) as refused:
        feed.changes(str(10**15), 10)
    assert refused.value.code == "bad_cursor"
