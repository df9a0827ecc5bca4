"""Badge requests as topics, and private messages, against the sandbox speaking Discourse over loopback.

The requests are the topics of the demo's "Badge requests" category. Another
moderator acts through pydiscourse, the usual third-party client, as they
would on a real forum. What the forum holds afterwards is read from the
sandbox's own database (behind the API's back): grants, their linked posts,
topics and posts, private messages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydiscourse import DiscourseClient

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.dialects.discourse.session import DiscourseSession
from desktop.domain import ActionState, Decision
from desktop.net.ratecontrol import RateControl
from desktop.outbox import Outbox, RetryPolicy
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.server import DATABASE_NAME
from tests.e2e.discourse_admin import admin_client

RATE = 6000
CATEGORY = "badge-requests"


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("forum"), members=120, seed=7, dialect="discourse", rate=RATE
    )
    with process:
        yield process


@pytest.fixture()
def community(forum: SandboxProcess, tmp_path: Path) -> Iterator[Community]:
    endpoint = Endpoint(
        forum.url,
        forum.tokens["admin"],
        kind="discourse",
        username=forum.usernames["admin"],
        requests_per_minute=RATE,
        request_category=CATEGORY,
    )
    community = Community(forum.url, endpoint, Cache(tmp_path / "profile"))
    community.sync()
    try:
        yield community
    finally:
        community.close()


def server_db(forum: SandboxProcess) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{forum.data_dir / DATABASE_NAME}?mode=ro", uri=True)


def grants(forum: SandboxProcess, member_id: int, badge_id: int) -> list[int | None]:
    """The member's active grants of the badge: the topic each is linked to (None: no post)."""
    with server_db(forum) as db:
        rows = db.execute(
            "SELECT p.topic_id FROM awards a LEFT JOIN dc_user_badges u ON u.award_id = a.id"
            " LEFT JOIN dc_posts p ON p.id = u.post_id"
            " WHERE a.member_id = ? AND a.badge_id = ? - 99 AND a.revoked_at IS NULL",
            (member_id, badge_id),
        )
        return [r[0] for r in rows]


def posts(forum: SandboxProcess, topic_id: int) -> list[tuple[int, int, str | None, str]]:
    """(post number, author, action code, raw) of every post of a topic."""
    with server_db(forum) as db:
        rows = db.execute(
            "SELECT post_number, user_id, action_code, raw FROM dc_posts WHERE topic_id = ?"
            " ORDER BY post_number",
            (topic_id,),
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]


def closed(forum: SandboxProcess, topic_id: int) -> bool:
    with server_db(forum) as db:
        return bool(db.execute("SELECT closed FROM dc_topics WHERE id = ?", (topic_id,)).fetchone()[0])


def user_id(forum: SandboxProcess, who: str) -> int:
    with admin_client(forum) as client:
        return int(client.get(f"/u/{forum.usernames[who]}.json").json()["user"]["id"])


def pending(community: Community) -> list[tuple[int, int, int, int]]:
    """(request, member, badge, version) of pending requests a member may be granted (cache)."""
    with community.cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT r.id, r.member_id, r.badge_id, r.version FROM requests r"
            " JOIN badges b ON b.id = r.badge_id AND b.state = 'published'"
            " JOIN members m ON m.id = r.member_id AND m.status = 'active'"
            " WHERE r.state = 'pending' AND NOT EXISTS"
            " (SELECT 1 FROM awards a WHERE a.member_id = r.member_id AND a.badge_id = r.badge_id)"
            " ORDER BY r.id"
        ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


class LoseAnswers(httpx.BaseTransport):
    """Loopback HTTP whose answers to the armed requests are lost after the forum applied them."""

    def __init__(self, *armed: tuple[str, str]) -> None:
        self.inner = httpx.HTTPTransport()
        self.armed = list(armed)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        hit = next(
            (a for a in self.armed if request.method == a[0] and request.url.path.startswith(a[1])), None
        )
        if hit is None:
            return response
        self.armed.remove(hit)
        response.read()
        response.close()
        raise httpx.ReadError("the answer was lost on the way back (test)", request=request)

    def close(self) -> None:
        self.inner.close()


