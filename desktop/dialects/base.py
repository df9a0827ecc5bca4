"""The connector protocol: how BadgeDesk talks to any community server.

A connector speaks the server's dialect and answers in domain types, so sync
and the outbox do not care which server is on the other side. It declares
what the server can do (:class:`Capabilities`); callers check them instead of
assuming, so a server without badge requests or a changes feed can be added
later without touching them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from desktop.domain import Award, AwardOutcome, Badge, BadgeRequest, BadgeState, Decision, Drift, Member

T = TypeVar("T")

RequestFilter = Literal["pending", "decided", "all"]


@dataclass(frozen=True, slots=True)
class DecisionResult:
    request: BadgeRequest
    duplicates: tuple[BadgeRequest, ...] = ()
    #: The award an approval granted; None when the member already held the badge.
    award_id: int | None = None


@dataclass(frozen=True, slots=True)
class Capabilities:
    requests: bool
    changes_feed: bool
    batch_awards: bool
    #: Most items in one batch award / revoke call.
    batch_cap: int


@dataclass(frozen=True, slots=True)
class CommunitySummary:
    name: str
    capabilities: Capabilities
    members: int
    badges: int
    awards: int
    requests: int
    #: Position of the changes feed when the summary was made.
    changes_cursor: str


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    #: ``None`` on the last page.
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Changes:
    members: list[Member]
    badges: list[Badge]
    awards: list[Award]
    revoked_award_ids: list[int]
    requests: list[BadgeRequest]
    next_cursor: str
    has_more: bool

    @property
    def size(self) -> int:
        return (
            len(self.members)
            + len(self.badges)
            + len(self.awards)
            + len(self.revoked_award_ids)
            + len(self.requests)
        )


@dataclass(frozen=True, slots=True)
class AwardItem:
    idempotency_key: str
    member_id: int
    badge_id: int
    reason: str = ""
    notify: bool = True
    message: str | None = None
    #: Apply anyway: the moderator overrides a suspension or a disabled badge. An
    #: award already held stays as it is (see ``wire.BatchAwardItem``).
    force: bool = False


@dataclass(frozen=True, slots=True)
class RevokeItem:
    idempotency_key: str
    member_id: int
    badge_id: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ItemResult:
    idempotency_key: str
    outcome: AwardOutcome
    award: Award | None
    #: The server had applied this key before and returned its first result.
    replayed: bool
    #: What the server found instead when nothing was applied (None when it does not say).
    condition: Drift | None = None


class Connector(Protocol):
    """A session with one community server.

    Methods block; call them off the GUI thread. They raise the errors of
    :mod:`desktop.net.errors`. A connector may be used by one thread at a time.

    What a connector returns has been checked at its boundary, whatever the
    server sent: ids positive and within SQLite's signed 64 bits, dates
    between 1970 and 2200, strings and cursors of bounded length (the limits
    of :mod:`desktop.dialects.badgedesk_v1.wire`). A server's answer that breaks them raises
    :class:`~desktop.net.errors.MalformedResponse` as a whole, so the cache
    never stores part of it.
    """

    def community(self) -> CommunitySummary: ...

    def me(self) -> str:
        """The display name of the token's owner, e.g. "Alice Moderator"."""
        ...

    def members(self, cursor: str | None, limit: int) -> Page[Member]: ...

    def badges(self, cursor: str | None, limit: int) -> Page[Badge]: ...

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        """Active awards, all or those of one badge or one member."""
        ...

    def requests(self, state: RequestFilter, cursor: str | None, limit: int) -> Page[BadgeRequest]: ...

    def changes(self, since: str, limit: int) -> Changes: ...

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]: ...

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]: ...

    def decide(
        self,
        request_id: int,
        *,
        version: int,
        decision: Decision,
        reason: str,
        message: str | None,
        idempotency_key: str,
        duplicates: Sequence[tuple[int, int]] = (),
    ) -> DecisionResult:
        """Decide a request and its duplicates (``(id, version)`` pairs), all or none.

        Raises :class:`~desktop.net.errors.DecisionConflict` when someone
        decided one of them first.
        """
        ...

    def save_badge(
        self,
        badge_id: int | None,
        fields: Mapping[str, str],
        image: tuple[bytes, str] | None,
        *,
        version: int | None,
        idempotency_key: str,
    ) -> Badge:
        """Create (``badge_id`` None) or update a badge; the image travels as bytes.

        Raises :class:`~desktop.net.errors.BadgeConflict` when the badge is no
        longer at ``version`` or a new badge's slug is taken.
        """
        ...

    def set_badge_state(
        self, badge_id: int, state: BadgeState, *, version: int | None, idempotency_key: str
    ) -> Badge: ...

    def close(self) -> None: ...
