"""The badge requests' category and its topics through the Discourse face: ``GET /categories``,
``GET /c/{slug}/{id}`` (and ``/c/{id}``), ``GET /t/{id}``; closing adds a small action post."""

from __future__ import annotations

from tests.core.sandbox_discourse.conftest import Forum

CATEGORY = 5
SLUG = "badge-requests"
TOPIC = 12  # badge request #2's topic


def test_the_badge_requests_category_is_listed(forum: Forum) -> None:
    client = forum.moderator
    listing = client.get("/categories.json")
    assert listing.status_code == 200
    assert client.operations == ["listCategories"]
    found = {c["id"]: c for c in listing.json()["category_list"]["categories"]}
    assert (found[CATEGORY]["slug"], found[CATEGORY]["name"]) == (SLUG, "Badge requests")
    assert found[CATEGORY]["topic_count"] == forum.data.category_topic_count(CATEGORY) >= 30


def test_a_category_is_paged_30_at_a_time_from_page_0(forum: Forum) -> None:
    client = forum.moderator
    for n in range(5):  # the demo's 30 topics and 5 more: two pages
        made = forum.admin.post(
            "/posts.json",
            json={
                "title": f"Please may I have badge {n}",
                "raw": "I did the thing, here is how.",
                "category": 5,
            },
        )
        assert made.status_code == 200
    seen: list[int] = []
    page = 0
    while True:
        answer = client.get(f"/c/{SLUG}/{CATEGORY}.json", params={"page": page})
        assert answer.status_code == 200
        topic_list = answer.json()["topic_list"]
        assert topic_list["per_page"] == 30 and len(topic_list["topics"]) <= 30
        seen.extend(t["id"] for t in topic_list["topics"])
        if "more_topics_url" not in topic_list:
            break
        assert len(topic_list["topics"]) == 30
        page += 1
    assert set(client.operations) == {"listCategoryTopics"} and page == 1
    assert len(seen) == len(set(seen)) == forum.data.category_topic_count(CATEGORY)
    # Without a page, page 0; by id alone (pydiscourse's category_topics), the same list.
    first = client.get(f"/c/{SLUG}/{CATEGORY}.json").json()["topic_list"]["topics"]
    by_id = client.get(f"/c/{CATEGORY}.json").json()["topic_list"]["topics"]
    assert [t["id"] for t in first] == [t["id"] for t in by_id] == seen[:30]
    assert client.get("/c/nothing/999.json").status_code == 404


def test_a_reply_bumps_its_topic_to_the_top(forum: Forum) -> None:
    replies = sum(1 for p in forum.data.topic_posts(TOPIC) if p.post_type == 1)
    forum.admin.post("/posts.json", json={"topic_id": TOPIC, "raw": "Could you add a link to the talk?"})
    top = forum.moderator.get(f"/c/{SLUG}/{CATEGORY}.json").json()["topic_list"]["topics"][0]
    assert (top["id"], top["posts_count"], top["last_poster_username"]) == (
        TOPIC,
        replies + 1,
        forum.demo.usernames["admin"],
    )


def open_topic(forum: Forum) -> int:
    topics = forum.admin.get(f"/c/{SLUG}/{CATEGORY}.json").json()["topic_list"]["topics"]
    return int(next(t["id"] for t in topics if not t["closed"]))


