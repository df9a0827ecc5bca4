"""The sandbox community's activity: topics, posts and the likes on them over the last three years.

Recognition programs rank members by what they did (likes received, replies,
topics, days visited) and find everyone who posted in a topic, so the sandbox
needs activity that reads like a forum's and agrees with the members' rows:

- a post lies between its author's join date (or three years back) and their
  last visit, and before ``today``; members never seen and deleted members
  did not post;
- a like is given after the post, after its giver joined and no later than
  their last visit, never by the author: a suspended member (suspended at
  their last visit) likes nothing after the suspension;
- one "outage" topic, a few months back, where everyone who was around that
  day complained: 300 posters and more where the community has them.

Generated from the database's members and its ``seed`` and ``seed_epoch``
with a random stream of its own, so the rest of a seed is byte for byte what
it was before activity existed, and a database seeded before can be given
the same activity when it is opened (``upgrade_schema``).

Ids follow creation time (a later post has a higher id), as on a forum.
"""

from __future__ import annotations

import random
import sqlite3
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, datetime

ACTIVITY_TABLES_SQL = """
CREATE TABLE activity_topics (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    member_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    kind TEXT NOT NULL
);
CREATE TABLE activity_posts (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL,
    post_number INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    like_count INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE activity_likes (
    post_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, member_id)
) WITHOUT ROWID;
"""

ACTIVITY_INDEXES_SQL = """
CREATE UNIQUE INDEX activity_posts_topic ON activity_posts (topic_id, post_number);
CREATE INDEX activity_posts_created ON activity_posts (created_at);
CREATE INDEX activity_posts_member ON activity_posts (member_id, created_at);
CREATE INDEX activity_likes_created ON activity_likes (created_at);
"""

#: The kind of the one topic everyone who was there posted in.
OUTAGE_KIND = "outage"
DISCUSSION_KIND = "discussion"
#: The fewest posters the outage topic gets, where that many members were around.
OUTAGE_POSTERS = 300

_DAY = 86_400
_YEARS = 3
#: A reply goes to a topic started in the month before it.
_TOPIC_LIFE = 30 * _DAY
#: Members who post at all: about this many, whatever the community's size (and at most half).
_POSTERS = 15_000
_MOST_POSTS = 300
_MOST_LIKES = 150
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SUBJECTS = (
    "badge requests",
    "the new editor",
    "dark mode",
    "the mobile app",
    "notifications",
    "search results",
    "the weekly digest",
    "profile pictures",
    "moderation queues",
    "the API",
    "community guidelines",
    "the meetup in spring",
    "keyboard shortcuts",
    "email settings",
    "translations",
    "the leaderboard",
)
_TITLES = (
    "Question about {s}",
    "Ideas for {s}",
    "How do you use {s}?",
    "Problem with {s}",
    "Feedback on {s}",
    "Is anyone else seeing this with {s}?",
    "A guide to {s}",
    "What changed in {s}?",
)
_BODIES = (
    "Thanks, that solved it for me.",
    "I see the same thing here since yesterday.",
    "Here is what worked for our team.",
    "Could you share a screenshot?",
    "Great write-up, bookmarking this.",
    "I disagree a little, and here is why.",
    "Welcome to the community!",
    "Has anyone tried the newest version?",
    "Following this thread.",
    "The documentation explains it under Settings.",
)
_OUTAGE_BODIES = (
    "Is the site down for everyone?",
    "Same here, nothing loads.",
    "Back for me now.",
    "Still seeing errors on my side.",
    "Thanks to the team for fixing it so fast.",
)


@dataclass(slots=True)
class _Post:
    created_at: int
    member_id: int
    #: The outage topic's posts are planned for it; the others find their topic in time order.
    outage: bool = False
    topic: int = 0
    likes: list[tuple[int, int]] = field(default_factory=list)


def _epoch(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'seed_epoch'").fetchone()
    if row is not None:
        return int(row[0])
    # Databases seeded before the data followed the date were relative to 2026-01-01.
    return int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())


def has_activity(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'activity_posts'"
        ).fetchone()
        is not None
    )


