"""The activity sources (leaderboard, most liked posts, posters) over a hand-made activity reader:
their reasons, scores, links, ties, notes and who they leave out."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from desktop.cache.database import Cache
from desktop.cache.schema import program_actions
from desktop.dialects.activity import (
    ActivitySource,
    LikedPost,
    Measure,
    Poster,
    RankedMember,
    Ranking,
    TopicRef,
    top_ranks,
)
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.programs.model import ProgramError, SourceSpec
from desktop.programs.sources.activity_specs import ActivitySourceKind, activity_source, needs, spec_of
from desktop.programs.sources.leaderboard import LeaderboardSource
from desktop.programs.sources.liked_posts import LikedPostsSource
from desktop.programs.sources.posters import TopicPostersSource, WindowPostersSource, short_title
from desktop.programs.sources.winners import recent_winners

STARTS = datetime(2026, 11, 30, tzinfo=UTC)
ENDS = STARTS + timedelta(days=7)
OUTAGE = "The great outage of 23 April, and what we learnt from it"
TOPIC_LINK = "http://forum.test/t/118"


class Reader:
    """An activity reader answering hand-made rows, recording what it was asked."""

    def __init__(
        self,
        board: Sequence[tuple[int, str, int]],
        *,
        window: tuple[datetime, datetime] | None = None,
        as_of: datetime | None = None,
    ) -> None:
        rows: list[RankedMember] = []
        for member_id, name, value in board:
            rank = rows[-1].rank if rows and rows[-1].value == value else len(rows) + 1
            rows.append(RankedMember(rank, member_id, name, value))
        self.board = rows
        self.window = window
        self.as_of = as_of
        self.asked: list[int] = []
        self.posts: list[LikedPost] = []

    def activity_sources(self) -> frozenset[ActivitySource]:
        return frozenset(ActivitySource)

    def leaderboard(
        self,
        measure: Measure,
        starts: datetime,
        ends: datetime,
        *,
        top: int,
        exclude_groups: Sequence[int] = (),
        exclude_usernames: Sequence[str] = (),
    ) -> Ranking:
        self.asked.append(top)
        first, last = self.window or (starts, ends)
        return Ranking(measure, first, last, tuple(top_ranks(self.board, top, exclude_usernames)), self.as_of)

    def liked_posts(self, starts: datetime, ends: datetime, *, top: int) -> list[LikedPost]:
        self.asked.append(top)
        return self.posts[:top]

    def find_topics(self, query: str) -> list[TopicRef]:
        return [TopicRef(118, OUTAGE, 2500, TOPIC_LINK)] if query == "118" else []

    def topic_posters(self, topic_id: int) -> list[Poster]:
        return [Poster(3, "c", 1), Poster(1, "a", 12), Poster(2, "b", 40), Poster(4, "d", 12)]

    def window_posters(self, starts: datetime, ends: datetime) -> list[Poster]:
        return [Poster(5, "e", 2), Poster(6, "f", 9)]


BOARD = [(1, "ann", 142), (2, "bob", 90), (3, "cy", 90), (4, "di", 80), (5, "ed", 80), (6, "flo", 12)]


def _post(post_id: int, member_id: int, likes: int) -> LikedPost:
    return LikedPost(
        post_id,
        118,
        post_id,
        member_id,
        f"m{member_id}",
        OUTAGE,
        likes,
        STARTS,
        f"http://forum.test/t/118/{post_id}",
    )


def test_a_leaderboard_gives_each_member_a_reason_and_a_score_and_keeps_the_tie_at_the_cut() -> None:
    result = LeaderboardSource(Measure.LIKES_RECEIVED, 2).read(Reader(BOARD), STARTS, ENDS, period="2026-W49")
    assert [(c.member_id, c.why, c.score) for c in result.candidates] == [
        (1, "142 likes received in 2026-W49", 142.0),
        (2, "90 likes received in 2026-W49", 90.0),
        (3, "90 likes received in 2026-W49", 90.0),
    ]
    assert result.notes == ()
    one = LeaderboardSource(Measure.REPLIES, 1).read(Reader([(9, "x", 1)]), STARTS, ENDS, period="2026-11")
    assert [c.why for c in one.candidates] == ["1 reply written in 2026-11"]


def test_recent_winners_and_usernames_are_left_out_before_ranking() -> None:
    reader = Reader(BOARD)
    source = LeaderboardSource(Measure.TOPICS, 2, exclude_usernames=("CY",))
    result = source.read(reader, STARTS, ENDS, period="2026-W49", past_winners={1, 2})
    # Without ann and bob (winners) and cy (excluded): di and ed tie at the top.
    assert [(c.member_id, c.why) for c in result.candidates] == [
        (4, "80 topics started in 2026-W49"),
        (5, "80 topics started in 2026-W49"),
    ]
    assert reader.asked == [4]  # two more ranks than asked: each winner moves the rest up one
    assert result.notes == ("2 recent winners left out of the ranking.",)


def test_a_ranking_of_another_window_than_the_period_says_so() -> None:
    as_of = datetime(2026, 12, 6, 14, tzinfo=UTC)
    reader = Reader(BOARD, window=(as_of - timedelta(days=7), as_of), as_of=as_of)
    result = LeaderboardSource(Measure.DAYS_VISITED, 1).read(reader, STARTS, ENDS, period="2026-W49")
    # The reason names the window the server ranked, not the program's week.
    assert result.candidates[0].why == "visited on 142 days in the 7 days to 2026-12-06"
    assert result.notes == (
        "Ranking as of 2026-12-06 14:00+00:00.",
        "The server ranks its own period, 2026-11-29T14:00+00:00 to 2026-12-06T14:00+00:00,"
        " not the program's period, 2026-11-30T00:00+00:00 to 2026-12-07T00:00+00:00.",
    )


def test_the_most_liked_posts_count_each_author_once_with_the_post_as_link() -> None:
    reader = Reader([])
    reader.posts = [_post(10, 1, 38), _post(11, 1, 30), _post(12, 2, 21), _post(13, 3, 21), _post(14, 4, 5)]
    result = LikedPostsSource(2).read(reader, STARTS, ENDS, period="2026-11")
    assert [(c.member_id, c.score, c.link) for c in result.candidates] == [
        (1, 38.0, "http://forum.test/t/118/10"),
        (2, 21.0, "http://forum.test/t/118/12"),
        (3, 21.0, "http://forum.test/t/118/13"),  # ties with bob's post at the cut
    ]
    assert (
        result.candidates[0].why
        == "most liked post of 2026-11: 38 likes, in “The great outage of 23 April, and what…”"
    )
    assert (
        result.candidates[1].why
        == "a post of 2026-11 liked 21 times, in “The great outage of 23 April, and what…”"
    )
    left = LikedPostsSource(1).read(reader, STARTS, ENDS, period="2026-11", past_winners={1})
    assert [c.member_id for c in left.candidates] == [2, 3]


def test_everyone_in_a_topic_with_their_posts_most_first() -> None:
    result = TopicPostersSource(118, min_posts=2).read(Reader([]))
    assert [(c.member_id, c.why, c.score, c.link) for c in result.candidates] == [
        (2, "40 posts in “The great outage of 23 April, and what…”", 40.0, TOPIC_LINK),
        (1, "12 posts in “The great outage of 23 April, and what…”", 12.0, TOPIC_LINK),
        (4, "12 posts in “The great outage of 23 April, and what…”", 12.0, TOPIC_LINK),
    ]
    gone = TopicPostersSource(7).read(Reader([]))
    assert gone.candidates == () and gone.notes == (
        "Topic 7 is not on the server (deleted, or never there).",
    )
    assert short_title("  a  short\ttitle ") == "a short title"


def test_everyone_who_posted_in_the_period() -> None:
    result = WindowPostersSource(min_posts=2).read(Reader([]), STARTS, ENDS, period="2026-W49")
    assert [(c.member_id, c.why) for c in result.candidates] == [
        (6, "9 posts in 2026-W49"),
        (5, "2 posts in 2026-W49"),
    ]
    with pytest.raises(ValueError):
        WindowPostersSource(min_posts=0)
    with pytest.raises(ValueError):
        LeaderboardSource(Measure.REPLIES, 0)


def test_recent_winners_are_the_awards_of_the_last_periods_before_this_one(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "profile")
    try:
        rows = [
            (1, "2026-W46", 10, "award"),
            (1, "2026-W47", 11, "award"),
            (1, "2026-W48", 12, "award"),
            (1, "2026-W48", 13, "revoke"),
            (1, "2026-W49", 14, "award"),  # this period: not a past winner
            (2, "2026-W48", 15, "award"),  # another program
        ]
        with cache.write() as connection:
            connection.execute(
                insert(program_actions),
                [{"program_id": p, "period_key": k, "member_id": m, "kind": kind} for p, k, m, kind in rows],
            )
        assert recent_winners(cache, 1, "2026-W49", 2) == {11, 12}
        assert recent_winners(cache, 1, "2026-W49", 5) == {10, 11, 12}
        assert recent_winners(cache, 1, "2026-W49", 0) == frozenset()
    finally:
        cache.close()


def test_the_activity_sources_a_server_offers_are_stored_with_its_capabilities() -> None:
    ours = Capabilities(
        kind="badgedesk-v1",
        changes_feed=True,
        requests=True,
        badge_editing=True,
        edit_conflicts=True,
        messages=True,
        award_messages=True,
        delivery=Delivery.IDEMPOTENT,
        batch_cap=50,
        activity_sources=("leaderboard", "liked_posts"),
    )
    assert Capabilities.from_json(ours.to_json()) == ours
    older = json.loads(ours.to_json())
    del older["activity_sources"]
    assert Capabilities.from_json(json.dumps(older)) == dataclasses.replace(ours, activity_sources=())
    older["activity_sources"] = "leaderboard"  # damaged: not a list
    assert Capabilities.from_json(json.dumps(older)) is None


def test_a_program_stores_an_activity_source_and_reads_it_back() -> None:
    sources: list[ActivitySourceKind] = [
        LeaderboardSource(Measure.REPLIES, 10, (3, 4), ("system",)),
        LikedPostsSource(5),
        TopicPostersSource(118, min_posts=2),
        WindowPostersSource(3),
    ]
    for source in sources:
        spec = spec_of(source)
        assert activity_source(json_round_trip(spec)) == source
        assert needs(spec.kind) is not None
    assert [needs(k) for k in ("leaderboard", "liked-posts", "topic", "posters", "tenure")] == [
        ActivitySource.LEADERBOARD,
        ActivitySource.LIKED_POSTS,
        ActivitySource.TOPIC_POSTERS,
        ActivitySource.WINDOW_POSTERS,
        None,
    ]
    assert activity_source(
        SourceSpec("leaderboard", {"measure": "likes_received", "top": 3})
    ) == LeaderboardSource(Measure.LIKES_RECEIVED, 3)


@pytest.mark.parametrize(
    "spec",
    [
        SourceSpec("leaderboard", {"measure": "karma", "top": 3}),
        SourceSpec("leaderboard", {"measure": "replies", "top": "3"}),
        SourceSpec("leaderboard", {"measure": "replies", "top": 3, "exclude_groups": ["staff"]}),
        SourceSpec("liked-posts", {"top": 0}),
        SourceSpec("topic", {}),
        SourceSpec("posters", {"min_posts": True}),
        SourceSpec("posters", {}, version=2),
        SourceSpec("tenure", {"years": 10}),
    ],
)
def test_a_stored_source_that_cannot_be_read_says_so_for_the_user(spec: SourceSpec) -> None:
    with pytest.raises(ProgramError, match="This program's source cannot be read"):
        activity_source(spec)


def json_round_trip(spec: SourceSpec) -> SourceSpec:
    return SourceSpec(spec.kind, json.loads(json.dumps(spec.params)), spec.version)
