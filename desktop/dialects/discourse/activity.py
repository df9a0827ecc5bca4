"""Discourse's activity (:class:`~desktop.dialects.activity.ActivityReader`), as FACTS.md "Activity"
says the forum gives it. Every request goes through the session's rate budget (any request with
an ``Api-Key`` spends the forum's one admin bucket of 60 a minute).

- **Leaderboard**: ``GET /directory_items.json?period=&order=``, pages 0–10 of at most 50
  (550 rows at most). Discourse's periods are **rolling** (the day, 7 days, 1/3/12 months
  before its last refresh, ``meta.last_updated_at``) with no dates of their own: the period
  nearest the window asked is read, and the :class:`~desktop.dialects.activity.Ranking`
  answers the window really ranked, for the source to compare. On page 0 Discourse puts the
  caller's own row first when it is not in the top 10: that row is dropped. Groups are left out
  by name (``exclude_groups``, read from ``/groups.json`` by id), usernames by
  ``exclude_usernames`` (and again here: the server compares them exactly).
- **Solutions** (accepted answers) exist only where an admin enabled the Solved plugin's
  directory column, and an unknown column sorts nothing and raises nothing (FACTS.md): a
  ranking by ``solutions`` whose first page carries no ``solutions`` column is refused
  (:class:`~desktop.dialects.activity.MeasureNotCounted`), never read in user id order.
  :meth:`DiscourseActivity.measures` asks once per reader (one directory row, in the
  budget; a sync reads capabilities once) whether the column is there.
- **Most liked posts**: ``GET /search.json?q=order:likes after:… before:…``, pages 1–10 of 50
  (after 10 the forum silently answers page 1 again). ``after:``/``before:`` compare the day a
  post was made (UTC), so the days around the window are read and the posts outside it dropped.
  Search names a post's author only by username: each author's id is one ``GET /u/{username}.json``.
- **Topic posters**: ``GET /t/{id}.json?print=true&page=N``, 1,000 posts a page, every poster
  (``details.participants`` names 24 at most).
- **Posters in a window**: ``GET /posts.json?before=<post id>``, 50 posts a page newest first,
  back to the window's start.

Posts of a deleted member (shown as the system user, id ≤ 0) are nobody's to reward.

Thread safety: one thread at a time (it belongs to the session).
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from desktop.dialects.activity import (
    BASIC_MEASURES,
    ActivitySource,
    LikedPost,
    Measure,
    MeasureNotCounted,
    Poster,
    RankedMember,
    Ranking,
    TopicRef,
    top_ranks,
)
from desktop.dialects.discourse import wire
from desktop.dialects.discourse import wire_activity as wa
from desktop.dialects.discourse.api import DiscourseApi, adapter, user_path
from desktop.i18n import _
from desktop.net.errors import ApiError

#: FACTS.md: directory pages 0–10 of at most 50; search pages 1–10 of 50; print pages of 1,000.
DIRECTORY_LAST_PAGE = 10
DIRECTORY_LIMIT = 50
SEARCH_LAST_PAGE = 10
PRINT_CHUNK = 1_000
#: The directory's columns by measure (``post_count`` counts replies only).
COLUMNS = {
    Measure.LIKES_RECEIVED: "likes_received",
    Measure.REPLIES: "post_count",
    Measure.TOPICS: "topic_count",
    Measure.DAYS_VISITED: "days_visited",
    Measure.SOLUTIONS: "solutions",
}
#: Discourse's periods, shortest first: (name, days it spans at most, months it goes back).
PERIODS = (("daily", 1, 0), ("weekly", 7, 0), ("monthly", 31, 1), ("quarterly", 92, 3), ("yearly", 366, 12))


def _months_before(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def rolling_period(starts: datetime, ends: datetime) -> str:
    """The name of Discourse's shortest period that covers the window (``all`` beyond a year)."""
    days = (ends - starts) / timedelta(days=1)
    return next((name for name, most, _months in PERIODS if days <= most), "all")


def period_window(period: str, refreshed: datetime) -> tuple[datetime, datetime]:
    """What a rolling period counted at its last refresh."""
    if period == "daily":
        return refreshed - timedelta(days=1), refreshed
    if period == "weekly":
        return refreshed - timedelta(days=7), refreshed
    months = next((m for name, _days, m in PERIODS if name == period), None)
    if months is None:
        return datetime(1970, 1, 1, tzinfo=UTC), refreshed
    return _months_before(refreshed, months), refreshed


