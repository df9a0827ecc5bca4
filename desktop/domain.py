"""Domain types of BadgeDesk.

Plain, immutable value objects shared by the cache, the connectors, sync and the
views. They know nothing about storage, HTTP or Qt. Every timestamp is an aware
UTC ``datetime``.

Thread safety: instances are frozen and may be passed between threads freely.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


class MemberStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"


class BadgeState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    DISABLED = "disabled"
    DISCONTINUED = "discontinued"

    @property
    def awardable(self) -> bool:
        """Only published badges may be awarded; the others stay visible on holders."""
        return self is BadgeState.PUBLISHED


class RequestState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"

    @property
    def decided(self) -> bool:
        return self is not RequestState.PENDING


class Decision(enum.StrEnum):
    """What a moderator does with a pending request."""

    APPROVE = "approve"
    DENY = "deny"
    RETURN = "return"

    @property
    def resulting_state(self) -> RequestState:
        return {
            Decision.APPROVE: RequestState.APPROVED,
            Decision.DENY: RequestState.DENIED,
            Decision.RETURN: RequestState.RETURNED,
        }[self]


class ActionKind(enum.StrEnum):
    AWARD = "award"
    REVOKE = "revoke"
    DECIDE = "decide"
    BADGE_SAVE = "badge-save"
    BADGE_STATE = "badge-state"
    #: A message to a member (an award's message, where the server sends none with the award).
    MESSAGE = "message"
    #: One upload awarding a badge to a batch's members (a server's mass award), verified
    #: afterwards against the badge's holders; the batch's awards it did not apply go one by one.
    MASS_AWARD = "mass-award"
    #: Members added to a server's group or removed from it (the group side of the group check),
    #: one action for the whole list, sent in requests the dialect chooses.
    GROUP_MEMBERS = "group-members"
    #: A one-holder badge handed over (desktop.moving_titles): the alumni badge to the previous
    #: holder, the badge to the new one, the previous grant revoked, each step settled by reading.
    HANDOVER = "handover"


class ActionState(enum.StrEnum):
    """Life of an outbox entry.

    ``pending`` is committed locally and not yet confirmed; ``sending`` is in
    flight (after a crash it is re-sent with the same idempotency key); ``done``
    means the server confirmed it; ``failed`` means the server refused the
    request (the user may retry); ``conflict`` means the server reported that
    its state changed meanwhile; ``held`` means the cache showed that before
    sending, so it was not sent. Conflicts and held actions wait for the user:
    apply anyway, or skip. ``discarded`` was dropped by the user (skipped,
    discarded or undone) before the server applied it.
    """

    PENDING = "pending"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"
    CONFLICT = "conflict"
    HELD = "held"
    DISCARDED = "discarded"

    @property
    def unsent(self) -> bool:
        return self in (ActionState.PENDING, ActionState.SENDING)

    @property
    def needs_user(self) -> bool:
        return self in (ActionState.FAILED, ActionState.CONFLICT, ActionState.HELD)


class AwardOutcome(enum.StrEnum):
    """Per-item result of a batch award or revoke, as the API reports it."""

    AWARDED = "awarded"
    ALREADY_HELD = "already_held"
    NOT_FOUND = "not_found"
    MEMBER_SUSPENDED = "member_suspended"
    BADGE_NOT_AWARDABLE = "badge_not_awardable"
    REVOKED = "revoked"
    NOT_HELD = "not_held"


class Drift(enum.StrEnum):
    """What the server found that an award or a revoke did not expect: something that changed
    after the action was queued. The server names it with each outcome that applied nothing;
    ``desktop.drift`` says what each means for each kind of action."""

    #: Deleted, or not known to the server at all.
    MEMBER_GONE = "member_gone"
    MEMBER_SUSPENDED = "member_suspended"
    BADGE_GONE = "badge_gone"
    BADGE_DISABLED = "badge_disabled"
    #: Discontinued (or still a draft): it can never be awarded.
    BADGE_RETIRED = "badge_retired"
    ALREADY_HELD = "already_held"
    NOT_HELD = "not_held"


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_idempotency_key() -> str:
    """A key made once, when an action is queued, and re-sent unchanged forever."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    username: str
    display_name: str
    email: str
    joined_at: datetime
    last_seen_at: datetime | None
    status: MemberStatus
    groups: tuple[str, ...] = ()
    #: Discourse's trust level, 0 (new user) to 4 (leader), as of the last sync that read the
    #: member; None: the server does not say (BadgeDesk's own server has none).
    trust_level: int | None = None
    #: Posts the member wrote, as of the last sync that read the member; None: the server does not say.
    post_count: int | None = None


