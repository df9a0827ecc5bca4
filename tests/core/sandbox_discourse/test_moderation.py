"""Suspending, unsuspending and deleting members through the Discourse face (``/admin/users/{id}``),
with Discourse's answers and refusals, and the store (so the v1 face) following."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from desktop.sandbox.discourse.errors import INVALID_ACCESS, NOT_FOUND
from tests.core.sandbox_discourse.conftest import Forum

NOT_FOUND_BODY = {"errors": [NOT_FOUND], "error_type": "not_found"}
INVALID_ACCESS_BODY = {"errors": [INVALID_ACCESS], "error_type": "invalid_access"}


def plain_member(forum: Forum, *, posts: bool | None = None) -> dict[str, Any]:
    for row in forum.admin.get("/admin/users/list/active.json", params={"order": "created"}).json():
        if row["admin"] or row["moderator"] or row["id"] < 0:
            continue
        if posts is None or (row["post_count"] > 0) is posts:
            return dict(row)
    raise AssertionError("no such member in the demo")


def status(database: Path, member_id: int) -> str:
    conn = sqlite3.connect(database)
    try:
        return str(conn.execute("SELECT status FROM members WHERE id = ?", (member_id,)).fetchone()[0])
    finally:
        conn.close()


def test_a_suspension_answers_what_was_recorded(forum: Forum, database: Path) -> None:
    member = plain_member(forum)
    client = forum.moderator
    response = client.put(
        f"/admin/users/{member['id']}/suspend.json",
        json={"suspend_until": "2121-02-22", "reason": "Spam", "message": "Please stop."},
    )
    assert response.status_code == 200
    assert client.operations == ["suspendUser"]
    suspension = response.json()["suspension"]
    moderator = forum.demo.usernames["moderator"]
    assert suspension["suspend_reason"] == "Spam"
    assert suspension["full_suspend_reason"] == "Spam\n\nPlease stop."
    assert suspension["suspended_till"].startswith("2121-02-22T00:00:00")
    assert suspension["suspended_by"]["username"] == moderator
    assert set(suspension["suspended_by"]) == {"id", "username", "name", "avatar_template"}
    assert status(database, member["id"]) == "suspended", "the v1 face sees the suspension"
    listed = {r["id"]: r for r in forum.admin.get("/admin/users/list/suspended.json").json()}
    assert listed[member["id"]]["suspended_till"] == suspension["suspended_till"]
    assert listed[member["id"]]["suspend_reason"] == "Spam"
    profile = forum.admin.get(f"/u/{member['username']}.json").json()["user"]
    assert profile["suspended_till"] == suspension["suspended_till"]
    acting = forum.data.user_by_username(moderator)
    assert acting is not None
    assert [(a, t) for a, t, _s, _d in forum.data.staff_actions("suspend_user")] == [
        (acting.id, member["id"])
    ]


def test_a_suspended_member_can_still_be_granted_a_badge(forum: Forum) -> None:
    member = plain_member(forum)
    forum.admin.put(
        f"/admin/users/{member['id']}/suspend.json", data={"suspend_until": "2121-01-01", "reason": "x"}
    )
    granted = forum.admin.post("/user_badges.json", data={"username": member["username"], "badge_id": 102})
    assert granted.status_code == 200


def test_suspending_twice_is_a_409_failed(forum: Forum) -> None:
    member = plain_member(forum)
    path = f"/admin/users/{member['id']}/suspend.json"
    assert forum.admin.put(path, json={"suspend_until": "2121-02-22", "reason": "Spam"}).status_code == 200
    again = forum.moderator.put(path, json={"suspend_until": "2122-02-22", "reason": "More spam"})
    assert again.status_code == 409
    body = again.json()
    assert body["failed"] == "FAILED" and "suspended" in body["message"]


def test_what_a_suspension_refuses(forum: Forum) -> None:
    member = plain_member(forum)
    path = f"/admin/users/{member['id']}/suspend.json"
    for body, errors in (
        ({"suspend_until": "2121-02-22"}, ["Reason can't be blank"]),
        (
            {"suspend_until": "2121-02-22", "reason": "r" * 301},
            ["Reason is too long (maximum is 300 characters)"],
        ),
        ({"reason": "Spam"}, ["Suspend until can't be blank"]),
        ({"reason": "Spam", "suspend_until": "someday"}, ["Suspend until can't be blank"]),
    ):
        response = forum.admin.put(path, json=body)
        assert (response.status_code, response.json()) == (400, {"failed": "FAILED", "errors": errors}), body
    staff = next(r for r in forum.admin.get("/admin/users/list/moderators.json").json() if r["id"] > 0)
    refused = forum.admin.put(
        f"/admin/users/{staff['id']}/suspend.json", json={"suspend_until": "2121-02-22", "reason": "No"}
    )
    assert (refused.status_code, refused.json()) == (403, INVALID_ACCESS_BODY)
    for missing in ("/admin/users/987654/suspend.json", "/admin/users/abc/suspend.json"):
        assert forum.admin.put(missing, json={"suspend_until": "2121-02-22", "reason": "No"}).json() == (
            NOT_FOUND_BODY
        )
    other = plain_member(forum, posts=False)
    as_member = forum.client(forum.key_for(other["username"]), other["username"])
    assert as_member.put(path, json={"suspend_until": "2121-02-22", "reason": "No"}).json() == NOT_FOUND_BODY


def test_unsuspending_answers_an_empty_suspension(forum: Forum, database: Path) -> None:
    member = plain_member(forum)
    forum.admin.put(
        f"/admin/users/{member['id']}/suspend.json", json={"suspend_until": "2121-02-22", "reason": "x"}
    )
    for _ in range(2):
        response = forum.moderator.put(f"/admin/users/{member['id']}/unsuspend.json")
        assert (response.status_code, response.json()) == (
            200,
            {"suspension": {"suspended_till": None, "suspended_at": None}},
        )
    assert status(database, member["id"]) == "active"
    assert member["id"] not in {r["id"] for r in forum.admin.get("/admin/users/list/suspended.json").json()}
    assert "suspended_till" not in forum.admin.get(f"/u/{member['username']}.json").json()["user"]


def test_deleting_a_member_without_posts(forum: Forum, database: Path) -> None:
    member = plain_member(forum, posts=False)
    granted = forum.admin.post("/user_badges.json", data={"username": member["username"], "badge_id": 102})
    assert granted.status_code == 200
    client = forum.moderator
    response = client.delete(f"/admin/users/{member['id']}.json")
    assert (response.status_code, response.json()) == (200, {"deleted": True})
    assert client.operations == ["deleteUser"]
    assert forum.admin.get(f"/u/{member['username']}.json").json() == NOT_FOUND_BODY
    assert status(database, member["id"]) == "deleted", "the v1 face sees the deletion"
    holders = forum.admin.get("/user_badges.json", params={"badge_id": 102, "limit": 50}).json()
    assert member["id"] not in {g["user_id"] for g in holders["user_badge_info"]["user_badges"]}
    assert forum.admin.delete(f"/admin/users/{member['id']}.json").json() == INVALID_ACCESS_BODY


def test_a_member_with_posts_is_deleted_only_with_their_posts(forum: Forum) -> None:
    member = plain_member(forum, posts=True)
    path = f"/admin/users/{member['id']}.json"
    refused = forum.admin.delete(path)
    assert refused.status_code == 403
    assert refused.json() == {
        "deleted": False,
        "message": f"User {member['username']} has {member['post_count']} posts, so they can't be deleted.",
    }
    assert forum.admin.delete(path, params={"delete_posts": "true", "block_email": "true"}).json() == {
        "deleted": True
    }


def test_admins_cannot_be_deleted(forum: Forum) -> None:
    admin = next(r for r in forum.admin.get("/admin/users/list/admins.json").json() if r["id"] > 0)
    assert forum.admin.delete(f"/admin/users/{admin['id']}.json").json() == INVALID_ACCESS_BODY
