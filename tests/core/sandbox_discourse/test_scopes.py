"""Least-privilege keys: read-only (``global:read``) and granular (``resource:action``) keys, refused as
Discourse refuses them (403 ``invalid_access`` on ordinary routes, 404 under ``/admin``, nothing spent),
and ``/session/scopes`` naming each key's scopes (FACTS.md § API keys)."""

from __future__ import annotations

import pytest

from desktop.sandbox.discourse.errors import INVALID_API_CREDENTIALS, NOT_FOUND
from desktop.sandbox.discourse.keys import ApiKey
from desktop.sandbox.discourse.operations import declared_routes
from desktop.sandbox.discourse.scopes import (
    READ_ONLY,
    ROUTES,
    SCOPE_MAPPINGS,
    KeyScope,
    UnknownScope,
    parse_scope,
)
from tests.core.sandbox_discourse.conftest import CheckedClient, Forum, MakeForum, member_without

BAD_KEY_BODY = {"errors": [INVALID_API_CREDENTIALS], "error_type": "invalid_access"}
NOT_FOUND_BODY = {"errors": [NOT_FOUND], "error_type": "not_found"}


def _key(forum: Forum, name: str, *scopes: KeyScope, username: str | None = None) -> CheckedClient:
    """A single-user key of ``username`` (default the demo moderator) with ``scopes``."""
    username = username or forum.demo.usernames["moderator"]
    user = forum.data.user_by_username(username)
    assert user is not None
    secret = f"{name}-{user.id}".ljust(64, "0")
    forum.demo.keys.add(ApiKey(secret, f"test key {name}", user.id, scopes=tuple(scopes)))
    return forum.client(secret, username)


def _a_member(forum: Forum) -> str:
    everyone = forum.admin.get("/admin/users/list/basic.json").json()
    return str(everyone[0]["username"])


def test_the_demo_has_a_read_only_and_a_granular_key_of_the_moderator(forum: Forum) -> None:
    tokens, usernames = forum.demo.tokens, forum.demo.usernames
    assert set(tokens) == set(usernames) == {"admin", "moderator", "read_only", "granular"}
    assert usernames["read_only"] == usernames["granular"] == usernames["moderator"]
    read_only = forum.client(tokens["read_only"], usernames["read_only"])
    assert read_only.get("/session/scopes.json").json()["scopes"] == [
        {
            "resource": "global",
            "action": "read",
            "parameters": [],
            "urls": ["* (get)"],
            "allowed_parameters": {},
            "key": "read",
        }
    ]
    granular = forum.client(tokens["granular"], usernames["granular"]).get("/session/scopes.json").json()
    keys = {f"{s['resource']}:{s['key']}" for s in granular["scopes"]}
    assert {
        "badges:assign_badge_to_user",
        "badges:revoke_badge_from_user",
        "badges:list_user_badges",
        "users:list",
        "topics:write",
        "topics:status",
    } <= keys
    grant = next(s for s in granular["scopes"] if s["key"] == "assign_badge_to_user")
    assert grant == {
        "resource": "badges",
        "action": "assign badge to user",
        "parameters": ["username"],
        "urls": ["/user_badges (POST)"],
        "allowed_parameters": {},
        "key": "assign_badge_to_user",
    }


def test_a_read_only_key_reads_and_may_not_write(forum: Forum) -> None:
    read_only = _key(forum, "ro", *READ_ONLY)
    assert read_only.get("/admin/users/list/active.json").status_code == 200
    member = _a_member(forum)
    assert read_only.get(f"/user-badges/{member}.json").status_code == 200
    refused = read_only.post("/user_badges.json", data={"username": member, "badge_id": 100})
    assert (refused.status_code, refused.json()) == (403, BAD_KEY_BODY)
    assert "x-discourse-username" not in refused.headers
    # Under /admin a refusal looks like a route that does not exist.
    suspended = read_only.put(
        "/admin/users/5/suspend.json", data={"reason": "x", "suspend_until": "2099-01-01"}
    )
    assert (suspended.status_code, suspended.json()) == (404, NOT_FOUND_BODY)


