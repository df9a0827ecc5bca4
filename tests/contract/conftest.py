"""The contract suite: every test here runs once per dialect (:mod:`tests.contract.dialects`).

Each test module gets one server per dialect with the seeded community, and
each test a fresh set of hooks and the sessions it opens, closed after it. A
test speaks through the ports only; it finds what it needs (an active member
without a badge, a suspended one, a draft badge) by reading the directory,
never by knowing the seed. A test of something a dialect may lack is marked
``@pytest.mark.requires(...)`` with names from :data:`REQUIREMENTS` (a port:
``feed``, ``desk``, ``editor``; or a guarantee: ``idempotent``, ``versions``,
read from ``Capabilities.of(session)``) and is skipped there, naming the
capability missing. Where only part of a test depends on one, the test asks
the capability itself and says what it checks instead.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

import pytest

from desktop.dialects.base import AwardItem, Delivery, ItemResult, RevokeItem, ServerSession
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Badge, BadgeState, Member, MemberStatus
from tests.contract.dialects import STARTERS, Harness
from tests.fakes.hooks import ServerHooks

#: What a test may require of a dialect: the capability (``Capabilities.of(session)``) that
#: shows it has it, in the words a skip gives.
REQUIREMENTS: dict[str, tuple[Callable[[Capabilities], bool], str]] = {
    "feed": (lambda c: c.changes_feed, "no changes feed (changes_feed)"),
    "desk": (lambda c: c.requests, "no request desk (requests)"),
    "editor": (lambda c: c.badge_editing, "no badge editor (badge_editing)"),
    "messenger": (lambda c: c.messages, "no messenger (messages)"),
    "groups": (lambda c: c.group_editing, "no group editing (group_editing)"),
    #: The server deduplicates by idempotency key (a re-sent key replays its first result).
    "idempotent": (
        lambda c: c.delivery is Delivery.IDEMPOTENT,
        "no idempotency keys (delivery is reconcile: a lost answer is confirmed by reading)",
    ),
    #: The server refuses an edit of a badge changed meanwhile.
    "versions": (lambda c: c.edit_conflicts, "no badge versions (edit_conflicts)"),
    #: The server shows each member's profile at a web address.
    "profiles": (lambda c: bool(c.profile_url), "no member profile pages (profile_url)"),
    #: The server tells who did what (an activity reader with every source).
    "activity": (lambda c: bool(c.activity_sources), "no activity reader (activity_sources)"),
    #: The server finds a member by the id another system signs them in with.
    "external_ids": (lambda c: c.external_ids, "no members by external id (external_ids)"),
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "requires(*names): skipped for a dialect without one of these (see REQUIREMENTS)"
    )


@pytest.fixture(scope="module", params=sorted(STARTERS))
def running(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    harness = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    try:
        yield harness
    finally:
        harness.stop()


def key() -> str:
    """A fresh idempotency key, as the outbox makes one when an action is queued."""
    return uuid.uuid4().hex


def read_all(page: Any, limit: int = 500) -> list[Any]:
    """Every item of a listing: ``page(cursor, limit)`` called until it has no next cursor."""
    items: list[Any] = []
    cursor: str | None = None
    for _ in itertools.count():
        current = page(cursor, limit)
        items.extend(current.items)
        cursor = current.next_cursor
        if cursor is None:
            return items
    raise AssertionError("unreachable")


class Dialect:
    """What a contract test gets: the running server's harness, a session, and targets to act on."""

    #: Pairs (and requests) handed out in this process, so tests sharing a server never act on the same one.
    claimed: ClassVar[set[tuple[str, int, int]]] = set()

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.kind = harness.kind
        self.hooks = harness.hooks
        self._sessions: list[ServerSession] = []
        self._usernames: dict[int, str] = {}
        self.session = self.open()

    def open(self, **options: Any) -> ServerSession:
        session = self.harness.open(**options)
        self._sessions.append(session)
        return session

    def other_moderator(self) -> ServerSession:
        """A second moderator's session (closed with the test's), for changes made behind our back."""
        session = self.harness.open_other_moderator()
        self._sessions.append(session)
        return session

    def close(self) -> None:
        for session in self._sessions:
            session.close()

    def members(self, status: MemberStatus) -> list[Member]:
        found = read_all(self.session.directory.members)
        self._usernames.update((m.id, m.username) for m in found)
        return [m for m in found if m.status is status]

    def username(self, member_id: int) -> str:
        """The member's username as a synced cache knows it ("" for one the directory does not list)."""
        if not self._usernames:
            self.members(MemberStatus.ACTIVE)
        return self._usernames.get(member_id, "")

    def award(self, member_id: int, badge_id: int, **fields: Any) -> AwardItem:
        """An award with a fresh key, addressed as the outbox addresses it (with the cache's username)."""
        return AwardItem(key(), member_id, badge_id, username=self.username(member_id), **fields)

    def revoke(self, member_id: int, badge_id: int, **fields: Any) -> RevokeItem:
        return RevokeItem(key(), member_id, badge_id, username=self.username(member_id), **fields)

    def send(self, items: Sequence[AwardItem | RevokeItem]) -> list[ItemResult]:
        """Each item's result, sent in runs of one kind of at most the writer's batch cap, in order."""
        writer = self.session.writer
        results: list[ItemResult] = []
        for _kind, run in itertools.groupby(items, key=type):
            chunk = list(run)
            for at in range(0, len(chunk), writer.batch_cap):
                part = chunk[at : at + writer.batch_cap]
                if isinstance(part[0], AwardItem):
                    results += writer.award_batch([i for i in part if isinstance(i, AwardItem)])
                else:
                    results += writer.revoke_batch([i for i in part if isinstance(i, RevokeItem)])
        return results

    def badges(self, state: BadgeState) -> list[Badge]:
        found = read_all(self.session.directory.badges, 100)
        return [b for b in found if b.state is state]

    def free_pairs(
        self,
        count: int,
        *,
        member_status: MemberStatus = MemberStatus.ACTIVE,
        badge_state: BadgeState = BadgeState.PUBLISHED,
    ) -> list[tuple[int, int]]:
        """``count`` (member, badge) pairs where the member lacks the badge, none handed out before."""
        members = self.members(member_status)
        pairs: list[tuple[int, int]] = []
        for badge in self.badges(badge_state):
            holders = {
                a.member_id
                for a in read_all(lambda c, n, b=badge.id: self.session.directory.awards(c, n, badge_id=b))
            }
            for member in members:
                mark = (self.kind, member.id, badge.id)
                if member.id in holders or mark in self.claimed:
                    continue
                self.claimed.add(mark)
                pairs.append((member.id, badge.id))
                if len(pairs) == count:
                    return pairs
        raise AssertionError(f"the community has fewer than {count} free pairs of that kind")

    def holds(self, member_id: int, badge_id: int) -> list[int]:
        """The ids of the active awards of this badge to this member, as the directory reports them
        (the member's own awards of it: Discourse lists no holders of a disabled badge)."""
        directory = self.session.directory
        found = read_all(lambda c, n: directory.awards(c, n, badge_id=badge_id, member_id=member_id), 500)
        return [a.id for a in found if a.member_id == member_id and a.badge_id == badge_id]


@pytest.fixture()
def dialect(running: Harness, request: pytest.FixtureRequest) -> Iterator[Dialect]:
    running.hooks = ServerHooks()
    gap = running.known_gaps.get(request.function.__name__)
    if gap is not None:
        request.node.add_marker(pytest.mark.xfail(reason=f"{running.kind}: {gap}", strict=True))
    current = Dialect(running)
    try:
        required = [name for marker in request.node.iter_markers("requires") for name in marker.args]
        if required:
            # Asked only when needed: a session may learn its ports from the server (a request).
            capabilities = Capabilities.of(current.session)
            for name in required:
                has, missing = REQUIREMENTS[name]
                if not has(capabilities):
                    pytest.skip(f"the {running.kind} dialect has {missing}")
        yield current
    finally:
        current.close()
