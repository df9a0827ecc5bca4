"""Discourse's answers, as far as BadgeDesk reads them: pydantic models, strict and bounded.

Each model names only the fields the connector uses and ignores the rest
(Discourse adds fields freely; its serializers omit some while they do not
apply, e.g. ``suspended_at``). What is named is checked as v1's wire is:
strict types (``"7"`` is not an id), ids within SQLite's signed 64 bits,
dates between 1970 and 2200, strings and lists of bounded length. An answer
that breaks them is refused whole (:class:`~desktop.net.errors.MalformedResponse`).

Discourse's own users have ids of zero or below (``system`` is -1, the bots
are negative): :data:`UserId` lets them through so a page that lists them
is not refused; the mapping leaves them out of the community.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

MAX_SQLITE_INT = 2**63 - 1
MAX_NAME = 1_000
MAX_TEXT = 100_000
#: One answer's rows: Discourse sends 100 users, 50 holders, or every badge (a few hundred).
MAX_ROWS = 10_000
#: The cache stores whole seconds since 1970; nothing real is dated outside this range.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)

Id = Annotated[int, Field(ge=1, le=MAX_SQLITE_INT)]
#: A user's id: Discourse's own users (system, bots) are 0 or negative.
UserId = Annotated[int, Field(ge=-MAX_SQLITE_INT, le=MAX_SQLITE_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_SQLITE_INT)]
Name = Annotated[str, Field(max_length=MAX_NAME)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Timestamp = Annotated[AwareDatetime, Field(ge=EARLIEST, lt=LATEST)]
#: Discourse's trust levels: 0 (new user) to 4 (leader).
TrustLevel = Annotated[int, Field(ge=0, le=4)]


class _Answer(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


T = TypeVar("T")
#: A bounded list.
Rows = Annotated[list[T], Field(max_length=MAX_ROWS)]


# --- site and users --------------------------------------------------------------------


class SiteBasicInfo(_Answer):
    """``GET /site/basic-info.json`` (public): the forum's title."""

    title: Name


class UserCard(_Answer):
    id: UserId
    username: Name
    name: Name | None = None


class UserShow(_Answer):
    """``GET /u/{username}.json``."""

    user: UserCard


class AdminUser(_Answer):
    """``GET /admin/users/{id}.json``: a member by id (their username may have changed)."""

    id: UserId
    username: Name


class ListedUser(_Answer):
    """A row of ``GET /admin/users/list/{flag}.json`` (AdminUserListSerializer)."""

    id: UserId
    username: Name
    name: Name | None = None
    #: Only with ``show_emails=true`` and where the key's user may see emails.
    email: Name | None = None
    created_at: Timestamp
    last_seen_at: Timestamp | None = None
    #: Present only while the member is suspended. (Not ``suspended_till``: a suspension
    #: "forever" runs to a date a thousand years away, beyond what the cache keeps.)
    suspended_at: Timestamp | None = None
    #: Both in every row (the spec requires them); optional here all the same, so a row without
    #: them reads as "not known" rather than refusing the page.
    trust_level: TrustLevel | None = None
    post_count: Count | None = None


USER_PAGE: TypeAdapter[list[ListedUser]] = TypeAdapter(Rows[ListedUser])


# --- badges ----------------------------------------------------------------------------


class BadgeRow(_Answer):
    id: Id
    name: Name
    description: Text | None = None
    #: In the admin list; not in the sideloads of grants.
    long_description: Text | None = None
    slug: Name = ""
    icon: Name | None = None
    image_url: Text | None = None
    enabled: bool
    multiple_grant: bool = False
    badge_type_id: Id
    badge_grouping_id: Id | None = None
    grant_count: Count = 0
    system: bool = False


class BadgeType(_Answer):
    id: Id
    name: Name


class BadgeGrouping(_Answer):
    id: Id
    name: Name


class AdminBadges(_Answer):
    """``GET /admin/badges.json`` (admins only)."""

    badges: Rows[BadgeRow]
    badge_types: Rows[BadgeType]
    badge_groupings: Rows[BadgeGrouping]


# --- grants ----------------------------------------------------------------------------


class UserRef(_Answer):
    """A sideloaded user: the member, or who granted (``users``, ``granted_bies``)."""

    id: UserId
    username: Name
    name: Name | None = None


class GrantRow(_Answer):
    """A user_badge: one grant of a badge to a member."""

    id: Id
    granted_at: Timestamp
    badge_id: Id
    #: In the holders list; a member's own list and a grant's answer leave it out.
    user_id: UserId | None = None
    #: None when nobody is named (Discourse granted it itself, long ago).
    granted_by_id: UserId | None = None
    post_number: Count | None = None
    topic_id: Id | None = None


class GrantAnswer(_Answer):
    """``POST /user_badges.json``: the grant (new, or the one the member holds) and its sideloads."""

    #: None when Discourse granted nothing (BadgeGranter returned nil).
    user_badge: GrantRow | None
    badges: Rows[BadgeRow] = Field(default_factory=list)
    granted_bies: Rows[UserRef] = Field(default_factory=list)


class MemberBadges(_Answer):
    """``GET /user-badges/{username}.json``: every grant the member holds, not paged."""

    user_badges: Rows[GrantRow]
    badges: Rows[BadgeRow] = Field(default_factory=list)
    granted_bies: Rows[UserRef] = Field(default_factory=list)