def test_a_granular_key_may_do_what_its_scopes_name_and_nothing_else(forum: Forum) -> None:
    granular = _key(
        forum, "grant", parse_scope("badges:assign_badge_to_user"), parse_scope("badges:list_user_badges")
    )
    member = member_without(forum, 100)
    granted = granular.post("/user_badges.json", data={"username": member, "badge_id": 100})
    assert granted.status_code == 200, granted.text
    assert granted.headers["x-discourse-username"] == forum.demo.usernames["moderator"]
    assert granular.get(f"/user-badges/{member}.json").status_code == 200
    # Reading a user list or a profile needs users:list / users:show, which this key lacks.
    for path in (f"/u/{member}.json", "/groups.json"):
        refused = granular.get(path)
        assert (refused.status_code, refused.json()) == (403, BAD_KEY_BODY)
    assert granular.get("/admin/users/list/active.json").json() == NOT_FOUND_BODY
    user_badge_id = granted.json()["user_badge"]["id"]
    revoke = granular.delete(f"/user_badges/{user_badge_id}.json")
    assert (revoke.status_code, revoke.json()) == (403, BAD_KEY_BODY)


def test_a_scope_restricted_to_a_username_allows_only_that_member(forum: Forum) -> None:
    member = member_without(forum, 100)
    restricted = _key(forum, "one", KeyScope("badges", "assign_badge_to_user", {"username": (member,)}))
    assert restricted.post("/user_badges.json", data={"username": member, "badge_id": 100}).status_code == 200
    other = next(
        u["username"]
        for u in forum.admin.get("/admin/users/list/basic.json").json()
        if u["username"] != member
    )
    refused = restricted.post("/user_badges.json", json={"username": other, "badge_id": 100})
    assert (refused.status_code, refused.json()) == (403, BAD_KEY_BODY)


def test_a_path_parameter_restriction_is_read_from_the_path(forum: Forum) -> None:
    member = _a_member(forum)
    restricted = _key(forum, "path", KeyScope("badges", "list_user_badges", {"username": (member,)}))
    assert restricted.get(f"/user-badges/{member}.json").status_code == 200
    other = forum.admin.get("/admin/users/list/basic.json").json()[1]["username"]
    assert restricted.get(f"/user-badges/{other}.json").status_code == 403


def test_a_scope_grants_no_right_the_user_lacks(forum: Forum) -> None:
    # A moderator's key with badges:create still finds no /admin/badges: it is admin-only.
    creator = _key(forum, "create", parse_scope("badges:create"))
    answer = creator.post("/admin/badges.json", data={"name": "Scoped", "badge_type_id": 3})
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND_BODY)


def test_no_scope_covers_the_holders_list_the_mass_award_or_unsuspend(forum: Forum) -> None:
    everything = [KeyScope(resource, action) for resource, actions in _all_scopes() for action in actions]
    key = _key(forum, "all", *everything, username=_an_admin(forum))
    assert key.get("/user_badges.json", params={"badge_id": 100}).status_code == 403
    assert key.post("/admin/badges/award/100", files={"file": ("a.csv", b"x\n")}).status_code == 404
    assert key.put("/admin/users/5/unsuspend.json").status_code == 404
    assert key.get("/admin/badges.json").status_code == 200  # badges:list, since mid-2026


def _all_scopes() -> list[tuple[str, list[str]]]:
    return [(r, [a for a in actions if r != "global"]) for r, actions in SCOPE_MAPPINGS.items()]


def _an_admin(forum: Forum) -> str:
    admins = forum.admin.get("/admin/users/list/admins.json").json()
    return next(str(u["username"]) for u in admins if u["id"] > 0)