@dataclass(frozen=True, slots=True)
class Badge:
    id: int
    slug: str
    title: str
    description: str
    criteria: str
    tier: str
    category: str
    state: BadgeState
    award_message: str
    version: int
    image: bytes | None = None
    image_media_type: str | None = None
    updated_at: datetime | None = None
    #: A member may hold it several times (Discourse's ``multiple_grant``): each grant is its own award.
    multiple_grant: bool = False


@dataclass(frozen=True, slots=True)
class Award:
    id: int
    member_id: int
    badge_id: int
    granted_at: datetime
    granted_by: str
    reason: str


#: A member as a full sync stores it, without building a :class:`Member`: id, username,
#: display name, email, joined and last seen (whole seconds since 1970, UTC), status, the
#: group names as a JSON list, trust level and post count.
MemberRow = tuple[int, str, str, str, int, int | None, str, str, int | None, int | None]
#: An award as a full sync stores it: id, member id, badge id, granted (whole seconds since
#: 1970, UTC), granted by, reason.
AwardRow = tuple[int, int, int, int, str, str]


@dataclass(frozen=True, slots=True)
class Group:
    """A group of members on the server (Discourse's "Speakers"), how communities select members.

    ``member_ids`` is None when the listing did not read the members this time
    (the group's ``user_count`` is what the cache last saw): the cached
    memberships stay as they are.
    """

    id: int
    name: str
    #: What the server shows as its name (Discourse's ``full_name``, else the name).
    title: str
    user_count: int
    member_ids: frozenset[int] | None = None


#: The badge of a request that names no badge the server knows (a Discourse topic whose title
#: and tags match none): no badge has this id. Such a request can be denied or returned, not
#: approved, and is never grouped with another.
UNRECOGNISED_BADGE = 0


@dataclass(frozen=True, slots=True)
class BadgeRequest:
    id: int
    member_id: int
    badge_id: int
    note: str
    evidence_url: str | None
    created_at: datetime
    state: RequestState
    version: int
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """One entry of the outbox: a change the user made, waiting for the server."""

    id: int
    kind: ActionKind
    payload: dict[str, Any]
    idempotency_key: str
    state: ActionState
    created_at: datetime
    attempts: int = 0
    last_error: str | None = None
    result: dict[str, Any] | None = None
    batch_id: str | None = None
    actor: str = ""
    #: What the server said (an AwardOutcome value, a request state), or what
    #: the user did with it ("skipped", "discarded").
    outcome: str | None = None
    #: Why a held or conflicting action waits for the user (outbox.HoldReason).
    hold_reason: str | None = None
    sent_at: datetime | None = None
    confirmed_at: datetime | None = None

    @property
    def member_id(self) -> int | None:
        value = self.payload.get("member_id")
        return value if isinstance(value, int) else None

    @property
    def badge_id(self) -> int | None:
        value = self.payload.get("badge_id")
        return value if isinstance(value, int) else None


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a mutation or a sync changed, so each pane refreshes only that.

    Empty sets mean "nothing of that kind changed"; ``reset`` means everything
    may have changed (after a full sync).
    """

    members: frozenset[int] = field(default_factory=frozenset)
    badges: frozenset[int] = field(default_factory=frozenset)
    awards: bool = False
    requests: frozenset[int] = field(default_factory=frozenset)
    outbox: bool = False
    reset: bool = False
    #: A group, or who is in one, changed (the group filter's choices and matches).
    groups: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.members
            or self.badges
            or self.awards
            or self.requests
            or self.outbox
            or self.reset
            or self.groups
        )

    def merged(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(
            members=self.members | other.members,
            badges=self.badges | other.badges,
            awards=self.awards or other.awards,
            requests=self.requests | other.requests,
            outbox=self.outbox or other.outbox,
            reset=self.reset or other.reset,
            groups=self.groups or other.groups,
        )
