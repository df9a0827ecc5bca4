"""The memory dialect's community: its rows, the rules a server applies to them, and the reads.

The rules are the v1 sandbox's (``desktop/sandbox/store.py``), written again
over plain dicts: :mod:`tests.fakes.memory_awards` (outcomes with the
condition found, replay by key) and :mod:`tests.fakes.memory_moderation`
(decisions all or none with a conflict by version, badge versions). The
contract suite (``tests/contract``) runs the same tests against both, so the
two cannot drift apart unnoticed.

A community pickles whole (the memory server keeps it in a file for the crash
tests); :meth:`MemoryCommunity.seeded` loads the sandbox's own seed.
"""

from __future__ import annotations

import functools
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from desktop.dialects.base import Changes, CommunitySummary, Page, RequestFilter
from desktop.domain import Award, Badge, BadgeRequest, Member, RequestState
from tests.fakes.memory_awards import AwardRules
from tests.fakes.memory_moderation import ModerationRules
from tests.fakes.memory_rows import AwardRecord, Refusal

T = TypeVar("T", Member, Badge, Award, BadgeRequest)

#: Most items a listing or the feed gives in one page, per operation (the sandbox's query bounds).
PAGE_LIMITS = {"members": 5000, "badges": 500, "awards": 5000, "requests": 5000, "changes": 5000}


def parse_cursor(cursor: str | None) -> int:
    """Cursors are decimal positions; anything else is the caller's mistake (as in the sandbox)."""
    if cursor is None or cursor == "":
        return 0
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise Refusal(400, "bad_cursor", f"Not a cursor this server issued: {cursor!r}")
    return int(cursor)


def _page(rows: Iterable[T], cursor: str | None, limit: int, operation: str) -> Page[T]:
    """Rows in id order after ``cursor``: keyset paging, the next cursor the last id given."""
    if not 1 <= limit <= PAGE_LIMITS[operation]:
        raise Refusal(422, "invalid", f"limit: must be between 1 and {PAGE_LIMITS[operation]}")
    after = parse_cursor(cursor)
    items: list[T] = []
    for row in rows:
        if row.id > after:
            items.append(row)
            if len(items) > limit:
                break
    more = len(items) > limit
    items = items[:limit]
    return Page(items, str(items[-1].id) if more else None)


