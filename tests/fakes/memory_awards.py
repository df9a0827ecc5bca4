"""The memory dialect's grants and revokes: outcomes, the condition found, replay by key.

The sandbox's rules (``desktop/sandbox/store.py``), written again over plain
rows; the contract suite checks that both give the same answers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from desktop.dialects.base import AwardItem, ItemResult, RevokeItem
from desktop.domain import Award, AwardOutcome, BadgeState, Drift, MemberStatus
from tests.fakes.memory_rows import KEY_PATTERN, MAX_TEXT, CommunityRows, Refusal, check_text


class AwardRules(CommunityRows):
    """Award and revoke batches, one result per item, every item's key remembered.

    Thread safety: none; the memory server calls it under its lock.
    """

    def _check_items(self, items: Sequence[AwardItem | RevokeItem], kind: str) -> None:
        # Refused whole before anything is applied, as the sandbox's request validation does.
        if not items:
            raise Refusal(422, "invalid", "items: the batch is empty")
        for n, item in enumerate(items):
            if not KEY_PATTERN.fullmatch(item.idempotency_key):
                raise Refusal(422, "invalid", f"items.{n}.idempotency_key: not a valid key")
            check_text(f"items.{n}.reason", item.reason, 0, MAX_TEXT)
            if isinstance(item, AwardItem) and item.message is not None:
                check_text(f"items.{n}.message", item.message, 0, MAX_TEXT)
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
