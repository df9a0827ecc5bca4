"""The memory dialect's community: its rows and the rules a server applies to them.

The rules are the v1 sandbox's (``desktop/sandbox/store.py``), written again
over plain dicts: award and revoke outcomes with the condition found (member,
then badge, then who holds it), replay by idempotency key, decisions all or
none with a conflict by version, badge versions. The contract suite
(``tests/contract``) runs the same tests against both, so the two cannot
drift apart unnoticed.

Everything here is plain data, so a whole community pickles (the memory
server keeps it in a file for the crash tests). What it refuses it raises as
:class:`Refusal`, with the status the sandbox answers with; the session turns
that into the errors of :mod:`desktop.net.errors`.
"""

from __future__ import annotations

import dataclasses
import functools
import pickle
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from desktop.dialects.base import (
    AwardItem,
    Changes,
    CommunitySummary,
    DecisionResult,
    ItemResult,
    Page,
    RequestFilter,
    RevokeItem,
)
from desktop.domain import (
    Award,
    AwardOutcome,
    Badge,
    BadgeRequest,
    BadgeState,
    Decision,
    Drift,
    Member,
    MemberStatus,
    RequestState,
)

T = TypeVar("T", Member, Badge, Award, BadgeRequest)

MAX_TEXT = 100_000
MAX_NAME = 1_000
_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,64}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Fields a new badge may carry, with their length bounds (the sandbox's ``BadgeCreateIn``).
_CREATE_FIELDS = {
    "slug": (1, 80),
    "title": (1, 120),
    "description": (1, 4000),
    "criteria": (0, MAX_TEXT),
    "tier": (0, MAX_NAME),
    "category": (0, MAX_NAME),
    "state": (1, 20),
    "award_message": (0, MAX_TEXT),
}
_UPDATE_FIELDS = {k: v for k, v in _CREATE_FIELDS.items() if k not in ("slug", "state")}
#: Most items a listing or the feed gives in one page, per operation (the sandbox's query bounds).
PAGE_LIMITS = {"members": 5000, "badges": 500, "awards": 5000, "requests": 5000, "changes": 5000}


class Refusal(Exception):
    """The server refuses a request: ``status`` and ``code`` as the sandbox answers.

    ``current`` is what the entity is now, for a conflict (a request or a badge).
    """

    def __init__(self, status: int, code: str, message: str, current: object = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.current = current


@dataclass(slots=True)
class AwardRecord:
    """An award as the server keeps it: never deleted, a revoke stamps it."""

    award: Award
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    revoke_reason: str | None = None


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


def _check_text(name: str, value: object, low: int, high: int) -> None:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise Refusal(422, "invalid", f"{name}: must be text of {low} to {high} characters")


def _check_image(image: tuple[bytes, str] | None) -> None:
    """What the sandbox accepts as a badge image: a PNG, or an SVG without a DOCTYPE."""
    if image is None:
        return
    data, media_type = image
    if media_type == "image/png":
        if not data.startswith(PNG_SIGNATURE):
            raise Refusal(422, "invalid_image", "The image is not a PNG file.")
        return
    if media_type != "image/svg+xml":
        raise Refusal(422, "invalid", f"image.media_type: {media_type!r} is not image/png or image/svg+xml")
    from xml.etree import ElementTree

    if b"<!doctype" in data[:4096].lower() or b"<!entity" in data.lower():
        raise Refusal(422, "invalid_image", "SVG images may not declare a DOCTYPE or entities.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise Refusal(422, "invalid_image", f"The SVG is not well-formed XML: {exc}.") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise Refusal(422, "invalid_image", "The SVG's root element is not <svg>.")


@dataclass
class MemoryCommunity:
    """Members, badges, awards and requests, the change log and the idempotency keys.

    Thread safety: none; the memory server calls it under its lock.
    """

    name: str = "Memory Community"
    members: dict[int, Member] = field(default_factory=dict)
    badges: dict[int, Badge] = field(default_factory=dict)
    awards: dict[int, AwardRecord] = field(default_factory=dict)
    requests: dict[int, BadgeRequest] = field(default_factory=dict)
    #: The active award of each (member, badge).
    held: dict[tuple[int, int], int] = field(default_factory=dict)
    #: Each row's position in the one change sequence, kept in that order (the changes feed).
    log: dict[tuple[str, int], int] = field(default_factory=dict)
    seq: int = 0
    #: Idempotency key → (kind of request, its first result).
    keys: dict[str, tuple[str, Any]] = field(default_factory=dict)
    #: Messages "sent" to members (member id, text): the sandbox has no mail either.
    messages: list[tuple[int, str]] = field(default_factory=list)
    last_award_id: int = 0

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

    def _put(self, kind: str, row: Member | Badge | BadgeRequest) -> None:
        table: dict[int, Any] = getattr(self, kind)
        table[row.id] = row
        self._logged(kind, row.id)

    def _put_award(self, record: AwardRecord) -> None:
        award = record.award
        self.awards[award.id] = record
        self.last_award_id = max(self.last_award_id, award.id)
        if record.revoked_at is None:
            self.held[(award.member_id, award.badge_id)] = award.id
        self._logged("awards", award.id)

    def _logged(self, kind: str, row_id: int) -> None:
        # Moved to the end: the log stays in sequence order, so the feed reads its tail.
        self.seq += 1
        self.log.pop((kind, row_id), None)
        self.log[(kind, row_id)] = self.seq

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

    # --- awards ---------------------------------------------------------------

    def _replay(self, key: str, kind: str) -> Any:
        stored = self.keys.get(key)
        if stored is None:
            return None
        if stored[0] != kind:
            raise Refusal(
                422,
                "idempotency_key_reused",
                f"The idempotency key {key!r} was already used for a {stored[0]}.",
            )
        return stored[1]

    def _check_items(self, items: Sequence[AwardItem | RevokeItem], kind: str) -> None:
        # Refused whole before anything is applied, as the sandbox's request validation does.
        if not items:
            raise Refusal(422, "invalid", "items: the batch is empty")
        for n, item in enumerate(items):
            if not _KEY.fullmatch(item.idempotency_key):
                raise Refusal(422, "invalid", f"items.{n}.idempotency_key: not a valid key")
            _check_text(f"items.{n}.reason", item.reason, 0, MAX_TEXT)
            if isinstance(item, AwardItem) and item.message is not None:
                _check_text(f"items.{n}.message", item.message, 0, MAX_TEXT)
        for item in items:
            self._replay(item.idempotency_key, kind)

    def award_batch(self, items: Sequence[AwardItem], *, actor: str, now: datetime) -> list[ItemResult]:
        self._check_items(items, "award")
        results = []
        for item in items:
            first = self._replay(item.idempotency_key, "award")
            if first is not None:
                results.append(dataclasses.replace(first, replayed=True))
                continue
            outcome, award, condition = self._award_one(item, actor, now)
            result = ItemResult(item.idempotency_key, outcome, award, replayed=False, condition=condition)
            self.keys[item.idempotency_key] = ("award", result)
            results.append(result)
        return results

    def _award_one(
        self, item: AwardItem, granted_by: str, now: datetime
    ) -> tuple[AwardOutcome, Award | None, Drift | None]:
        # Checked in the order the API documents for `condition`: member, badge, who holds it.
        member = self.members.get(item.member_id)
        badge = self.badges.get(item.badge_id)
        if member is None or member.status is MemberStatus.DELETED:
            return AwardOutcome.NOT_FOUND, None, Drift.MEMBER_GONE
        if badge is None:
            return AwardOutcome.NOT_FOUND, None, Drift.BADGE_GONE
        if member.status is MemberStatus.SUSPENDED and not item.force:
            return AwardOutcome.MEMBER_SUSPENDED, None, Drift.MEMBER_SUSPENDED
        if badge.state is BadgeState.DISABLED and not item.force:
            return AwardOutcome.BADGE_NOT_AWARDABLE, None, Drift.BADGE_DISABLED
        if badge.state in (BadgeState.DRAFT, BadgeState.DISCONTINUED):
            return AwardOutcome.BADGE_NOT_AWARDABLE, None, Drift.BADGE_RETIRED
        held = self.held.get((item.member_id, item.badge_id))
        if held is not None:
            # Even with force: the award that exists keeps its giver, reason and date.
            return AwardOutcome.ALREADY_HELD, self.awards[held].award, Drift.ALREADY_HELD
        award = self.grant(item.member_id, item.badge_id, item.reason, actor=granted_by, now=now)
        if item.notify:
            self.messages.append(
                (member.id, item.message if item.message is not None else badge.award_message)
            )
        return AwardOutcome.AWARDED, award, None

    def grant(self, member_id: int, badge_id: int, reason: str = "", *, actor: str, now: datetime) -> Award:
        """A new active award by ``actor``, whatever the rules say (for tests: "someone else awarded it")."""
        award = Award(self.last_award_id + 1, member_id, badge_id, now, actor, reason)
        self._put_award(AwardRecord(award))
        return award

    def revoke_batch(self, items: Sequence[RevokeItem], *, actor: str, now: datetime) -> list[ItemResult]:
        self._check_items(items, "revoke")
        results = []
        for item in items:
            first = self._replay(item.idempotency_key, "revoke")
            if first is not None:
                results.append(dataclasses.replace(first, replayed=True))
                continue
            outcome, award, condition = self._revoke_one(item, actor, now)
            result = ItemResult(item.idempotency_key, outcome, award, replayed=False, condition=condition)
            self.keys[item.idempotency_key] = ("revoke", result)
            results.append(result)
        return results

    def _revoke_one(
        self, item: RevokeItem, revoked_by: str, now: datetime
    ) -> tuple[AwardOutcome, Award | None, Drift | None]:
        # A deleted member is left as they are; suspensions and badge states do not stop a revoke.
        member = self.members.get(item.member_id)
        if member is None or member.status is MemberStatus.DELETED:
            return AwardOutcome.NOT_FOUND, None, Drift.MEMBER_GONE
        if item.badge_id not in self.badges:
            return AwardOutcome.NOT_FOUND, None, Drift.BADGE_GONE
        held = self.held.pop((item.member_id, item.badge_id), None)
        if held is None:
            return AwardOutcome.NOT_HELD, None, Drift.NOT_HELD
        record = self.awards[held]
        record.revoked_at, record.revoked_by, record.revoke_reason = now, revoked_by, item.reason
        self._logged("awards", held)
        return AwardOutcome.REVOKED, record.award, None

    # --- members --------------------------------------------------------------

    def set_member_status(self, member_id: int, status: MemberStatus, *, actor: str, now: datetime) -> Member:
        """Suspend, unsuspend or delete (softly, for good), as another moderator would."""
        member = self.members.get(member_id)
        if member is None:
            raise Refusal(404, "not_found", f"No member with id {member_id}.")
        if member.status is status:
            return member
        if member.status is MemberStatus.DELETED:
            raise Refusal(
                409, "member_deleted", f"Member {member_id} was deleted; a deleted member stays deleted."
            )
        changed = dataclasses.replace(member, status=status)
        self._put("members", changed)
        return changed

    # --- requests -------------------------------------------------------------

    def create_request(
        self,
        member_id: int,
        badge_id: int,
        note: str = "",
        evidence_url: str | None = None,
        *,
        actor: str,
        now: datetime,
    ) -> BadgeRequest:
        """A member asks for a badge (the sandbox's ``POST /requests``, with its refusals)."""
        member = self.members.get(member_id)
        if member is None or member.status is MemberStatus.DELETED:
            raise Refusal(403, "forbidden", "This account no longer exists.")
        if member.status is MemberStatus.SUSPENDED:
            raise Refusal(403, "forbidden", "Suspended members cannot request badges.")
        badge = self.badges.get(badge_id)
        if badge is None:
            raise Refusal(404, "not_found", f"No badge with id {badge_id}.")
        if not badge.state.awardable:
            raise Refusal(
                422, "badge_not_awardable", f"The badge {badge.title!r} cannot be requested ({badge.state})."
            )
        if (member_id, badge_id) in self.held:
            raise Refusal(409, "already_held", f"You already hold the badge {badge.title!r}.")
        request = BadgeRequest(
            max(self.requests, default=0) + 1,
            member_id,
            badge_id,
            note,
            evidence_url,
            now,
            RequestState.PENDING,
            1,
        )
        self._put("requests", request)
        return request

    def decide(
        self,
        request_id: int,
        *,
        version: int,
        decision: Decision,
        reason: str,
        message: str | None,
        idempotency_key: str,
        duplicates: Sequence[tuple[int, int]],
        actor: str,
        now: datetime,
    ) -> DecisionResult:
        """Decide a pending request and its duplicates, all or none; an approval awards the badge.

        Only a decision that was applied is remembered under its key: a
        refused one changed nothing, so repeating it is refused again.
        """
        if not _KEY.fullmatch(idempotency_key):
            raise Refusal(422, "invalid", "idempotency_key: not a valid key")
        if len(duplicates) > 50:
            raise Refusal(422, "invalid", "duplicates: at most 50")
        first = self._replay(idempotency_key, "decision")
        if first is not None:
            return first  # type: ignore[no-any-return]
        wanted = [(request_id, version), *((i, v) for i, v in duplicates if i != request_id)]
        found: list[BadgeRequest] = []
        for wanted_id, wanted_version in wanted:
            current = self.requests.get(wanted_id)
            if current is None:
                raise Refusal(404, "not_found", f"No request with id {wanted_id}.")
            self._check_pending(current, wanted_version)
            if found and (current.member_id, current.badge_id) != (found[0].member_id, found[0].badge_id):
                raise Refusal(
                    422,
                    "not_a_duplicate",
                    f"Request #{current.id} is not a duplicate of request #{request_id}.",
                )
            found.append(current)
        primary = found[0]
        award_id = None
        if decision is Decision.APPROVE:
            award_id = self._award_for_request(primary, reason, message, actor, now)
        elif message:
            self.messages.append((primary.member_id, message))
        decided = []
        for request in found:
            why = reason if request is primary else f"Duplicate of request #{primary.id}. {reason}".strip()
            changed = dataclasses.replace(
                request,
                state=decision.resulting_state,
                decided_by=actor,
                decided_at=now,
                reason=why,
                version=request.version + 1,
            )
            self._put("requests", changed)
            decided.append(changed)
        result = DecisionResult(decided[0], tuple(decided[1:]), award_id)
        self.keys[idempotency_key] = ("decision", result)
        return result

    @staticmethod
    def _check_pending(current: BadgeRequest, version: int) -> None:
        if current.state is not RequestState.PENDING:
            when = (
                current.decided_at.strftime("%Y-%m-%dT%H:%M:%SZ") if current.decided_at else "an unknown time"
            )
            raise Refusal(
                409,
                "conflict",
                f"Request #{current.id} was already {current.state.value}"
                f" by {current.decided_by or 'someone'} at {when}.",
                current,
            )
        if current.version != version:
            raise Refusal(
                409,
                "conflict",
                f"Request #{current.id} changed meanwhile (version {current.version}, you had {version}).",
                current,
            )

    def _award_for_request(
        self, request: BadgeRequest, reason: str, message: str | None, moderator: str, now: datetime
    ) -> int | None:
        member = self.members.get(request.member_id)
        badge = self.badges.get(request.badge_id)
        if member is None or member.status is MemberStatus.DELETED:
            raise Refusal(422, "not_found", "The member who asked no longer exists; deny the request.")
        if member.status is MemberStatus.SUSPENDED:
            raise Refusal(
                422, "member_suspended", f"{member.display_name} is suspended; the badge cannot be awarded."
            )
        if badge is None or not badge.state.awardable:
            raise Refusal(422, "badge_not_awardable", "The badge can no longer be awarded.")
        if (request.member_id, request.badge_id) in self.held:
            return None
        award = self.grant(
            request.member_id,
            request.badge_id,
            reason or f"Request #{request.id} approved.",
            actor=moderator,
            now=now,
        )
        self.messages.append((member.id, message if message is not None else badge.award_message))
        return award.id

    # --- badges ---------------------------------------------------------------

    def create_badge(
        self,
        fields: Mapping[str, str],
        image: tuple[bytes, str] | None,
        key: str,
        *,
        actor: str,
        now: datetime,
    ) -> Badge:
        for name in fields:
            if name not in _CREATE_FIELDS:
                raise Refusal(422, "invalid", f"{name}: extra inputs are not permitted")
        for name in ("slug", "title", "description"):
            if name not in fields:
                raise Refusal(422, "invalid", f"{name}: field required")
        for name, value in fields.items():
            _check_text(name, value, *_CREATE_FIELDS[name])
        if not _SLUG.fullmatch(fields["slug"]):
            raise Refusal(422, "invalid", "slug: lower-case letters, digits and hyphens only")
        state = fields.get("state", BadgeState.DRAFT.value)
        if state not in {s.value for s in BadgeState}:
            raise Refusal(422, "invalid", f"state: {state!r} is not a badge state")
        _check_image(image)
        _check_text("idempotency_key", key, 1, 100)
        first = self._replay(key, "badge create")
        if first is not None:
            return first  # type: ignore[no-any-return]
        if any(b.slug == fields["slug"] for b in self.badges.values()):
            raise Refusal(409, "conflict", f"A badge with the slug {fields['slug']!r} already exists.")
        badge = Badge(
            id=max(self.badges, default=0) + 1,
            slug=fields["slug"],
            title=fields["title"],
            description=fields["description"],
            criteria=fields.get("criteria", ""),
            tier=fields.get("tier", ""),
            category=fields.get("category", ""),
            state=BadgeState(state),
            award_message=fields.get("award_message", ""),
            version=1,
            image=None if image is None else image[0],
            image_media_type=None if image is None else image[1],
            updated_at=now,
        )
        self._put("badges", badge)
        self.keys[key] = ("badge create", badge)
        return badge

    def _badge_at(self, badge_id: int, version: int | None) -> Badge:
        current = self.badges.get(badge_id)
        if current is None:
            raise Refusal(404, "not_found", f"No badge with id {badge_id}.")
        if version is not None and version != current.version:
            raise Refusal(
                409,
                "conflict",
                f"Badge {badge_id} is at version {current.version}, not {version}; reload and retry.",
                current,
            )
        return current

    def update_badge(
        self,
        badge_id: int,
        fields: Mapping[str, str],
        image: tuple[bytes, str] | None,
        version: int | None,
        key: str,
        *,
        actor: str,
        now: datetime,
    ) -> Badge:
        for name, value in fields.items():
            if name not in _UPDATE_FIELDS:
                raise Refusal(422, "invalid", f"{name}: extra inputs are not permitted")
            _check_text(name, value, *_UPDATE_FIELDS[name])
        _check_image(image)
        _check_text("idempotency_key", key, 1, 100)
        first = self._replay(key, "badge update")
        if first is not None:
            return first  # type: ignore[no-any-return]
        current = self._badge_at(badge_id, version)
        changes: dict[str, Any] = dict(fields)
        if image is not None:
            changes["image"], changes["image_media_type"] = image
        changed = dataclasses.replace(current, **changes, updated_at=now, version=current.version + 1)
        self._put("badges", changed)
        self.keys[key] = ("badge update", changed)
        return changed

    def set_badge_state(
        self, badge_id: int, state: BadgeState, version: int | None, key: str, *, actor: str, now: datetime
    ) -> Badge:
        _check_text("idempotency_key", key, 1, 100)
        first = self._replay(key, "badge state")
        if first is not None:
            return first  # type: ignore[no-any-return]
        current = self._badge_at(badge_id, version)
        if current.state is state:
            return current
        if state is BadgeState.DRAFT:
            raise Refusal(422, "invalid_transition", "A badge that left draft cannot go back to draft.")
        changed = dataclasses.replace(current, state=state, version=current.version + 1, updated_at=now)
        self._put("badges", changed)
        self.keys[key] = ("badge state", changed)
        return changed


@functools.lru_cache(maxsize=8)
def _seeded_pickle(members: int, seed: int) -> bytes:
    """The sandbox's seed, read once per ``(members, seed)`` through the v1 wire types."""
    from desktop.dialects.badgedesk_v1.connector import (
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
