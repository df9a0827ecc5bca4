"""Badge requests as topics: what a topic of the request category says, as a :class:`BadgeRequest`.

Discourse has no badge requests; the common convention is a category where a
member opens a topic naming the badge, and staff reply and close it. Pure
functions, no requests: the desk (:mod:`~desktop.dialects.discourse.desk`)
reads the topics and the member's badges and hands them here.

The mapping:

- **id** the topic's id; **member** its author; **note** its first post as
  plain text; **created** the topic's creation.
- **badge** a tag naming a badge (its slug), else the badge whose name the
  title contains (whole words, any case; the longest name wins, so "Gold
  Helper" beats "Helper"). None found, or two of the same length:
  :data:`NOT_RECOGNISED` (0, no badge has it), and the note begins with the
  title, so the moderator sees what was asked; such a request can be denied
  or returned, not approved.
- **version** the topic's highest post number. Every reply and every status
  change (a small action post) raises it, so the posts after a version are
  exactly what happened since the moderator saw the request: a decision
  checks them (decided elsewhere, or its own earlier attempt whose answer
  was lost).
- **state** a closed topic is decided: *approved* when the member holds the
  badge, else *denied* (Discourse shows which post a grant was for only for
  badges with ``show_posts``, so the grant cannot be told by its topic);
  decided by whoever closed it (the small action post), else by the last
  staff member who replied. An open topic whose last reply is a
  staff member's (not the author's own) is *returned* to the member by that
  staff member; any other open topic is *pending*.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from desktop.dialects.discourse import mapping, wire
from desktop.domain import UNRECOGNISED_BADGE, BadgeRequest, RequestState
from desktop.i18n import _

#: The badge id of a request whose topic names no badge BadgeDesk knows.
NOT_RECOGNISED = UNRECOGNISED_BADGE
#: Post.types
REGULAR = 1
SMALL_ACTION = 3
CLOSED = "closed.enabled"
#: How much of a decision's reply the request keeps as its reason.
MAX_REASON = 1_000


@dataclass(frozen=True, slots=True)
class Decider:
    """Who decided a topic, and when (a reply or closing it)."""

    username: str
    name: str
    at: datetime


def topic_path(topic: wire.Topic | wire.ListedTopic) -> str:
    """The topic's path on the forum (``/t/slug/id``): an approval's grant reason."""
    return f"/t/{topic.slug}/{topic.id}"


def version_of(topic: wire.Topic) -> int:
    numbers = [p.post_number for p in topic.post_stream.posts]
    return max([topic.highest_post_number or 0, *numbers, 1])


def author_post(topic: wire.Topic) -> wire.TopicPost | None:
    return next((p for p in topic.post_stream.posts if p.post_number == 1), None)


def badge_named(topic: wire.Topic, badges: Sequence[wire.BadgeRow]) -> int | None:
    """The badge a request topic names by a tag or in its title; None when none (or two) match."""
    tags = {(t if isinstance(t, str) else t.name).lower() for t in topic.tags}
    for badge in badges:
        if {badge.slug.lower(), mapping.slug_of(badge.name)} & tags:
            return badge.id
    title = f" {_words(topic.title)} "
    found = [b for b in badges if _words(b.name) and f" {_words(b.name)} " in title]
    if not found:
        return None
    longest = max(len(_words(b.name)) for b in found)
    best = [b for b in found if len(_words(b.name)) == longest]
    return best[0].id if len(best) == 1 else None


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def is_mine(post: wire.TopicPost, username: str) -> bool:
    return post.username.lower() == username.lower()


def closer(topic: wire.Topic) -> Decider | None:
    """Who closed the topic last (its small action post), if the topic is closed and says so."""
    closes = [p for p in topic.post_stream.posts if p.post_type == SMALL_ACTION and p.action_code == CLOSED]
    if not topic.closed or not closes:
        return None
    last = max(closes, key=lambda p: p.post_number)
    return Decider(last.username, last.name or last.username, last.created_at)


def staff_replies(topic: wire.Topic, after: int = 0) -> list[wire.TopicPost]:
    """Regular posts by staff other than the topic's author, after post number ``after``."""
    return [
        p
        for p in topic.post_stream.posts
        if p.post_type == REGULAR and p.staff and p.user_id != topic.user_id and p.post_number > after
    ]


def decided_since(topic: wire.Topic, version: int, username: str) -> Decider | None:
    """Whoever but ``username`` decided the topic after ``version``: a staff reply, or closing it.

    A topic closed at or before ``version`` was decided before the moderator
    saw it; it counts as decided by its closer (or nobody known).
    """
    theirs = [p for p in staff_replies(topic, version) if not is_mine(p, username)]
    if theirs:
        return _decider(max(theirs, key=lambda p: p.post_number))
    if topic.closed:
        closed_by = closer(topic)
        if closed_by is None or closed_by.username.lower() != username.lower():
            return closed_by or Decider("", "", topic.created_at)
    return None


def request_of(topic: wire.Topic, badge_id: int | None, *, approved: bool) -> BadgeRequest:
    """The request a topic is (``approved``: the member holds the badge)."""
    first = author_post(topic)
    note = mapping.plain_text(first.cooked) if first is not None else ""
    if badge_id is None:
        said = _("Badge not recognised in “{title}”.").format(title=topic.title)
        note = f"{said}\n\n{note}" if note else said
    state = RequestState.PENDING
    decider: Decider | None = None
    replies = staff_replies(topic)
    last_reply = max(replies, key=lambda p: p.post_number) if replies else None
    if topic.closed:
        state = RequestState.APPROVED if approved else RequestState.DENIED
        decider = closer(topic)
        if decider is None and last_reply is not None:
            decider = _decider(last_reply)
    elif last_reply is not None and not _author_posted_after(topic, last_reply.post_number):
        state = RequestState.RETURNED
        decider = _decider(last_reply)
    reason = mapping.plain_text(last_reply.cooked)[:MAX_REASON] if state.decided and last_reply else None
    return BadgeRequest(
        id=topic.id,
        member_id=topic.user_id,
        badge_id=NOT_RECOGNISED if badge_id is None else badge_id,
        note=note,
        evidence_url=None,
        created_at=topic.created_at,
        state=state,
        version=version_of(topic),
        decided_by=decider.name if decider is not None and decider.name else None,
        decided_at=decider.at if decider is not None else None,
        reason=reason,
    )


def _decider(post: wire.TopicPost) -> Decider:
    return Decider(post.username, post.name or post.username, post.created_at)


def _author_posted_after(topic: wire.Topic, post_number: int) -> bool:
    return any(
        p.user_id == topic.user_id and p.post_type == REGULAR and p.post_number > post_number
        for p in topic.post_stream.posts
    )


def seen_at(topic: wire.Topic, version: int) -> datetime:
    """When the topic was as the moderator saw it: its latest post up to ``version``."""
    times = [p.created_at for p in topic.post_stream.posts if p.post_number <= version]
    return max(times, default=topic.created_at)