def test_a_topic_with_its_posts_and_who_closed_it(forum: Forum) -> None:
    client = forum.moderator
    topic = open_topic(forum)
    before = client.get(f"/t/{topic}.json").json()
    assert client.operations == ["getTopic"]
    assert (before["id"], before["closed"], before["category_id"]) == (topic, False, CATEGORY)
    first = before["post_stream"]["posts"][0]
    assert (first["post_number"], first["user_id"]) == (1, before["user_id"])
    assert first["cooked"].startswith("<p>")
    client.post("/posts.json", json={"topic_id": topic, "raw": "Approved, the badge is yours now."})
    closed = client.put(f"/t/{topic}/status.json", json={"status": "closed", "enabled": "true"})
    assert closed.status_code == 200
    # Closing a closed topic changes nothing.
    client.put(f"/t/{topic}/status.json", json={"status": "closed", "enabled": "true"})
    after = client.get(f"/t/badge-request/{topic}.json").json()
    assert after["closed"] is True
    posts = after["post_stream"]["posts"]
    assert [(p["post_number"], p["post_type"], p.get("action_code")) for p in posts] == [
        (1, 1, None),
        (2, 1, None),
        (3, 3, "closed.enabled"),
    ]
    assert posts[2]["username"] == forum.demo.usernames["moderator"]
    assert after["highest_post_number"] == 3 and after["posts_count"] == 2
    assert after["post_stream"]["stream"] == [p["id"] for p in posts]
    assert client.get("/t/987654.json").status_code == 404


def test_a_private_message_is_not_shown_to_other_staff(forum: Forum) -> None:
    someone = next(r for r in forum.admin.get("/admin/users/list/basic.json").json() if r["id"] > 0)
    sent = forum.admin.post(
        "/posts.json",
        json={
            "title": "Just for you",
            "raw": "A private word about your badge.",
            "archetype": "private_message",
            "target_recipients": someone["username"],
        },
    ).json()
    assert forum.admin.get(f"/t/{sent['topic_id']}.json").status_code == 200
    assert forum.moderator.get(f"/t/{sent['topic_id']}.json").status_code == 404


def test_order_created_ascending_lists_the_oldest_first_and_a_reply_moves_nothing(forum: Forum) -> None:
    client = forum.moderator
    params = {"order": "created", "ascending": "true"}
    before = [
        t["id"]
        for t in client.get(f"/c/{SLUG}/{CATEGORY}.json", params=params).json()["topic_list"]["topics"]
    ]
    forum.admin.post("/posts.json", json={"topic_id": before[-1], "raw": "A question about this request."})
    after = client.get(f"/c/{SLUG}/{CATEGORY}.json", params=params).json()["topic_list"]["topics"]
    assert [t["id"] for t in after] == before
    created = [t["created_at"] for t in after]
    assert created == sorted(created)
    newest_first = client.get(f"/c/{SLUG}/{CATEGORY}.json", params={"order": "created"}).json()
    descending = [t["created_at"] for t in newest_first["topic_list"]["topics"]]
    assert descending == sorted(descending, reverse=True) and descending[0] >= created[-1]


def test_the_demos_decided_requests_show_their_decision_in_their_topics(forum: Forum) -> None:
    with forum.data._conn() as db:  # the store's requests, behind the API's back
        decided = dict(db.execute("SELECT id + 10, state FROM requests WHERE state != 'pending'").fetchall())
    assert {"approved", "denied", "returned"} <= set(decided.values())
    for topic_id, state in decided.items():
        topic = forum.moderator.get(f"/t/{topic_id}.json").json()
        posts = topic["post_stream"]["posts"]
        assert posts[1]["staff"] and posts[1]["post_type"] == 1
        if state == "returned":
            assert not topic["closed"] and len(posts) == 2
        else:
            assert topic["closed"] and posts[2]["action_code"] == "closed.enabled"
            assert posts[2]["username"] == posts[1]["username"]


def test_a_topic_carries_its_first_20_posts_and_all_when_printed(forum: Forum) -> None:
    topic = open_topic(forum)
    for n in range(21):
        forum.admin.post(
            "/posts.json", json={"topic_id": topic, "raw": f"Another reply to this request, {n}."}
        )
    shown = forum.moderator.get(f"/t/{topic}.json").json()
    assert len(shown["post_stream"]["posts"]) == 20 and len(shown["post_stream"]["stream"]) == 22
    printed = forum.moderator.get(f"/t/{topic}.json", params={"print": "true"}).json()
    assert [p["id"] for p in printed["post_stream"]["posts"]] == shown["post_stream"]["stream"]
