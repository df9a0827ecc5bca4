"""Grants through the Discourse face: ``POST /user_badges`` with BadgeGranter's repeat rules and the
reason-link rule, revoke by grant id, holders newest first in short pages, a member's badges."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.sandbox.discourse.errors import NOT_FOUND
from tests.core.sandbox_discourse.conftest import FORUM, Forum, member_without

NOT_FOUND_BODY = {"errors": [NOT_FOUND], "error_type": "not_found"}
INVALID_REASON = {
    "failed": "FAILED",
    "message": "External or invalid discourse link cannot be used as reason.",
}
SINGLE = 101  # First Post: held once
MULTIPLE = 110  # Lightning Talk: multiple_grant
#: A topic of the demo (badge request #2's), so its first post exists.
TOPIC = 12


def grant(forum: Forum, username: str, badge_id: int, **extra: Any) -> dict[str, Any]:
    response = forum.moderator.post(
        "/user_badges.json", data={"username": username, "badge_id": badge_id, **extra}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, dict)
    return body


def grants_of(forum: Forum, username: str, badge_id: int) -> list[dict[str, Any]]:
    mine = forum.admin.get(f"/user-badges/{username}.json").json()["user_badges"]
    return [b for b in mine if b["badge_id"] == badge_id]


def test_a_grant_answers_with_the_user_badge_and_its_sideloads(forum: Forum) -> None:
    username = member_without(forum, SINGLE)
    client = forum.moderator
    response = client.post("/user_badges.json", data={"username": username, "badge_id": SINGLE})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert client.operations == ["post /user_badges.json"]
    body = response.json()
    assert set(body) == {"badges", "badge_types", "granted_bies", "user_badge"}
    user_badge = body["user_badge"]
    moderator = forum.data.user_by_username(forum.demo.usernames["moderator"])
    assert moderator is not None
    assert (user_badge["badge_id"], user_badge["granted_by_id"]) == (SINGLE, moderator.id)
    assert [b["id"] for b in body["badges"]] == [SINGLE]
    assert [u["id"] for u in body["granted_bies"]] == [moderator.id]
    assert [t["id"] for t in body["badge_types"]] == [body["badges"][0]["badge_type_id"]]
    assert [g["id"] for g in grants_of(forum, username, SINGLE)] == [user_badge["id"]]


def test_a_grant_by_badge_name_in_json(forum: Forum) -> None:
    username = member_without(forum, SINGLE)
    response = forum.admin.post("/user_badges.json", json={"username": username, "badge_name": "First Post"})
    assert response.status_code == 200
    assert response.json()["user_badge"]["badge_id"] == SINGLE
    assert response.json()["user_badge"]["granted_by_id"] == -1


def test_what_a_grant_refuses(forum: Forum) -> None:
    username = member_without(forum, SINGLE)
    mod = forum.moderator
    assert mod.post("/user_badges.json", data={"username": "nobody-at-all", "badge_id": SINGLE}).json() == (
        NOT_FOUND_BODY
    )
    assert (
        mod.post("/user_badges.json", data={"username": username, "badge_id": 99999}).json() == NOT_FOUND_BODY
    )
    assert (
        mod.post("/user_badges.json", data={"username": username, "badge_name": "Nope"}).json()
        == NOT_FOUND_BODY
    )
    missing = mod.post("/user_badges.json", data={"badge_id": SINGLE})
    assert (missing.status_code, missing.json()) == (
        400,
        {"errors": ["param is missing or the value is empty: username"]},
    )
    no_badge = mod.post("/user_badges.json", data={"username": username})
    assert (no_badge.status_code, no_badge.json()) == (
        400,
        {"errors": ["param is missing or the value is empty: badge_id"]},
    )
    member = forum.admin.get("/admin/users/list/member.json").json()[0]["username"]
    as_member = forum.client(forum.key_for(member), member)
    refused = as_member.post("/user_badges.json", data={"username": username, "badge_id": SINGLE})
    assert (refused.status_code, refused.json()) == (403, {"failed": "FAILED"})
    assert grants_of(forum, username, SINGLE) == []


@pytest.mark.parametrize(
    "reason",
    [
        f"/t/badge-request/{TOPIC}",
        f"/t/badge-request/{TOPIC}/1",
        f"/t/{TOPIC}",
        f"http://{FORUM}/t/badge-request/{TOPIC}",
        f"https://{FORUM}:8443/t/whatever/{TOPIC}?u=me#post_1",
        "/t/never-written/987654",
        "/p/123",
        f"http://{FORUM}/posts/55",
    ],
)
def test_a_reason_may_link_a_topic_or_post_of_this_forum(forum: Forum, reason: str) -> None:
    username = member_without(forum, MULTIPLE)
    assert grant(forum, username, MULTIPLE, reason=reason)["user_badge"]["badge_id"] == MULTIPLE


@pytest.mark.parametrize(
    "reason",
    [
        "Great talk, thank you!",
        "https://elsewhere.example/t/badge-request/12",
        f"http://{FORUM}/about",
        "/u/someone",
        "ftp://other.host/t/x/1",
    ],
)
def test_any_other_reason_is_a_400_failed(forum: Forum, reason: str) -> None:
    username = member_without(forum, MULTIPLE)
    response = forum.moderator.post(
        "/user_badges.json", data={"username": username, "badge_id": MULTIPLE, "reason": reason}
    )
    assert (response.status_code, response.json()) == (400, INVALID_REASON)
    assert grants_of(forum, username, MULTIPLE) == []


def test_a_badge_held_once_answers_again_with_the_existing_grant(forum: Forum) -> None:
    username = member_without(forum, SINGLE)
    first = grant(forum, username, SINGLE)["user_badge"]
    again = forum.admin.post("/user_badges.json", data={"username": username, "badge_id": SINGLE})
    assert again.status_code == 200
    second = again.json()["user_badge"]
    assert (second["id"], second["granted_at"], second["granted_by_id"]) == (
        first["id"],
        first["granted_at"],
        first["granted_by_id"],
    )
    assert len(grants_of(forum, username, SINGLE)) == 1
    with_reason = grant(forum, username, SINGLE, reason=f"/t/x/{TOPIC}")["user_badge"]
    assert with_reason["id"] == first["id"]


def test_a_multiple_grant_badge_linked_to_the_same_post_is_granted_once(forum: Forum) -> None:
    username = member_without(forum, MULTIPLE)
    first = grant(forum, username, MULTIPLE, reason=f"/t/badge-request/{TOPIC}")["user_badge"]
    assert (first["topic_id"], first["post_number"]) == (TOPIC, 1)
    again = grant(forum, username, MULTIPLE, reason=f"http://{FORUM}/t/other-slug/{TOPIC}/1")["user_badge"]
    assert again["id"] == first["id"]
    assert len(grants_of(forum, username, MULTIPLE)) == 1
    elsewhere = grant(forum, username, MULTIPLE, reason=f"/t/badge-request/{TOPIC + 1}")["user_badge"]
    assert elsewhere["id"] != first["id"]
    assert len(grants_of(forum, username, MULTIPLE)) == 2


def test_a_multiple_grant_badge_without_a_post_is_granted_again_each_time(forum: Forum) -> None:
    username = member_without(forum, MULTIPLE)
    ids = [grant(forum, username, MULTIPLE)["user_badge"]["id"] for _ in range(3)]
    # A link to a topic that does not exist is valid, but names no post: no protection either.
    ids.append(grant(forum, username, MULTIPLE, reason="/t/nowhere/987654")["user_badge"]["id"])
    assert len(set(ids)) == 4
    user = forum.data.user_by_username(username)
    assert user is not None
    rows = forum.data.holders(badge_ids=[MULTIPLE], user_id=user.id, offset=0, limit=50)
    assert sorted(g.seq for g in rows) == [0, 1, 2, 3]
    grouped = forum.admin.get(f"/user-badges/{username}.json", params={"grouped": "true"}).json()
    counted = [b for b in grouped["user_badges"] if b["badge_id"] == MULTIPLE]
    assert len(counted) == 1 and counted[0]["count"] == 4 and counted[0]["id"] == max(ids)


def test_a_revoke_by_grant_id_and_a_404_once_it_is_gone(forum: Forum) -> None:
    username = member_without(forum, SINGLE)
    user_badge_id = grant(forum, username, SINGLE)["user_badge"]["id"]
    client = forum.moderator
    revoked = client.delete(f"/user_badges/{user_badge_id}.json")
    assert (revoked.status_code, revoked.json()) == (200, {"success": "OK"})
    assert client.operations == ["delete /user_badges/{id}.json"]
    assert grants_of(forum, username, SINGLE) == []
    assert client.delete(f"/user_badges/{user_badge_id}.json").json() == NOT_FOUND_BODY
    assert client.delete("/user_badges/987654321.json").json() == NOT_FOUND_BODY
    assert client.delete("/user_badges/abc").json() == NOT_FOUND_BODY
    fresh = grant(forum, username, SINGLE)["user_badge"]["id"]
    assert fresh != user_badge_id
    assert forum.anonymous.delete(f"/user_badges/{fresh}.json").status_code == 403
    member = forum.admin.get("/admin/users/list/member.json").json()[0]["username"]
    as_member = forum.client(forum.key_for(member), member).delete(f"/user_badges/{fresh}.json")
    assert (as_member.status_code, as_member.json()) == (403, {"failed": "FAILED"})


def test_holders_newest_first_at_most_50_a_page_without_a_total(forum: Forum) -> None:
    badge = 100  # Welcome: the demo's most held badge
    first = forum.admin.get("/user_badges.json", params={"badge_id": badge}).json()
    assert set(first) == {"badges", "badge_types", "users", "user_badge_info"}
    info = first["user_badge_info"]
    assert len(info["user_badges"]) == 50, "the default 96 is capped at 50"
    assert (info["grant_count"], info["username"]) == (None, None)
    assert (
        len(
            forum.admin.get("/user_badges.json", params={"badge_id": badge, "limit": 500}).json()[
                "user_badge_info"
            ]["user_badges"]
        )
        == 50
    )
    seen: list[tuple[str, int]] = []
    offset = 0
    while True:
        page = forum.admin.get(
            "/user_badges.json",
            params={"badge_id": badge, "offset": offset, "limit": 20, "granted_before": 1},
        ).json()["user_badge_info"]["user_badges"]
        seen += [(g["granted_at"], g["id"]) for g in page]
        if len(page) < 20:
            break
        offset += len(page)
    assert seen == sorted(seen, reverse=True)
    assert len({i for _, i in seen}) == len(seen) == forum.data.badge(badge).grant_count  # type: ignore[union-attr]
    users = {u["id"] for u in first["users"]}
    assert {g["user_id"] for g in info["user_badges"]} <= users
    assert first["badges"][0]["long_description"]


def test_a_new_grant_heads_the_holders_list(forum: Forum) -> None:
    username = member_without(forum, SINGLE)
    new_id = grant(forum, username, SINGLE)["user_badge"]["id"]
    top = forum.anonymous.get("/user_badges.json", params={"badge_id": SINGLE, "limit": 1}).json()
    assert top["user_badge_info"]["user_badges"][0]["id"] == new_id


def test_holders_of_one_member_count_their_grants(forum: Forum) -> None:
    username = member_without(forum, MULTIPLE)
    for _ in range(2):
        grant(forum, username, MULTIPLE)
    answer = forum.admin.get("/user_badges.json", params={"badge_id": MULTIPLE, "username": username}).json()
    info = answer["user_badge_info"]
    assert (info["grant_count"], info["username"], len(info["user_badges"])) == (2, username, 2)


def test_bad_holder_parameters(forum: Forum) -> None:
    for params in (
        {"badge_id": SINGLE, "limit": 0},
        {"badge_id": SINGLE, "limit": "many"},
        {"badge_id": SINGLE, "offset": "x"},
    ):
        response = forum.admin.get("/user_badges.json", params=params)
        assert (response.status_code, response.json()["error_type"]) == (400, "invalid_parameters")
    assert forum.admin.get("/user_badges.json", params={"badge_id": 99999}).json() == NOT_FOUND_BODY


def test_a_members_badges_and_grouped_counts(forum: Forum) -> None:
    username = member_without(forum, MULTIPLE)
    for _ in range(2):
        grant(forum, username, MULTIPLE)
    client = forum.admin
    answer = client.get(f"/user-badges/{username}.json")
    assert answer.status_code == 200
    assert client.operations == ["listUserBadges"]
    body = answer.json()
    assert set(body) == {"badges", "badge_types", "granted_bies", "user_badges"}
    assert len([b for b in body["user_badges"] if b["badge_id"] == MULTIPLE]) == 2
    assert all("count" not in b for b in body["user_badges"])
    assert {b["badge_id"] for b in body["user_badges"]} == {b["id"] for b in body["badges"]}
    grouped = client.get(f"/user-badges/{username}.json", params={"grouped": "true"}).json()["user_badges"]
    assert len(grouped) == len({b["badge_id"] for b in body["user_badges"]})
    assert {b["badge_id"]: b["count"] for b in grouped}[MULTIPLE] == 2
    assert client.operations == ["listUserBadges", "listUserBadges"]
    assert forum.admin.get("/user-badges/nobody-at-all.json").json() == NOT_FOUND_BODY


def test_grants_of_deleted_members_are_gone_with_them(forum: Forum) -> None:
    conn = forum.data._conn()
    deleted = {int(r[0]) for r in conn.execute("SELECT id FROM members WHERE status = 'deleted'")}
    held = conn.execute(
        "SELECT badge_id + 99, COUNT(*) FROM awards WHERE revoked_at IS NULL AND member_id IN"
        " (SELECT id FROM members WHERE status = 'deleted') GROUP BY badge_id ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    assert held is not None, "the demo has deleted members who held badges"
    badge_id = int(held[0])
    listed: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = forum.admin.get("/user_badges.json", params={"badge_id": badge_id, "offset": offset}).json()
        rows = page["user_badge_info"]["user_badges"]
        listed += rows
        if len(rows) < 50:
            break
        offset += len(rows)
    assert not {g["user_id"] for g in listed} & deleted
    badge = next(b for b in forum.admin.get("/admin/badges.json").json()["badges"] if b["id"] == badge_id)
    assert badge["grant_count"] == len(listed)