class HolderInfo(_Answer):
    user_badges: Rows[GrantRow]


class Holders(_Answer):
    """``GET /user_badges.json?badge_id=``: a page of a badge's holders, newest first."""

    user_badge_info: HolderInfo
    #: The holders and who granted, both here (UserBadgeSerializer roots them in ``users``).
    users: Rows[UserRef] = Field(default_factory=list)


class GroupRow(_Answer):
    """A row of ``GET /groups.json`` (BasicGroupSerializer)."""

    id: Id
    name: Name
    automatic: bool
    user_count: Count
    full_name: Name | None = None
    #: False where the group shows its members to its members (or owners) only, and the
    #: acting user is not one (a moderator: Guardian#can_see_group_members?).
    can_see_members: bool = True


class GroupList(_Answer):
    """``GET /groups.json?page=``: 36 groups a page (from 0), and how many there are."""

    groups: Rows[GroupRow]
    total_rows_groups: Count


class GroupMember(_Answer):
    id: UserId


class GroupMembersMeta(_Answer):
    total: Count


class GroupMembers(_Answer):
    """``GET /groups/{name}/members.json?offset=&limit=``: a page of a group's members."""

    members: Rows[GroupMember]
    owners: Rows[GroupMember] = Field(default_factory=list)
    meta: GroupMembersMeta


class GroupMembersAdded(_Answer):
    """``PUT /groups/{id}/members.json``: the members sent (those already in the group too)."""

    usernames: Rows[Name]


class GroupMembersRemoved(_Answer):
    """``DELETE /groups/{id}/members.json``: the members removed, and those not in the group."""

    usernames: Rows[Name]
    skipped_usernames: Rows[Name] = Field(default_factory=list)


class Revoked(_Answer):
    """``DELETE /user_badges/{id}.json``."""

    success: Name


class MassAwardAnswer(_Answer):
    """``POST /admin/badges/award/{id}``: the upload accepted; grants follow from background jobs."""

    matched_users_count: Count
    unmatched_entries: Rows[Name] = Field(default_factory=list)
    unmatched_entries_count: Count = 0


# --- badge administration --------------------------------------------------------------


class BadgeSaved(_Answer):
    """``POST /admin/badges.json`` and ``PUT /admin/badges/{id}.json``: the badge as saved."""

    badge: BadgeRow
    badge_types: Rows[BadgeType] = Field(default_factory=list)


class Uploaded(_Answer):
    """``POST /uploads.json``: the upload a badge then takes by ``image_upload_id``."""

    id: Id
    url: Text


# --- the API key -----------------------------------------------------------------------


class KeyScope(_Answer):
    resource: Name
    action: Name


class KeyScopes(_Answer):
    """``GET /session/scopes.json``: the key's granular scopes (``[]``: a global key)."""

    scopes: Rows[KeyScope]


KEY_SCOPES: TypeAdapter[KeyScopes] = TypeAdapter(KeyScopes)


# --- categories, topics, posts (badge requests and messages) ----------------------------


class Category(_Answer):
    id: Id
    name: Name
    slug: Name


class CategoryListing(_Answer):
    categories: Rows[Category]


class Categories(_Answer):
    """``GET /categories.json``."""

    category_list: CategoryListing


class Poster(_Answer):
    user_id: UserId
    description: Name = ""


class ListedTopic(_Answer):
    """A row of a topic list (TopicListItemSerializer)."""

    id: Id
    title: Name
    slug: Name
    closed: bool
    pinned: bool = False
    archetype: Name = "regular"
    highest_post_number: Count
    created_at: Timestamp
    posters: Rows[Poster] = Field(default_factory=list)


class TopicListing(_Answer):
    topics: Rows[ListedTopic]
    #: There while more topics remain.
    more_topics_url: Text | None = None


class CategoryTopics(_Answer):
    """``GET /c/{slug}/{id}.json``: a page of a category's topics, and their posters."""

    topic_list: TopicListing
    users: Rows[UserRef] = Field(default_factory=list)


class TopicPost(_Answer):
    """A post of a topic's ``post_stream`` (PostSerializer)."""

    id: Id
    username: Name
    name: Name | None = None
    user_id: UserId
    post_number: Count
    #: 1 regular, 2 moderator action, 3 small action (e.g. closing), 4 whisper.
    post_type: Count
    cooked: Text = ""
    created_at: Timestamp
    staff: bool = False
    #: What a small action did ("closed.enabled" when someone closed the topic).
    action_code: Name | None = None


class PostStream(_Answer):
    posts: Rows[TopicPost]
    #: Every post's id; ``posts`` holds the first 20 of them.
    stream: Rows[int] = Field(default_factory=list)


class Tag(_Answer):
    name: Name


class Topic(_Answer):
    """``GET /t/{id}.json``."""

    id: Id
    title: Name
    slug: Name
    closed: bool
    archetype: Name = "regular"
    category_id: Id | None = None
    user_id: UserId
    created_at: Timestamp
    highest_post_number: Count | None = None
    #: Tag objects (newest Discourse) or their names (older ones).
    tags: Rows[Tag | Name] = Field(default_factory=list)
    post_stream: PostStream


class CreatedPost(_Answer):
    """``POST /posts.json``: the post written (a reply, or a private message's first post)."""

    id: Id
    topic_id: Id
    post_number: Count
