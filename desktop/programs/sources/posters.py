"""The posters sources: everyone who posted in a topic, or in the period, with a least number of posts.

Read through :meth:`ActivityReader.topic_posters
<desktop.dialects.activity.ActivityReader.topic_posters>` (every poster of the
topic, not the few a topic's page names) or :meth:`~desktop.dialects.activity.ActivityReader.window_posters`;
each candidate's posts are its ``score``, and a topic's address its ``link``.

Thread safety: the sources are immutable; ``read`` runs on a worker (it talks to the
server), never the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.dialects.activity import ActivityReader, Poster
from desktop.i18n import _, ngettext
from desktop.programs.sources.base import Candidate, SourceResult

#: A topic's title in a reason is cut after this many characters.
TITLE_CHARS = 40


def short_title(title: str) -> str:
    """``title``, cut at :data:`TITLE_CHARS` with "…" where longer."""
    title = " ".join(title.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def _by_posts(posters: list[Poster], least: int) -> list[Poster]:
    return sorted((p for p in posters if p.post_count >= least), key=lambda p: (-p.post_count, p.member_id))


@dataclass(frozen=True, slots=True)
class TopicPostersSource:
    """Everyone with at least ``min_posts`` posts in the topic ``topic_id``."""

    topic_id: int
    min_posts: int = 1

    def __post_init__(self) -> None:
        if self.min_posts < 1:
            raise ValueError(f"min_posts must be at least 1, not {self.min_posts}")

    def read(self, reader: ActivityReader) -> SourceResult:
        """The topic's posters, most posts first."""
        found = [t for t in reader.find_topics(str(self.topic_id)) if t.topic_id == self.topic_id]
        if not found:
            return SourceResult(
                candidates=(),
                notes=(
                    _("Topic {id} is not on the server (deleted, or never there).").format(id=self.topic_id),
                ),
            )
        topic = found[0]
        title = short_title(topic.title)
        candidates = tuple(
            Candidate(
                p.member_id,
                ngettext("{n} post in “{title}”", "{n} posts in “{title}”", p.post_count).format(
                    n=p.post_count, title=title
                ),
                score=float(p.post_count),
                link=topic.link,
            )
            for p in _by_posts(reader.topic_posters(self.topic_id), self.min_posts)
        )
        return SourceResult(candidates=candidates)


@dataclass(frozen=True, slots=True)
class WindowPostersSource:
    """Everyone with at least ``min_posts`` posts in the period."""

    min_posts: int = 1

    def __post_init__(self) -> None:
        if self.min_posts < 1:
            raise ValueError(f"min_posts must be at least 1, not {self.min_posts}")

    def read(self, reader: ActivityReader, starts: datetime, ends: datetime, *, period: str) -> SourceResult:
        """Who posted in ``[starts, ends)`` (aware), most posts first; ``period`` names it."""
        candidates = tuple(
            Candidate(
                p.member_id,
                ngettext("{n} post in {period}", "{n} posts in {period}", p.post_count).format(
                    n=p.post_count, period=period
                ),
                score=float(p.post_count),
            )
            for p in _by_posts(reader.window_posters(starts, ends), self.min_posts)
        )
        return SourceResult(candidates=candidates)
