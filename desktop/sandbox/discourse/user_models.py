"""The Discourse face's user answers: the admin list's rows, a user's profile, the current user, key scopes.

Written from Discourse's ``AdminUserListSerializer``, ``UserSerializer``,
``CurrentUserSerializer`` and ``ApiKeyScopeSerializer`` and checked in tests
against the published OpenAPI description. A profile carries many fields the
sandbox has no data for (preferences, notification schedule, …); they hold a
new account's defaults. Fields Discourse includes only sometimes have
defaults and are dumped only when set.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.users import UserRow


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _age(now: int, timestamp: int | None) -> float | None:
    return None if timestamp is None else float(max(0, now - timestamp))


class AdminUserListItem(_Answer):
    """``AdminUserListSerializer``: one row of ``/admin/users/list/{flag}``."""

    id: int
    username: str
    name: str | None
    avatar_template: str
    email: str = ""
    secondary_emails: list[str] = Field(default_factory=list)
    active: bool
    admin: bool
    moderator: bool
    last_seen_at: str | None
    last_emailed_at: str | None
    created_at: str
    last_seen_age: float | None
    last_emailed_age: float | None
    created_at_age: float | None
    trust_level: int
    manual_locked_trust_level: int | None
    title: str | None
    time_read: int
    staged: bool
    days_visited: int
    posts_read_count: int
    topics_entered: int
    post_count: int
    can_be_deleted: bool
    suspended_at: str | None = None
    suspended_till: str | None = None
    suspend_reason: str | None = None


def admin_list_item(user: UserRow, *, now: int, show_emails: bool) -> AdminUserListItem:
    item = AdminUserListItem(
        id=user.id,
        username=user.username,
        name=user.name,
        avatar_template=avatar_template(user.username),
        active=True,
        admin=user.admin,
        moderator=user.moderator,
        last_seen_at=None if user.last_seen_at is None else iso(user.last_seen_at),
        last_emailed_at=None,
        created_at=iso(user.created_at),
        last_seen_age=_age(now, user.last_seen_at),
        last_emailed_age=None,
        created_at_age=_age(now, user.created_at),
        trust_level=user.activity.trust_level,
        manual_locked_trust_level=None,
        title=None,
        time_read=user.activity.time_read,
        staged=False,
        days_visited=user.activity.days_visited,
        posts_read_count=user.activity.posts_read_count,
        topics_entered=user.activity.topics_entered,
        post_count=user.activity.post_count,
        # Discourse lets staff delete a user without posts (and never system or an admin).
        can_be_deleted=not user.is_system and not user.admin and user.activity.post_count == 0,
    )
    if show_emails:
        item.email = user.email
        item.secondary_emails = []
    if user.suspension is not None:
        item.suspended_at = iso(user.suspension.suspended_at)
        item.suspended_till = iso(user.suspension.suspended_till)
        item.suspend_reason = user.suspension.reason
    return item


def _notification_schedule() -> dict[str, Any]:
    schedule: dict[str, Any] = {"enabled": False}
    for day in range(7):
        schedule[f"day_{day}_start_time"] = 480
        schedule[f"day_{day}_end_time"] = 1020
    return schedule


def _user_option(user_id: int) -> dict[str, Any]:
    """A new account's preferences (UserOption defaults)."""
    return {
        "user_id": user_id,
        "mailing_list_mode": False,
        "mailing_list_mode_frequency": 1,
        "email_digests": True,
        "email_level": 1,
        "email_messages_level": 0,
        "external_links_in_new_tab": False,
        "bookmark_auto_delete_preference": 3,
        "color_scheme_id": None,
        "dark_scheme_id": None,
        "dynamic_favicon": False,
        "enable_quoting": True,
        "enable_smart_lists": True,
        "enable_markdown_monospace_font": False,
        "digest_after_minutes": 10080,
        "automatically_unpin_topics": True,
        "auto_track_topics_after_msecs": 240000,
        "notification_level_when_replying": 2,
        "new_topic_duration_minutes": 2880,
        "email_previous_replies": 2,
        "email_in_reply_to": False,
        "like_notification_frequency": 1,
        "notify_on_linked_posts": True,
        "push_notification_level": "always",
        "enable_upcoming_change_available_notifications": True,
        "include_tl0_in_digests": False,
        "theme_ids": [],
        "theme_key_seq": 0,
        "allow_private_messages": True,
        "enable_allowed_pm_users": False,
        "homepage_id": None,
        "hide_profile_and_presence": False,
        "hide_profile": False,
        "hide_presence": False,
        "text_size": "normal",
        "text_size_seq": 0,
        "title_count_mode": "notifications",
        "timezone": None,
        "skip_new_user_tips": False,
        "default_calendar": "none_selected",
        "oldest_search_log_date": None,
        "sidebar_link_to_filtered_list": False,
        "sidebar_show_count_of_new_items": False,
        "watched_precedence_over_muted": False,
        "seen_popups": None,
        "topics_unread_when_closed": True,
        "composition_mode": 1,
        "interface_color_mode": 1,
        "automatically_translate": False,
        "understood_languages": [],
        "show_original_content": False,
        "send_shortcut": "enter",
    }


