"""The contract suite: every test here runs once per dialect (:mod:`tests.contract.dialects`).

Each test module gets one server per dialect with the seeded community, and
each test a fresh set of hooks and the sessions it opens, closed after it. A
test speaks through the ports only; it finds what it needs (an active member
without a badge, a suspended one, a draft badge) by reading the directory,
never by knowing the seed. A test of something a dialect may lack is marked
``@pytest.mark.requires(...)`` with names from :data:`REQUIREMENTS` (a port:
``feed``, ``desk``, ``editor``; or a guarantee: ``idempotent``, ``versions``)
and is skipped there, with the reason.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest

from desktop.dialects.base import Delivery, ServerSession
from desktop.domain import Badge, BadgeState, Member, MemberStatus
from tests.contract.dialects import STARTERS, Harness
from tests.fakes.hooks import ServerHooks

#: What a test may require of a dialect, and how a session shows it has it.
REQUIREMENTS: dict[str, Callable[[ServerSession], bool]] = {
    "feed": lambda session: session.feed is not None,
    "desk": lambda session: session.desk is not None,
    "editor": lambda session: session.editor is not None,
    "messenger": lambda session: session.messenger is not None,
    #: The server deduplicates by idempotency key (a re-sent key replays its first result).
    "idempotent": lambda session: session.writer.delivery is Delivery.IDEMPOTENT,
    #: The server refuses an edit of a badge changed meanwhile.
    "versions": lambda session: session.editor is not None and session.editor.versions,
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
        self.session = self.open()

    def open(self, **options: Any) -> ServerSession:
        session = self.harness.open(**options)
        self._sessions.append(session)
        return session

    def close(self) -> None:
        for session in self._sessions:
            session.close()

    def members(self, status: MemberStatus) -> list[Member]:
        found = read_all(self.session.directory.members)
        return [m for m in found if m.status is status]

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
        """The ids of the active awards of this badge to this member, as the directory reports them."""
        page = self.session.directory.awards(None, 10, badge_id=badge_id, member_id=member_id)
        return [a.id for a in page.items]


@pytest.fixture()
def dialect(running: Harness, request: pytest.FixtureRequest) -> Iterator[Dialect]:
    running.hooks = ServerHooks()
    current = Dialect(running)
    try:
        for marker in request.node.iter_markers("requires"):
            for name in marker.args:
                if not REQUIREMENTS[name](current.session):
                    pytest.skip(f"the {running.kind} dialect has no {name}")
        yield current
    finally:
        current.close()