class DiscourseActivity:
    """The activity reader over one session's API."""

    def __init__(self, api: DiscourseApi) -> None:
        self._api = api
        self._user_ids: dict[str, int] = {}
        self._measures: frozenset[Measure] | None = None

    def activity_sources(self) -> frozenset[ActivitySource]:
        return frozenset(ActivitySource)

    def measures(self) -> frozenset[Measure]:
        """The basic measures, and solutions where the directory has the Solved column: one
        request (a row of the yearly directory), once per reader. A refusal or an empty
        directory tells nothing: the basic measures then, asked again next time."""
        if self._measures is None:
            try:
                answer = self._api.read(
                    adapter(wa.DirectoryItems),
                    "/directory_items.json",
                    {"period": "yearly", "order": COLUMNS[Measure.SOLUTIONS], "limit": 1, "page": 0},
                )
            except ApiError:
                return BASIC_MEASURES
            if not answer.directory_items:
                return BASIC_MEASURES
            solved = any(item.solutions is not None for item in answer.directory_items)
            self._measures = BASIC_MEASURES | {Measure.SOLUTIONS} if solved else BASIC_MEASURES
        return self._measures

    # --- leaderboard ----------------------------------------------------------------------

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
        period = rolling_period(starts, ends)
        column = COLUMNS[measure]
        params: dict[str, str | int] = {"period": period, "order": column, "limit": DIRECTORY_LIMIT}
        names = self._group_names(exclude_groups)
        if names:
            params["exclude_groups"] = "|".join(names)
        if exclude_usernames:
            params["exclude_usernames"] = ",".join(exclude_usernames)
        excluded = {name.casefold() for name in exclude_usernames}
        me = self._api.username.casefold()
        rows: list[RankedMember] = []
        refreshed: datetime | None = None
        for page in range(DIRECTORY_LAST_PAGE + 1):
            answer = self._api.read(
                adapter(wa.DirectoryItems), "/directory_items.json", {**params, "page": page}
            )
            refreshed = refreshed or answer.meta.last_updated_at
            items = list(answer.directory_items)
            if page == 0 and items and all(getattr(item, column) is None for item in items):
                # The column is off: the rows came in user id order, not ranked.
                raise MeasureNotCounted(
                    measure,
                    _("This forum does not count solutions (the Solved plugin's directory column is off)."),
                )
            if (
                page == 0
                and items
                and items[0].user.username.casefold() == me
                and _own_row_added(items, column)
            ):
                items = items[1:]
            rows += [
                RankedMember(0, item.user.id, item.user.username, int(getattr(item, column) or 0))
                for item in items
                if item.user.id > 0 and item.user.username.casefold() not in excluded
            ]
            kept = top_ranks(rows, top)
            if len(kept) < len(rows) or len(answer.directory_items) < DIRECTORY_LIMIT:
                break
        kept = top_ranks(rows, top)
        as_of = refreshed or datetime.now(UTC)
        first, last = period_window(period, as_of)
        return Ranking(measure, first, last, tuple(kept), as_of=refreshed)

    def _group_names(self, group_ids: Sequence[int]) -> list[str]:
        wanted = set(group_ids)
        names: list[str] = []
        page = 0
        while wanted - {0}:
            listed = self._api.read(adapter(wire.GroupList), "/groups.json", {"page": page})
            for group in listed.groups:
                if group.id in wanted:
                    names.append(group.name)
                    wanted.discard(group.id)
            page += 1
            if not listed.groups or page * len(listed.groups) >= listed.total_rows_groups:
                break
        return sorted(names)

    # --- liked posts ----------------------------------------------------------------------

    def liked_posts(self, starts: datetime, ends: datetime, *, top: int) -> list[LikedPost]:
        after = starts.astimezone(UTC).date()
        before = ends.astimezone(UTC).date() + timedelta(days=1)
        query = f"order:likes after:{after.isoformat()} before:{before.isoformat()}"
        found: list[LikedPost] = []
        for page in range(1, SEARCH_LAST_PAGE + 1):
            answer = self._api.read(adapter(wa.SearchAnswer), "/search.json", {"q": query, "page": page})
            topics = {t.id: t for t in answer.topics}
            for post in answer.posts:
                if len(found) >= top:
                    break  # each author kept costs a lookup: none for the rest of the page
                if not starts <= post.created_at < ends or post.like_count == 0:
                    continue
                member_id = self._user_id(post.username)
                if member_id is None:
                    continue
                topic = topics.get(post.topic_id)
                title = topic.title if topic is not None else ""
                slug = topic.slug if topic is not None else "topic"
                link = f"{self._api.base_url}/t/{quote(slug)}/{post.topic_id}/{post.post_number}"
                found.append(
                    LikedPost(
                        post.id,
                        post.topic_id,
                        post.post_number,
                        member_id,
                        post.username,
                        title,
                        post.like_count,
                        post.created_at,
                        link,
                    )
                )
            more = (
                answer.grouped_search_result is not None
                and answer.grouped_search_result.more_full_page_results
            )
            if len(found) >= top or not more:
                break
        return found[:top]

    def _user_id(self, username: str) -> int | None:
        key = username.casefold()
        if key not in self._user_ids:
            shown = self._api.read_unless_missing(adapter(wire.UserShow), user_path("/u", username))
            self._user_ids[key] = shown.user.id if shown is not None else 0
        user_id = self._user_ids[key]
        return user_id if user_id > 0 else None

    # --- topics ---------------------------------------------------------------------------

    def find_topics(self, query: str) -> list[TopicRef]:
        text = query.strip().removeprefix("#")
        if text.isdigit():
            view = self._topic_page(int(text), 1)
            return [] if view is None else [self._ref(view)]
        if not text:
            return []
        answer = self._api.read(adapter(wa.SearchAnswer), "/search.json", {"q": text, "page": 1})
        seen: dict[int, TopicRef] = {}
        for topic in answer.topics:
            if text.casefold() in topic.title.casefold():
                seen.setdefault(
                    topic.id,
                    TopicRef(
                        topic.id, topic.title, topic.posts_count, self._topic_link(topic.slug, topic.id)
                    ),
                )
        return list(seen.values())

    def topic_posters(self, topic_id: int) -> list[Poster]:
        counts: Counter[int] = Counter()
        names: dict[int, str] = {}
        for post in self._topic_posts(topic_id):
            if post.user_id > 0:
                counts[post.user_id] += 1
                names[post.user_id] = post.username
        return [Poster(user_id, names[user_id], counts[user_id]) for user_id in sorted(counts)]

    def _topic_posts(self, topic_id: int) -> Iterator[wa.TopicPost]:
        page = 1
        while True:
            view = self._topic_page(topic_id, page)
            if view is None:
                return
            yield from view.post_stream.posts
            if len(view.post_stream.posts) < PRINT_CHUNK or page * PRINT_CHUNK >= view.posts_count:
                return
            page += 1

    def _topic_page(self, topic_id: int, page: int) -> wa.TopicView | None:
        return self._api.read_unless_missing(
            adapter(wa.TopicView), f"/t/{int(topic_id)}.json", {"print": "true", "page": page}
        )

    def _ref(self, view: wa.TopicView) -> TopicRef:
        return TopicRef(view.id, view.title, view.posts_count, self._topic_link(view.slug, view.id))

    def _topic_link(self, slug: str, topic_id: int) -> str:
        return f"{self._api.base_url}/t/{quote(slug)}/{topic_id}"

    # --- posters in a window --------------------------------------------------------------

    def window_posters(self, starts: datetime, ends: datetime) -> list[Poster]:
        counts: Counter[int] = Counter()
        names: dict[int, str] = {}
        before: int | None = None
        while True:
            params: dict[str, str | int] = {} if before is None else {"before": before}
            posts = self._api.read(adapter(wa.LatestPosts), "/posts.json", params).latest_posts
            for post in posts:
                if starts <= post.created_at < ends and post.user_id > 0:
                    counts[post.user_id] += 1
                    names[post.user_id] = post.username
            if not posts or posts[-1].created_at < starts or posts[-1].id <= 1:
                break
            before = posts[-1].id - 1
        return [Poster(user_id, names[user_id], counts[user_id]) for user_id in sorted(counts)]


def _own_row_added(items: Sequence[wa.DirectoryItem], column: str) -> bool:
    """Whether page 0's first row is the caller's own, put first (FACTS.md): the caller is named
    again below, the page is over full, or the row ranks below the next one."""
    first = items[0]
    again = any(item.user.id == first.user.id for item in items[1:])
    out_of_order = len(items) > 1 and (getattr(first, column) or 0) < (getattr(items[1], column) or 0)
    return again or len(items) > DIRECTORY_LIMIT or out_of_order