def test_sync_lists_the_topics_as_requests_and_decisions_reach_the_forum_once(
    forum: SandboxProcess, community: Community
) -> None:
    capabilities = community.capabilities()
    assert capabilities is not None and capabilities.requests and capabilities.messages
    with community.cache.read() as connection:
        synced: dict[str, int] = dict(
            connection.exec_driver_sql("SELECT state, COUNT(*) FROM requests GROUP BY state").fetchall()
        )
    with server_db(forum) as db:
        topics = db.execute(
            "SELECT COUNT(*), SUM(closed = 0) FROM dc_topics WHERE category_id = 5"
        ).fetchone()
    # Open topics are pending, or returned (a staff reply waits for the member); closed ones decided.
    assert sum(synced.values()) == topics[0]
    assert synced.get("pending", 0) + synced.get("returned", 0) == topics[1] and synced["pending"] > 0
    assert synced.get("approved", 0) > 0 and synced.get("denied", 0) > 0

    (approve, member, badge, version), (deny, *_d, deny_version), (back, *_b, back_version) = pending(
        community
    )[:3]
    outbox = community.outbox
    outbox.queue_decision(
        approve, version, Decision.APPROVE, message="Well deserved, thank you for all of it!"
    )
    outbox.queue_decision(deny, deny_version, Decision.DENY, message="Not this time, sorry: keep it up!")
    outbox.queue_decision(back, back_version, Decision.RETURN, message="Could you add a link to your work?")
    report = community.send_outbox()
    assert (report.applied, report.failed, report.conflicts) == (3, 0, 0)

    assert grants(forum, member, badge) == [approve]  # once, linked to the request's topic
    me = user_id(forum, "admin")
    assert [(p[1], p[3]) for p in posts(forum, approve)[1:2]] == [
        (me, "Well deserved, thank you for all of it!")
    ]
    assert closed(forum, approve) and posts(forum, approve)[-1][2] == "closed.enabled"
    assert closed(forum, deny) and not closed(forum, back)
    assert [p[3] for p in posts(forum, back)[1:]] == ["Could you add a link to your work?"]

    community.sync()
    with community.cache.read() as connection:
        states: dict[int, str] = dict(
            connection.exec_driver_sql(
                "SELECT id, state FROM requests WHERE id IN (?, ?, ?)", (approve, deny, back)
            ).fetchall()
        )
    assert states == {approve: "approved", deny: "denied", back: "returned"}


def test_a_request_another_moderator_answered_first_is_decided_by_them_with_no_grant(
    forum: SandboxProcess, community: Community
) -> None:
    request, member, badge, version = pending(community)[0]
    other = DiscourseClient(
        forum.url, api_username=forum.usernames["moderator"], api_key=forum.tokens["moderator"]
    )
    other.create_post("Approved by me already, congratulations!", topic_id=request)
    other.update_topic_status(request, "closed", "true")
    community.outbox.queue_decision(request, version, Decision.APPROVE, message="Well deserved, thank you!")
    report = community.send_outbox()
    assert (report.applied, report.conflicts) == (0, 1)
    [action] = [a for a in community.outbox.actions() if a.payload.get("request_id") == request]
    assert action.state is ActionState.CONFLICT
    assert action.result is not None and action.result["decided_by"]
    with server_db(forum) as db:
        name = db.execute(
            "SELECT display_name FROM members WHERE username = ?", (forum.usernames["moderator"],)
        )
        assert action.result["decided_by"] == name.fetchone()[0]
    assert grants(forum, member, badge) == []
    assert [p[1] for p in posts(forum, request)].count(user_id(forum, "admin")) == 0


