"""The memory dialect's community as rows: members, badges, awards, requests, and their change log.

Plain data, so a whole community pickles. The rules a server applies to the
rows live beside: :mod:`tests.fakes.memory_awards` (grants and revokes) and
:mod:`tests.fakes.memory_moderation` (requests and decisions, badge edits,
member status); :class:`tests.fakes.memory_community.MemoryCommunity` puts
them together with the reads. What the server refuses is raised as
:class:`Refusal`, with the status the sandbox answers with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.domain import Award, Badge, BadgeRequest, Member

MAX_TEXT = 100_000
MAX_NAME = 1_000
#: What the sandbox accepts as an idempotency key.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{8,64}")


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


def check_text(name: str, value: object, low: int, high: int) -> None:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise Refusal(422, "invalid", f"{name}: must be text of {low} to {high} characters")


@dataclass
class CommunityRows:
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

    def grant(self, member_id: int, badge_id: int, reason: str = "", *, actor: str, now: datetime) -> Award:
        """A new active award by ``actor``, whatever the rules say (for tests: "someone else awarded it")."""
        award = Award(self.last_award_id + 1, member_id, badge_id, now, actor, reason)
        self._put_award(AwardRecord(award))
        return award
