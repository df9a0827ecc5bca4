"""Posts through the Discourse face: private messages (``archetype=private_message`` with
``target_recipients``), replies to a topic, and a topic's status (``PUT /t/{id}/status``)."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.discourse.errors import NOT_FOUND
from tests.core.sandbox_discourse.conftest import Forum

TOPIC = 12  # badge request #2's topic
NOT_FOUND_BODY = {"errors": [NOT_FOUND], "error_type": "not_found"}


def member(forum: Forum, index: int = 0) -> dict[str, Any]:
    rows = [r for r in forum.admin.get("/admin/users/list/basic.json").json() if r["id"] > 0]
    return dict(rows[index])


def test_a_private_message_to_one_member(forum: Forum) -> None:
    target = member(forum)
    client = forum.moderator
    response = client.post(
        "/posts.json",
        json={
            "title": "Your badge",
            "raw": "Congratulations on the Lightning Talk badge!",
            "archetype": "private_message",
            "target_recipients": target["username"],
        },
    )
    assert response.status_code == 200
    assert client.operations == ["createTopicPostPM"]
    post = response.json()
    assert (post["post_number"], post["username"], post["raw"]) == (
        1,
        forum.demo.usernames["moderator"],
        "Congratulations on the Lightning Talk badge!",
    )
    assert post["post_url"] == f"/t/{post['topic_slug']}/{post['topic_id']}/1"
    assert forum.data.private_message_recipients(post["topic_id"]) == {target["id"]}
    assert forum.data.messages_for(target["id"])[-1] == "Congratulations on the Lightning Talk badge!"


def test_several_recipients_share_one_thread_and_target_usernames_is_ignored(forum: Forum) -> None:
    first, second = member(forum, 0), member(forum, 1)
    shared = forum.admin.post(
        "/posts.json",
        data={
            "title": "Both of you",
            "raw": "You two see each other here.",
            "archetype": "private_message",
            "target_recipients": f"{first['username']},{second['username']}",
        },
    ).json()
    assert forum.data.private_message_recipients(shared["topic_id"]) == {first["id"], second["id"]}
    ignored = forum.admin.post(
        "/posts.json",
        data={
            "title": "Old parameter",
            "raw": "Sent with target_usernames only.",
            "archetype": "private_message",
            "target_usernames": first["username"],
        },
    )
    assert ignored.status_code == 422 and ignored.json()["errors"]


def test_a_reply_to_a_topic(forum: Forum) -> None:
    # The demo's request 2 was returned: its topic has the moderator's reply already.
    before = len(forum.data.topic_posts(TOPIC))
    response = forum.moderator.post(
        "/posts.json", json={"topic_id": TOPIC, "raw": "Approved: the badge is yours. Thank you!"}
    )
    assert response.status_code == 200
    first = response.json()
    assert (first["topic_id"], first["post_number"]) == (TOPIC, before + 1)
    second = forum.admin.post(
        "/posts.json", data={"topic_id": str(TOPIC), "raw": "Closing this request now."}
    )
    assert second.json()["post_number"] == before + 2
    assert (
        forum.admin.post("/posts.json", json={"topic_id": 987654, "raw": "x" * 30}).json() == NOT_FOUND_BODY
    )


def test_what_a_post_refuses(forum: Forum) -> None:
    short = forum.admin.post("/posts.json", json={"topic_id": TOPIC, "raw": "Too short"})
    assert (short.status_code, short.json()) == (
        422,
        {"action": "create_post", "errors": ["Body is too short (minimum is 20 characters)"]},
    )
    unknown = forum.admin.post(
        "/posts.json",
        json={
            "title": "Hello",
            "raw": "A message nobody gets.",
            "archetype": "private_message",
            "target_recipients": "nobody-at-all",
        },
    )
    assert unknown.status_code == 422 and "nobody-at-all" in unknown.json()["errors"][0]
    anonymous = forum.anonymous.post("/posts.json", json={"topic_id": TOPIC, "raw": "x" * 30})
    assert (anonymous.status_code, anonymous.json()["error_type"]) == (403, "not_logged_in")


def test_staff_close_a_topic(forum: Forum) -> None:
    client = forum.moderator
    response = client.put(f"/t/{TOPIC}/status.json", data={"status": "closed", "enabled": "true"})
    assert (response.status_code, response.json()) == (200, {"success": "OK", "topic_status_update": None})
    assert client.operations == ["updateTopicStatus"]
    assert forum.data.topic_closed(TOPIC) is True
    forum.moderator.put(f"/t/{TOPIC}/status.json", json={"status": "closed", "enabled": "false"})
    assert forum.data.topic_closed(TOPIC) is False
    bad = forum.admin.put(f"/t/{TOPIC}/status.json", json={"status": "melted", "enabled": "true"})
    assert (bad.status_code, bad.json()["error_type"]) == (400, "invalid_parameters")
    missing = forum.admin.put(f"/t/{TOPIC}/status.json", json={"status": "closed"})
    assert (missing.status_code, missing.json()) == (
        400,
        {"errors": ["param is missing or the value is empty: enabled"]},
    )
    assert forum.admin.put("/t/987654/status.json", json={"status": "closed", "enabled": "true"}).json() == (
        NOT_FOUND_BODY
    )
    someone = member(forum)
    as_member = forum.client(forum.key_for(someone["username"]), someone["username"])
    refused = as_member.put(f"/t/{TOPIC}/status.json", json={"status": "closed", "enabled": "true"})
    assert (refused.status_code, refused.json()["error_type"]) == (403, "invalid_access")
