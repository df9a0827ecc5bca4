"""The Discourse connector's request desk (badge requests as topics) and messenger (private messages).

Against the fake forum (answers checked against Discourse's published spec).
FACTS.md is the specification: topics of a category 30 a page from page 0,
``more_topics_url`` while more remain; approve = grant with the topic's path
as the reason, reply, close; deny = reply, close; return = reply; a request
decided by someone else first is "decided by X" with nothing sent; a lost
answer is settled by reading, never by sending twice. One private message
per member.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from desktop.cache.database import Cache
from desktop.dialects.base import RequestDesk
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.discourse.request_topics import NOT_RECOGNISED
from desktop.dialects.discourse.session import DiscourseSession
from desktop.domain import ActionState, BadgeRequest, Decision, RequestState
from desktop.net.errors import ApiError, DecisionConflict, ServerUnreachable
from desktop.outbox import Outbox, RetryPolicy
from tests.core.test_discourse_directory import every_page, open_session
from tests.core.test_outbox import cache as cache  # the fixture: a fresh cache
from tests.fakes.discourse_forum import FakeForum, ForumBadge
from tests.fakes.discourse_topics import ForumTopic

SPEAKER, HELPER = 100, 101
ALICE, BOB = 21, 22  # the session acts as alice (admin); bob is another moderator


@pytest.fixture()
def forum() -> FakeForum:
    return FakeForum.seeded(
        20,
        [
            ForumBadge(SPEAKER, "Conference Speaker", badge_type_id=1),
            ForumBadge(HELPER, "Helper", multiple_grant=True),
        ],
    )


@pytest.fixture()
def session(forum: FakeForum) -> Iterator[DiscourseSession]:
    with open_session(forum, request_category="badge-requests") as session:
        yield session


def desk_of(session: DiscourseSession) -> RequestDesk:
    desk = session.desk
    assert desk is not None
    return desk


def asked(
    forum: FakeForum,
    member: int,
    title: str = "Badge request: Conference Speaker",
    at: datetime | None = None,
) -> ForumTopic:
    return forum.add_topic(member, title, "I spoke at the spring meetup, slides are online.", at=at)


def listed(session: DiscourseSession, state: str = "all") -> dict[int, BadgeRequest]:
    desk = desk_of(session)
    items, _pages = every_page(lambda cursor: desk.requests(state, cursor, 100))  # type: ignore[arg-type]
    return {r.id: r for r in items}


def decide(
    session: DiscourseSession, request: BadgeRequest, decision: Decision, message: str | None = None
) -> BadgeRequest:
    result = desk_of(session).decide(
        request.id,
        version=request.version,
        decision=decision,
        reason="",
        message=message,
        idempotency_key=f"key-{request.id}",
    )
    return result.request


# --- the desk exists with a category ----------------------------------------------------------


def test_requests_and_messages_are_capabilities_of_a_session_with_a_category(forum: FakeForum) -> None:
    with open_session(forum) as plain:
        assert plain.desk is None and not Capabilities.of(plain).requests
        assert Capabilities.of(plain).messages
    for chosen in ("badge-requests", "Badge requests", "5"):
        with open_session(forum, request_category=chosen) as session:
            assert Capabilities.of(session).requests
            assert listed(session) == {}
    # Looked up once a session.
    assert forum.count("GET", "/categories") == 3


def test_a_category_the_forum_does_not_have_is_named_in_the_error(forum: FakeForum) -> None:
    with (
        open_session(forum, request_category="wishes") as session,
        pytest.raises(ApiError, match=r"“wishes” is not on this forum.*Badge requests \(badge-requests, 5\)"),
    ):
        desk_of(session).requests("pending", None, 10)


# --- topics as requests -------------------------------------------------------------------------


def test_each_topic_of_the_category_is_a_request(forum: FakeForum, session: DiscourseSession) -> None:
    pending = asked(forum, 1)
    tagged = forum.add_topic(2, "May I have this one please", "Answered 40 questions.", tags=["helper"])
    vague = forum.add_topic(3, "I deserve the shiny one", "Because I am great at it.")
    returned = asked(forum, 4)
    forum.reply(returned.id, BOB, "Please add a link to your talk first.")
    approved = asked(forum, 5)
    forum.grant(5, SPEAKER, by=BOB)
    forum.reply(approved.id, BOB, "Approved, the badge is yours now.")
    forum.close(approved.id, BOB)
    denied = asked(forum, 6, "Badge request: Helper")
    forum.reply(denied.id, BOB, "Sorry, not this time: keep going!")
    forum.close(denied.id, BOB)
    forum.add_topic(7, "A chat about something else", "Not a request at all.", category_id=1)

    every = listed(session)
    assert set(every) == {pending.id, tagged.id, vague.id, returned.id, approved.id, denied.id}
    first = every[pending.id]
    assert (first.member_id, first.badge_id, first.state, first.decided_by) == (
        1,
        SPEAKER,
        RequestState.PENDING,
        None,
    )
    assert first.note == "I spoke at the spring meetup, slides are online." and first.version == 1
    assert every[tagged.id].badge_id == HELPER  # by its tag
    assert every[vague.id].badge_id == NOT_RECOGNISED
    assert every[vague.id].note.startswith("Badge not recognised in “I deserve the shiny one”.")
    assert (every[returned.id].state, every[returned.id].decided_by) == (
        RequestState.RETURNED,
        "Bob Moderator",
    )
    assert (every[approved.id].state, every[approved.id].decided_by) == (
        RequestState.APPROVED,
        "Bob Moderator",
    )
    assert every[denied.id].state is RequestState.DENIED
    assert every[denied.id].reason == "Sorry, not this time: keep going!"
    assert set(listed(session, "pending")) == {pending.id, tagged.id, vague.id}
    assert set(listed(session, "decided")) == {returned.id, approved.id, denied.id}


def test_topics_come_30_a_page_from_page_0_and_unchanged_ones_are_not_read_again(
    forum: FakeForum, session: DiscourseSession
) -> None:
    for member in range(1, 21):
        asked(forum, member)
        asked(forum, member, "Badge request: Helper")
    desk = desk_of(session)
    items, pages = every_page(lambda cursor: desk.requests("all", cursor, 25))
    assert len(items) == len({r.id for r in items}) == 40 and pages == 3  # 25 + 5, then 10
    pages_read = [r.url.params.get("page") for r in forum.sent("GET", "/c/")]
    assert pages_read == ["0", "0", "1"]
    assert forum.count("GET", "/t/") == 40
    every_page(lambda cursor: desk.requests("all", cursor, 100))
    assert forum.count("GET", "/t/") == 40  # nothing changed: no topic read again


def test_a_topic_replied_to_during_a_listing_is_not_missed(
    forum: FakeForum, session: DiscourseSession
) -> None:
    made = [asked(forum, 1 + n % 20, f"Badge request {n}: Helper", at=None) for n in range(45)]
    for n, topic in enumerate(made):  # distinct creation times, oldest first
        topic.created_at = topic.posts[0].created_at = forum.clock() - timedelta(hours=100 - n)
    desk = desk_of(session)
    first = desk.requests("all", None, 30)
    assert [r.id for r in first.items] == [t.id for t in made[:30]]
    # Meanwhile a member answers in a topic of the second page: the latest bumped now.
    forum.reply(made[40].id, made[40].user_id, "Here is more about what I did.")
    assert first.next_cursor is not None
    second = desk.requests("all", first.next_cursor, 30)
    assert [r.id for r in second.items] == [t.id for t in made[30:]] and second.next_cursor is None


# --- decisions -----------------------------------------------------------------------------------


def test_approve_grants_once_with_the_topic_path_replies_and_closes(
    forum: FakeForum, session: DiscourseSession
) -> None:
    topic = asked(forum, 3)
    request = listed(session)[topic.id]
    result = desk_of(session).decide(
        request.id,
        version=request.version,
        decision=Decision.APPROVE,
        reason="",
        message="Well deserved, thank you for the talk!",
        idempotency_key="k1",
    )
    [grant] = forum.held(3, SPEAKER)
    [sent] = forum.sent("POST", "/user_badges")
    assert f"/t/{topic.slug}/{topic.id}" in sent.content.decode()
    assert grant.post_id == topic.id * 1000 + 1  # the grant is linked to the topic
    assert result.award_id == grant.id
    assert [(p.user_id, p.raw) for p in topic.posts[1:2]] == [
        (ALICE, "Well deserved, thank you for the talk!")
    ]
    assert topic.closed and topic.posts[-1].action_code == "closed.enabled"
    assert (result.request.state, result.request.decided_by) == (RequestState.APPROVED, "Alice Moderator")
    assert listed(session)[topic.id].state is RequestState.APPROVED


def test_deny_replies_and_closes_and_return_replies_and_leaves_it_open(
    forum: FakeForum, session: DiscourseSession
) -> None:
    denied, returned = asked(forum, 3), asked(forum, 4)
    requests = listed(session)
    assert decide(session, requests[denied.id], Decision.DENY, "No").state is RequestState.DENIED
    assert decide(session, requests[returned.id], Decision.RETURN).state is RequestState.RETURNED
    assert denied.closed and not returned.closed and forum.grants == []
    # A short message gets a plain sentence first (Discourse refuses replies under 20 characters).
    assert denied.posts[1].raw == "Your request for the badge “Conference Speaker” was declined.\n\nNo"
    assert returned.posts[1].raw.startswith("Your request for the badge “Conference Speaker” needs more")
    after = listed(session)
    assert (after[returned.id].state, after[denied.id].state) == (RequestState.RETURNED, RequestState.DENIED)
    # The member answers: the request is pending again.
    forum.reply(returned.id, 4, "Here is the link to the recording.")
    assert listed(session)[returned.id].state is RequestState.PENDING


@pytest.mark.parametrize("elsewhere", ["replied", "closed", "already held"])
def test_a_request_decided_elsewhere_first_is_decided_by_them_and_nothing_is_sent(
    forum: FakeForum, session: DiscourseSession, elsewhere: str
) -> None:
    topic = asked(forum, 3)
    request = listed(session)[topic.id]
    if elsewhere == "replied":
        forum.reply(topic.id, BOB, "Approved by me already, enjoy the badge.")
    elif elsewhere == "closed":
        forum.close(topic.id, BOB)
    else:
        forum.grant(3, SPEAKER, by=BOB)
    posts_before = len(topic.posts)
    with pytest.raises(DecisionConflict, match="Decided by Bob Moderator") as caught:
        decide(session, request, Decision.APPROVE, "Congratulations on the badge!")
    assert caught.value.current.decided_by == "Bob Moderator"
    assert len(forum.held(3, SPEAKER)) == (1 if elsewhere == "already held" else 0)
    assert forum.count("POST", "/user_badges") == 0 and forum.count("POST", "/posts") == 0
    assert len(topic.posts) == posts_before and forum.count("PUT") == 0


def test_the_member_adding_to_the_topic_is_no_conflict(forum: FakeForum, session: DiscourseSession) -> None:
    topic = asked(forum, 3)
    request = listed(session)[topic.id]
    forum.reply(topic.id, 3, "Also, here is the video of the talk.")
    assert decide(session, request, Decision.DENY).state is RequestState.DENIED


@pytest.mark.parametrize(("method", "path"), [("POST", "/user_badges"), ("POST", "/posts"), ("PUT", "/t/")])
def test_a_lost_answer_is_settled_by_reading_never_by_sending_twice(
    forum: FakeForum, session: DiscourseSession, method: str, path: str
) -> None:
    topic = asked(forum, 3, "Badge request: Helper")  # a badge Discourse would grant again
    request = listed(session)[topic.id]
    forum.lose_next(method, path)
    with pytest.raises(ServerUnreachable):
        decide(session, request, Decision.APPROVE, "Thank you for all the help you give!")
    # The outbox sends the decision again, the same one.
    assert decide(session, request, Decision.APPROVE, "Thank you for all the help you give!").state is (
        RequestState.APPROVED
    )
    assert len(forum.held(3, HELPER)) == 1 and forum.count("POST", "/user_badges") == 1
    assert [p.raw for p in topic.posts if p.user_id == ALICE and p.post_type == 1] == [
        "Thank you for all the help you give!"
    ]
    assert topic.closed and sum(1 for p in topic.posts if p.action_code == "closed.enabled") == 1


def test_a_request_without_a_recognised_badge_cannot_be_approved(
    forum: FakeForum, session: DiscourseSession
) -> None:
    topic = forum.add_topic(3, "I deserve the shiny one", "Because I am great at it.")
    request = listed(session)[topic.id]
    with pytest.raises(ApiError, match="names no badge BadgeDesk recognises") as caught:
        decide(session, request, Decision.APPROVE)
    assert caught.value.status == 422 and forum.count("POST") == 0
    assert decide(session, request, Decision.DENY).state is RequestState.DENIED


def test_duplicates_are_answered_and_closed_with_one_grant(
    forum: FakeForum, session: DiscourseSession
) -> None:
    first, second = asked(forum, 3), asked(forum, 3)
    requests = listed(session)
    result = desk_of(session).decide(
        first.id,
        version=requests[first.id].version,
        decision=Decision.APPROVE,
        reason="",
        message="Well deserved, thank you for the talk!",
        idempotency_key="k",
        duplicates=[(second.id, requests[second.id].version)],
    )
    assert [d.id for d in result.duplicates] == [second.id]
    assert len(forum.held(3, SPEAKER)) == 1 and first.closed and second.closed


# --- private messages ----------------------------------------------------------------------------


def test_a_message_reaches_exactly_one_member(forum: FakeForum, session: DiscourseSession) -> None:
    messenger = session.messenger
    assert messenger is not None
    messenger.send_message(3, "user3", "You were awarded “Helper”", "Thank you for helping everyone.")
    [thread] = forum.messages_to(3)
    assert thread.recipients == {3} and thread.archetype == "private_message"
    assert (thread.title, thread.posts[0].raw) == (
        "You were awarded “Helper”",
        "Thank you for helping everyone.",
    )
    [sent] = forum.sent("POST", "/posts")
    assert "target_recipients" in sent.content.decode() and "target_usernames" not in sent.content.decode()


def test_a_message_to_a_renamed_member_goes_to_the_new_name(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.users[3].username = "user3-renamed"
    messenger = session.messenger
    assert messenger is not None
    messenger.send_message(3, "user3", "Hello there", "A message for you, under your new name.")
    assert [t.recipients for t in forum.messages_to(3)] == [{3}]
    with pytest.raises(ApiError, match="too short"):
        messenger.send_message(4, "user4", "Hi", "Short")
    assert forum.messages_to(4) == []


def test_through_the_outbox_a_decision_whose_grant_answer_was_lost_grants_once(
    cache: Cache, forum: FakeForum, session: DiscourseSession
) -> None:
    topic = asked(forum, 3, "Badge request: Helper")
    request = listed(session)[topic.id]
    outbox = Outbox(cache)
    outbox.queue_decision(
        request.id, request.version, Decision.APPROVE, message="Thank you for all the help you give!"
    )
    forum.lose_next("POST", "/user_badges")
    report = outbox.send_pending(session, retry=RetryPolicy(attempts=3, first_delay=0.0))
    assert report.applied == 1 and report.failed == 0
    assert len(forum.held(3, HELPER)) == 1 and forum.count("POST", "/user_badges") == 1
    assert topic.closed and sum(1 for p in topic.posts if p.user_id == ALICE and p.post_type == 1) == 1
    [done] = outbox.actions()
    assert (done.state, done.outcome) == (ActionState.DONE, "approved")


def test_a_request_of_a_member_deleted_since_grants_nothing_to_anyone(
    forum: FakeForum, session: DiscourseSession
) -> None:
    topic = asked(forum, 3)
    request = listed(session)[topic.id]
    forum.delete_user(3)  # their posts now show as the system user's
    with pytest.raises(ApiError, match="no longer on the forum"):
        decide(session, request, Decision.APPROVE, "Well deserved, thank you for the talk!")
    assert forum.grants == [] and forum.count("POST") == 0


def test_a_request_whose_topic_is_gone_is_refused_with_nothing_sent(
    forum: FakeForum, session: DiscourseSession
) -> None:
    topic = asked(forum, 3)
    request = listed(session)[topic.id]
    del forum.forum_topics[topic.id]
    with pytest.raises(ApiError, match="is gone from the forum") as caught:
        decide(session, request, Decision.DENY)
    assert caught.value.status == 404 and forum.count("POST") == 0 and forum.count("PUT") == 0


def test_a_long_topic_is_read_whole_so_a_late_reply_is_seen(
    forum: FakeForum, session: DiscourseSession
) -> None:
    topic = asked(forum, 3)
    request = listed(session)[topic.id]
    for n in range(22):  # a long exchange with the member: more than the 20 posts a topic carries
        forum.reply(topic.id, 3, f"One more detail about my talk, number {n}.")
    forum.reply(topic.id, BOB, "Approved by me already, enjoy the badge.")
    with pytest.raises(DecisionConflict, match="Decided by Bob Moderator"):
        decide(session, request, Decision.APPROVE)
    assert [r.url.params.get("print") for r in forum.sent("GET", f"/t/{topic.id}")] == [None, None, "true"]
    assert forum.count("POST") == 0
