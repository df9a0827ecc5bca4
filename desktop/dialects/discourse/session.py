"""A session with a Discourse forum, as the ports BadgeDesk asks of a server.

It offers a directory (:mod:`~desktop.dialects.discourse.directory`, with the
forum's groups: :mod:`~desktop.dialects.groups`), an
award writer that reconciles (:mod:`~desktop.dialects.discourse.writer`), a
badge editor without versions (:mod:`~desktop.dialects.discourse.editor`: an
edit is compared with what the cache saw before it is saved), a messenger
(one private message per member, :mod:`~desktop.dialects.discourse.messenger`),
a mass awarder (:mod:`~desktop.dialects.discourse.mass_award`), a group
member writer (:mod:`~desktop.dialects.discourse.group_members`) and, when a
request category is chosen, a request desk (badge requests as the category's
topics, :mod:`~desktop.dialects.discourse.desk`), and the activity reader of recognition
programs (:mod:`~desktop.dialects.discourse.activity`). No change feed: Discourse
has none a desktop client can receive, so sync reads snapshots.

**The key** is checked when the session first talks to the forum
(:mod:`~desktop.dialects.discourse.access`): a refused key is the core's
"token refused"; a read-only or granular key turns off what its scopes do
not cover (:attr:`DiscourseSession.key_limits`, the badge editor).

**Credentials.** A Discourse API key acts as a user named beside it
(``Api-Username``): the registry's opener takes the key as the token (what
the keyring stores, what a "token refused" dialog replaces) and the
username as its own argument (a setting of the profile, not a secret). Both
are what Discourse's admin page shows for a key, and what pydiscourse takes
(``DiscourseClient(host, api_username, api_key)``). Packing them into one
token string ("alice:key") would put the username into the keyring and make
a refused key ask for both again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import httpx

from desktop.cancellation import CancelToken
from desktop.dialects.activity import ActivitySource, LikedPost, Measure, Poster, Ranking, TopicRef
from desktop.dialects.base import (
    AwardItem,
    AwardWriter,
    BadgeEditor,
    ChangeFeed,
    CommunitySummary,
    Delivery,
    Directory,
    ItemResult,
    MassAwarder,
    Messenger,
    Page,
    RequestDesk,
    RevokeItem,
)
from desktop.dialects.discourse import KIND
from desktop.dialects.discourse.access import BADGE_EDITING, GROUP_EDITING
from desktop.dialects.discourse.activity import DiscourseActivity
from desktop.dialects.discourse.api import DiscourseApi
from desktop.dialects.discourse.desk import DiscourseDesk
from desktop.dialects.discourse.directory import DiscourseDirectory
from desktop.dialects.discourse.editor import DiscourseEditor
from desktop.dialects.discourse.external_ids import member_by_external_id
from desktop.dialects.discourse.group_members import DiscourseGroupWriter
from desktop.dialects.discourse.mass_award import DiscourseMassAwarder
from desktop.dialects.discourse.messenger import DiscourseMessenger
from desktop.dialects.discourse.writer import DiscourseWriter
from desktop.dialects.external_ids import ExternalMember
from desktop.dialects.groups import GroupMember
from desktop.domain import Award, Badge, Member
from desktop.i18n import _
from desktop.net.budget import Priority, RateBudget
from desktop.net.ratecontrol import RateControl


class DiscourseSession:
    """One forum, one API key acting as one user.

    Thread safety: one thread at a time per instance; the rate control may be shared.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        username: str = "",
        request_category: str = "",
        rate_control: RateControl | None = None,
        budget: RateBudget | None = None,
        priority: Priority = Priority.FOREGROUND,
        max_attempts: int = 6,
        timeout: float = 15.0,
        connect_timeout: float = 3.0,
        cancel: CancelToken | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self._api = DiscourseApi(
            base_url,
            api_key,
            username,
            rate_control=rate_control,
            budget=budget,
            priority=priority,
            max_attempts=max_attempts,
            timeout=timeout,
            connect_timeout=connect_timeout,
            cancel=cancel,
            transport=transport,
            allow_insecure_http=allow_insecure_http,
        )
        self.base_url = self._api.base_url
        #: The category whose open topics are badge requests ("" = none chosen: no desk).
        self.request_category = request_category.strip()
        self._directory = DiscourseDirectory(self._api)
        self._writer = DiscourseWriter(self._api, self._directory)
        self._mass_awarder = DiscourseMassAwarder(self._api)
        self._editor = DiscourseEditor(self._api, self._directory)
        self._messenger = DiscourseMessenger(self._api, self._directory)
        self._group_writer = DiscourseGroupWriter(self._api)
        self._activity = DiscourseActivity(self._api)
        self._desk = (
            DiscourseDesk(self._api, self._directory, self.request_category)
            if self.request_category
            else None
        )

    @property
    def cancel(self) -> CancelToken:
        return self._api.http.cancel

    def close(self) -> None:
        self._api.close()

    def requests_sent(self) -> int:
        """Requests this session has sent so far (what a read cost)."""
        return self._api.http.requests_sent

    def __enter__(self) -> DiscourseSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- ports ----------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return KIND

    @property
    def profile_url(self) -> str:
        # The HTML face of GET /u/{username}.json (FACTS.md § Members): a forum's public profile.
        return self.base_url + "/u/{username}"

    @property
    def directory(self) -> Directory:
        return self._directory

    @property
    def feed(self) -> ChangeFeed | None:
        return None

    @property
    def writer(self) -> AwardWriter:
        return self._writer

    @property
    def desk(self) -> RequestDesk | None:
        return self._desk

    @property
    def editor(self) -> BadgeEditor | None:
        access = self._api.access()
        if access.read_only or access.lacks(BADGE_EDITING):
            return None
        # Badges are an admin's business on Discourse: a moderator's key cannot read their list.
        if self._directory.known_badges() is None:
            return None
        return self._editor

    @property
    def key_limits(self) -> tuple[str, ...]:
        """What the key leaves off (read-only or granular), naming the missing scopes."""
        limits = self._api.access().limits()
        if not limits and self._directory.known_badges() is None:
            return (
                _(
                    "badges cannot be created or edited from here: Discourse lets only admins do that,"
                    " and {user} is not one (use an admin's key)"
                ).format(user=self._api.username),
            )
        return limits

    @property
    def messenger(self) -> Messenger | None:
        return self._messenger

    @property
    def mass_awarder(self) -> MassAwarder | None:
        # Admins only, as the badge list: a key that may not read that (a moderator's; asked
        # once a session) would get a 404 for the upload. No granular scope covers the mass
        # award (FACTS.md): only a global key may upload one.
        if self._api.access().scopes:
            return None
        return self._mass_awarder if self._directory.known_badges() is not None else None

    # --- the ports' methods on the session itself, as the v1 session offers them --------------

    def community(self) -> CommunitySummary:
        return self._directory.community()

    def me(self) -> str:
        return self._directory.me()

    def members(self, cursor: str | None, limit: int) -> Page[Member]:
        return self._directory.members(cursor, limit)

    def badges(self, cursor: str | None, limit: int) -> Page[Badge]:
        return self._directory.badges(cursor, limit)

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        return self._directory.awards(cursor, limit, badge_id=badge_id, member_id=member_id)

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        return self._writer.award_batch(items)

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        return self._writer.revoke_batch(items)

    def confirm(self, item: AwardItem | RevokeItem) -> ItemResult | None:
        return self._writer.confirm(item)

    # --- the group side of the group check (GroupMembershipWriter) --------------------------------

    @property
    def edits_groups(self) -> bool:
        """Whether this key may change groups: Discourse lets only an admin (or a group's owner)
        do it, and a granular key needs ``groups:manage_groups``. Admins are told apart as the
        badge editor tells them (only they read the badge list)."""
        access = self._api.access()
        if access.read_only or access.lacks(GROUP_EDITING):
            return False
        return self._directory.known_badges() is not None

    def group_delivery(self) -> Delivery:
        # Discourse keeps no idempotency keys: a lost answer is settled by reading the group.
        return Delivery.RECONCILE

    def add_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None:
        self._group_writer.add_group_members(group_id, [m.username for m in members])

    def remove_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None:
        self._group_writer.remove_group_members(group_id, [m.username for m in members])

    def group_member_ids(self, group_name: str) -> frozenset[int] | None:
        """Who is in the group now, to settle a change whose answer was lost."""
        return self._group_writer.group_member_ids(group_name)

    # --- activity (ActivityReader: desktop.dialects.discourse.activity) --------------------------

    def activity_sources(self) -> frozenset[ActivitySource]:
        return self._activity.activity_sources()

    def measures(self) -> frozenset[Measure]:
        return self._activity.measures()

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
        return self._activity.leaderboard(
            measure, starts, ends, top=top, exclude_groups=exclude_groups, exclude_usernames=exclude_usernames
        )

    def liked_posts(self, starts: datetime, ends: datetime, *, top: int) -> list[LikedPost]:
        return self._activity.liked_posts(starts, ends, top=top)

    def find_topics(self, query: str) -> list[TopicRef]:
        return self._activity.find_topics(query)

    def topic_posters(self, topic_id: int) -> list[Poster]:
        return self._activity.topic_posters(topic_id)

    def window_posters(self, starts: datetime, ends: datetime) -> list[Poster]:
        return self._activity.window_posters(starts, ends)

    # --- external ids (ExternalIdReader: desktop.dialects.discourse.external_ids) -----------------

    def member_by_external_id(self, external_id: str) -> ExternalMember | None:
        return member_by_external_id(self._api, external_id)


def open_session(
    base_url: str,
    token: str,
    *,
    username: str = "",
    request_category: str = "",
    rate_control: RateControl | None = None,
    budget: RateBudget | None = None,
    priority: Priority = Priority.FOREGROUND,
    cancel: CancelToken | None = None,
    transport: httpx.BaseTransport | None = None,
    allow_insecure_http: bool = False,
) -> DiscourseSession:
    """The registry's opener: ``token`` is the API key, ``username`` the user it acts as."""
    return DiscourseSession(
        base_url,
        token,
        username=username,
        request_category=request_category,
        rate_control=rate_control,
        budget=budget,
        priority=priority,
        cancel=cancel,
        transport=transport,
        allow_insecure_http=allow_insecure_http,
    )