@pytest.mark.parametrize("lost", [("POST", "/user_badges"), ("POST", "/posts"), ("PUT", "/t/")])
def test_a_decision_whose_answer_was_lost_grants_and_replies_once(
    forum: SandboxProcess, community: Community, lost: tuple[str, str]
) -> None:
    request, member, badge, version = pending(community)[0]
    outbox = Outbox(community.cache)
    outbox.queue_decision(
        request, version, Decision.APPROVE, message="Well deserved, thank you for all of it!"
    )
    session = DiscourseSession(
        forum.url,
        forum.tokens["admin"],
        username=forum.usernames["admin"],
        request_category=CATEGORY,
        transport=LoseAnswers(lost),
        rate_control=RateControl(),
    )
    with session:
        report = outbox.send_pending(session, retry=RetryPolicy(attempts=3, first_delay=0.0))
    assert (report.applied, report.failed) == (1, 0)
    assert grants(forum, member, badge) == [request]
    me = user_id(forum, "admin")
    assert [p[1] for p in posts(forum, request)[1:] if p[2] is None] == [me]  # one reply
    assert [p[2] for p in posts(forum, request)].count("closed.enabled") == 1


def test_a_private_message_reaches_exactly_one_member(forum: SandboxProcess, community: Community) -> None:
    with community.cache.read() as connection:
        row = connection.exec_driver_sql(
            "SELECT id, username FROM members WHERE status = 'active' ORDER BY id LIMIT 1"
        ).fetchone()
    assert row is not None
    member, username = int(row[0]), str(row[1])
    with server_db(forum) as db:
        before = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    session = DiscourseSession(
        forum.url, forum.tokens["admin"], username=forum.usernames["admin"], rate_control=RateControl()
    )
    with session:
        messenger = session.messenger
        assert messenger is not None
        messenger.send_message(member, username, "You were awarded a badge", "Congratulations on your badge!")
    with server_db(forum) as db:
        rows = db.execute("SELECT member_id, body FROM messages ORDER BY id").fetchall()
        thread = db.execute(
            "SELECT COUNT(*) FROM dc_topic_allowed_users a JOIN dc_topics t ON t.id = a.topic_id"
            " WHERE t.id = (SELECT MAX(id) FROM dc_topics) AND a.user_id != t.user_id"
        ).fetchone()[0]
    assert rows[before:] == [(member, "Congratulations on your badge!")] and thread == 1


def test_a_new_request_and_one_closed_on_the_forum_reach_the_queue_on_a_later_sync(
    forum: SandboxProcess, community: Community
) -> None:
    with community.cache.read() as connection:
        member, username = connection.exec_driver_sql(
            "SELECT id, username FROM members WHERE status = 'active' AND id > 2 ORDER BY id DESC LIMIT 1"
        ).one()
        badge = connection.exec_driver_sql(
            "SELECT title FROM badges WHERE state = 'published' ORDER BY id LIMIT 1"
        ).scalar_one()
    # The member opens a topic in the request category, through the forum's API as any client would.
    with admin_client(forum, acting_as=username) as client:
        created = client.post(
            "/posts.json",
            data={
                "title": f"Badge request: {badge}",
                "raw": "I organised the spring meetup and gave its opening talk.",
                "category": "5",
            },
        )
        created.raise_for_status()
        topic = int(created.json()["topic_id"])
    # Another moderator closes an open request on the forum, without a reply (closing bumps nothing).
    closed_elsewhere = pending(community)[0][0]
    other = DiscourseClient(
        forum.url, api_username=forum.usernames["moderator"], api_key=forum.tokens["moderator"]
    )
    other.update_topic_status(closed_elsewhere, "closed", "true")

    result = community.sync()

    assert result.recent and not result.snapshot
    assert {topic, closed_elsewhere} <= result.changes.requests
    with community.cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, state FROM requests WHERE id IN (?, ?)", (topic, closed_elsewhere)
        )
        states: dict[int, str] = {int(r[0]): str(r[1]) for r in rows}
        author = connection.exec_driver_sql("SELECT member_id FROM requests WHERE id = ?", (topic,)).scalar()
    assert author == member and states[topic] == "pending"
    assert states[closed_elsewhere] in {"approved", "denied"}
