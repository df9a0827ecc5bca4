"""The RequestDesk port over Discourse: the request category's topics, and decisions on them.

The session has a desk only when a request category is chosen (its slug,
name or id); the category is looked up once (``GET /categories.json``).
How a topic reads as a request: :mod:`~desktop.dialects.discourse.request_topics`.

**Listing** (``requests``): a page of the category (``GET /c/{slug}/{id}.json``,
30 topics, ``page`` from 0), then each topic
(``GET /t/{id}.json``, again with ``print=true`` beyond 20 posts) for its
first post and replies, and, for a closed
topic, the member's badges (approved or denied). A topic unchanged since
this session read it (same highest post number, same closed state) is not
read again. Pinned topics (the category's "About" topic) are not requests.
The pages are asked in order of creation, oldest first
(``order=created&ascending=true``, TopicQuery's sort): by default Discourse
lists the latest bumped first, so a topic someone replied to during a sync
would move to the first page and be missed by that pass (and swept from the
cache); by creation, a reply moves nothing and new topics come last. A topic
deleted or moved out of the category during a pass still shifts the later
ones back by one (offset paging is all Discourse offers).

**What changed** (``changed_requests``, :class:`~desktop.dialects.feedless.ChangedRequests`,
a later sync's): the category in Discourse's default order, the latest bumped
first (TopicQuery orders by ``bumped_at``: a new topic and every regular reply
bump a topic; closing it does not, its small action post is made with
``bump: false``; reopening does). Page by page until a page holds only topics
the cache has at the same version and closed state, and only the new or
changed topics are read. Since closing bumps nothing, a request the cache has
as pending that was closed without a reply may sit further down: the listing
also goes on until every request the cache has as pending was listed (the
review queue; one deleted meanwhile makes it read to the end, until the
snapshot pass sweeps it). Not for returned requests: members may leave them
open for months, far down the list, and one closed without a reply waits for
the snapshot pass. With nothing new: one request.

**Deciding** without idempotency keys: every step is first looked for on
the forum, so a decision whose answer was lost is sent again safely (the
outbox sends it again with the same arguments):

1. the topic is read again; a staff reply by someone else, or closing by
   someone else, after the version the moderator saw = "decided by X"
   (:class:`DecisionConflict`, nothing sent);
2. approve: the member's badges are read. A grant of the badge by this user
   made after the moderator saw the request (the time of its latest post up
   to the version) is this decision's own earlier grant, whose answer was
   lost: kept, not sent again. Any other grant of the badge = already held,
   "decided by" its giver, no second grant. Else ``POST /user_badges.json``
   with the topic's path as the reason (which Discourse also makes a no-op
   when repeated). The grant cannot be told by its topic: Discourse shows a
   grant's post only for badges with ``show_posts``;
3. a reply (``POST /posts.json``) unless this user replied after the version;
4. approve and deny close the topic (``PUT /t/{id}/status.json``) unless closed.

Duplicates (the same member and badge in other topics) are checked all
first, then each gets the reply and is closed like the request; the badge
is granted once, for the first.

Thread safety: one thread at a time (it belongs to one session).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from desktop.dialects.base import DecisionResult, Page, RequestFilter
from desktop.dialects.discourse import request_topics as topics
from desktop.dialects.discourse import wire
from desktop.dialects.discourse.api import DiscourseApi, adapter
from desktop.dialects.discourse.cursors import ChangedPosition, RequestPosition
from desktop.dialects.discourse.directory import DiscourseDirectory
from desktop.domain import BadgeRequest, Decision, RequestState, utc_now
from desktop.i18n import _
from desktop.net.errors import ApiError, DecisionConflict

_CATEGORIES = "/categories.json"
_GRANT = "/user_badges.json"
_POSTS = "/posts.json"
#: Discourse's default ``min_post_length``: a shorter reply is refused (422).
MIN_REPLY = 20
#: The states of a request whose topic is open (not closed).
_OPEN = frozenset({RequestState.PENDING, RequestState.RETURNED})


class DiscourseDesk:
    """Thread safety: one thread at a time (it belongs to one session)."""

    def __init__(self, api: DiscourseApi, directory: DiscourseDirectory, category: str) -> None:
        self._api = api
        self._directory = directory
        self._wanted = category.strip()
        self._category: wire.Category | None = None
        #: Topics read this session, by id: (highest post number, closed) when read, and the request.
        self._seen: dict[int, tuple[tuple[int, bool], BadgeRequest]] = {}

    # --- the category ----------------------------------------------------------------------

    def category(self) -> wire.Category:
        """The request category, by id, slug or name as the user gave it (looked up once)."""
        if self._category is None:
            listing = self._api.read(adapter(wire.Categories), _CATEGORIES).category_list.categories
            wanted = self._wanted.lower()
            found = next(
                (
                    c
                    for c in listing
                    if str(c.id) == wanted or c.slug.lower() == wanted or c.name.lower() == wanted
                ),
                None,
            )
            if found is None:
                names = ", ".join(f"{c.name} ({c.slug}, {c.id})" for c in listing[:20]) or _("none")
                raise ApiError(
                    _(
                        "The request category “{category}” is not on this forum, or {user} may not see it."
                        " Categories there: {names}. Choose another in the community's settings"
                    ).format(category=self._wanted, user=self._api.username, names=names)
                )
            self._category = found
        return self._category

    # --- listing ---------------------------------------------------------------------------

    def requests(self, state: RequestFilter, cursor: str | None, limit: int) -> Page[BadgeRequest]:
        at = RequestPosition.decode(cursor)
        category = self.category()
        path = f"/c/{category.slug}/{category.id}.json"
        params: dict[str, str | int] = {"page": at.page, "order": "created", "ascending": "true"}
        page = self._api.read(adapter(wire.CategoryTopics), path, params)
        listed = page.topic_list.topics
        given = listed[at.skip : at.skip + max(1, limit)]
        badges = self._badges()
        found: list[BadgeRequest] = []
        for row in given:
            if row.pinned or row.archetype != "regular" or (state == "pending" and row.closed):
                continue
            request = self._request(row, badges)
            if request is None:
                continue
            if state == "all" or (state == "pending") == (request.state is RequestState.PENDING):
                found.append(request)
        taken = at.skip + len(given)
        after: RequestPosition | None
        if taken < len(listed):
            after = RequestPosition(at.page, taken)
        elif page.topic_list.more_topics_url and listed:
            after = RequestPosition(at.page + 1, 0)
        else:
            after = None
        return Page(found, None if after is None else after.encode())

    def changed_requests(
        self, known: Mapping[int, tuple[int, RequestState]], cursor: str | None
    ) -> Page[BadgeRequest]:
        at = ChangedPosition(unseen=_pending(known)) if cursor is None else ChangedPosition.decode(cursor)
        category = self.category()
        # No ``order``: Discourse's default, the latest bumped first.
        path = f"/c/{category.slug}/{category.id}.json"
        page = self._api.read(adapter(wire.CategoryTopics), path, {"page": at.page})
        listed = [t for t in page.topic_list.topics if not t.pinned and t.archetype == "regular"]
        unseen = at.unseen - {t.id for t in listed}
        changed = [t for t in listed if not _same(t, known.get(t.id))]
        badges = self._badges() if changed else ()
        found = [r for r in (self._request(t, badges) for t in changed) if r is not None]
        more = bool(page.topic_list.more_topics_url and page.topic_list.topics)
        if not more or (not changed and not unseen):
            return Page(found, None)
        return Page(found, ChangedPosition(at.page + 1, unseen).encode())

    def _request(self, row: wire.ListedTopic, badges: Sequence[wire.BadgeRow]) -> BadgeRequest | None:
        stamp = (row.highest_post_number, row.closed)
        seen = self._seen.get(row.id)
        if seen is not None and seen[0] == stamp:
            return seen[1]
        topic = self._topic(row.id)
        if topic is None:
            return None  # deleted since the list was read
        request = self._as_request(topic, badges)
        self._seen[row.id] = ((topic.highest_post_number or 0, topic.closed), request)
        return request

    def _as_request(self, topic: wire.Topic, badges: Sequence[wire.BadgeRow]) -> BadgeRequest:
        badge_id = topics.badge_named(topic, badges)
        approved = False
        if topic.closed and badge_id is not None:
            approved = bool(self._grants_of(topic, badge_id))
        return topics.request_of(topic, badge_id, approved=approved)

    def _topic(self, topic_id: int) -> wire.Topic | None:
        """The topic with its posts: Discourse sends the first 20; a longer topic is read again
        as printed (up to 1,000 posts; staff are exempt from the print limit), so no later
        reply or closing goes unseen."""
        path = f"/t/{topic_id}.json"
        topic = self._api.read_unless_missing(adapter(wire.Topic), path)
        if topic is not None and len(topic.post_stream.stream) > len(topic.post_stream.posts):
            topic = self._api.read_unless_missing(adapter(wire.Topic), path, {"print": "true"})
        return topic

    def _badges(self) -> Sequence[wire.BadgeRow]:
        # A moderator's key may not read the badge list: then no badge is recognised.
        listing = self._directory.known_badges()
        return () if listing is None else listing.badges

    def _grants_of(self, topic: wire.Topic, badge_id: int) -> list[wire.GrantRow]:
        """The author's grants of the badge (none when the member is gone)."""
        held = self._held(topic)
        return [] if held is None else [g for g in held.user_badges if g.badge_id == badge_id]

    def _held(self, topic: wire.Topic) -> wire.MemberBadges | None:
        name = self._author(topic)
        return None if name is None else self._directory.grants_of(topic.user_id, name)

    def _author(self, topic: wire.Topic) -> str | None:
        """The username of the topic's author; None when the member is gone.

        From the first post when it is theirs (a deleted author's posts may show
        another user, e.g. ``system``: never ask or grant in that name).
        """
        first = topics.author_post(topic)
        if first is not None and first.user_id == topic.user_id:
            return first.username
        return self._directory.username_of(topic.user_id)

    # --- deciding --------------------------------------------------------------------------

    def decide(
        self,
        request_id: int,
        *,
        version: int,
        decision: Decision,
        reason: str,
        message: str | None,
        idempotency_key: str,
        duplicates: Sequence[tuple[int, int]] = (),
    ) -> DecisionResult:
        # ``idempotency_key`` has nowhere to go (Discourse keeps none): every step is looked for first.
        badges = self._badges()
        # Everything is checked before anything is written: all of them, or none.
        checked = [self._check(i, v, badges) for i, v in [(request_id, version), *duplicates]]
        primary = checked[0]
        topic, badge_id = primary
        award_id: int | None = None
        if decision is Decision.APPROVE:
            if badge_id is None:
                raise ApiError(
                    _(
                        "The request “{title}” names no badge BadgeDesk recognises (in its title or a"
                        " tag): it cannot be approved here. Deny or return it, or grant the badge by hand"
                    ).format(title=topic.title),
                    status=422,
                )
            award_id = self._grant(topic, version, badge_id, badges)
        versions = [version, *(v for _i, v in duplicates)]
        results = [
            self._answer(t, v, decision, b, reason, message, badges)
            for (t, b), v in zip(checked, versions, strict=True)
        ]
        return DecisionResult(request=results[0], duplicates=tuple(results[1:]), award_id=award_id)

    def _check(
        self, topic_id: int, version: int, badges: Sequence[wire.BadgeRow]
    ) -> tuple[wire.Topic, int | None]:
        """The topic now and its badge; :class:`DecisionConflict` when someone else decided it."""
        topic = self._topic(topic_id)
        if topic is None:
            # Nothing to decide and nobody to name: a refusal, and the next sync drops the request.
            raise ApiError(
                _(
                    "The request's topic {topic} is gone from the forum (deleted, or moved where"
                    " {user} cannot see it): nothing was sent"
                ).format(topic=topic_id, user=self._api.username),
                status=404,
            )
        badge_id = topics.badge_named(topic, badges)
        decider = topics.decided_since(topic, version, self._api.username)
        if decider is not None:
            current = self._as_request(topic, badges)
            who = decider.name or _("another moderator")
            raise DecisionConflict(
                _("Decided by {who} on the forum: “{title}”").format(who=who, title=topic.title), current
            )
        return topic, badge_id

    def _grant(self, topic: wire.Topic, version: int, badge_id: int, badges: Sequence[wire.BadgeRow]) -> int:
        """Grant the badge for this topic once; the grant's id."""
        username = self._author(topic)
        held = None if username is None else self._directory.grants_of(topic.user_id, username)
        if username is None or held is None:
            raise ApiError(
                _("The member who asked in “{title}” is no longer on the forum").format(title=topic.title),
                status=404,
            )
        givers = {u.id: u for u in held.granted_bies}
        seen = topics.seen_at(topic, version)
        for grant in sorted((g for g in held.user_badges if g.badge_id == badge_id), key=lambda g: -g.id):
            giver = givers.get(grant.granted_by_id) if grant.granted_by_id is not None else None
            mine = giver is not None and giver.username.lower() == self._api.username.lower()
            if mine and grant.granted_at >= seen:
                return grant.id  # this decision's own grant, whose answer was lost
            current = self._as_request(topic, badges)
            name = (giver.name or giver.username) if giver is not None else "Discourse"
            raise DecisionConflict(
                _(
                    "Decided by {who}: the member already holds the badge (granted {date}); no second grant"
                ).format(who=name, date=f"{grant.granted_at:%d %B %Y}"),
                replace(current, decided_by=name, decided_at=grant.granted_at),
            )
        body = {"username": username, "badge_id": badge_id, "reason": topics.topic_path(topic)}
        response = self._api.write("POST", _GRANT, body)
        if response.status_code != 200:
            raise self._api.error("POST", _GRANT, response)
        answer = self._api.parse(adapter(wire.GrantAnswer), "POST", _GRANT, response)
        if answer.user_badge is None:
            raise ApiError(
                _("Discourse granted nothing for “{title}” and gave no reason").format(title=topic.title),
                status=422,
            )

        return answer.user_badge.id

    def _answer(
        self,
        topic: wire.Topic,
        version: int,
        decision: Decision,
        badge_id: int | None,
        reason: str,
        message: str | None,
        badges: Sequence[wire.BadgeRow],
    ) -> BadgeRequest:
        """Reply (unless already replied) and close (approve, deny); the request as it is then."""
        me = self._api.username
        replied = any(
            p.post_number > version and p.post_type == topics.REGULAR and topics.is_mine(p, me)
            for p in topic.post_stream.posts
        )
        highest = topics.version_of(topic)
        if not replied:
            title = next((b.name for b in badges if b.id == badge_id), "")
            text = reply_text(decision, title, message, reason)
            response = self._api.write("POST", _POSTS, {"topic_id": topic.id, "raw": text})
            if response.status_code != 200:
                raise self._api.error("POST", _POSTS, response)
            created = self._api.parse(adapter(wire.CreatedPost), "POST", _POSTS, response)
            highest = max(highest, created.post_number)
        closed = topic.closed
        if decision is not Decision.RETURN and not closed:
            path = f"/t/{topic.id}/status.json"
            response = self._api.write("PUT", path, {"status": "closed", "enabled": "true"})
            if response.status_code != 200:
                raise self._api.error("PUT", path, response)
            highest += 1  # the small action post that records the closing
            closed = True
        self._seen.pop(topic.id, None)
        return BadgeRequest(
            id=topic.id,
            member_id=topic.user_id,
            badge_id=topics.NOT_RECOGNISED if badge_id is None else badge_id,
            note=topics.request_of(topic, badge_id, approved=False).note,
            evidence_url=None,
            created_at=topic.created_at,
            state=decision.resulting_state,
            version=highest,
            decided_by=self._directory.me(),
            decided_at=utc_now(),
            reason=reason or None,
        )


def _pending(known: Mapping[int, tuple[int, RequestState]]) -> frozenset[int]:
    return frozenset(i for i, (_version, state) in known.items() if state is RequestState.PENDING)


def _same(row: wire.ListedTopic, had: tuple[int, RequestState] | None) -> bool:
    """Whether the cache has the listed topic as it is: same version, same closed state."""
    return had is not None and had[0] == row.highest_post_number and (had[1] not in _OPEN) == row.closed


def reply_text(decision: Decision, badge: str, message: str | None, reason: str) -> str:
    """The decision's reply: the message, else the reason, with a plain sentence where either is short."""
    named = f"the badge “{badge}”" if badge else "this badge"
    sentence = {
        Decision.APPROVE: f"Approved: {named} is yours now.",
        Decision.DENY: f"Your request for {named} was declined.",
        Decision.RETURN: f"Your request for {named} needs more from you before it can be decided.",
    }[decision]
    text = (message or "").strip() or reason.strip()
    if len(text) >= MIN_REPLY:
        return text
    return f"{sentence}\n\n{text}" if text else sentence
