"""Users through the Discourse face: ``/admin/users/list/{flag}`` (100 a page, a bare array, the
flags the code filters by, ``order``/``asc``/``filter``/``email``/``show_emails``) and profiles."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.core.sandbox_discourse.conftest import MEMBERS, Forum
from tests.core.sandbox_discourse.test_auth import _without_ages


def all_pages(forum: Forum, flag: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = forum.admin.get(f"/admin/users/list/{flag}.json", params={**params, "page": page})
        assert answer.status_code == 200
        batch = answer.json()
        assert isinstance(batch, list)
        if not batch:
            return rows
        assert len(batch) <= 100
        rows += batch
        page += 1


def members_by_status(database: Path) -> dict[str, set[int]]:
    conn = sqlite3.connect(database)
    try:
        found: dict[str, set[int]] = {}
        for member_id, status in conn.execute("SELECT id, status FROM members"):
            found.setdefault(status, set()).add(member_id)
        return found
    finally:
        conn.close()


def test_a_page_is_a_bare_array_of_100_and_an_empty_page_ends_the_list(forum: Forum, database: Path) -> None:
    client = forum.admin
    first = client.get("/admin/users/list/active.json")
    assert first.status_code == 200 and isinstance(first.json(), list) and len(first.json()) == 100
    assert client.operations == ["adminListUsersFlag"]
    rows = all_pages(forum, "active")
    statuses = members_by_status(database)
    alive = statuses["active"] | statuses["suspended"]
    # Everyone but deleted members, once each, and Discourse's own system user.
    assert sorted(r["id"] for r in rows) == sorted(alive | {-1})
    assert len(rows) == len(alive) + 1 <= MEMBERS + 1


def test_page_zero_one_and_none_are_the_same_first_page(forum: Forum) -> None:
    # Ids, not whole rows: the ages in a row move on with the clock.
    pages = [
        [r["id"] for r in forum.admin.get("/admin/users/list/active.json", params=params).json()]
        for params in ({}, {"page": 0}, {"page": 1}, {"page": "junk"})
    ]
    assert pages[0] == pages[1] == pages[2] == pages[3]
    second = forum.admin.get("/admin/users/list/active.json", params={"page": 2}).json()
    assert not {r["id"] for r in second} & set(pages[0])


def test_active_orders_by_last_seen_and_other_lists_by_newest_first(forum: Forum) -> None:
    active = all_pages(forum, "active")
    seen = [r["last_seen_at"] for r in active if r["last_seen_at"] is not None]
    assert seen == sorted(seen, reverse=True)
    assert all(r["last_seen_at"] is None for r in active[len(seen) :])
    newest = all_pages(forum, "new")
    created = [r["created_at"] for r in newest]
    assert created == sorted(created, reverse=True)


@pytest.mark.parametrize("flag", ["new", "blocked", "suspect", "nonsense", "active"])
def test_flags_the_code_does_not_filter_by_list_everyone(forum: Forum, flag: str) -> None:
    assert len(all_pages(forum, flag)) == len(all_pages(forum, "active"))


def test_staff_admins_moderators_and_suspended_filter(forum: Forum, database: Path) -> None:
    staff = all_pages(forum, "staff")
    admins = all_pages(forum, "admins")
    moderators = all_pages(forum, "moderators")
    assert staff and admins and moderators
    assert all(r["admin"] or r["moderator"] for r in staff)
    assert all(r["admin"] for r in admins)
    assert all(r["moderator"] for r in moderators)
    assert {r["id"] for r in admins} | {r["id"] for r in moderators} == {r["id"] for r in staff}
    suspended = {r["id"] for r in all_pages(forum, "suspended")}
    assert suspended == members_by_status(database)["suspended"]
    for flag in ("silenced", "pending", "staged"):
        assert all_pages(forum, flag) == []


@pytest.mark.parametrize(("flag", "level"), [("newuser", 0), ("basic", 1), ("member", 2), ("regular", 3)])
def test_trust_level_flags_filter_by_trust_level(forum: Forum, flag: str, level: int) -> None:
    rows = all_pages(forum, flag)
    assert rows, f"the demo has {flag} users"
    assert {r["trust_level"] for r in rows} == {level}
    everyone = all_pages(forum, "active")
    assert len(rows) == sum(1 for r in everyone if r["trust_level"] == level)


def test_order_and_any_non_empty_asc_sort_ascending(forum: Forum) -> None:
    descending = [r["username"] for r in all_pages(forum, "active", order="username")]
    assert descending == sorted(descending, reverse=True)
    for asc in ("true", "false", "0"):
        ascending = [r["username"] for r in all_pages(forum, "active", order="username", asc=asc)]
        assert ascending == sorted(ascending)
    by_posts = [r["post_count"] for r in all_pages(forum, "active", order="posts")]
    assert by_posts == sorted(by_posts, reverse=True)
    # Discourse reads "created desc" as "created" and an unknown order as none: everyone, still.
    created = [r["created_at"] for r in all_pages(forum, "active", order="created DESC", asc="1")]
    assert created == sorted(created)
    assert len(all_pages(forum, "active", order="shoe_size")) == len(descending)


def test_emails_only_with_show_emails_and_the_look_is_logged(forum: Forum) -> None:
    plain = forum.admin.get("/admin/users/list/active.json").json()
    assert all("email" not in r for r in plain)
    assert forum.data.staff_actions("check_email") == []
    shown = forum.moderator.get("/admin/users/list/active.json", params={"show_emails": "true"}).json()
    assert all(r["email"] == r["email"].lower() and "@" in r["email"] for r in shown if r["id"] > 0)
    assert all(r["secondary_emails"] == [] for r in shown)
    logged = forum.data.staff_actions("check_email")
    moderator = forum.data.user_by_username(forum.demo.usernames["moderator"])
    assert moderator is not None and [entry[0] for entry in logged] == [moderator.id]


def test_filter_matches_username_or_email_substrings_and_email_matches_exactly(forum: Forum) -> None:
    everyone = forum.admin.get("/admin/users/list/active.json", params={"show_emails": "true"}).json()
    target = next(r for r in everyone if r["id"] > 0)
    part = target["username"][1:4].upper()
    found = all_pages(forum, "active", filter=part, show_emails="true")
    assert target["id"] in {r["id"] for r in found}
    assert all(part.lower() in r["username"].lower() or part.lower() in r["email"] for r in found)
    domain = target["email"].split("@")[1]
    assert {r["id"] for r in all_pages(forum, "active", filter=domain, show_emails="true")} >= {target["id"]}
    other = next(r for r in everyone if r["id"] > 0 and r["id"] != target["id"])
    both = {r["id"] for r in all_pages(forum, "active", filter=f"{target['username']}, {other['username']}")}
    assert {target["id"], other["id"]} <= both
    exact = forum.admin.get("/admin/users/list/active.json", params={"email": target["email"].upper()}).json()
    assert [r["id"] for r in exact] == [target["id"]]
    assert forum.admin.get("/admin/users/list/active.json", params={"email": "no@where.example"}).json() == []


def test_too_many_filter_terms_are_invalid_parameters(forum: Forum) -> None:
    response = forum.admin.get("/admin/users/list/active.json", params={"filter": " ".join(["a"] * 101)})
    assert response.status_code == 400
    assert response.json() == {
        "errors": ["You supplied invalid parameters to the request: filter"],
        "error_type": "invalid_parameters",
    }


def test_a_profile_by_username_in_any_case(forum: Forum) -> None:
    row = forum.admin.get("/admin/users/list/active.json").json()[0]
    client = forum.moderator
    profile = client.get(f"/u/{row['username'].upper()}.json")
    assert profile.status_code == 200
    assert client.operations == ["getUser"]
    user = profile.json()["user"]
    assert (user["id"], user["username"], user["trust_level"]) == (
        row["id"],
        row["username"],
        row["trust_level"],
    )
    assert profile.json()["user_badges"] == []
    again = forum.moderator.get(f"/users/{row['username']}.json").json()
    assert _without_ages(again) == _without_ages(profile.json())
    assert forum.admin.get("/u/system.json").json()["user"]["id"] == -1


def test_a_suspended_users_profile_says_until_when(forum: Forum) -> None:
    suspended = all_pages(forum, "suspended")[0]
    assert suspended["suspended_till"] and suspended["suspended_at"]
    user = forum.admin.get(f"/u/{suspended['username']}.json").json()["user"]
    assert user["suspended_till"] == suspended["suspended_till"]


def test_deleted_members_do_not_exist(forum: Forum, database: Path) -> None:
    conn = sqlite3.connect(database)
    try:
        username = conn.execute("SELECT username FROM members WHERE status = 'deleted' LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    response = forum.admin.get(f"/u/{username}.json")
    assert (response.status_code, response.json()["error_type"]) == (404, "not_found")
    assert forum.admin.get(f"/user-badges/{username}.json").status_code == 404
    assert forum.admin.get("/admin/users/list/active.json", params={"filter": username}).json() == []
