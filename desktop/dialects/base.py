"""The ports: what the core asks of a community server, one small protocol per job.

A server kind (a *dialect*: our own API v1, Discourse, ...) is one package
under :mod:`desktop.dialects` whose session answers in domain types. It offers
the ports its server supports and declares the others missing (``None``):

- :class:`Directory` (always): the community, members, badges and awards, paged;
- :class:`ChangeFeed` (optional): what changed since a position; without it,
  sync reads everything again (a snapshot) and sweeps what it did not see;
- :class:`AwardWriter` (always): grants and revokes, with the delivery
  guarantee it gives (:class:`Delivery`) and how many go in one request;
- :class:`RequestDesk` (optional): members' badge requests and decisions;
- :class:`BadgeEditor` (optional, with or without edit versions);
- :class:`Messenger` (optional): a message to a member apart from an award;
- :class:`MassAwarder` (optional): one upload that awards a badge to many
  members, applied later by the server without a per-member result;
- :class:`MemberPages` (optional): where a browser shows a member's profile;
- :class:`RowListing` (optional, on the directory): members and awards as the
  rows a full sync stores.

:class:`~desktop.dialects.capabilities.Capabilities` is derived from which ports a session has, never from
what a server claims in prose; the core and the views read it instead of
assuming our own API's guarantees.

Every method blocks (call it off the GUI thread) and raises the errors of
:mod:`desktop.net.errors`. What a session returns has been checked at its
boundary, whatever the server sent: ids positive and within SQLite's signed
64 bits, dates between 1970 and 2200, strings and cursors of bounded length.
A server's answer that breaks them raises
:class:`~desktop.net.errors.MalformedResponse` as a whole, so the cache never
stores part of it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, Protocol, TypeVar, runtime_checkable

from desktop.domain import (
    Award,
    AwardOutcome,
    AwardRow,
    Badge,
    BadgeRequest,
    BadgeState,
    Decision,
    Drift,
    Member,
    MemberRow,
)

T = TypeVar("T")

RequestFilter = Literal["pending", "decided", "all"]


@dataclass(frozen=True, slots=True)
class DecisionResult:
    request: BadgeRequest
    duplicates: tuple[BadgeRequest, ...] = ()
    #: The award an approval granted; None when the member already held the badge.
    award_id: int | None = None


class Delivery(enum.StrEnum):
    """What an award writer guarantees when an answer is lost and the action is sent again."""

    #: The server deduplicates by the action's key: sending again is always safe.
    IDEMPOTENT = "idempotent"
    #: The server does not: before sending again, the client asks :meth:`AwardWriter.confirm`
    #: whether the first send took effect.
    RECONCILE = "reconcile"


@dataclass(frozen=True, slots=True)
class CommunitySummary:
    name: str
    members: int
    badges: int
    awards: int
    requests: int
    #: Position of the changes feed when the summary was made ("" without a feed).
    changes_cursor: str
    #: The counts above the server cannot tell (given as 0), e.g. ``{"members"}``.
    unknown: frozenset[str] = frozenset()


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
    #: The members' rows name every group they are in (``Member.groups``), so a member whose
    #: groups changed is in the feed and the mirror's memberships of listed groups follow it.
    groups_in_member_rows: bool = False

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
    #: The member's username as the cache knows it ("" when unknown): for servers that
    #: address members by name (Discourse) rather than by id.
    username: str = ""


@dataclass(frozen=True, slots=True)
class RevokeItem:
    idempotency_key: str
    member_id: int
    badge_id: int
    reason: str = ""
    #: The member's username as the cache knows it ("" when unknown).
    username: str = ""
    #: The grant to revoke as the cache knows it (None when unknown): for servers that
    #: revoke a grant by its id (Discourse) rather than a member's badge.
    award_id: int | None = None
    #: Tell the member their badge was revoked, where the server can
    #: (:attr:`Capabilities.revoke_messages`). Off by default: no server told
    #: a member of a revoke before this existed.
    notify: bool = False


@dataclass(frozen=True, slots=True)
class ItemResult:
    idempotency_key: str
    outcome: AwardOutcome
    award: Award | None
    #: The server had applied this key before and returned its first result.
    replayed: bool
    #: What the server found instead when nothing was applied (None when it does not say).
    condition: Drift | None = None


class Directory(Protocol):
    """The community's members, badges and awards, read page by page.

    Optional: a ``member_activity`` attribute, true where every member read
    carries :attr:`Member.trust_level` and :attr:`Member.post_count`
    (Discourse); absent, the members carry neither (read as False by
    :meth:`Capabilities.of`).
    """

    def community(self) -> CommunitySummary: ...

    def me(self) -> str:
        """The display name of the token's owner, e.g. "Alice Moderator"."""
        ...

    @property
    def keeps_award_messages(self) -> bool:
        """Whether the server keeps each badge's award message (the badges read carry it).

        False (Discourse): BadgeDesk keeps the template in the user's work
        (:mod:`desktop.cache.kept_messages`), since every sync would set the
        badge's message back to "".
        """
        ...

    def members(self, cursor: str | None, limit: int) -> Page[Member]: ...

    def badges(self, cursor: str | None, limit: int) -> Page[Badge]: ...

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        """Active awards, all or those of one badge or one member."""
        ...


class ChangeFeed(Protocol):
    """What changed on the server since a position the feed gave earlier."""

    def changes(self, since: str, limit: int) -> Changes: ...