def test_session_scopes_answers_any_key_even_one_whose_scopes_do_not_cover_it(forum: Forum) -> None:
    narrow = _key(forum, "narrow", parse_scope("uploads:create"))
    answer = narrow.get("/session/scopes.json")
    assert answer.status_code == 200
    assert answer.headers["x-discourse-username"] == forum.demo.usernames["moderator"]
    assert answer.json()["scopes"] == [
        {
            "resource": "uploads",
            "action": "create",
            "parameters": [],
            "urls": ["/uploads (POST)"],
            "allowed_parameters": {},
            "key": "create",
        }
    ]
    assert "session#scopes" in {r.action for r in ROUTES.values()}


def test_refusals_by_scope_do_not_spend_the_admin_bucket(make_forum: MakeForum) -> None:
    forum = make_forum(rate_per_minute=2)
    read_only = _key(forum, "ro", *READ_ONLY)
    member = _a_member_without_bucket(forum)
    for _ in range(5):
        assert (
            read_only.post("/user_badges.json", data={"username": member, "badge_id": 100}).status_code == 403
        )
    assert read_only.get("/session/current.json").status_code == 200
    assert read_only.get("/session/current.json").status_code == 200
    assert read_only.get("/session/current.json").status_code == 429


def _a_member_without_bucket(forum: Forum) -> str:
    """A member's name read from the store, so that finding it spends nothing from the bucket."""
    found = (
        forum.data._conn()
        .execute("SELECT username FROM members WHERE status = 'active' ORDER BY id DESC LIMIT 1")
        .fetchone()
    )
    return str(found[0])


def test_an_unknown_scope_is_refused_when_the_key_is_made() -> None:
    with pytest.raises(UnknownScope, match="badges:award"):
        parse_scope("badges:award")
    with pytest.raises(UnknownScope, match="cannot be restricted"):
        KeyScope("badges", "create", {"username": ("alice",)})


def test_every_route_of_the_app_is_named_as_rails_names_it(forum: Forum) -> None:
    declared = set(declared_routes(forum.app))
    assert ("POST", "/user_badges") in declared
    assert declared - set(ROUTES) == set(), "add these routes to scopes.ROUTES"
    assert set(ROUTES) - declared == set(), "scopes.ROUTES names routes the app does not have"


def test_every_route_checks_a_key_that_comes_with_the_request(make_forum: MakeForum) -> None:
    # Discourse looks the key up for every request (FACTS.md: every keyed request spends the bucket).
    forum = make_forum(rate_per_minute=1)
    bad = forum.client("0" * 64, "system")
    refused = bad.get("/site/basic-info.json")
    assert (refused.status_code, refused.json()) == (403, BAD_KEY_BODY)
    assert forum.admin.get("/site/basic-info.json").status_code == 200
    assert forum.admin.get("/site/basic-info.json").status_code == 429
    assert forum.anonymous.get("/site/basic-info.json").status_code == 200


def test_topics_write_restricted_to_a_topic_replies_there_and_sends_no_private_message(forum: Forum) -> None:
    restricted = _key(forum, "reply", KeyScope("topics", "write", {"topic_id": ("12",)}))
    reply = restricted.post(
        "/posts.json", json={"topic_id": 12, "raw": "Approved: the badge is yours, congratulations."}
    )
    assert reply.status_code == 200, reply.text
    elsewhere = restricted.post(
        "/posts.json", json={"topic_id": 13, "raw": "Approved: the badge is yours, congratulations."}
    )
    assert (elsewhere.status_code, elsewhere.json()) == (403, BAD_KEY_BODY)
    message = restricted.post(
        "/posts.json",
        json={
            "title": "You have been awarded a badge",
            "raw": "Congratulations on your new badge, well deserved.",
            "archetype": "private_message",
            "target_recipients": _a_member(forum),
        },
    )
    assert (message.status_code, message.json()) == (403, BAD_KEY_BODY)
