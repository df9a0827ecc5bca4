"""The most liked posts source: the authors of the posts of the period liked most.

Read through :meth:`ActivityReader.liked_posts <desktop.dialects.activity.ActivityReader.liked_posts>`
(posts created in the period, by their like count), one candidate a member (their
best post: a member with two posts in the top counts once, the next post moves
up), each with the post's address as ``link`` (Discourse keeps only a link as a
grant's reason) and its likes as ``score`` (equal likes at the cut tie).

Thread safety: :class:`LikedPostsSource` is immutable; :meth:`LikedPostsSource.read`
runs on a worker (it talks to the server), never the GUI thread.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime

from desktop.dialects.activity import ActivityReader, LikedPost
from desktop.i18n import ngettext
from desktop.programs.sources.base import Candidate, SourceResult
from desktop.programs.sources.posters import short_title

#: Most authors a liked-posts source may ask for.
MAX_TOP = 100
#: Posts read for each author wanted (authors with several posts in the top are skipped).
POSTS_PER_AUTHOR = 3


def _why(post: LikedPost, first: bool, period: str) -> str:
    title = short_title(post.title)
    if first:
        text = ngettext(
            "most liked post of {period}: {n} like, in “{title}”",
            "most liked post of {period}: {n} likes, in “{title}”",
            post.like_count,
        )
    else:
        text = ngettext(
            "a post of {period} liked {n} time, in “{title}”",
            "a post of {period} liked {n} times, in “{title}”",
            post.like_count,
        )
    return text.format(n=post.like_count, period=period, title=title)


@dataclass(frozen=True, slots=True)
class LikedPostsSource:
    """The authors of the ``top`` most liked posts (one post an author)."""

    top: int

    def __post_init__(self) -> None:
        if not 1 <= self.top <= MAX_TOP:
            raise ValueError(f"top must be 1 to {MAX_TOP}, not {self.top}")

    def read(
        self,
        reader: ActivityReader,
        starts: datetime,
        ends: datetime,
        *,
        period: str,
        past_winners: Set[int] = frozenset(),
    ) -> SourceResult:
        """The authors of the window's ``[starts, ends)`` most liked posts, most liked first;
        ``period`` names it in the reasons; ``past_winners`` (member ids) are left out."""
        posts = reader.liked_posts(starts, ends, top=(self.top + len(past_winners)) * POSTS_PER_AUTHOR)
        best: dict[int, LikedPost] = {}
        for post in posts:
            if post.member_id not in past_winners and post.member_id not in best:
                best[post.member_id] = post
        chosen = list(best.values())
        if len(chosen) > self.top:
            # Authors whose best post has as many likes as the last one kept tie with it.
            cut = chosen[self.top - 1].like_count
            chosen = [p for p in chosen if p.like_count >= cut]
        candidates = tuple(
            Candidate(p.member_id, _why(p, i == 0, period), score=float(p.like_count), link=p.link)
            for i, p in enumerate(chosen)
        )
        return SourceResult(candidates=candidates)
