"""The fake Discourse forum's categories, topics and posts: badge requests and private messages.

What FACTS.md and Discourse's controllers say, no more:

- ``GET /categories.json``;
- a category's topics ``GET /c/{slug}/{id}.json`` and ``/c/{id}.json``: 30 a
  page, ``page`` from 0, the latest bumped first (or ``order=created``, and
  ``ascending=true``), ``more_topics_url`` while more remain;
- a topic ``GET /t/{id}.json``: its first 20 posts (1,000 with ``print=true``)
  and every post's id;
- ``POST /posts.json``: a reply with ``topic_id``, a private message with
  ``archetype`` and ``target_recipients``; Discourse's minimum lengths, 422 otherwise;
- closing ``PUT /t/{id}/status.json`` (staff only), which adds a small action
  post ``closed.enabled`` by whoever closed it.

Answers are shaped from the spec. See :mod:`tests.fakes.discourse_forum`.
Thread safety: one test thread.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from tests.fakes import discourse_spec as spec
from tests.fakes.discourse_answers import ForumAnswers
from tests.fakes.discourse_records import NOT_FOUND, ForumUser, body_of, iso, json_answer

TOPICS_PER_PAGE = 30
REQUESTS_CATEGORY = 5


@dataclass
class ForumPost:
    id: int
    post_number: int
    user_id: int
    raw: str
    created_at: datetime
    post_type: int = 1
    action_code: str | None = None


@dataclass
class ForumTopic:
    id: int
    title: str
    slug: str
    category_id: int
    user_id: int
    created_at: datetime
    closed: bool = False
    archetype: str = "regular"
    tags: list[str] = field(default_factory=list)
    posts: list[ForumPost] = field(default_factory=list)
    recipients: set[int] = field(default_factory=set)

    @property
    def bumped_at(self) -> datetime:
        return max(p.created_at for p in self.posts if p.post_type == 1)


class ForumTopics(ForumAnswers):
    """Categories, topics and posts, and their answers."""

    def __init__(self, title: str = "Badge Forum") -> None:
        super().__init__(title)
        self.categories: dict[int, tuple[str, str]] = {
            1: ("Uncategorized", "uncategorized"),
            REQUESTS_CATEGORY: ("Badge requests", "badge-requests"),
        }
        self.forum_topics: dict[int, ForumTopic] = {}
        self._next_post = 1

    # --- seeding and acting as other users ---------------------------------------------------

    def add_topic(
        self,
        user_id: int,
        title: str,
        raw: str,
        *,
        category_id: int = REQUESTS_CATEGORY,
        tags: list[str] | None = None,
        at: datetime | None = None,
    ) -> ForumTopic:
        topic_id = max([100, *self.forum_topics]) + 1
        slug = "-".join("".join(c.lower() if c.isalnum() else " " for c in title).split()) or "topic"
        topic = ForumTopic(topic_id, title, slug, category_id, user_id, at or self.clock(), tags=tags or [])
        self.forum_topics[topic_id] = topic
        self.topics.add(topic_id)
        self.reply(topic_id, user_id, raw, at=topic.created_at)
        return topic

    def reply(self, topic_id: int, user_id: int, raw: str, *, at: datetime | None = None) -> ForumPost:
        return self._post(self.forum_topics[topic_id], user_id, raw, at=at)

    def close(self, topic_id: int, user_id: int) -> None:
        topic = self.forum_topics[topic_id]
        if not topic.closed:
            topic.closed = True
            self._post(topic, user_id, "", post_type=3, action_code="closed.enabled")

    def _post(
        self,
        topic: ForumTopic,
        user_id: int,
        raw: str,
        *,
        at: datetime | None = None,
        post_type: int = 1,
        action_code: str | None = None,
    ) -> ForumPost:
        # Post ids as the fake's grants read them: topic * 1000 + post number.
        number = len(topic.posts) + 1
        post = ForumPost(
            topic.id * 1000 + number, number, user_id, raw, at or self.clock(), post_type, action_code
        )
        topic.posts.append(post)
        return post

    def messages_to(self, user_id: int) -> list[ForumTopic]:
        """The private messages a member received."""
        return [t for t in self.forum_topics.values() if user_id in t.recipients]

    # --- answers -------------------------------------------------------------------------------

    def route_topics(
        self, method: str, path: str, query: dict[str, str], request: httpx.Request, actor: ForumUser
    ) -> httpx.Response | None:
        """The answer to a request of this module's routes; None for other routes."""
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/categories":
            return self._categories()
        if method == "GET" and parts[0] == "c" and len(parts) in (2, 3) and parts[-1].isdigit():
            return self._category_topics(int(parts[-1]), query)
        if method == "GET" and parts[0] == "t" and len(parts) in (2, 3) and parts[-1].isdigit():
            return self._topic(int(parts[-1]), actor, printing=query.get("print") == "true")
        if method == "POST" and path == "/posts":
            return self._create_post(request, actor)
        if method == "PUT" and parts[0] == "t" and len(parts) == 3 and parts[2] == "status":
            return self._status(int(parts[1]) if parts[1].isdigit() else 0, request, actor)
        return None

    def _categories(self) -> httpx.Response:
        schema = spec.response_schema("/categories.json")
        item = spec.item_schema(schema["properties"]["category_list"], "categories")
        rows = [
            spec.shaped(item, id=i, name=name, slug=slug, topic_count=self._count(i))
            for i, (name, slug) in self.categories.items()
        ]
        body = {"category_list": {"can_create_category": True, "can_create_topic": True, "categories": rows}}
        return json_answer(200, body)

    def _count(self, category_id: int) -> int:
        return sum(1 for t in self.forum_topics.values() if t.category_id == category_id)

    def _category_topics(self, category_id: int, query: dict[str, str]) -> httpx.Response:
        if category_id not in self.categories:
            return json_answer(404, NOT_FOUND)
        page = max(0, int(query.get("page", "0") or 0))
        listed = sorted(
            (
                t
                for t in self.forum_topics.values()
                if t.category_id == category_id and t.archetype == "regular"
            ),
            # TopicQuery: "created" orders by creation; DESC unless ascending is exactly "true".
            key=lambda t: (t.created_at if query.get("order") == "created" else t.bumped_at, t.id),
            reverse=query.get("ascending") != "true",
        )
        shown = listed[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
        schema = spec.response_schema("/c/{slug}/{id}.json")
        item = spec.item_schema(schema["properties"]["topic_list"], "topics")
        poster = spec.item_schema(item, "posters")
        users = {u for t in shown for u in (t.user_id, *(p.user_id for p in t.posts))}
        topics = [
            spec.shaped(
                item,
                id=t.id,
                title=t.title,
                fancy_title=t.title,
                slug=t.slug,
                closed=t.closed,
                highest_post_number=len(t.posts),
                posts_count=sum(1 for p in t.posts if p.post_type == 1),
                created_at=iso(t.created_at),
                bumped_at=iso(t.bumped_at),
                category_id=t.category_id,
                archetype=t.archetype,
                posters=[spec.shaped(poster, user_id=t.user_id, description="Original Poster")],
            )
            for t in shown
        ]
        topic_list: dict[str, Any] = {"can_create_topic": True, "per_page": TOPICS_PER_PAGE, "topics": topics}
        if len(listed) > (page + 1) * TOPICS_PER_PAGE:
            slug = self.categories[category_id][1]
            topic_list["more_topics_url"] = f"/c/{slug}/{category_id}/l/latest?page={page + 1}"
        user_item = spec.item_schema(schema, "users")
        user_rows = [
            spec.shaped(user_item, id=u.id, username=u.username, name=u.name)
            for u in (self.users[i] for i in sorted(users) if i in self.users)
        ]
        return json_answer(200, {"users": user_rows, "topic_list": topic_list})

    def _topic(self, topic_id: int, actor: ForumUser, *, printing: bool) -> httpx.Response:
        topic = self.forum_topics.get(topic_id)
        if topic is None or (
            topic.archetype == "private_message"
            and not actor.admin
            and actor.id not in (topic.recipients | {topic.user_id})
        ):
            return json_answer(404, NOT_FOUND)
        schema = spec.response_schema("/t/{id}.json")
        item = spec.item_schema(schema["properties"]["post_stream"], "posts")
        posts = []
        # TopicView sends the first 20 posts (1,000 with print=true) and every post's id.
        for p in topic.posts[: 1000 if printing else 20]:
            author = self.users.get(p.user_id) or self.users[-1]
            row = spec.shaped(
                item,
                id=p.id,
                username=author.username,
                name=author.name,
                user_id=author.id,
                post_number=p.post_number,
                post_type=p.post_type,
                cooked="" if p.post_type != 1 else f"<p>{html.escape(p.raw)}</p>",
                created_at=iso(p.created_at),
                staff=author.admin or author.moderator,
                topic_id=topic.id,
            )
            if p.action_code:
                row["action_code"] = p.action_code
            posts.append(row)
        body = spec.shaped(
            schema,
            id=topic.id,
            title=topic.title,
            fancy_title=topic.title,
            slug=topic.slug,
            closed=topic.closed,
            archetype=topic.archetype,
            category_id=topic.category_id,
            user_id=topic.user_id,
            created_at=iso(topic.created_at),
            highest_post_number=len(topic.posts),
            posts_count=sum(1 for p in topic.posts if p.post_type == 1),
            tags=[{"id": i + 1, "name": t, "slug": t} for i, t in enumerate(topic.tags)],
            post_stream={"posts": posts, "stream": [p.id for p in topic.posts]},
        )
        body["details"] = spec.example(schema["properties"]["details"])
        return json_answer(200, body)

    def _create_post(self, request: httpx.Request, actor: ForumUser) -> httpx.Response:
        body = body_of(request)
        raw, title = str(body.get("raw") or ""), str(body.get("title") or "")
        errors: list[str] = []
        if body.get("archetype") == "private_message":
            names = [n.strip() for n in str(body.get("target_recipients") or "").split(",") if n.strip()]
            recipients = [self.user(n) for n in names]
            if len(raw.strip()) < 10:
                errors.append("Body is too short (minimum is 10 characters)")
            if len(title.strip()) < 2:
                errors.append("Title is too short (minimum is 2 characters)")
            errors += [
                f"The recipient {n} could not be found."
                for n, u in zip(names, recipients, strict=True)
                if u is None
            ]
            if not names:
                errors.append("A private message needs recipients.")
            if errors:
                return json_answer(422, {"action": "create_post", "errors": errors})
            topic = self.add_topic(actor.id, title, raw, category_id=0)
            topic.archetype = "private_message"
            topic.recipients = {u.id for u in recipients if u is not None}
            return self._post_answer(topic, topic.posts[0], actor)
        found = self.forum_topics.get(int(body.get("topic_id") or 0))
        if found is None:
            return json_answer(404, NOT_FOUND)
        topic = found
        if len(raw.strip()) < 20:
            return json_answer(
                422, {"action": "create_post", "errors": ["Body is too short (minimum is 20 characters)"]}
            )
        return self._post_answer(topic, self.reply(topic.id, actor.id, raw), actor)

    def _post_answer(self, topic: ForumTopic, post: ForumPost, actor: ForumUser) -> httpx.Response:
        schema = spec.response_schema("/posts.json", "post")
        return json_answer(
            200,
            spec.shaped(
                schema,
                id=post.id,
                username=actor.username,
                user_id=actor.id,
                topic_id=topic.id,
                topic_slug=topic.slug,
                post_number=post.post_number,
                created_at=iso(post.created_at),
            ),
        )

    def _status(self, topic_id: int, request: httpx.Request, actor: ForumUser) -> httpx.Response:
        topic = self.forum_topics.get(topic_id)
        if topic is None:
            return json_answer(404, NOT_FOUND)
        if not (actor.admin or actor.moderator):
            return json_answer(403, {"errors": ["You are not permitted to view the requested resource."]})
        body = body_of(request)
        if body.get("status") == "closed" and str(body.get("enabled")) == "true":
            self.close(topic_id, actor.id)
        return json_answer(200, {"success": "OK", "topic_status_update": None})
