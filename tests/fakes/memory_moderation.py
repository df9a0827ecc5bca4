"""The memory dialect's moderation: requests and decisions, badge edits, member status.

The sandbox's rules (``desktop/sandbox/store.py``), written again over plain
rows: decisions all or none with a conflict by version, badge versions, a
badge never back to draft. The contract suite checks that both agree.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from desktop.dialects.base import DecisionResult
from desktop.domain import Badge, BadgeRequest, BadgeState, Decision, Member, MemberStatus, RequestState
from tests.fakes.memory_rows import KEY_PATTERN, MAX_NAME, MAX_TEXT, CommunityRows, Refusal, check_text

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
    if b"<!doctype" in data[:4096].lower() or b"<!entity" in data.lower():
        raise Refusal(422, "invalid_image", "SVG images may not declare a DOCTYPE or entities.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise Refusal(422, "invalid_image", f"The SVG is not well-formed XML: {exc}.") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise Refusal(422, "invalid_image", "The SVG's root element is not <svg>.")


class ModerationRules(CommunityRows):
    """Requests and decisions, badge edits and states, member status.

    Thread safety: none; the memory server calls it under its lock.
    """

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
        if not KEY_PATTERN.fullmatch(idempotency_key):
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
            check_text(name, value, *_CREATE_FIELDS[name])
        if not _SLUG.fullmatch(fields["slug"]):
            raise Refusal(422, "invalid", "slug: lower-case letters, digits and hyphens only")
        state = fields.get("state", BadgeState.DRAFT.value)
        if state not in {s.value for s in BadgeState}:
            raise Refusal(422, "invalid", f"state: {state!r} is not a badge state")
        _check_image(image)
        check_text("idempotency_key", key, 1, 100)
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
            check_text(name, value, *_UPDATE_FIELDS[name])
        _check_image(image)
        check_text("idempotency_key", key, 1, 100)
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
        check_text("idempotency_key", key, 1, 100)
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
