"""The activity reader (:class:`~desktop.dialects.activity.ActivityReader`) against each dialect's
sandbox, checked against figures computed by hand from the seeded activity tables
(:mod:`tests.contract.activity_witness`)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from desktop.dialects.activity import ActivityReader, ActivitySource, Measure, RankedMember, top_ranks
from desktop.dialects.capabilities import Capabilities
from desktop.programs.sources.leaderboard import LeaderboardSource
from desktop.programs.sources.liked_posts import LikedPostsSource
from desktop.programs.sources.posters import TopicPostersSource, short_title
from tests.contract import activity_witness as witness
from tests.contract.conftest import Dialect


def _reader(dialect: Dialect) -> ActivityReader:
    session = dialect.session
    assert isinstance(session, ActivityReader)
    return session


def _year(dialect: Dialect) -> tuple[datetime, datetime]:
    ends = datetime.fromtimestamp(witness.epoch(dialect.harness), UTC)
    return ends - timedelta(days=365), ends


def _ranked(rows: list[tuple[str, int]]) -> list[tuple[int, str, int]]:
    """Competition ranks (1, 1, 3) of rows sorted by value, highest first."""
    ranked: list[tuple[int, str, int]] = []
    for position, (name, value) in enumerate(rows, start=1):
        rank = ranked[-1][0] if ranked and ranked[-1][2] == value else position
        ranked.append((rank, name, value))
    return ranked


def test_ranking_again_without_some_members_keeps_ties_at_the_cut() -> None:
    rows = [RankedMember(1, 1, "a", 9), RankedMember(2, 2, "b", 7), RankedMember(2, 3, "c", 7)]
    rows += [RankedMember(4, 4, "d", 5), RankedMember(4, 5, "e", 5), RankedMember(6, 6, "f", 1)]
    assert [(r.rank, r.username) for r in top_ranks(rows, 2)] == [(1, "a"), (2, "b"), (2, "c")]
    assert [(r.rank, r.username) for r in top_ranks(rows, 2, ["A"])] == [(1, "b"), (1, "c")]
    assert [(r.rank, r.username) for r in top_ranks(rows, 3, ["b"])] == [
        (1, "a"),
        (2, "c"),
        (3, "d"),
        (3, "e"),
    ]


@pytest.mark.requires("activity")
def test_the_server_says_which_sources_it_has(dialect: Dialect) -> None:
    assert ActivitySource.LEADERBOARD.value in Capabilities.of(dialect.session).activity_sources
    assert set(_reader(dialect).activity_sources()) == set(ActivitySource)


def _ranked_window(dialect: Dialect) -> tuple[datetime, datetime]:
    """The window a ranking of the last year really covers: the year asked (v1), or the
    server's own rolling period nearest it (Discourse's "yearly", as of its last refresh)."""
    starts, ends = _year(dialect)
    ranking = _reader(dialect).leaderboard(Measure.LIKES_RECEIVED, starts, ends, top=1)
    assert ranking.rows and ranking.rows[0].rank == 1
    return ranking.starts, ranking.ends


@pytest.mark.requires("activity")
def test_a_leaderboard_is_read_down_to_the_rank_asked_with_its_ties(dialect: Dialect) -> None:
    starts, ends = _year(dialect)
    window = _ranked_window(dialect)
    expected = _ranked(witness.likes_received(dialect.harness, *window))
    # The first rank two members share: the cut falls on a tie, both stay. (The caller's own
    # row, which Discourse puts first on page 0, is not among them.)
    tie = next(a[0] for a, b in itertools.pairwise(expected) if a[2] == b[2])
    ranking = _reader(dialect).leaderboard(Measure.LIKES_RECEIVED, starts, ends, top=tie)
    got = [(r.rank, r.username, r.value) for r in ranking.rows]
    assert got == [row for row in expected if row[0] <= tie]
    assert sum(1 for r in got if r[0] == tie) >= 2
    assert ranking.measure is Measure.LIKES_RECEIVED and (ranking.starts, ranking.ends) == window


@pytest.mark.requires("activity")
def test_a_leaderboard_leaves_out_the_groups_and_usernames_excluded(dialect: Dialect) -> None:
    starts, ends = _year(dialect)
    counts = witness.likes_received(dialect.harness, *_ranked_window(dialect))
    group_id, in_group = witness.group_of(dialect.harness, [name for name, _ in counts])
    outside = [row for row in counts if row[0] not in in_group]
    # Down to the rank below the group's first member: leaving the group out shows.
    top = next(rank for rank, name, _ in _ranked(counts) if name in in_group) + 1
    skipped = outside[0][0]
    expected = [r for r in _ranked([row for row in outside if row[0] != skipped]) if r[0] <= top]

    ranking = _reader(dialect).leaderboard(
        Measure.LIKES_RECEIVED,
        starts,
        ends,
        top=top,
        exclude_groups=[group_id],
        exclude_usernames=[skipped.upper()],
    )
    assert [(r.rank, r.username, r.value) for r in ranking.rows] == expected


@pytest.mark.requires("activity")
def test_the_most_liked_posts_of_a_window(dialect: Dialect) -> None:
    starts, ends = _year(dialect)
    expected = witness.most_liked_posts(dialect.harness, starts, ends, 7)
    posts = _reader(dialect).liked_posts(starts, ends, top=7)
    assert [(p.username, p.title, p.like_count) for p in posts] == expected
    assert all(p.link.startswith(("http://", "https://")) for p in posts)
    assert all(starts <= p.created_at < ends for p in posts)


@pytest.mark.requires("activity")
def test_everyone_who_posted_in_a_topic_found_by_title_or_number(dialect: Dialect) -> None:
    title, expected = witness.biggest_topic(dialect.harness)
    reader = _reader(dialect)
    [topic] = [t for t in reader.find_topics(title.split()[-1]) if t.title == title]
    assert [t.title for t in reader.find_topics(str(topic.topic_id))] == [title]
    assert [t.title for t in reader.find_topics(f"#{topic.topic_id}")] == [title]

    posters = reader.topic_posters(topic.topic_id)
    assert {p.username: p.post_count for p in posters} == expected
    assert topic.posts_count == sum(expected.values())


@pytest.mark.requires("activity")
def test_everyone_who_posted_in_a_window(dialect: Dialect) -> None:
    _, ends = _year(dialect)
    starts = ends - timedelta(days=60)
    posters = _reader(dialect).window_posters(starts, ends)
    assert {p.username: p.post_count for p in posters} == witness.window_posters(
        dialect.harness, starts, ends
    )
    assert len(posters) > 1


@pytest.mark.requires("activity")
def test_the_sources_give_reasons_and_links_and_say_when_another_window_was_ranked(
    dialect: Dialect,
) -> None:
    starts, ends = _year(dialect)
    reader = _reader(dialect)
    board = LeaderboardSource(Measure.LIKES_RECEIVED, 3).read(reader, starts, ends, period="2026")
    window = _ranked_window(dialect)
    [first, *_rest] = _ranked(witness.likes_received(dialect.harness, *window))
    # The reason names the window ranked: the year asked, or the server's own rolling one.
    days = round((window[1] - window[0]) / timedelta(days=1))
    last = (window[1] - timedelta(microseconds=1)).date().isoformat()
    ranked = "2026" if window == (starts, ends) else f"the {days} days to {last}"
    assert board.candidates[0].why == f"{first[2]} likes received in {ranked}"
    # v1 ranks the year asked; Discourse its own rolling year, as of its last refresh: said so.
    assert any("own period" in note for note in board.notes) == (window != (starts, ends))

    [(_author, title, likes)] = witness.most_liked_posts(dialect.harness, starts, ends, 1)
    [best, *_others] = LikedPostsSource(3).read(reader, starts, ends, period="2026").candidates
    assert best.why == f"most liked post of 2026: {likes} likes, in “{short_title(title)}”"
    assert best.link is not None and best.link.startswith(("http://", "https://")) and best.score == likes

    big, posts = witness.biggest_topic(dialect.harness)
    [topic] = [t for t in reader.find_topics(big.split()[-1]) if t.title == big]
    posters = TopicPostersSource(topic.topic_id, min_posts=2).read(reader).candidates
    assert sorted(c.score or 0 for c in posters) == sorted(float(n) for n in posts.values() if n >= 2)
    assert all(c.link == topic.link and "posts in “" in c.why for c in posters)
