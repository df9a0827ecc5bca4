"""How the cache stores domain records: timestamps as epoch seconds, names' sort keys, and rows read back.

``*_from_row`` turn a row of the mirror's ``members``, ``badges``, ``awards``
or ``requests`` table into its domain record; the upserts of
:class:`desktop.cache.database.Cache` write them.

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime

from sqlalchemy import RowMapping

from desktop.domain import (
    Award,
    AwardRow,
    Badge,
    BadgeRequest,
    BadgeState,
    Member,
    MemberRow,
    MemberStatus,
    RequestState,
)


def name_sort_key(name: str) -> str:
    """How names are ordered: case and accents folded, in every script."""
    if name.isascii():
        # ASCII is unchanged by NFKD and has no combining marks: a sync folds a million names.
        return name.casefold()
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def to_epoch(dt: datetime) -> int:
    """Store format for timestamps: whole seconds since the epoch (aware datetimes only)."""
    return int(dt.timestamp())


def opt_epoch(dt: datetime | None) -> int | None:
    return None if dt is None else int(dt.timestamp())


def member_row(m: Member) -> MemberRow:
    return (
        m.id,
        m.username,
        m.display_name,
        m.email,
        to_epoch(m.joined_at),
        opt_epoch(m.last_seen_at),
        m.status.value,
        json.dumps(m.groups),
        m.trust_level,
        m.post_count,
    )


def award_row(a: Award) -> AwardRow:
    return (a.id, a.member_id, a.badge_id, to_epoch(a.granted_at), a.granted_by, a.reason)


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _opt_ts(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def member_from_row(row: RowMapping) -> Member:
    return Member(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        email=row["email"],
        joined_at=from_epoch(row["joined_at"]),
        last_seen_at=_opt_ts(row["last_seen_at"]),
        status=MemberStatus(row["status"]),
        groups=tuple(json.loads(row["groups"])),
        trust_level=row["trust_level"],
        post_count=row["post_count"],
    )


def badge_from_row(row: RowMapping) -> Badge:
    return Badge(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        description=row["description"],
        criteria=row["criteria"],
        tier=row["tier"],
        category=row["category"],
        state=BadgeState(row["state"]),
        award_message=row["award_message"],
        version=row["version"],
        image=row["image"],
        image_media_type=row["image_media_type"],
        updated_at=_opt_ts(row["updated_at"]),
        multiple_grant=bool(row["multiple_grant"]),
    )


def award_from_row(row: RowMapping) -> Award:
    return Award(
        id=row["id"],
        member_id=row["member_id"],
        badge_id=row["badge_id"],
        granted_at=from_epoch(row["granted_at"]),
        granted_by=row["granted_by"],
        reason=row["reason"],
    )


def request_from_row(row: RowMapping) -> BadgeRequest:
    return BadgeRequest(
        id=row["id"],
        member_id=row["member_id"],
        badge_id=row["badge_id"],
        note=row["note"],
        evidence_url=row["evidence_url"],
        created_at=from_epoch(row["created_at"]),
        state=RequestState(row["state"]),
        version=row["version"],
        decided_by=row["decided_by"],
        decided_at=_opt_ts(row["decided_at"]),
        reason=row["reason"],
    )
