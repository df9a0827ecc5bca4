"""Badges through the Discourse face: the admin list and its mapping of the demo's badges, create,
update (Ruby's truthiness, system badges' silent ignores), delete, images by upload, disabled badges."""

from __future__ import annotations

import sqlite3
import struct
import zlib
from pathlib import Path
from typing import Any

from desktop.sandbox import names
from desktop.sandbox.discourse.errors import NOT_FOUND
from tests.core.sandbox_discourse.conftest import Forum

NOT_FOUND_BODY = {"errors": [NOT_FOUND], "error_type": "not_found"}


def badges(forum: Forum) -> dict[int, dict[str, Any]]:
    return {b["id"]: b for b in forum.admin.get("/admin/badges.json").json()["badges"]}


def png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_the_admin_list_has_badges_types_groupings_and_admin_data(forum: Forum) -> None:
    client = forum.admin
    answer = client.get("/admin/badges.json").json()
    assert client.operations == ["adminListBadges"]
    assert answer["badge_types"] == [
        {"id": 1, "name": "Gold", "sort_order": 9},
        {"id": 2, "name": "Silver", "sort_order": 8},
        {"id": 3, "name": "Bronze", "sort_order": 7},
    ]
    groupings = {g["id"]: g for g in answer["badge_groupings"]}
    assert [groupings[i]["name"] for i in range(1, 6)] == [
        "Getting Started",
        "Community",
        "Posting",
        "Trust Level",
        "Other",
    ]
    assert answer["admin_badges"]["badge_ids"] == [b["id"] for b in answer["badges"]]
    assert "name" in answer["admin_badges"]["protected_system_fields"]
    order = [
        (groupings[b["badge_grouping_id"]]["position"], b["badge_type_id"], b["name"])
        for b in answer["badges"]
    ]
    assert order == sorted(order)


def test_the_demos_badges_are_custom_badges_from_id_100_with_their_state_tier_and_category(
    forum: Forum,
) -> None:
    listed = badges(forum)
    groupings = {g["id"]: g["name"] for g in forum.admin.get("/admin/badges.json").json()["badge_groupings"]}
    types = {"gold": 1, "silver": 2, "bronze": 3}
    for store_id, spec in enumerate(names.BADGES, start=1):
        discourse_id = store_id + 99
        if spec.state.value == "draft":
            assert discourse_id not in listed, "Discourse has no drafts"
            continue
        badge = listed[discourse_id]
        assert badge["name"] == spec.title and badge["system"] is False
        assert badge["enabled"] is (spec.state.value == "published")
        assert badge["badge_type_id"] == types[spec.tier]
        assert groupings[badge["badge_grouping_id"]].lower() == spec.category.replace("-", " ")
        assert badge["multiple_grant"] is spec.multiple_grant
        assert badge["long_description"] == spec.criteria
        assert badge["manually_grantable"] is True
        assert badge["image_url"], "the demo's badges have images"
    assert any(spec.multiple_grant for spec in names.BADGES)


def test_system_badges_are_there_with_ids_under_100(forum: Forum) -> None:
    system = [b for b in badges(forum).values() if b["system"]]
    assert {b["name"] for b in system} >= {"Basic User", "Member", "Regular", "Leader", "Nice Post"}
    assert all(b["id"] < 100 and b["manually_grantable"] is False and b["query"] for b in system)
    nice_post = next(b for b in system if b["name"] == "Nice Post")
    assert (nice_post["id"], nice_post["multiple_grant"], nice_post["trigger"]) == (6, True, 1)