class MemoryCommunity(AwardRules, ModerationRules):
    """A whole community: its rows, the rules for changing them, and the reads a server answers.

    Thread safety: none; the memory server calls it under its lock.
    """

    # --- building -------------------------------------------------------------

    @classmethod
    def of(
        cls,
        members: Iterable[Member] = (),
        badges: Iterable[Badge] = (),
        awards: Iterable[Award] = (),
        requests: Iterable[BadgeRequest] = (),
        *,
        name: str = "Memory Community",
    ) -> MemoryCommunity:
        """A community holding these rows, logged in this order (badges, members, awards, requests)."""
        community = cls(name=name)
        for badge in sorted(badges, key=lambda b: b.id):
            community._put("badges", badge)
        for member in sorted(members, key=lambda m: m.id):
            community._put("members", member)
        for award in sorted(awards, key=lambda a: a.id):
            community._put_award(AwardRecord(award))
        for request in sorted(requests, key=lambda r: r.id):
            community._put("requests", request)
        return community

    @classmethod
    def seeded(cls, members: int, seed: int) -> MemoryCommunity:
        """The community the sandbox seeds from ``(members, seed)``: the same members, badges,
        active awards and requests (a fresh copy each call)."""
        return pickle.loads(_seeded_pickle(members, seed))  # type: ignore[no-any-return]

    # --- reads ----------------------------------------------------------------

    def summary(self) -> CommunitySummary:
        return CommunitySummary(
            name=self.name,
            members=len(self.members),
            badges=len(self.badges),
            awards=len(self.held),
            requests=sum(1 for r in self.requests.values() if r.state is RequestState.PENDING),
            changes_cursor=str(self.seq),
        )

    def members_page(self, cursor: str | None, limit: int) -> Page[Member]:
        return _page(self.members.values(), cursor, limit, "members")

    def badges_page(self, cursor: str | None, limit: int) -> Page[Badge]:
        return _page(self.badges.values(), cursor, limit, "badges")

    def awards_page(
        self, cursor: str | None, limit: int, badge_id: int | None, member_id: int | None
    ) -> Page[Award]:
        if badge_id is not None and member_id is not None:
            award_id = self.held.get((member_id, badge_id))
            rows: Iterable[Award] = [] if award_id is None else [self.awards[award_id].award]
        else:
            rows = (
                r.award
                for r in self.awards.values()
                if r.revoked_at is None
                and (badge_id is None or r.award.badge_id == badge_id)
                and (member_id is None or r.award.member_id == member_id)
            )
        return _page(rows, cursor, limit, "awards")

    def requests_page(self, state: RequestFilter, cursor: str | None, limit: int) -> Page[BadgeRequest]:
        rows = (
            r
            for r in self.requests.values()
            if state == "all" or (r.state is RequestState.PENDING) == (state == "pending")
        )
        return _page(rows, cursor, limit, "requests")

    def changes(self, since: str, limit: int) -> Changes:
        """Rows changed after ``since``, oldest first, at most ``limit`` across all kinds."""
        if not 1 <= limit <= PAGE_LIMITS["changes"]:
            raise Refusal(422, "invalid", f"limit: must be between 1 and {PAGE_LIMITS['changes']}")
        after = parse_cursor(since)
        if after > self.seq:
            raise Refusal(
                400, "bad_cursor", f"Cursor {after} is ahead of this server ({self.seq}); was it reset?"
            )
        tail: list[tuple[int, str, int]] = []
        for (kind, row_id), seq in reversed(self.log.items()):
            if seq <= after:
                break
            tail.append((seq, kind, row_id))
        tail.reverse()
        has_more = len(tail) > limit
        tail = tail[:limit]
        out = Changes(
            [], [], [], [], [], next_cursor=str(tail[-1][0]) if tail else str(after), has_more=has_more
        )
        for _seq, kind, row_id in tail:
            if kind == "awards":
                record = self.awards[row_id]
                if record.revoked_at is None:
                    out.awards.append(record.award)
                else:
                    out.revoked_award_ids.append(row_id)
            else:
                getattr(out, kind).append(getattr(self, kind)[row_id])
        return out


@functools.lru_cache(maxsize=8)
def _seeded_pickle(members: int, seed: int) -> bytes:
    """The sandbox's seed, read once per ``(members, seed)`` through the v1 wire types."""
    from desktop.dialects.badgedesk_v1.mapping import (
        award_from_wire,
        badge_from_wire,
        member_from_wire,
        request_from_wire,
    )
    from desktop.sandbox.seed import seed_database
    from desktop.sandbox.store import SandboxStore

    with tempfile.TemporaryDirectory(prefix="memory-seed-") as directory:
        path = Path(directory) / "seed.sqlite3"
        seed_database(path, members=members, seed=seed)
        store = SandboxStore(path)
        try:
            everything = 10**9
            community = MemoryCommunity.of(
                members=[
                    member_from_wire(m)
                    for m in store.members_page(cursor=None, limit=everything, q=None).items
                ],
                badges=[badge_from_wire(b) for b in store.badges_page(cursor=None, limit=everything).items],
                awards=[
                    award_from_wire(a)
                    for a in store.awards_page(
                        badge_id=None, member_id=None, cursor=None, limit=everything
                    ).items
                ],
                requests=[
                    request_from_wire(r)
                    for r in store.requests_page(
                        state="all", badge_id=None, member_id=None, cursor=None, limit=everything
                    ).items
                ],
                name="Sandbox Community",
            )
        finally:
            store.close()
    return pickle.dumps(community)
