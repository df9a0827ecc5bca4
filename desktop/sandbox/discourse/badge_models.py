"""The Discourse face's badge answers, field for field as Discourse's serializers write them.

These are the sandbox's own models, written from Discourse's serializers
(``BadgeSerializer``, ``AdminBadgeSerializer``, ``DetailedUserBadgeSerializer``,
``UserBadgeSerializer``) and checked in tests against the published OpenAPI
description: never shared with the client's connector, so a mistake cannot
hide on both sides at once. Fields Discourse includes only sometimes have
defaults and are dumped only when set (``exclude_unset``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from desktop.sandbox.discourse.data.badges import BadgeGroupingRow, BadgeRow
from desktop.sandbox.discourse.data.grants import GrantRow
from desktop.sandbox.discourse.data.schema import PROTECTED_SYSTEM_FIELDS, TRIGGERS
from desktop.sandbox.discourse.data.topics import PostRow
from desktop.sandbox.discourse.data.users import UserRow


def iso(timestamp: int) -> str:
    """A time as Rails writes it in JSON: ISO 8601 in UTC with milliseconds."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def avatar_template(username: str) -> str:
    """A letter avatar, as Discourse gives users without an uploaded picture."""
    if username == "system":
        return "/images/discourse-logo-sketch-small.png"
    colour = f"{(sum(map(ord, username)) * 2654435761) % 0xFFFFFF:06x}"
    return f"/letter_avatar_proxy/v4/letter/{username[:1].lower() or 'x'}/{colour}/{{size}}.png"


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BadgeTypeOut(_Answer):
    id: int
    name: str
    sort_order: int


class BadgeGroupingOut(_Answer):
    id: int
    name: str
    description: str | None
    position: int
    system: bool


class BadgeOut(_Answer):
    """``BadgeSerializer``; ``long_description`` only where Discourse asks for it."""

    id: int
    name: str
    description: str
    grant_count: int
    allow_title: bool
    multiple_grant: bool
    icon: str
    image_url: str | None
    listable: bool
    enabled: bool
    badge_grouping_id: int
    system: bool
    long_description: str = ""
    slug: str
    manually_grantable: bool
    badge_type_id: int


class AdminBadgeOut(_Answer):
    """``AdminBadgeSerializer``: the badge with its query, trigger and admin flags.

    ``trigger`` is Discourse's integer (``Badge::Trigger``), null for a custom
    badge; the spec's create/update answers say "string or null" because they
    were recorded from a custom badge. ``i18n_name`` only for system badges.
    """

    id: int
    name: str
    description: str
    grant_count: int
    allow_title: bool
    multiple_grant: bool
    icon: str
    image_url: str | None
    image_upload_id: int | None
    listable: bool
    enabled: bool
    badge_grouping_id: int
    system: bool
    long_description: str
    slug: str
    manually_grantable: bool
    query: str | None
    trigger: int | None
    target_posts: bool
    auto_revoke: bool
    show_posts: bool
    i18n_name: str | None = None
    badge_type_id: int
    show_in_post_header: bool


class AdminBadgesMeta(_Answer):
    protected_system_fields: list[str]
    triggers: dict[str, int]
    badge_ids: list[int]
    badge_grouping_ids: list[int]
    badge_type_ids: list[int]


class AdminBadgesOut(_Answer):
    badges: list[AdminBadgeOut]
    badge_types: list[BadgeTypeOut]
    badge_groupings: list[BadgeGroupingOut]
    admin_badges: AdminBadgesMeta


class AdminBadgeAnswer(_Answer):
    """Create and update: ``{"badge_types": [...], "badge": {...}}``."""

    badge_types: list[BadgeTypeOut]
    badge: AdminBadgeOut


class BadgeUserOut(_Answer):
    """``UserBadgeSerializer::UserSerializer``: who holds or granted a badge."""

    id: int
    username: str
    name: str
    avatar_template: str
    flair_name: str | None
    admin: bool
    moderator: bool
    trust_level: int


class DetailedUserBadgeOut(_Answer):
    """``DetailedUserBadgeSerializer``: a grant as its member's list and the grant answer show it."""

    id: int
    granted_at: str
    count: int = 0
    grouping_position: int
    is_favorite: bool | None
    can_favorite: bool
    badge_id: int
    granted_by_id: int
    post_number: int = 0
    topic_id: int = 0
    topic_title: str = ""


class UserBadgeOut(_Answer):
    """``UserBadgeSerializer``: a grant in the holders list."""

    id: int
    granted_at: str
    created_at: str
    count: int = 0
    post_id: int = 0
    post_number: int = 0
    badge_id: int
    user_id: int
    granted_by_id: int
    topic_id: int = 0


class GrantAnswer(_Answer):
    """``POST /user_badges``: root ``user_badge`` with its badge, badge type and granter."""

    badges: list[BadgeOut]
    badge_types: list[BadgeTypeOut]
    granted_bies: list[BadgeUserOut]
    user_badge: DetailedUserBadgeOut