def test_a_new_badge_takes_the_next_id_and_discourses_defaults(forum: Forum, database: Path) -> None:
    client = forum.admin
    before = max(badges(forum))
    created = client.post("/admin/badges.json", json={"name": "Cartographer", "badge_type_id": 2})
    assert created.status_code == 200
    assert client.operations[-1] == "createBadge"
    answer = created.json()
    badge = answer["badge"]
    assert badge["id"] == before + 1 >= 100
    assert (badge["name"], badge["badge_type_id"], badge["badge_grouping_id"]) == ("Cartographer", 2, 5)
    assert (badge["enabled"], badge["multiple_grant"], badge["icon"], badge["listable"]) == (
        True,
        False,
        "fa-certificate",
        True,
    )
    assert badge["slug"] == "cartographer" and badge["grant_count"] == 0
    assert len(answer["badge_types"]) == 3
    conn = sqlite3.connect(database)
    try:
        row = conn.execute(
            "SELECT title, tier, state FROM badges WHERE id = ?", (badge["id"] - 99,)
        ).fetchone()
    finally:
        conn.close()
    assert row == ("Cartographer", "silver", "published"), "the v1 face sees the same badge"
    second = client.post("/admin/badges.json", data={"name": "Surveyor", "badge_type_id": "3"}).json()[
        "badge"
    ]
    assert second["id"] == badge["id"] + 1


def test_badge_validations_answer_422_with_rails_messages(forum: Forum) -> None:
    client = forum.admin
    taken = next(iter(badges(forum).values()))["name"]
    cases = [
        ({"badge_type_id": 1}, ["Name can't be blank"]),
        ({"name": taken, "badge_type_id": 1}, ["Name has already been taken"]),
        ({"name": "x" * 101, "badge_type_id": 1}, ["Name is too long (maximum is 100 characters)"]),
        (
            {"name": "Fine", "badge_type_id": 1, "description": "d" * 501},
            ["Description is too long (maximum is 500 characters)"],
        ),
        ({"name": "Fine"}, ["Badge type can't be blank"]),
        ({"name": "Fine", "badge_type_id": 7}, ["Badge type can't be blank"]),
    ]
    for body, errors in cases:
        response = client.post("/admin/badges.json", json=body)
        assert (response.status_code, response.json()) == (422, {"errors": errors}), body
    assert client.post("/admin/badges.json", json={"name": "x" * 100, "badge_type_id": 1}).status_code == 200


def test_moderators_cannot_see_or_change_badges_here(forum: Forum) -> None:
    assert forum.moderator.post("/admin/badges.json", json={"name": "No", "badge_type_id": 1}).json() == (
        NOT_FOUND_BODY
    )
    assert forum.moderator.put("/admin/badges/100.json", json={"name": "No"}).json() == NOT_FOUND_BODY
    assert forum.moderator.delete("/admin/badges/100.json").json() == NOT_FOUND_BODY


def test_an_update_sets_what_ruby_finds_truthy(forum: Forum) -> None:
    client = forum.admin
    updated = client.put("/admin/badges/100.json", json={"name": "Hello There", "description": "Hi."})
    assert updated.status_code == 200
    assert client.operations[-1] == "updateBadge"
    assert (updated.json()["badge"]["name"], updated.json()["badge"]["description"]) == ("Hello There", "Hi.")
    # `if params[key]`: a JSON false is skipped, a form's "false" is a string and applied.
    assert client.put("/admin/badges/100.json", json={"enabled": False}).json()["badge"]["enabled"] is True
    assert client.put("/admin/badges/100.json", data={"enabled": "false"}).json()["badge"]["enabled"] is False
    assert client.put("/admin/badges/100.json", data={"enabled": "true"}).json()["badge"]["enabled"] is True
    assert client.put("/admin/badges/100.json", data={"allow_title": ""}).json() == {
        "errors": ["Allow title is not included in the list"]
    }
    moved = client.put("/admin/badges/100.json", json={"badge_type_id": 1, "badge_grouping_id": 1}).json()
    assert (moved["badge"]["badge_type_id"], moved["badge"]["badge_grouping_id"]) == (1, 1)
    for missing in ("/admin/badges/99999.json", "/admin/badges/abc.json"):
        assert client.put(missing, json={"name": "X"}).json() == NOT_FOUND_BODY


def test_a_system_badges_protected_fields_are_ignored_silently(forum: Forum) -> None:
    before = badges(forum)[1]
    response = forum.admin.put(
        "/admin/badges/1.json",
        json={
            "name": "Renamed",
            "badge_type_id": 1,
            "multiple_grant": True,
            "listable": False,
            "description": "New words.",
        },
    )
    assert response.status_code == 200
    after = response.json()["badge"]
    assert (after["name"], after["badge_type_id"], after["multiple_grant"], after["listable"]) == (
        before["name"],
        before["badge_type_id"],
        before["multiple_grant"],
        before["listable"],
    )
    assert after["description"] == "New words."
    assert after["i18n_name"] == "basic_user"


