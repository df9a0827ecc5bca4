"""The Discourse connector's directory: community, me, members, badges and awards, paged.

Against a fake forum whose answers are checked against Discourse's published
spec (:mod:`tests.fakes.discourse_forum`). What FACTS.md says Discourse does
is the specification: 100 users a page, 1-based, ``active`` lists everyone;
badges in one answer with their types and groupings; holders 50 at most a
page, newest first, by ``offset``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import parse_qs

import pytest

from desktop.dialects import registry
from desktop.dialects.base import Delivery, Page
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.discourse import KIND
from desktop.dialects.discourse.session import DiscourseSession
from desktop.domain import Award, BadgeState, Member, MemberStatus
from desktop.net.errors import ApiError, AuthError, MalformedResponse
from desktop.net.ratecontrol import RateControl
from tests.fakes.discourse_forum import ADMIN_KEY, URL, FakeForum, ForumBadge

T = TypeVar("T")


def open_session(forum: FakeForum, username: str = "alice", **options: Any) -> DiscourseSession:
    return DiscourseSession(
        URL, ADMIN_KEY, username=username, transport=forum.transport(), rate_control=RateControl(), **options
    )


@pytest.fixture()
def forum() -> FakeForum:
    return FakeForum.seeded(
        20,
        [
            ForumBadge(100, "Conference Speaker", "Spoke at <b>our</b> conference", badge_type_id=1),
            ForumBadge(101, "Helper", multiple_grant=True, badge_type_id=2, badge_grouping_id=2),
            ForumBadge(102, "Retired", enabled=False),
        ],
    )


@pytest.fixture()
def session(forum: FakeForum) -> Iterator[DiscourseSession]:
    with open_session(forum) as session:
        yield session


def every_page(fetch: Callable[[str | None], Page[T]]) -> tuple[list[T], int]:
    """All items, following cursors to the end, and how many pages it took."""
    items: list[T] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = fetch(cursor)
        pages += 1
        items.extend(page.items)
        if page.next_cursor is None:
            return items, pages
        assert page.next_cursor != cursor
        cursor = page.next_cursor


# --- the session and its ports ------------------------------------------------------------


def test_a_session_offers_a_directory_and_a_reconciling_writer_one_grant_a_request(
    session: DiscourseSession,
) -> None:
    caps = Capabilities.of(session)
    assert session.kind == KIND == "discourse"
    assert (caps.delivery, caps.batch_cap) == (Delivery.RECONCILE, 1)
    # No request desk without a request category (see test_discourse_desk).
    assert not (caps.changes_feed or caps.requests)
    # An admin's key edits badges; Discourse keeps no versions (edits are compared before saving).
    assert caps.badge_editing and not caps.edit_conflicts
    # Private messages, one per member: award messages go that way (a grant carries no text).
    assert caps.messages and caps.award_messages
    # Every listed member carries a trust level and a post count: rules may use them.
    assert caps.member_activity


def test_the_registry_opens_it_with_the_acting_username_beside_the_key(forum: FakeForum) -> None:
    dialect = registry.dialect("discourse")
    with closing(dialect.open(URL, ADMIN_KEY, username="alice", transport=forum.transport())) as session:
        assert session.kind == "discourse" and session.directory.me() == "Alice Moderator"
    sent = forum.requests[-1]
    assert (sent.headers["Api-Key"], sent.headers["Api-Username"]) == (ADMIN_KEY, "alice")
    assert "api_key" not in str(sent.url) and ADMIN_KEY not in str(sent.url)
    with pytest.raises(ValueError, match=r"username.*Api-Username"):
        dialect.open(URL, ADMIN_KEY, transport=forum.transport())
    with pytest.raises(ValueError, match="header"):
        dialect.open(URL, ADMIN_KEY, username="zoë", transport=forum.transport())
    with pytest.raises(ValueError, match="key is empty"):
        dialect.open(URL, " ", username="alice", transport=forum.transport())
    # A key pasted with a line break still works.
    with closing(
        dialect.open(URL, ADMIN_KEY + "\n", username=" alice ", transport=forum.transport())
    ) as pasted:
        assert pasted.directory.me() == "Alice Moderator"


def test_the_v1_dialect_opens_as_before_and_ignores_a_username() -> None:
    opened = registry.dialect(registry.DEFAULT_KIND).open("http://127.0.0.1:9", "t0ken", username="alice")
    with closing(opened) as session:
        assert session.kind == "badgedesk-v1"


# --- community and me ---------------------------------------------------------------------


def test_the_community_is_named_by_the_forum_and_counts_what_discourse_can_tell(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.grant(1, 100)
    forum.grant(2, 100)
    forum.grant(3, 102)  # a disabled badge: Discourse lists no holders of it
    summary = session.community()
    assert summary.name == "Badge Forum"
    assert (summary.badges, summary.awards) == (3, 2)
    # No member count in Discourse's API, no requests, no feed.
    assert (summary.members, summary.requests, summary.changes_cursor) == (0, 0, "")


def test_me_is_the_acting_users_name_asked_once(forum: FakeForum, session: DiscourseSession) -> None:
    assert session.me() == session.me() == "Alice Moderator"
    assert forum.count("GET", "/u/") == 1
    forum.users[21].name = ""
    with open_session(forum) as other:
        assert other.me() == "alice"  # no full name: the username


# --- members ------------------------------------------------------------------------------


def test_members_page_through_the_whole_list_in_creation_order_without_discourses_bots(
    forum: FakeForum,
) -> None:
    big = FakeForum.seeded(250)
    with open_session(big) as session:
        members, pages = every_page(lambda c: session.members(c, 2000))
    assert [m.id for m in members] == list(
        range(1, 253)
    )  # 250 members, alice, bob; not system (-1) nor discobot
    assert pages == 3 and big.count("GET", "/admin/users/list/") == 3  # 100, 100, 52: a short page ends it
    query = parse_qs(big.sent("GET", "/admin/users/list/")[1].url.query.decode())
    assert big.sent("GET", "/admin/users/list/")[1].url.path == "/admin/users/list/active.json"
    assert query == {"show_emails": ["true"], "order": ["created"], "asc": ["true"], "page": ["2"]}


def test_a_full_last_page_ends_with_the_empty_one_after_it() -> None:
    forum = FakeForum.seeded(198)  # + alice and bob: exactly two pages
    with open_session(forum) as session:
        members, pages = every_page(lambda c: session.members(c, 100))
    assert len(members) == 200 and pages == 3


def test_members_in_pages_smaller_than_discourses(forum: FakeForum) -> None:
    big = FakeForum.seeded(130)
    sizes: list[int] = []
    with open_session(big) as session:

        def fetch(cursor: str | None) -> Page[Member]:
            page = session.members(cursor, 30)
            sizes.append(len(page.items))
            return page

        members, _ = every_page(fetch)
    assert [m.id for m in members] == list(range(1, 133))
    # Discourse's page 1 (100 rows, its two bots first) given as 30 - 2, 30, 30, 10; page 2 (34
    # rows) as 30, 4. Each call reads its Discourse page again: small pages cost requests (the
    # sync asks for 2,000).
    assert sizes == [28, 30, 30, 10, 30, 4] and big.count("GET", "/admin/users/list/") == 6


def test_a_member_as_the_cache_keeps_one(forum: FakeForum, session: DiscourseSession) -> None:
    seen = datetime(2025, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)
    forum.users[4].suspended = True
    forum.users[5].silenced = True
    forum.users[6].name = ""
    forum.users[7].last_seen_at = seen
    forum.users[3].trust_level, forum.users[3].post_count = 3, 1234
    members = {m.id: m for m in session.members(None, 100).items}
    assert members[3] == Member(
        3,
        "user3",
        "Member 3",
        "user3@example.org",
        datetime(2024, 1, 1, 0, 3, tzinfo=UTC),
        None,
        MemberStatus.ACTIVE,
        trust_level=3,
        post_count=1234,
    )
    assert members[4].status is MemberStatus.SUSPENDED
    # Silenced members cannot post, but they are members and can hold badges.
    assert members[5].status is MemberStatus.ACTIVE
    assert members[6].display_name == "user6"
    assert members[7].last_seen_at == seen


def test_a_row_without_trust_level_or_posts_reads_as_not_known(
    forum: FakeForum, session: DiscourseSession
) -> None:
    # The spec requires both; an older or trimmed server that leaves them out is not refused.
    forum.spoil_next(
        "/admin/users/list/",
        lambda rows: [{k: v for k, v in r.items() if k not in ("trust_level", "post_count")} for r in rows],
    )
    assert {(m.trust_level, m.post_count) for m in session.members(None, 100).items} == {(None, None)}


def test_a_member_without_a_visible_email_has_an_empty_one(
    forum: FakeForum, session: DiscourseSession
) -> None:
    # Moderators see emails only where the forum lets them: the list then has none.
    forum.spoil_next(
        "/admin/users/list/", lambda rows: [{k: v for k, v in r.items() if k != "email"} for r in rows]
    )
    assert {m.email for m in session.members(None, 100).items} == {""}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda r: {**r, "created_at": "yesterday"},
        lambda r: {**r, "created_at": "1899-12-31T00:00:00.000Z"},
        lambda r: {**r, "id": 2**63},
        lambda r: {**r, "id": "7"},
        lambda r: {**r, "username": "u" * 5000},
        lambda r: {k: v for k, v in r.items() if k != "username"},
        lambda r: {**r, "trust_level": 5},
        lambda r: {**r, "post_count": -1},
        lambda r: {**r, "post_count": "12"},
    ],
)
def test_a_malformed_member_refuses_the_whole_page(
    forum: FakeForum, session: DiscourseSession, spoil: Callable[[dict[str, Any]], Any]
) -> None:
    forum.spoil_next("/admin/users/list/", lambda rows: [*rows[:5], spoil(rows[5]), *rows[6:]])
    with pytest.raises(MalformedResponse, match=r"/admin/users/list/active\.json"):
        session.members(None, 100)


def test_a_cursor_of_another_kind_is_refused_clearly(session: DiscourseSession) -> None:
    with pytest.raises(ApiError, match="sync position"):
        session.members("abc", 100)
    with pytest.raises(ApiError, match="sync position"):
        session.awards("m1:2:0", 100)


# --- badges -------------------------------------------------------------------------------


def test_badges_map_to_the_domain(forum: FakeForum, session: DiscourseSession) -> None:
    badges = {b.id: b for b in session.badges(None, 100).items}
    speaker, helper, retired = badges[100], badges[101], badges[102]
    assert (speaker.slug, speaker.title, speaker.tier, speaker.category) == (
        "conference-speaker",
        "Conference Speaker",
        "gold",
        "Other",
    )
    assert speaker.description == "Spoke at our conference"  # Discourse's HTML, as plain text
    assert (helper.tier, helper.category) == ("silver", "Community")
    assert (speaker.state, retired.state) == (BadgeState.PUBLISHED, BadgeState.DISABLED)
    # No award text in Discourse; the image is not fetched (one request per badge).
    assert (speaker.award_message, speaker.image, speaker.updated_at) == ("", None, None)
    # A badge a member may hold several times says so: the sender reads before granting it.
    assert (helper.multiple_grant, speaker.multiple_grant) == (True, False)


def test_a_badges_version_is_a_digest_that_changes_with_what_can_be_edited(forum: FakeForum) -> None:
    def version() -> int:
        with open_session(forum) as session:
            return next(b.version for b in session.badges(None, 100).items if b.id == 100)

    first = version()
    assert first == version() and 0 < first < 2**63
    forum.badges[100].description = "Spoke twice"
    assert version() != first
    forum.badges[100].description = "Spoke at <b>our</b> conference"
    assert version() == first
    forum.grant(1, 100)  # a grant is not an edit of the badge
    assert version() == first


def test_badges_page_by_id_from_one_answer(forum: FakeForum, session: DiscourseSession) -> None:
    badges, pages = every_page(lambda c: session.badges(c, 2))
    assert [b.id for b in badges] == [100, 101, 102] and pages == 2
    assert forum.count("GET", "/admin/badges") == 1  # the session keeps the one answer


def test_a_moderators_key_cannot_list_badges_and_is_told_why(forum: FakeForum) -> None:
    with open_session(forum, "bob") as session, pytest.raises(AuthError, match=r"admin.*/admin/badges\.json"):
        session.badges(None, 100)


def test_a_malformed_badge_list_is_refused_whole(forum: FakeForum, session: DiscourseSession) -> None:
    forum.spoil_next("/admin/badges", lambda body: {**body, "badges": [{**body["badges"][0], "id": 0}]})
    with pytest.raises(MalformedResponse, match=r"badges\[0\]\.id"):
        session.badges(None, 100)


# --- awards -------------------------------------------------------------------------------


def test_awards_page_through_the_holders_of_every_enabled_badge(forum: FakeForum) -> None:
    t = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(1, 21):
        for k in range(6):  # a multiple_grant badge: 120 grants of 20 members
            forum.grant(i, 101, by=21, at=t + timedelta(minutes=i * 10 + k))
    forum.grant(3, 100, by=22, at=t)
    forum.grant(4, 100, at=t)  # granted by Discourse itself (the system user)
    forum.grant(5, 102, at=t)  # disabled: Discourse answers 404 for its holders
    with open_session(forum) as session:
        awards, pages = every_page(lambda c: session.awards(c, 2000))
    assert len(awards) == 122 and len({a.id for a in awards}) == 122
    helper = [a for a in awards if a.badge_id == 101]
    assert [a.granted_at for a in helper] == sorted((a.granted_at for a in helper), reverse=True)
    by_member = {(a.member_id, a.badge_id): a for a in awards if a.badge_id == 100}
    assert by_member[(3, 100)] == Award(by_member[(3, 100)].id, 3, 100, t, "Bob Moderator", "")
    assert by_member[(4, 100)].granted_by == "system"
    # One badge list, then the holders: badge 100 (one page), 101 (50 + 50 + 20).
    assert forum.count("GET", "/admin/badges") == 1
    assert [r.url.params["badge_id"] for r in forum.sent("GET", "/user_badges")] == [
        "100",
        "101",
        "101",
        "101",
    ]
    assert pages == 4


def test_awards_of_one_badge_or_one_member(forum: FakeForum, session: DiscourseSession) -> None:
    forum.grant(1, 100)
    forum.grant(1, 101)
    forum.grant(2, 101)
    of_badge, _ = every_page(lambda c: session.awards(c, 10, badge_id=101))
    assert sorted(a.member_id for a in of_badge) == [1, 2]
    of_member, pages = every_page(lambda c: session.awards(c, 10, member_id=1))
    assert sorted(a.badge_id for a in of_member) == [100, 101] and pages == 1
    assert {a.granted_by for a in of_member} == {"system"}


def test_holders_of_a_badge_smaller_pages_than_fifty(forum: FakeForum, session: DiscourseSession) -> None:
    for i in range(1, 21):
        forum.grant(i, 100)
    awards, pages = every_page(lambda c: session.awards(c, 8, badge_id=100))
    assert sorted(a.member_id for a in awards) == list(range(1, 21)) and pages == 3
    assert {r.url.params["limit"] for r in forum.sent("GET", "/user_badges")} == {"8"}


def test_a_grant_linked_to_a_post_keeps_the_link_as_its_reason(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.grant(1, 100).post_id = 77 * 1000 + 3
    [award] = session.awards(None, 10, badge_id=100).items
    assert award.reason == "/t/77/3"


@pytest.mark.parametrize(
    "spoil",
    [
        lambda r: {**r, "granted_at": "2300-01-01T00:00:00.000Z"},
        lambda r: {**r, "id": -4},
        lambda r: {**r, "badge_id": 999},  # not the badge asked for
        lambda r: {k: v for k, v in r.items() if k != "user_id"},
    ],
)
def test_a_malformed_holder_refuses_the_whole_page(
    forum: FakeForum, session: DiscourseSession, spoil: Callable[[dict[str, Any]], Any]
) -> None:
    for i in range(1, 6):
        forum.grant(i, 100)

    def change(body: dict[str, Any]) -> dict[str, Any]:
        rows = body["user_badge_info"]["user_badges"]
        rows[2] = spoil(rows[2])
        return body

    forum.spoil_next("/user_badges", change)
    with pytest.raises(MalformedResponse, match=r"/user_badges\.json"):
        session.awards(None, 100, badge_id=100)


def test_a_holder_who_is_one_of_discourses_bots_is_not_a_member(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.grant(-2, 100)
    forum.grant(1, 100)
    assert [a.member_id for a in session.awards(None, 10, badge_id=100).items] == [1]


def test_not_json_is_not_a_page(forum: FakeForum, session: DiscourseSession) -> None:
    forum.spoil_next("/admin/users/list/", lambda rows: json.dumps(rows)[:10])
    with pytest.raises(MalformedResponse):
        session.members(None, 100)