class UserProfile(_Answer):
    """``UserSerializer`` as staff see a user at ``/u/{username}``."""

    id: int
    username: str
    name: str
    avatar_template: str
    last_posted_at: str | None
    last_seen_at: str | None
    created_at: str
    ignored: bool = False
    muted: bool = False
    can_ignore_user: bool = False
    can_mute_user: bool = False
    can_send_private_messages: bool = True
    can_send_private_message_to_user: bool = True
    trust_level: int
    moderator: bool
    admin: bool
    title: str | None = None
    badge_count: int
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    time_read: int
    recent_time_read: int = 0
    primary_group_id: int | None = None
    primary_group_name: str | None = None
    flair_group_id: int | None = None
    flair_name: str | None = None
    flair_url: str | None = None
    flair_bg_color: str | None = None
    flair_color: str | None = None
    featured_topic: dict[str, Any] | None = None
    staged: bool = False
    can_edit: bool = True
    can_edit_username: bool = True
    can_edit_email: bool = True
    can_edit_name: bool = True
    uploaded_avatar_id: int | None = None
    has_title_badges: bool = False
    pending_count: int = 0
    profile_view_count: int = 0
    second_factor_enabled: bool = False
    can_upload_profile_header: bool = True
    can_upload_user_card_background: bool = True
    post_count: int
    topic_count: int
    can_be_deleted: bool
    can_delete_all_posts: bool
    locale: str | None = None
    muted_category_ids: list[int] = Field(default_factory=list)
    regular_category_ids: list[int] = Field(default_factory=list)
    watched_tags: list[str] = Field(default_factory=list)
    watching_first_post_tags: list[str] = Field(default_factory=list)
    tracked_tags: list[str] = Field(default_factory=list)
    muted_tags: list[str] = Field(default_factory=list)
    tracked_category_ids: list[int] = Field(default_factory=list)
    watched_category_ids: list[int] = Field(default_factory=list)
    watched_first_post_category_ids: list[int] = Field(default_factory=list)
    system_avatar_upload_id: str | None = None
    system_avatar_template: str
    muted_usernames: list[str] = Field(default_factory=list)
    ignored_usernames: list[str] = Field(default_factory=list)
    allowed_pm_usernames: list[str] = Field(default_factory=list)
    mailing_list_posts_per_day: int = 0
    can_change_bio: bool = True
    can_change_location: bool = True
    can_change_website: bool = True
    can_change_tracking_preferences: bool = True
    user_api_keys: str | None = None
    user_auth_tokens: list[dict[str, Any]] = Field(default_factory=list)
    user_notification_schedule: dict[str, Any] = Field(default_factory=_notification_schedule)
    use_logo_small_as_avatar: bool = False
    featured_user_badge_ids: list[int] = Field(default_factory=list)
    invited_by: str | None = None
    groups: list[dict[str, Any]] = Field(default_factory=list)
    group_users: list[dict[str, Any]] = Field(default_factory=list)
    user_option: dict[str, Any]
    suspended_till: str | None = None
    suspend_reason: str | None = None


class UserProfileAnswer(_Answer):
    user_badges: list[Any]
    user: UserProfile


def user_profile(user: UserRow, *, badge_count: int) -> UserProfile:
    """Every field the published description requires, at their values for this user."""
    profile = UserProfile.model_validate(
        {
            "id": user.id,
            "username": user.username,
            "name": user.name,
            "avatar_template": avatar_template(user.username),
            "last_posted_at": None
            if user.activity.post_count == 0 or user.last_seen_at is None
            else iso(user.last_seen_at),
            "last_seen_at": None if user.last_seen_at is None else iso(user.last_seen_at),
            "created_at": iso(user.created_at),
            "trust_level": user.activity.trust_level,
            "moderator": user.moderator,
            "admin": user.admin,
            "badge_count": badge_count,
            "time_read": user.activity.time_read,
            "post_count": user.activity.post_count,
            "topic_count": user.activity.post_count // 4,
            "can_be_deleted": not user.is_system and not user.admin and user.activity.post_count == 0,
            "can_delete_all_posts": not user.is_system and not user.admin,
            "system_avatar_template": avatar_template(user.username),
            "user_option": _user_option(user.id),
        }
    )
    # The defaults are part of the answer too (answers dump only the fields set),
    # except the suspension, which Discourse shows only for a suspended user.
    profile.model_fields_set.update(set(UserProfile.model_fields) - {"suspended_till", "suspend_reason"})
    if user.suspension is not None:
        profile.suspended_till = iso(user.suspension.suspended_till)
        profile.suspend_reason = user.suspension.reason
    return profile


class CurrentUserOut(_Answer):
    """Part of ``CurrentUserSerializer``: enough to name the key's user and what they may do."""

    id: int
    username: str
    name: str
    avatar_template: str
    admin: bool
    moderator: bool
    staff: bool
    trust_level: int
    title: str | None
    can_create_topic: bool
    can_send_private_messages: bool
    can_review: bool
    can_invite_to_forum: bool


class CurrentUserAnswer(_Answer):
    current_user: CurrentUserOut


def current_user_out(user: UserRow) -> CurrentUserOut:
    return CurrentUserOut(
        id=user.id,
        username=user.username,
        name=user.name,
        avatar_template=avatar_template(user.username),
        admin=user.admin,
        moderator=user.moderator,
        staff=user.staff,
        trust_level=user.activity.trust_level,
        title=None,
        can_create_topic=True,
        can_send_private_messages=True,
        can_review=user.staff,
        can_invite_to_forum=user.staff,
    )


class ApiKeyScopeOut(_Answer):
    """``ApiKeyScopeSerializer``: one granular scope of the key."""

    resource: str
    action: str
    parameters: list[str]
    urls: list[str]
    allowed_parameters: dict[str, Any]
    key: str


class ScopesAnswer(_Answer):
    scopes: list[ApiKeyScopeOut]