class AwardWriter(Protocol):
    """Grants and revokes."""

    @property
    def delivery(self) -> Delivery: ...

    @property
    def batch_cap(self) -> int:
        """Most items one call takes (1: the server takes one member per request)."""
        ...

    @property
    def sends_award_messages(self) -> bool:
        """Whether an award's message reaches the member with the award (else the
        outbox sends it through the :class:`Messenger`, where there is one)."""
        ...

    @property
    def sends_revoke_messages(self) -> bool:
        """Whether a revoke can tell the member (:attr:`RevokeItem.notify`); else it never does."""
        ...

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]: ...

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]: ...

    def confirm(self, item: AwardItem | RevokeItem) -> ItemResult | None:
        """Whether ``item`` is already in effect on the server: its result (``replayed``) or None.

        Asked before an item whose answer was lost is sent again to a
        :attr:`Delivery.RECONCILE` writer: an award the member holds since, or
        a revoke whose award is gone, is not sent a second time.
        """
        ...


class RequestDesk(Protocol):
    """Members' badge requests and the moderators' decisions on them."""

    def requests(self, state: RequestFilter, cursor: str | None, limit: int) -> Page[BadgeRequest]: ...

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


class BadgeEditor(Protocol):
    """Creating badges, changing them and their state."""

    @property
    def versions(self) -> bool:
        """True when the server refuses an edit of a badge changed meanwhile (edit conflicts are seen)."""
        ...

    @property
    def drafts(self) -> bool:
        """True when the server keeps badges in a draft state, unseen by members.

        False (Discourse): a draft stays in the user's work until it is
        published, and publishing creates the badge (enabled); nothing is
        sent before.
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

    def current(self, badge_id: int) -> Badge | None:
        """The badge as the server has it now (None: it is gone).

        Where the server keeps no versions, the sender compares this with the
        version the edit began from (a dialect without versions gives each badge
        a version computed from its fields), so an edit made elsewhere is
        reported as a conflict instead of being overwritten.
        """
        ...


class Messenger(Protocol):
    """A private message to one member (never one message to many: they would see each other)."""

    def send_message(self, member_id: int, username: str, subject: str, text: str) -> None:
        """Send it; a lost answer may mean it was sent (no server deduplicates messages)."""
        ...


@dataclass(frozen=True, slots=True)
class MassAwardReceipt:
    """What a server says when it accepts a mass award (before it grants anything)."""

    #: Members the server matched to a line of the upload.
    matched: int
    #: Lines it matched to no member (usernames or emails as sent, lower-cased by some servers).
    unmatched: tuple[str, ...]


class MassAwarder(Protocol):
    """One upload awards a badge to many members; the server grants later, in the background.

    There is no per-member result: what happened is read back from the
    badge's holders (:meth:`granted_since`). Members who hold the badge
    already are skipped by the server.
    """

    @property
    def lines_cap(self) -> int:
        """Most members one upload takes."""
        ...

    def mass_award(self, badge_id: int, usernames: Sequence[str]) -> MassAwardReceipt:
        """Upload the list (sent once: a lost answer raises, and the holders tell what happened)."""
        ...

    def granted_since(
        self, badge_id: int, since: datetime, known: frozenset[int] = frozenset()
    ) -> list[Award]:
        """The badge's grants made at or after ``since``, newest first.

        Reading stops at the first grant older than ``since`` or whose id is in
        ``known`` (grants seen by an earlier look need not be read again).
        """
        ...

    @property
    def holders_per_read(self) -> int:
        """How many grants one request of :meth:`granted_since` reads (for the plan's figures)."""
        ...


@runtime_checkable
class ServerSession(Protocol):
    """A session with one community server, as the ports its dialect offers.

    A session may be used by one thread at a time. The optional ports are
    None where the server has no such thing; a session may learn which it
    has from the server on first use (so reading them may block).
    """

    @property
    def kind(self) -> str:
        """The dialect's name in the registry, e.g. ``"badgedesk-v1"``."""
        ...

    @property
    def directory(self) -> Directory: ...

    @property
    def feed(self) -> ChangeFeed | None: ...

    @property
    def writer(self) -> AwardWriter: ...

    @property
    def desk(self) -> RequestDesk | None: ...

    @property
    def editor(self) -> BadgeEditor | None: ...

    @property
    def messenger(self) -> Messenger | None: ...

    @property
    def mass_awarder(self) -> MassAwarder | None: ...

    def close(self) -> None: ...


@runtime_checkable
class RowListing(Protocol):
    """Optional for a directory: the full listings of members and awards as the rows a sync
    stores, validated as :meth:`Directory.members` and :meth:`Directory.awards` validate them
    but without a domain object per row (a first sync reads millions of them)."""

    def member_rows(self, cursor: str | None, limit: int) -> Page[MemberRow]: ...

    def award_rows(self, cursor: str | None, limit: int) -> Page[AwardRow]: ...


@runtime_checkable
class KeyLimited(Protocol):
    """Optional for a session: a server whose keys carry scopes says what this key leaves off."""

    @property
    def key_limits(self) -> tuple[str, ...]:
        """What the key may not do, each in words naming what it lacks (empty: nothing)."""
        ...


@runtime_checkable
class MemberPages(Protocol):
    """Optional for a session: the server shows each member's profile at a web address."""

    @property
    def profile_url(self) -> str:
        """The absolute address of a member's profile page, with the field ``{username}``
        or ``{member_id}`` where the member goes (``https://forum.example.org/u/{username}``)."""
        ...
