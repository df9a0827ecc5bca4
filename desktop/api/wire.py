"""The BadgeDesk Community API v1, as pydantic models.

One definition serves both sides: the sandbox server declares its responses
with these models (so ``/openapi.json`` is generated from them) and the client
validates every response body against them before anything reaches the cache.

Response models are *strict* (``"1"`` is not an integer) and ignore unknown
fields, so a newer server can add fields without breaking older clients.
Request bodies forbid unknown fields, so typos are reported, not ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from desktop.domain import AwardOutcome, BadgeState, Decision, MemberStatus, RequestState

API_VERSION = "1"
#: The most items one batch request may carry; servers advertise their own cap.
DEFAULT_BATCH_CAP = 50

IdempotencyKey = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class _Response(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- entities -------------------------------------------------------------


class MemberOut(_Response):
    id: int
    username: str
    display_name: str
    email: str
    joined_at: AwareDatetime
    last_seen_at: AwareDatetime | None
    status: MemberStatus
    groups: list[str]


class ImageData(_Response):
    media_type: Literal["image/png", "image/svg+xml"]
    #: The image bytes, base64-encoded: images travel as bytes, never as links.
    data_base64: str


class BadgeOut(_Response):
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
    image: ImageData | None
    updated_at: AwareDatetime


class AwardOut(_Response):
    id: int
    member_id: int
    badge_id: int
    granted_at: AwareDatetime
    granted_by: str
    reason: str
    #: Set when the award was revoked; the changes feed reports revocations this way.
    revoked_at: AwareDatetime | None = None


class RequestOut(_Response):
    id: int
    member_id: int
    badge_id: int
    note: str
    evidence_url: str | None
    created_at: AwareDatetime
    state: RequestState
    version: int
    decided_by: str | None
    decided_at: AwareDatetime | None
    reason: str | None


# --- pages ----------------------------------------------------------------


class MemberPage(_Response):
    items: list[MemberOut]
    #: Opaque; pass it back as ``cursor`` for the next page. ``None`` at the end.
    next_cursor: str | None


class BadgePage(_Response):
    items: list[BadgeOut]
    next_cursor: str | None


class AwardPage(_Response):
    items: list[AwardOut]
    next_cursor: str | None


class RequestPage(_Response):
    items: list[RequestOut]
    next_cursor: str | None


class ChangesPage(_Response):
    """Everything changed after ``since``, oldest change first."""

    members: list[MemberOut]
    badges: list[BadgeOut]
    awards: list[AwardOut]
    requests: list[RequestOut]
    #: Cursor to ask from next time; equal to ``since`` when nothing changed.
    next_cursor: str
    has_more: bool


# --- community ------------------------------------------------------------


class Capabilities(_Response):
    requests: bool
    changes_feed: bool
    batch_awards: bool
    batch_cap: int


class Counts(_Response):
    members: int
    badges: int
    #: Active (not revoked) awards.
    awards: int
    #: Pending requests (the decided ones are history).
    requests: int


class CommunityInfo(_Response):
    name: str
    api_version: str
    capabilities: Capabilities
    counts: Counts
    #: The changes-feed position at the moment of this answer.
    changes_cursor: str
    server_time: AwareDatetime


class WhoAmI(_Response):
    name: str
    role: Literal["moderator", "member"]
    member_id: int | None


class TokenOut(_Response):
    """A new token for the caller. Shown once: the server keeps only its hash."""

    token: str
    name: str
    role: Literal["moderator", "member"]


class ErrorOut(_Response):
    error: str
    message: str


# --- batches --------------------------------------------------------------


class BatchAwardItem(_Body):
    idempotency_key: IdempotencyKey
    member_id: int
    badge_id: int
    reason: str = ""
    #: Send the badge's award message to the member.
    notify: bool = True
    #: Replaces the badge's award message for this award.
    message: str | None = None
    force: bool = Field(
        default=False,
        description=(
            "Apply anyway: award a suspended member, award a disabled badge, or re-award a badge"
            " the member already holds (the active award is updated in place: granted now, by the"
            " caller, with this reason; the message is sent again when notify is set)."
            " A draft or discontinued badge, or a deleted or unknown member or badge, is refused"
            " even with force."
        ),
    )


class BatchRevokeItem(_Body):
    idempotency_key: IdempotencyKey
    member_id: int
    badge_id: int
    reason: str = ""


class BatchAwardIn(_Body):
    items: list[BatchAwardItem] = Field(min_length=1)


class BatchRevokeIn(_Body):
    items: list[BatchRevokeItem] = Field(min_length=1)


class BatchItemResult(_Response):
    idempotency_key: str
    outcome: AwardOutcome
    award: AwardOut | None
    #: True when this key had been applied before and the first result is returned.
    replayed: bool


class BatchResultOut(_Response):
    results: list[BatchItemResult]


# --- requests and decisions -----------------------------------------------


class RequestCreateIn(_Body):
    badge_id: int
    note: str = Field(default="", max_length=4000)
    evidence_url: str | None = Field(default=None, max_length=2000)


class RequestVersion(_Body):
    id: int
    version: int


class DecisionIn(_Body):
    decision: Decision
    reason: str = Field(default="", max_length=4000)
    #: Message to the member; for an approval, replaces the badge's award message;
    #: for a denial or a return, it is what the member is told (nothing when absent).
    message: str | None = Field(default=None, max_length=10_000)
    #: Duplicates of this request (same member, same badge), settled with the same
    #: decision in the same transaction: all of them or none (409 names the first
    #: that was decided meanwhile). The member gets one message.
    duplicates: list[RequestVersion] = Field(default_factory=list, max_length=50)
    idempotency_key: IdempotencyKey | None = None


class DecisionOut(RequestOut):
    """The decided request, its settled duplicates, and the award an approval granted."""

    duplicates: list[RequestOut] = Field(default_factory=list)
    #: The award the approval created; None when the member already held the badge.
    award_id: int | None = None


class DecisionConflictOut(_Response):
    error: Literal["conflict"]
    message: str
    current: RequestOut


# --- badges ---------------------------------------------------------------


class ImageIn(_Body):
    media_type: Literal["image/png", "image/svg+xml"]
    data_base64: str = Field(max_length=2_000_000)


class BadgeCreateIn(_Body):
    slug: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=4000)
    criteria: str = ""
    tier: str = ""
    category: str = ""
    state: BadgeState = BadgeState.DRAFT
    award_message: str = ""
    image: ImageIn | None = None
    #: A retry with the same key returns the first answer instead of creating twice.
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=100)


class BadgeUpdateIn(_Body):
    title: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, min_length=1, max_length=4000)
    criteria: str | None = None
    tier: str | None = None
    category: str | None = None
    award_message: str | None = None
    image: ImageIn | None = None
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=100)


class BadgeStateIn(_Body):
    state: BadgeState
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=100)


def iso(dt: datetime) -> str:
    """The API's timestamp format: ISO 8601, UTC, seconds precision, ``Z``."""
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