def test_deleting_a_badge_answers_an_empty_200_and_takes_its_grants(forum: Forum, database: Path) -> None:
    holder = forum.admin.get("/user_badges.json", params={"badge_id": 100}).json()["user_badge_info"][
        "user_badges"
    ][0]
    client = forum.admin
    response = client.delete("/admin/badges/100.json")
    assert (response.status_code, response.content) == (200, b"")
    assert client.operations[-1] == "deleteBadge"
    assert 100 not in badges(forum)
    assert client.delete("/admin/badges/100.json").json() == NOT_FOUND_BODY
    assert forum.admin.get("/user_badges.json", params={"badge_id": 100}).status_code == 404
    username = forum.data.user_by_id(holder["user_id"])
    assert username is not None
    mine = forum.admin.get(f"/user-badges/{username.username}.json").json()["user_badges"]
    assert all(b["badge_id"] != 100 for b in mine)
    conn = sqlite3.connect(database)
    try:
        left = conn.execute(
            "SELECT COUNT(*) FROM awards WHERE badge_id = 1 AND revoked_at IS NULL"
        ).fetchone()[0]
    finally:
        conn.close()
    assert left == 0, "the v1 face sees the grants revoked"


def test_a_disabled_badge_cannot_be_granted_listed_or_looked_up(forum: Forum) -> None:
    member = forum.admin.get("/admin/users/list/basic.json").json()[0]["username"]
    forum.admin.put("/admin/badges/101.json", data={"enabled": "false"})
    assert forum.admin.post("/user_badges.json", data={"username": member, "badge_id": 101}).json() == (
        NOT_FOUND_BODY
    )
    name = badges(forum)[101]["name"]
    assert (
        forum.admin.post("/user_badges.json", data={"username": member, "badge_name": name}).status_code
        == 404
    )
    assert forum.admin.get("/user_badges.json", params={"badge_id": 101}).status_code == 404
    assert forum.admin.get("/user_badges.json", params={"badge_name": name}).status_code == 404
    assert badges(forum)[101]["enabled"] is False, "admins still see it in their list"


def test_an_uploaded_image_becomes_the_badges_image(forum: Forum) -> None:
    client = forum.admin
    image = png()
    uploaded = client.post(
        "/uploads.json",
        data={"type": "badge_image", "synchronous": "true"},
        files={"file": ("badge.png", image, "image/png")},
    )
    assert uploaded.status_code == 200
    assert client.operations[-1] == "createUpload"
    upload = uploaded.json()
    assert (upload["width"], upload["height"], upload["extension"], upload["filesize"]) == (
        3,
        2,
        "png",
        len(image),
    )
    badge = client.put("/admin/badges/102.json", json={"image_upload_id": upload["id"]}).json()["badge"]
    assert (badge["image_upload_id"], badge["image_url"]) == (upload["id"], upload["url"])
    served = forum.anonymous.get(upload["url"])
    assert (served.status_code, served.content, served.headers["content-type"]) == (200, image, "image/png")
    cleared = client.put("/admin/badges/102.json", data={"image_upload_id": ""}).json()["badge"]
    assert cleared["image_upload_id"] is None and cleared["image_url"] is None


def test_uploads_refuse_what_is_not_an_image_and_need_a_type_and_a_login(forum: Forum) -> None:
    refused = forum.admin.post(
        "/uploads.json",
        data={"type": "badge_image"},
        files={"file": ("x.exe", b"MZ\x90\x00", "application/x")},
    )
    assert refused.status_code == 422 and refused.json()["errors"]
    untyped = forum.admin.post("/uploads.json", files={"file": ("badge.png", png(), "image/png")})
    assert (untyped.status_code, untyped.json()["error_type"]) == (400, "invalid_parameters")
    anonymous = forum.anonymous.post(
        "/uploads.json", data={"type": "badge_image"}, files={"file": ("badge.png", png(), "image/png")}
    )
    assert anonymous.status_code == 403
