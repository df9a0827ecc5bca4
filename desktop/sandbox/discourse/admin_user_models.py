"""The Discourse face's ``GET /admin/users/{id}.json``: one user as staff see them.

Written from Discourse's ``AdminDetailedUserSerializer`` (over
``AdminUserSerializer`` and ``AdminUserListSerializer``) and checked in tests
against the published OpenAPI description (``adminGetUser``). The ``can_*``
flags are the viewer's ``Guardian`` answers: only an admin may grant or revoke
admin and moderation, impersonate, or reset a second factor; nobody may do
anything to ``system``. Counters the sandbox keeps no data for (likes, flags,
warnings, bounces, API keys) are a quiet member's zeros. A suspended user adds
``suspended_at`` and ``suspended_till``, as the list's rows do, and names who
suspended them (``suspended_by``, a BasicUser) when the forum recorded it.
"""

from __future__ import annotations

from typing import Any

from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.users import UserRow

#: The sandbox's members all came in over loopback; Discourse records each user's last IP.
SANDBOX_IP = "127.0.0.1"
#: ``BasicGroupSerializer`` adds these only for a viewer's own membership, not in the admin view.
_VIEWER_ONLY_GROUP_FIELDS = ("is_group_user", "is_group_owner", "can_edit_group")


def _age(now: int, timestamp: int | None) -> float | None:
    return None if timestamp is None else float(max(0, now - timestamp))


def basic_user(user: UserRow) -> dict[str, Any]:
    """``BasicUserSerializer``."""
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "avatar_template": avatar_template(user.username),
    }


def admin_group(group: dict[str, Any]) -> dict[str, Any]:
    """A ``BasicGroupSerializer`` row (see ``routes.groups.group_out``) as the admin view lists it."""
    return {k: v for k, v in group.items() if k not in _VIEWER_ONLY_GROUP_FIELDS}


def admin_detailed_user(
    user: UserRow,
    *,
    viewer: UserRow,
    now: int,
    badge_count: int,
    groups: list[dict[str, Any]],
    suspended_by: UserRow | None,
) -> dict[str, Any]:
    """Every field the published description requires, at their values for this user and viewer."""
    activity = user.activity
    # Guardian: admin powers are an admin's, never over system or oneself (revoking).
    may_admin = viewer.admin and not user.is_system
    ordinary = not user.is_system and not user.staff
    answer: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "avatar_template": avatar_template(user.username),
        "active": True,
        "admin": user.admin,
        "moderator": user.moderator,
        "last_seen_at": None if user.last_seen_at is None else iso(user.last_seen_at),
        "last_emailed_at": None,
        "created_at": iso(user.created_at),
        "last_seen_age": _age(now, user.last_seen_at),
        "last_emailed_age": None,
        "created_at_age": _age(now, user.created_at),
        "trust_level": activity.trust_level,
        "manual_locked_trust_level": None,
        "title": None,
        "time_read": activity.time_read,
        "staged": False,
        "days_visited": activity.days_visited,
        "posts_read_count": activity.posts_read_count,
        "topics_entered": activity.topics_entered,
        "post_count": activity.post_count,
        "associated_accounts": [],
        "can_send_activation_email": False,  # every sandbox user is active already
        "can_activate": False,
        "can_deactivate": ordinary and viewer.staff,
        "can_change_trust_level": viewer.staff and not user.is_system,
        "ip_address": SANDBOX_IP,
        "registration_ip_address": None,
        "can_grant_admin": may_admin and not user.admin,
        "can_revoke_admin": may_admin and user.admin and user.id != viewer.id,
        "can_grant_moderation": may_admin and not user.moderator and not user.admin,
        "can_revoke_moderation": may_admin and user.moderator,
        "can_impersonate": may_admin and not user.admin,
        "like_count": 0,
        "like_given_count": 0,
        # The profile (``/u/{username}``) counts topics the same way.
        "topic_count": activity.post_count // 4,
        "flags_given_count": 0,
        "flags_received_count": 0,
        "private_topics_count": 0,
        "can_delete_all_posts": not user.is_system and not user.admin,
        "can_be_deleted": not user.is_system and not user.admin and activity.post_count == 0,
        "can_be_anonymized": ordinary,
        "can_be_merged": ordinary,
        "full_suspend_reason": None if user.suspension is None else user.suspension.reason,
        "primary_group_id": None,
        "badge_count": badge_count,
        "warnings_received_count": 0,
        "bounce_score": 0,
        "reset_bounce_score_after": None,
        "can_view_action_logs": viewer.staff,
        "can_disable_second_factor": viewer.admin and user.id != viewer.id,
        "can_delete_sso_record": False,  # no DiscourseConnect here, so no SSO record
        "api_key_count": 0,
        "similar_users_count": 0,
        "single_sign_on_record": None,
        "approved_by": None,
        "suspended_by": None if suspended_by is None else basic_user(suspended_by),
        "silenced_by": None,
        "penalty_counts": {"silenced": 0, "suspended": 0 if user.suspension is None else 1},
        "groups": groups,
        "external_ids": {},
        "include_ip": viewer.admin,
    }
    if user.suspension is not None:
        answer["suspended_at"] = iso(user.suspension.suspended_at)
        answer["suspended_till"] = iso(user.suspension.suspended_till)
        answer["suspend_reason"] = user.suspension.reason
    return answer