class UserBadgesAnswer(_Answer):
    """``GET /user-badges/{username}``: every grant of the member, with sideloads."""

    badges: list[BadgeOut]
    badge_types: list[BadgeTypeOut]
    granted_bies: list[BadgeUserOut]
    user_badges: list[DetailedUserBadgeOut]


class UserBadgeInfo(_Answer):
    user_badges: list[UserBadgeOut]
    grant_count: int | None
    username: str | None


class HoldersAnswer(_Answer):
    """``GET /user_badges.json``: root ``user_badge_info``, badges with long descriptions, users."""

    badges: list[BadgeOut]
    badge_types: list[BadgeTypeOut]
    users: list[BadgeUserOut]
    user_badge_info: UserBadgeInfo


def badge_type_out(row: tuple[int, str, int]) -> BadgeTypeOut:
    return BadgeTypeOut(id=row[0], name=row[1], sort_order=row[2])


def grouping_out(row: BadgeGroupingRow) -> BadgeGroupingOut:
    return BadgeGroupingOut(
        id=row.id, name=row.name, description=row.description, position=row.position, system=row.system
    )


def badge_out(badge: BadgeRow, *, long_description: bool = False) -> BadgeOut:
    out = BadgeOut(
        id=badge.id,
        name=badge.name,
        description=badge.description,
        grant_count=badge.grant_count,
        allow_title=badge.allow_title,
        multiple_grant=badge.multiple_grant,
        icon=badge.icon,
        image_url=badge.image_url,
        listable=badge.listable,
        enabled=badge.enabled,
        badge_grouping_id=badge.badge_grouping_id,
        system=badge.system,
        slug=badge.slug,
        manually_grantable=badge.manually_grantable,
        badge_type_id=badge.badge_type_id,
    )
    if long_description:
        out.long_description = badge.long_description
    return out


def admin_badge_out(badge: BadgeRow) -> AdminBadgeOut:
    out = AdminBadgeOut(
        id=badge.id,
        name=badge.name,
        description=badge.description,
        grant_count=badge.grant_count,
        allow_title=badge.allow_title,
        multiple_grant=badge.multiple_grant,
        icon=badge.icon,
        image_url=badge.image_url,
        image_upload_id=badge.image_upload_id,
        listable=badge.listable,
        enabled=badge.enabled,
        badge_grouping_id=badge.badge_grouping_id,
        system=badge.system,
        long_description=badge.long_description,
        slug=badge.slug,
        manually_grantable=badge.manually_grantable,
        query=badge.query,
        trigger=badge.trigger,
        target_posts=badge.target_posts,
        auto_revoke=badge.auto_revoke,
        show_posts=badge.show_posts,
        badge_type_id=badge.badge_type_id,
        show_in_post_header=badge.show_in_post_header,
    )
    if badge.system:
        out.i18n_name = badge.name.lower().replace(" ", "_")
    return out


def admin_badges_meta(
    badges: list[BadgeRow], groupings: list[BadgeGroupingRow], types: list[int]
) -> AdminBadgesMeta:
    return AdminBadgesMeta(
        protected_system_fields=list(PROTECTED_SYSTEM_FIELDS),
        triggers=dict(TRIGGERS),
        badge_ids=[b.id for b in badges],
        badge_grouping_ids=[g.id for g in groupings],
        badge_type_ids=types,
    )


def badge_user_out(user: UserRow) -> BadgeUserOut:
    return BadgeUserOut(
        id=user.id,
        username=user.username,
        name=user.name,
        avatar_template=avatar_template(user.username),
        flair_name=None,
        admin=user.admin,
        moderator=user.moderator,
        trust_level=user.activity.trust_level,
    )


def detailed_user_badge_out(
    grant: GrantRow, badge: BadgeRow, *, viewer_id: int | None, post: PostRow | None
) -> DetailedUserBadgeOut:
    out = DetailedUserBadgeOut(
        id=grant.id,
        granted_at=iso(grant.granted_at),
        grouping_position=badge.grouping_position,
        is_favorite=None,
        # max_favorite_badges > 0, the viewer's own badge, not a trust-level badge (1-4).
        can_favorite=viewer_id == grant.user_id and badge.id not in (1, 2, 3, 4),
        badge_id=badge.id,
        granted_by_id=grant.granted_by_id,
    )
    if grant.count is not None:
        out.count = grant.count
    if post is not None:
        out.post_number = post.post_number
        out.topic_id = post.topic_id
        out.topic_title = post.topic_title
    return out


def user_badge_out(grant: GrantRow, badge: BadgeRow, post: PostRow | None) -> UserBadgeOut:
    out = UserBadgeOut(
        id=grant.id,
        granted_at=iso(grant.granted_at),
        created_at=iso(grant.granted_at),
        badge_id=badge.id,
        user_id=grant.user_id,
        granted_by_id=grant.granted_by_id,
    )
    if badge.show_posts and post is not None:
        out.post_id = post.id
        out.post_number = post.post_number
        out.topic_id = post.topic_id
    return out
