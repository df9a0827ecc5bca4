"""A user by id through the Discourse face: ``GET /admin/users/{id}.json`` (``Admin::UsersController#show``,
AdminDetailedUserSerializer), checked against the published description (``adminGetUser``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.core.sandbox_discourse.conftest import Forum
from tests.core.sandbox_discourse.test_users import all_pages


def test_a_member_by_id_as_the_list_shows_them(forum: Forum) -> None:
    row = forum.admin.get("/admin/users/list/active.json").json()[0]
    client = forum.admin
    answer = client.get(f"/admin/users/{row['id']}.json")
    assert answer.status_code == 200
    assert client.operations == ["adminGetUser"]
    user = answer.json()
    for name in ("id", "username", "name", "admin", "moderator", "trust_level", "post_count", "created_at"):
        assert user[name] == row[name], name
    assert "suspended_till" not in user and user["suspended_by"] is None
    # The same route without ".json", as Rails routes it too.
    assert forum.admin.get(f"/admin/users/{row['id']}").json()["username"] == row["username"]


def test_the_badge_count_and_groups_are_the_members_own(forum: Forum) -> None:
    row = forum.admin.get("/admin/users/list/active.json").json()[0]
    user = forum.admin.get(f"/admin/users/{row['id']}.json").json()
    profile = forum.admin.get(f"/u/{row['username']}.json").json()["user"]
    assert user["badge_count"] == profile["badge_count"]
    names = {g["name"] for g in user["groups"]}
    assert f"trust_level_{row['trust_level']}" in names, "automatic groups are listed too"
    for group in user["groups"]:
        members = forum.admin.get(f"/groups/{group['name']}/members.json", params={"limit": 1000}).json()
        assert row["id"] in {m["id"] for m in members["members"]}, group["name"]


def test_a_moderator_may_read_it_but_not_a_member_or_a_stranger(forum: Forum) -> None:
    row = forum.admin.get("/admin/users/list/basic.json").json()[0]
    moderator = forum.moderator
    answer = moderator.get(f"/admin/users/{row['id']}.json")
    assert answer.status_code == 200 and moderator.operations == ["adminGetUser"]
    # A moderator's Guardian may not hand out admin or moderation.
    assert not answer.json()["can_grant_admin"] and not answer.json()["can_grant_moderation"]
    assert forum.admin.get(f"/admin/users/{row['id']}.json").json()["can_grant_admin"]
    member = forum.client(forum.key_for(row["username"]), row["username"])
    assert member.get(f"/admin/users/{row['id']}.json").status_code == 404
    assert forum.anonymous.get(f"/admin/users/{row['id']}.json").status_code == 404


@pytest.mark.parametrize("raw_id", ["abc", "999999", "0"])
def test_an_id_of_nobody_is_not_found(forum: Forum, raw_id: str) -> None:
    answer = forum.admin.get(f"/admin/users/{raw_id}.json")
    assert (answer.status_code, answer.json()["error_type"]) == (404, "not_found")


def test_an_id_is_cast_as_rails_casts_an_integer(forum: Forum) -> None:
    row = forum.admin.get("/admin/users/list/active.json").json()[0]
    assert forum.admin.get(f"/admin/users/{row['id']}abc.json").json()["id"] == row["id"]


def test_a_deleted_member_is_not_found(forum: Forum, database: Path) -> None:
    conn = sqlite3.connect(database)
    try:
        member_id = conn.execute("SELECT id FROM members WHERE status = 'deleted' LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    assert forum.admin.get(f"/admin/users/{member_id}.json").status_code == 404


def test_system_is_a_user_like_any_other_but_untouchable(forum: Forum) -> None:
    user = forum.admin.get("/admin/users/-1.json").json()
    assert (user["username"], user["admin"]) == ("system", True)
    assert not (user["can_revoke_admin"] or user["can_impersonate"] or user["can_be_deleted"])


def test_a_suspended_member_says_until_when_and_by_whom(forum: Forum) -> None:
    row = forum.admin.get("/admin/users/list/basic.json").json()[0]
    moderator = forum.demo.usernames["moderator"]
    suspended = forum.moderator.put(
        f"/admin/users/{row['id']}/suspend.json", json={"suspend_until": "2121-02-22", "reason": "Spam"}
    )
    assert suspended.status_code == 200
    client = forum.admin
    user = client.get(f"/admin/users/{row['id']}.json").json()
    assert client.operations == ["adminGetUser"], "the suspension's fields are in the (corrected) description"
    assert user["suspended_till"].startswith("2121-02-22")
    assert (user["suspend_reason"], user["full_suspend_reason"]) == ("Spam", "Spam")
    assert user["suspended_by"]["username"] == moderator
    assert user["penalty_counts"] == {"silenced": 0, "suspended": 1}
    seeded = all_pages(forum, "suspended")[-1]
    assert forum.admin.get(f"/admin/users/{seeded['id']}.json").json()["suspended_by"] is None


def test_no_granular_scope_covers_it_but_a_read_only_key_reads_it(forum: Forum) -> None:
    # ApiKeyScope.default_mappings has no admin/users#show (``users:show`` is users#show, the
    # profile): a granular key meets the admin pages' 404, indistinguishable from nobody.
    row = forum.admin.get("/admin/users/list/basic.json").json()[0]
    tokens, usernames = forum.demo.tokens, forum.demo.usernames
    granular = forum.client(tokens["granular"], usernames["granular"])
    refused = granular.get(f"/admin/users/{row['id']}.json")
    assert (refused.status_code, refused.json()["error_type"]) == (404, "not_found")
    read_only = forum.client(tokens["read_only"], usernames["read_only"])
    assert read_only.get(f"/admin/users/{row['id']}.json").json()["id"] == row["id"]
