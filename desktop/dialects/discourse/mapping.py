"""Discourse's users, badges and grants as BadgeDesk's domain values.

The choices, where Discourse has no field for what BadgeDesk keeps:

- **Members**: Discourse's own users (``system``, the bots; ids ≤ 0) are not
  members. Status: suspended while the row carries ``suspended_at`` (the
  list shows it only while the suspension lasts); a *silenced* member cannot
  post but is a member who can hold badges, so active. Display name: the
  full name, else the username. Email: empty where the key may not see it.
- **Badges**: the slug is Discourse's own (``name.parameterize``), or made
  from the name when it has none (non-Latin names); the tier is the badge
  type's name (gold, silver, bronze); the category is the badge grouping's
  name; published while enabled, disabled otherwise (Discourse has no draft
  and no retirement). Descriptions come as HTML and are kept as plain text.
  No award message (Discourse sends none with a grant). No image: a badge's
  image is an upload URL (perhaps on a CDN, another host the key must not
  travel to) and fetching it costs one request per badge from the forum's
  60-a-minute budget; the views show the tier's colours instead.
- **Version**: Discourse keeps none. :func:`badge_version` is a digest of
  what an edit can change, so a badge edited on the forum since the cache
  saw it has another version (a changed digest, not a greater one).
- **Awards**: granted by the giver's full name, else username (``system``
  for Discourse's automatic grants); the reason is the link to the post a
  grant was made for, if any (Discourse keeps no free-text reason).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser

from desktop.dialects.discourse import wire
from desktop.domain import Award, Badge, BadgeState, Member, MemberStatus

#: The badge type ids of a Discourse forum, should the answer not name them.
_DEFAULT_TIERS = {1: "gold", 2: "silver", 3: "bronze"}


def member(row: wire.ListedUser) -> Member | None:
    """The member a user-list row describes; None for Discourse's own users."""
    if row.id < 1:
        return None
    status = MemberStatus.SUSPENDED if row.suspended_at is not None else MemberStatus.ACTIVE
    return Member(
        id=row.id,
        username=row.username,
        display_name=row.name or row.username,
        email=row.email or "",
        joined_at=row.created_at,
        last_seen_at=row.last_seen_at,
        status=status,
        trust_level=row.trust_level,
        post_count=row.post_count,
    )


def badge(
    row: wire.BadgeRow, types: Iterable[wire.BadgeType], groupings: Iterable[wire.BadgeGrouping]
) -> Badge:
    tiers = {**_DEFAULT_TIERS, **{t.id: t.name.lower() for t in types}}
    categories = {g.id: g.name for g in groupings}
    return Badge(
        id=row.id,
        slug=row.slug or slug_of(row.name) or f"badge-{row.id}",
        title=row.name,
        description=plain_text(row.description or ""),
        criteria=plain_text(row.long_description or ""),
        tier=tiers.get(row.badge_type_id, ""),
        category="" if row.badge_grouping_id is None else categories.get(row.badge_grouping_id, ""),
        state=BadgeState.PUBLISHED if row.enabled else BadgeState.DISABLED,
        award_message="",
        # Each grant of such a badge is an award of its own (the cache keeps them all).
        multiple_grant=row.multiple_grant,
        version=badge_version(row),
        image=None,
        image_media_type=None,
        updated_at=None,
    )


def badge_version(row: wire.BadgeRow) -> int:
    """A digest of the badge's editable fields: equal while nobody edits it, different after."""
    fields = (
        row.name,
        row.description or "",
        row.long_description or "",
        str(row.badge_type_id),
        str(row.badge_grouping_id),
        str(row.enabled),
        str(row.multiple_grant),
        row.icon or "",
        row.image_url or "",
    )
    digest = hashlib.blake2b("\x1f".join(fields).encode(), digest_size=8).digest()
    # Positive and within SQLite's signed 64 bits; never 0 (the "no version" of other dialects).
    return (int.from_bytes(digest, "big") >> 2) or 1


def award(row: wire.GrantRow, member_id: int, people: Mapping[int, wire.UserRef]) -> Award:
    giver = None if row.granted_by_id is None else people.get(row.granted_by_id)
    reason = ""
    if row.topic_id is not None:
        reason = f"/t/{row.topic_id}/{row.post_number or 1}"
    return Award(
        id=row.id,
        member_id=member_id,
        badge_id=row.badge_id,
        granted_at=row.granted_at,
        granted_by="" if giver is None else (giver.name or giver.username),
        reason=reason,
    )


def people(*groups: Iterable[wire.UserRef]) -> dict[int, wire.UserRef]:
    """Sideloaded users by id, from every list that carries them."""
    return {user.id: user for group in groups for user in group}


def slug_of(name: str) -> str:
    """A URL-safe slug from a badge name, as Discourse's ``parameterize`` makes one."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(markup: str) -> str:
    """Discourse's HTML (badge descriptions) as plain text: tags dropped, entities decoded.

    The views show text as text (nothing from a server is interpreted as HTML).
    """
    if "<" not in markup and "&" not in markup:
        return markup
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())
