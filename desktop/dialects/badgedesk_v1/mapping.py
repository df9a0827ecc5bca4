"""The BadgeDesk Community API v1's records as domain objects (already validated by
:mod:`desktop.dialects.badgedesk_v1.wire`)."""

from __future__ import annotations

import base64
import binascii

from desktop.dialects.badgedesk_v1 import wire
from desktop.domain import Award, Badge, BadgeRequest, Member
from desktop.i18n import _
from desktop.net.answers import advice
from desktop.net.errors import MalformedResponse

API_NAME = "BadgeDesk API v1"


def member_from_wire(m: wire.MemberOut) -> Member:
    return Member(
        id=m.id,
        username=m.username,
        display_name=m.display_name,
        email=m.email,
        joined_at=m.joined_at,
        last_seen_at=m.last_seen_at,
        status=m.status,
        groups=tuple(m.groups),
    )


def badge_from_wire(b: wire.BadgeOut) -> Badge:
    image: bytes | None = None
    if b.image is not None:
        try:
            image = base64.b64decode(b.image.data_base64, validate=True)
        except (binascii.Error, ValueError) as error:
            raise MalformedResponse(
                _("Malformed response: the image of badge {badge} is not valid base64; {advice}").format(
                    badge=b.id, advice=advice(API_NAME)
                )
            ) from error

    return Badge(
        id=b.id,
        slug=b.slug,
        title=b.title,
        description=b.description,
        criteria=b.criteria,
        tier=b.tier,
        category=b.category,
        state=b.state,
        award_message=b.award_message,
        version=b.version,
        image=image,
        image_media_type=None if b.image is None else b.image.media_type,
        updated_at=b.updated_at,
    )


def award_from_wire(a: wire.AwardOut) -> Award:
    return Award(
        id=a.id,
        member_id=a.member_id,
        badge_id=a.badge_id,
        granted_at=a.granted_at,
        granted_by=a.granted_by,
        reason=a.reason,
    )


def request_from_wire(r: wire.RequestOut) -> BadgeRequest:
    return BadgeRequest(
        id=r.id,
        member_id=r.member_id,
        badge_id=r.badge_id,
        note=r.note,
        evidence_url=r.evidence_url,
        created_at=r.created_at,
        state=r.state,
        version=r.version,
        decided_by=r.decided_by,
        decided_at=r.decided_at,
        reason=r.reason,
    )
