"""The fake Discourse forum the connector's tests use is held to Discourse's published spec.

If the fake answered in a shape Discourse does not, the connector's tests
would teach it that shape; these tests show that the check would catch it.
"""

from __future__ import annotations

import httpx
import pytest

from tests.fakes import discourse_spec as spec
from tests.fakes.discourse_forum import ADMIN_KEY, URL, FakeForum, ForumBadge


def client(forum: FakeForum, username: str = "alice") -> httpx.Client:
    return httpx.Client(
        base_url=URL, transport=forum.transport(), headers={"Api-Key": ADMIN_KEY, "Api-Username": username}
    )


def test_both_descriptions_are_valid_openapi() -> None:
    spec.validate_documents()


def test_every_answer_the_spec_describes_is_checked_against_it() -> None:
    forum = FakeForum.seeded(5, [ForumBadge(100, "Helper")])
    with client(forum) as http:
        for path in (
            "/site/basic-info.json",
            "/u/alice.json",
            "/admin/users/list/active.json?show_emails=true&order=created&asc=true&page=1",
            "/admin/users/list/active.json?page=9",  # past the end: [] (the spec's minItems is corrected)
            "/admin/users/3.json",
            "/admin/badges.json",
            "/user-badges/user3.json",
        ):
            assert http.get(path).status_code == 200, path
        grant = http.post("/user_badges.json", json={"username": "user3", "badge_id": 100}).json()
        assert http.delete(f"/user_badges/{grant['user_badge']['id']}.json").status_code == 200
    assert forum.checked == {
        "GET /site/basic-info.json",
        "GET /u/{username}.json",
        "GET /admin/users/list/{flag}.json",
        "GET /admin/users/{id}.json",
        "GET /admin/badges.json",
        "GET /user-badges/{username}.json",
        "POST /user_badges.json",
        "DELETE /user_badges/{id}.json",
    }


def test_an_answer_off_the_spec_is_caught() -> None:
    request = httpx.Request("GET", f"{URL}/site/basic-info.json")
    body = spec.shaped(spec.response_schema("/site/basic-info.json"), title="Forum")
    assert spec.check(request, httpx.Response(200, json=body))
    with pytest.raises(spec.SpecViolation, match="basic-info"):
        spec.check(request, httpx.Response(200, json={**body, "member_count": 3}))
    with pytest.raises(spec.SpecViolation):
        spec.check(request, httpx.Response(200, json={**body, "title": None}))
    revoke = httpx.Request("DELETE", f"{URL}/user_badges/7.json")
    with pytest.raises(spec.SpecViolation):
        spec.check(revoke, httpx.Response(200, json={"success": 1}))


def test_the_holders_list_is_not_described_so_not_checked() -> None:
    request = httpx.Request("GET", f"{URL}/user_badges.json?badge_id=100")
    assert not spec.check(request, httpx.Response(200, json={"anything": True}))


def test_a_bad_key_is_a_404_on_admin_pages_and_a_403_elsewhere() -> None:
    forum = FakeForum.seeded(2)
    with httpx.Client(
        base_url=URL, transport=forum.transport(), headers={"Api-Key": "wrong", "Api-Username": "alice"}
    ) as http:
        assert http.get("/admin/badges.json").status_code == 404
        assert http.get("/user-badges/user1.json").json()["error_type"] == "invalid_access"