def seed_activity(conn: sqlite3.Connection) -> None:
    """Create and fill the activity tables from the members and ``meta``'s seed and date.

    Runs inside the caller's transaction; the same members, seed and date give the same rows.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()
    seed = int(row[0]) if row is not None else 0
    epoch = _epoch(conn)
    for statement in ACTIVITY_TABLES_SQL.split(";"):
        if statement.strip():
            conn.execute(statement)
    _Activity(conn, seed, epoch).run()
    for statement in ACTIVITY_INDEXES_SQL.split(";"):
        if statement.strip():
            conn.execute(statement)


class _Activity:
    def __init__(self, conn: sqlite3.Connection, seed: int, epoch: int) -> None:
        self.conn = conn
        self.rng = random.Random(f"badgedesk-activity:{seed}")
        self.epoch = epoch
        start = datetime.fromtimestamp(epoch, UTC).date()
        try:
            back = start.replace(year=start.year - _YEARS)
        except ValueError:
            back = start.replace(year=start.year - _YEARS, day=28)
        self.window_from = int(datetime(back.year, back.month, back.day, tzinfo=UTC).timestamp())
        #: Every member who could have been active: id → (joined, last seen), never deleted or unseen.
        self.seen: dict[int, tuple[int, int]] = {}
        for member_id, joined, last_seen in conn.execute(
            "SELECT id, joined_at, last_seen_at FROM members"
            " WHERE status != 'deleted' AND last_seen_at IS NOT NULL ORDER BY id"
        ):
            self.seen[int(member_id)] = (int(joined), min(int(last_seen), epoch - 1))
        self.ids = list(self.seen)
        self.topics: list[tuple[int, str, int, int, str]] = []
        self.regular_topic_ids: list[int] = []
        self.outage_at = 0

    def run(self) -> None:
        posts = self._regular_posts() + self._outage_posts()
        posts.sort(key=lambda p: (p.created_at, p.member_id, p.outage))
        self._topics(posts)
        self._likes(posts)
        self._insert(posts)

    # --- posts ------------------------------------------------------------------

    def _regular_posts(self) -> list[_Post]:
        r = self.rng.random
        share = min(0.5, _POSTERS / max(1, len(self.ids)))
        posts: list[_Post] = []
        for member_id in self.ids:
            if r() >= share:
                continue
            joined, last_seen = self.seen[member_id]
            lo = max(joined, self.window_from)
            if last_seen <= lo:
                continue
            count = min(_MOST_POSTS, int(3 * self.rng.paretovariate(1.3)))
            for _ in range(count):
                posts.append(_Post(lo + int(r() * (last_seen - lo)), member_id))
        return posts

    def _outage_posts(self) -> list[_Post]:
        rng = self.rng
        self.outage_at = self.epoch - rng.randrange(150, 300) * _DAY + rng.randrange(8 * 3600, 20 * 3600)
        around = [m for m in self.ids if self.seen[m][0] < self.outage_at < self.seen[m][1]]
        if not around:
            return []
        wanted = min(len(around), OUTAGE_POSTERS + rng.randrange(20, 160))
        chosen = sorted(rng.sample(around, wanted))
        staff = [m for m in chosen if m <= 6]
        opener = staff[0] if staff else chosen[0]
        posts = [_Post(self.outage_at, opener, outage=True)]
        for member_id in chosen:
            last = min(self.seen[member_id][1], self.outage_at + 3 * _DAY)
            count = 1 + int(rng.expovariate(1.0)) if member_id != opener else int(rng.expovariate(1.0))
            for _ in range(count):
                posts.append(
                    _Post(
                        self.outage_at + 1 + int(rng.random() * (last - self.outage_at - 1)), member_id, True
                    )
                )
        return posts

    def _topics(self, posts: list[_Post]) -> None:
        """Each post opens a topic or replies to one started in the month before (ids in time order)."""
        r = self.rng.random
        starts: list[int] = []
        outage_topic = 0
        for post in posts:
            if post.outage:
                if outage_topic == 0:
                    outage_topic = self._new_topic(post, OUTAGE_KIND)
                post.topic = outage_topic
                continue
            first = bisect_left(starts, post.created_at - _TOPIC_LIFE)
            if first == len(starts) or r() < 0.12:
                post.topic = self._new_topic(post, DISCUSSION_KIND)
                starts.append(post.created_at)
                self.regular_topic_ids.append(post.topic)
            else:
                post.topic = self.regular_topic_ids[first + int(r() * (len(starts) - first))]

    def _new_topic(self, post: _Post, kind: str) -> int:
        topic_id = len(self.topics) + 1
        if kind == OUTAGE_KIND:
            day = datetime.fromtimestamp(post.created_at, UTC)
            title = f"The great outage of {day.day} {_MONTHS[day.month - 1]}"
        else:
            template = _TITLES[int(self.rng.random() * len(_TITLES))]
            title = template.format(s=_SUBJECTS[int(self.rng.random() * len(_SUBJECTS))])
        self.topics.append((topic_id, title, post.member_id, post.created_at, kind))
        return topic_id

    # --- likes ------------------------------------------------------------------

    def _likes(self, posts: list[_Post]) -> None:
        rng = self.rng
        r = rng.random
        ids = self.ids
        n = len(ids)
        for post in posts:
            wanted = min(_MOST_LIKES, int(rng.paretovariate(1.2)) - 1 + (r() < 0.1) * int(r() * 30))
            if wanted <= 0 or n < 2:
                continue
            given: set[int] = set()
            for _ in range(wanted * 4):
                if len(given) >= wanted:
                    break
                liker = ids[int(r() * n)]
                if liker == post.member_id or liker in given:
                    continue
                joined, last_seen = self.seen[liker]
                lo = max(post.created_at + 60, joined)
                if lo > last_seen:
                    continue
                # Most likes come within days of the post.
                at = min(last_seen, lo + int(rng.expovariate(1 / (2 * _DAY))))
                given.add(liker)
                post.likes.append((liker, at))

    # --- rows -------------------------------------------------------------------

    def _insert(self, posts: list[_Post]) -> None:
        conn = self.conn
        conn.executemany("INSERT INTO activity_topics VALUES (?,?,?,?,?)", self.topics)
        numbers: dict[int, int] = {}
        rows = []
        like_rows: list[tuple[int, int, int]] = []
        outage_kind = OUTAGE_KIND
        for post_id, post in enumerate(posts, start=1):
            number = numbers.get(post.topic, 0) + 1
            numbers[post.topic] = number
            kind = outage_kind if post.outage else ""
            bodies = _OUTAGE_BODIES if kind else _BODIES
            body = bodies[(post_id * 7 + post.member_id) % len(bodies)]
            rows.append((post_id, post.topic, number, post.member_id, post.created_at, len(post.likes), body))
            like_rows.extend((post_id, liker, at) for liker, at in post.likes)
        conn.executemany("INSERT INTO activity_posts VALUES (?,?,?,?,?,?,?)", rows)
        conn.executemany("INSERT INTO activity_likes VALUES (?,?,?)", like_rows)
