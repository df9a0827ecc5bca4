"""An optional port for servers that tell who did what: the activity behind recognition programs.

A session that can read a community's activity offers :class:`ActivityReader`
(checked with ``isinstance``, like any optional port; the core never asks
which server it is). Which of the readings it has is
:meth:`ActivityReader.activity_sources` (and
:attr:`Capabilities.activity_sources <desktop.dialects.capabilities.Capabilities.activity_sources>`):
the UI offers a program source only where the server has it. What its leaderboards
rank by is :func:`measures_of` (and
:attr:`Capabilities.activity_measures <desktop.dialects.capabilities.Capabilities.activity_measures>`):
solutions (Discourse's Solved plugin) only where the server counts them.

Windows are half-open, ``[starts, ends)``, with a time zone. A server whose
rankings are rolling periods of its own (Discourse's directory: "the last 7
days" as of its last refresh) answers the window it really ranked
(:attr:`Ranking.starts` / :attr:`Ranking.ends`, :attr:`Ranking.as_of`), and the
source compares it with the program's period.

Every method blocks (call it off the GUI thread) and raises the errors of
:mod:`desktop.net.errors`, as the ports of :mod:`desktop.dialects.base`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

from desktop.i18n import _


class ActivitySource(StrEnum):
    """The readings a server may offer (stored in capabilities by these values)."""

    LEADERBOARD = "leaderboard"
    LIKED_POSTS = "liked_posts"
    TOPIC_POSTERS = "topic_posters"
    WINDOW_POSTERS = "window_posters"


class Measure(StrEnum):
    """What a leaderboard ranks by."""

    LIKES_RECEIVED = "likes_received"
    REPLIES = "replies"
    TOPICS = "topics"
    DAYS_VISITED = "days_visited"
    #: Accepted answers (Discourse's Solved plugin), only where the server counts them.
    SOLUTIONS = "solutions"


#: What every server with a leaderboard ranks by.
BASIC_MEASURES = frozenset({Measure.LIKES_RECEIVED, Measure.REPLIES, Measure.TOPICS, Measure.DAYS_VISITED})


class MeasureNotCounted(Exception):
    """The server does not count what a leaderboard was asked to rank by; the message is for the user."""

    def __init__(self, measure: Measure, message: str = "") -> None:
        self.measure = measure
        if not message and measure is Measure.SOLUTIONS:
            message = _("This server does not count solutions (accepted answers).")
        super().__init__(message or measure.value)


@dataclass(frozen=True, slots=True)
class RankedMember:
    #: 1 for the highest value; equal values share a rank (1, 1, 3).
    rank: int
    member_id: int
    username: str
    value: int


@dataclass(frozen=True, slots=True)
class Ranking:
    """A leaderboard's top rows, and the window the server really ranked."""

    measure: Measure
    starts: datetime
    ends: datetime
    rows: tuple[RankedMember, ...]
    #: When the server last computed it (None: now, as the answer was made).
    as_of: datetime | None = None


@dataclass(frozen=True, slots=True)
class LikedPost:
    post_id: int
    topic_id: int
    post_number: int
    member_id: int
    username: str
    #: The topic's title.
    title: str
    like_count: int
    created_at: datetime
    #: The post's page on the server.
    link: str


@dataclass(frozen=True, slots=True)
class TopicRef:
    topic_id: int
    title: str
    posts_count: int
    link: str


@dataclass(frozen=True, slots=True)
class Poster:
    member_id: int
    username: str
    post_count: int


@runtime_checkable
class ActivityReader(Protocol):
    """Rankings, liked posts and posters, read whole (the reader pages for the caller)."""

    def activity_sources(self) -> frozenset[ActivitySource]:
        """The readings this session has (empty: none, as a server without activity).

        A method, not a property: ``isinstance`` on Python 3.11 reads a protocol's attributes,
        and finding this out may take a request."""
        ...

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
        """The members ranked by ``measure`` in the window, those excluded left out, down to the
        ``top``-th rank (more rows where the last ranks tie). :class:`MeasureNotCounted` where
        the server does not count ``measure`` (never a ranking by something else)."""
        ...

    def liked_posts(self, starts: datetime, ends: datetime, *, top: int) -> list[LikedPost]:
        """The ``top`` most liked posts created in the window, most liked first."""
        ...

    def find_topics(self, query: str) -> list[TopicRef]:
        """Topics whose title contains ``query`` (a number: that topic, when it exists)."""
        ...

    def topic_posters(self, topic_id: int) -> list[Poster]:
        """Everyone who posted in the topic, with their number of posts in it, by member id."""
        ...

    def window_posters(self, starts: datetime, ends: datetime) -> list[Poster]:
        """Everyone who posted in the window, with their number of posts then, by member id."""
        ...


def measures_of(reader: ActivityReader) -> frozenset[Measure]:
    """What ``reader``'s leaderboards rank by. An optional method of the port, ``measures()``
    (it may take a request, and is called where capabilities are read, not on every run);
    a reader without it ranks by :data:`BASIC_MEASURES`."""
    measures = getattr(reader, "measures", None)
    if measures is None:
        return BASIC_MEASURES
    found = measures()
    return frozenset(Measure(m) for m in found)


def top_ranks(
    rows: Sequence[RankedMember], top: int, exclude_usernames: Sequence[str] = ()
) -> list[RankedMember]:
    """``rows`` (highest first) without the usernames excluded, ranked again (equal values share
    a rank: 1, 1, 3), down to the ``top``-th rank; rows tied with the last one stay."""
    excluded = {name.casefold() for name in exclude_usernames}
    kept: list[RankedMember] = []
    for row in rows:
        if row.username.casefold() in excluded:
            continue
        position = len(kept) + 1
        rank = kept[-1].rank if kept and kept[-1].value == row.value else position
        if rank > top:
            break
        kept.append(RankedMember(rank, row.member_id, row.username, row.value))
    return kept
