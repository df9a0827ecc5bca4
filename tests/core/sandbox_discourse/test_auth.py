"""Who may call the Discourse face, and how it answers: keys, usernames, Discourse's two refusal
conventions, the exact JSON content type, ``.json`` or not, the acting user's header, the session."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.sandbox.discourse.errors import INVALID_ACCESS, INVALID_API_CREDENTIALS, NOT_FOUND
from tests.core.sandbox_discourse.conftest import Forum

JSON = "application/json; charset=utf-8"
NOT_FOUND_BODY = {"errors": [NOT_FOUND], "error_type": "not_found"}
BAD_KEY_BODY = {"errors": [INVALID_API_CREDENTIALS], "error_type": "invalid_access"}


def _admin_member(forum: Forum) -> str:
    admins = forum.admin.get("/admin/users/list/admins.json").json()
    return next(str(u["username"]) for u in admins if u["id"] > 0)


def _plain_member(forum: Forum) -> str:
    everyone = forum.admin.get("/admin/users/list/active.json").json()
    return next(str(u["username"]) for u in everyone if not u["admin"] and not u["moderator"])


def test_the_admin_key_acts_as_system_and_says_so(forum: Forum) -> None:
    response = forum.admin.get("/admin/badges.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert response.headers["x-discourse-username"] == "system"


def test_an_all_users_key_acts_as_whoever_api_username_names(forum: Forum) -> None:
    admin = _admin_member(forum)
    response = forum.client(forum.demo.tokens["admin"], admin.upper()).get("/session/current.json")
    assert response.status_code == 200
    assert response.json()["current_user"]["username"] == admin
    assert response.headers["x-discourse-username"] == admin


def test_an_all_users_key_needs_a_username(forum: Forum) -> None:
    no_name = forum.client(forum.demo.tokens["admin"])
    assert no_name.get("/admin/badges.json").json() == NOT_FOUND_BODY
    refused = no_name.get("/session/current.json")
    assert (refused.status_code, refused.json()) == (403, BAD_KEY_BODY)


def test_a_bad_key_is_a_404_under_admin_and_a_403_elsewhere(forum: Forum) -> None:
    bad = forum.client("0" * 64, "system")
    for method, path in (("GET", "/admin/badges.json"), ("GET", "/admin/users/list/active.json")):
        response = bad.request(method, path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND_BODY)
        assert response.headers["content-type"] == JSON
    username = _plain_member(forum)
    for method, path in (("GET", f"/u/{username}.json"), ("POST", "/user_badges.json")):
        response = bad.request(method, path)
        assert (response.status_code, response.json()) == (403, BAD_KEY_BODY)
        assert response.headers["content-type"] == JSON
        assert "x-discourse-username" not in response.headers


def test_an_unknown_username_with_a_good_key_is_a_bad_key(forum: Forum) -> None:
    response = forum.client(forum.demo.tokens["admin"], "nobody-here").get("/session/current.json")
    assert (response.status_code, response.json()) == (403, BAD_KEY_BODY)


def test_a_single_user_key_acts_only_as_its_user(forum: Forum) -> None:
    key, moderator = forum.demo.tokens["moderator"], forum.demo.usernames["moderator"]
    without_name = forum.client(key).get("/session/current.json")
    assert without_name.json()["current_user"]["username"] == moderator
    other = forum.client(key, "system").get("/session/current.json")
    assert (other.status_code, other.json()) == (403, BAD_KEY_BODY)
    assert forum.client(key, "system").get("/admin/users/list/staff.json").status_code == 404


def test_admin_routes_exist_only_for_admins_and_user_lists_for_staff(forum: Forum) -> None:
    assert forum.moderator.get("/admin/badges.json").json() == NOT_FOUND_BODY
    assert forum.moderator.get("/admin/users/list/staff.json").status_code == 200
    member = _plain_member(forum)
    as_member = forum.client(forum.key_for(member), member)
    assert as_member.get("/admin/users/list/staff.json").json() == NOT_FOUND_BODY
    assert as_member.get("/admin/badges.json").json() == NOT_FOUND_BODY


def test_a_suspended_users_key_is_refused(forum: Forum) -> None:
    suspended = forum.admin.get("/admin/users/list/suspended.json").json()[0]["username"]
    key = forum.key_for(suspended)
    response = forum.client(key, suspended).get("/session/current.json")
    assert (response.status_code, response.json()) == (
        403,
        {"errors": [INVALID_ACCESS], "error_type": "invalid_access"},
    )
    assert forum.client(key, suspended).get("/admin/users/list/active.json").status_code == 404


def test_anonymous_requests_see_public_pages_only(forum: Forum) -> None:
    username = _plain_member(forum)
    assert forum.anonymous.get(f"/u/{username}.json").status_code == 200
    assert forum.anonymous.get("/admin/users/list/active.json").json() == NOT_FOUND_BODY
    refused = forum.anonymous.post("/user_badges.json", data={"username": username, "badge_id": 100})
    assert (refused.status_code, refused.json()) == (
        403,
        {"errors": ["You need to be logged in to do that."], "error_type": "not_logged_in"},
    )


def test_credentials_in_the_query_string_are_ignored(forum: Forum) -> None:
    response = forum.anonymous.get(
        "/admin/badges.json", params={"api_key": forum.demo.tokens["admin"], "api_username": "system"}
    )
    assert response.json() == NOT_FOUND_BODY


@pytest.mark.parametrize(
    "path",
    [
        "/admin/badges",
        "/admin/badges/types",
        "/admin/users/list/active",
        "/admin/users/list/staff",
        "/user_badges?badge_id=100",
        "/session/current",
        "/session/scopes",
    ],
)
def test_every_route_answers_the_same_with_and_without_json(forum: Forum, path: str) -> None:
    bare, _, query = path.partition("?")
    with_suffix = f"{bare}.json" + (f"?{query}" if query else "")
    plain = forum.admin.get(path)
    suffixed = forum.admin.get(with_suffix)
    assert plain.status_code == suffixed.status_code == 200
    assert plain.headers["content-type"] == suffixed.headers["content-type"] == JSON
    # The same answer, but for ages (``last_seen_age``…) counted from each request's own moment.
    assert _without_ages(plain.json()) == _without_ages(suffixed.json())


def _without_ages(value: Any) -> Any:
    """An answer without the ages Discourse counts from the moment of each request."""
    if isinstance(value, dict):
        return {k: _without_ages(v) for k, v in value.items() if not k.endswith("_age")}
    if isinstance(value, list):
        return [_without_ages(v) for v in value]
    return value


def test_the_member_routes_answer_with_and_without_json_and_a_trailing_slash(forum: Forum) -> None:
    username = _plain_member(forum)
    for path in (f"/u/{username}", f"/users/{username}", f"/user-badges/{username}"):
        answers = [forum.admin.get(p) for p in (path, f"{path}.json", f"{path}/")]
        assert {a.status_code for a in answers} == {200}
        assert all(a.headers["content-type"] == JSON for a in answers)
        first, *others = (_without_ages(a.json()) for a in answers)
        assert all(other == first for other in others)


def test_unknown_routes_and_methods_are_discourses_404(forum: Forum) -> None:
    for method, path in (("GET", "/no/such/thing.json"), ("PATCH", "/admin/badges.json")):
        response = forum.admin.request(method, path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND_BODY)
        assert response.headers["content-type"] == JSON


def test_session_current_names_the_keys_user(forum: Forum) -> None:
    answer = forum.moderator.get("/session/current.json").json()["current_user"]
    assert answer["username"] == forum.demo.usernames["moderator"]
    assert (answer["moderator"], answer["admin"], answer["staff"]) == (True, False, True)
    anonymous = forum.anonymous.get("/session/current.json")
    assert (anonymous.status_code, anonymous.content) == (404, b"")


def test_session_scopes_are_empty_for_a_global_key_and_404_without_one(forum: Forum) -> None:
    assert forum.admin.get("/session/scopes.json").json() == {"scopes": []}
    assert forum.moderator.get("/session/scopes.json").json() == {"scopes": []}
    anonymous = forum.anonymous.get("/session/scopes.json")
    assert (anonymous.status_code, anonymous.content) == (404, b"")


def test_an_id_beyond_the_databases_integers_is_not_found(forum: Forum) -> None:
    # Found by schemathesis: SQLite cannot bind it; Rails' find answers RecordNotFound.
    huge = "4418560038255903126486777856"
    for method, path in (("DELETE", f"/admin/badges/{huge}.json"), ("DELETE", f"/user_badges/{huge}.json")):
        response = forum.admin.request(method, path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND_BODY)
