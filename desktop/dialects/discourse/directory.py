"""The Directory port over Discourse: the community, the acting user, members, badges, awards.

What each costs in requests (all from the forum's one admin bucket of 60 a
minute, reads included):

- ``community()``: the forum's title (``/site/basic-info.json``) and the
  badge list (``/admin/badges.json``, kept for the session: the badge
  listing and the awards' walk through the badges use it). Discourse has no
  member count (``members`` is 0: unknown), and no requests or feed. The
  awards count is the sum of the enabled badges' ``grant_count``.
- ``members()``: one request a page of 100 (``/admin/users/list/active.json``,
  which lists everyone, suspended members included, with
  ``order=created&asc=true`` so that members who join during a sync land on
  the last page instead of moving every page, and ``show_emails=true``). A
  page shorter than 100 is the last; a smaller ``limit`` re-reads the rest of
  its page on the next call. Each row carries the member's trust level and
  post count (``member_activity``): the cache holds them as of the sync that
  last read the member.
- ``badges()``: no request beyond the session's badge list.
- ``awards()``: one request a page of at most 50 holders of one badge
  (``/user_badges.json?badge_id=``), badge after badge by id. Disabled badges
  are skipped: Discourse lists no holders of them (their grants are known
  only member by member). ``member_id``: two requests (the member's username
  by id, then their badges).

Groups (``groups()``, the optional port of :mod:`desktop.dialects.groups`):
the forum's own groups, 36 a page, each with its members (1000 a request),
automatic groups left out; see :mod:`desktop.dialects.discourse.groups`.

What a later sync reads (:mod:`desktop.dialects.feedless`): members newest
first (``order=created``, Discourse's default descending), the suspended
members (``/admin/users/list/suspended.json``, usually one page), and each badge's
holders newest first (Discourse's own order), each until a row the cache
knows. The badge list's ``grant_count`` says which badges to read: those
whose count changed since the last sync (none when nothing is new). Awards of disabled
badges are never listed (Discourse answers 404), so a sweep must keep them:
:meth:`DiscourseDirectory.unlisted_award_badges` names those badges.
:meth:`DiscourseDirectory.requests_to_list` estimates what a listing still
costs from the badges' ``grant_count`` and, for members and requests (no
count), the number the cache holds.

Known limits of offset paging (Discourse offers nothing else): a member
deleted, or a grant revoked, on the forum while a listing runs moves the rows
after it one place back, so one of them can be missed by this pass.
"""

from __future__ import annotations

from collections.abc import Mapping

from desktop.dialects.base import CommunitySummary, Page
from desktop.dialects.discourse import groups as group_listing
from desktop.dialects.discourse import mapping, wire
from desktop.dialects.discourse.api import DiscourseApi, adapter, user_path
from desktop.dialects.discourse.cursors import (
    AwardPosition,
    BadgePosition,
    MemberPosition,
    NewestPosition,
    RequestPosition,
)
from desktop.domain import Award, Badge, Group, Member
from desktop.i18n import _
from desktop.net.errors import ApiError, AuthError, MalformedResponse

#: Discourse's page of users (AdminUserIndexQuery), and its most holders a page (UserBadgesController).
USERS_PER_PAGE = 100
MAX_HOLDERS = 50
#: A category's page of topics (TopicQuery's per_page), where the request desk reads its requests.
TOPICS_PER_PAGE = 30
_USER_LIST = "/admin/users/list/active.json"
_SUSPENDED_LIST = "/admin/users/list/suspended.json"
_BADGES = "/admin/badges.json"
_HOLDERS = "/user_badges.json"


class DiscourseDirectory:
    """Thread safety: one thread at a time (it belongs to one session)."""

    def __init__(self, api: DiscourseApi) -> None:
        self._api = api
        self._badges: wire.AdminBadges | None = None
        #: The key may not read the badge list (a moderator's): asked once a session.
        self._badges_refused = False
        self._me: str | None = None

    # --- the community and who is acting ------------------------------------------------

    def community(self) -> CommunitySummary:
        info = self._api.read(adapter(wire.SiteBasicInfo), "/site/basic-info.json")
        listing = self.badge_list(fresh=True)
        return CommunitySummary(
            name=info.title or self._api.host,
            members=0,
            badges=len(listing.badges),
            awards=sum(b.grant_count for b in listing.badges if b.enabled),
            requests=0,
            changes_cursor="",
            # Discourse has no member count in its API, and the requests are not counted (see above).
            unknown=frozenset({"members", "requests"}),
        )

    @property
    def keeps_award_messages(self) -> bool:
        # Discourse's badges have no award message (a grant carries no text of ours).
        return False

    @property
    def member_activity(self) -> bool:
        # Every row of the user list carries trust_level and post_count (AdminUserListSerializer).
        return True

    def me(self) -> str:
        # The key's user does not change during a session: ask once.
        if self._me is None:
            shown = self._api.read(adapter(wire.UserShow), user_path("/u", self._api.username))
            self._me = shown.user.name or shown.user.username
        return self._me

    # --- members --------------------------------------------------------------------------

    def members(self, cursor: str | None, limit: int) -> Page[Member]:
        at = MemberPosition.decode(cursor)
        params: dict[str, str | int] = {
            "show_emails": "true",
            "order": "created",
            "asc": "true",
            "page": at.page,
        }
        rows = self._api.read(wire.USER_PAGE, _USER_LIST, params)
        given = rows[at.skip : at.skip + max(1, limit)]
        members = [m for m in map(mapping.member, given) if m is not None]
        taken = at.skip + len(given)
        after: MemberPosition | None
        if taken < len(rows):
            after = MemberPosition(at.page, taken)
        elif len(rows) < USERS_PER_PAGE:
            after = None  # a short page is the last (an empty one too)
        else:
            after = MemberPosition(at.page + 1, 0)
        return Page(members, None if after is None else after.encode())

    def newest_members(self, cursor: str | None) -> Page[Member]:
        at = NewestPosition.decode(cursor)
        params: dict[str, str | int] = {"show_emails": "true", "order": "created", "page": at.page}
        rows = self._api.read(wire.USER_PAGE, _USER_LIST, params)
        members = [m for m in map(mapping.member, rows) if m is not None]
        more = len(rows) >= USERS_PER_PAGE
        return Page(members, NewestPosition(at.page + 1).encode() if more else None)

    def suspended_members(self, cursor: str | None) -> Page[Member]:
        # Only the "suspended" flag filters (FACTS.md); by creation, so pages hold still.
        at = NewestPosition.decode(cursor)
        params: dict[str, str | int] = {"show_emails": "true", "order": "created", "page": at.page}
        rows = self._api.read(wire.USER_PAGE, _SUSPENDED_LIST, params)
        members = [m for m in map(mapping.member, rows) if m is not None]
        more = len(rows) >= USERS_PER_PAGE
        return Page(members, NewestPosition(at.page + 1).encode() if more else None)

    def username_of(self, member_id: int) -> str | None:
        """The member's username now (renames happen), None when the forum has no such member."""
        found = self._api.read_unless_missing(adapter(wire.AdminUser), f"/admin/users/{member_id}.json")
        return None if found is None else found.username

    def grants_of(self, member_id: int, username: str) -> wire.MemberBadges | None:
        """Every grant the member holds (``username`` as the cache knows it; "" unknown).

        A username the forum does not know is looked up again by id (the
        member may have been renamed); None when the member is gone.
        """
        if username:
            held = self._api.read_unless_missing(
                adapter(wire.MemberBadges), user_path("/user-badges", username)
            )
            if held is not None:
                return held
        current = self.username_of(member_id)
        if current is None or current == username:
            return None
        return self._api.read_unless_missing(adapter(wire.MemberBadges), user_path("/user-badges", current))

    # --- badges ---------------------------------------------------------------------------

    def badge_list(self, *, fresh: bool = False) -> wire.AdminBadges:
        """The forum's badges, read once per session unless ``fresh``."""
        if self._badges is None or fresh:
            try:
                self._badges = self._api.read(adapter(wire.AdminBadges), _BADGES)
            except AuthError as refused:
                if refused.status != 404:
                    raise
                raise AuthError(
                    _(
                        "{user} may not read the badges: Discourse lets only admins list them"
                        " (GET {path} answered 404). Use an admin's API key, or check that the key is valid"
                    ).format(user=self._api.username, path=_BADGES),
                    status=404,
                    code=refused.code,
                ) from refused
        return self._badges

    def forget_badges(self) -> None:
        """After a badge was saved through this session: the next listing reads the forum again
        (costs nothing until then), so the session never lists its own edit as it was before."""
        self._badges = None

    def known_badges(self) -> wire.AdminBadges | None:
        """The badge list when this key may read it (admins), else None; asks at most once a session."""
        if self._badges is None and not self._badges_refused:
            try:
                self.badge_list()
            except AuthError as refused:
                if refused.status != 404:
                    raise
                self._badges_refused = True
        return self._badges

    def badges(self, cursor: str | None, limit: int) -> Page[Badge]:
        at = BadgePosition.decode(cursor)
        listing = self.badge_list()
        after = sorted((b for b in listing.badges if b.id > at.after_id), key=lambda b: b.id)
        given = after[: max(1, limit)]
        badges = [mapping.badge(b, listing.badge_types, listing.badge_groupings) for b in given]
        more = len(after) > len(given)
        return Page(badges, BadgePosition(given[-1].id).encode() if more else None)

    # --- groups (desktop.dialects.groups; see desktop.dialects.discourse.groups) ------------

    def groups(self, cursor: str | None, known: Mapping[int, int] | None = None) -> Page[Group]:
        return group_listing.group_page(self._api, cursor, known)

    def requests_to_list_groups(self, cursor: str | None, cached_groups: int) -> int:
        return group_listing.requests_to_list(cursor, cached_groups)

    # --- awards ---------------------------------------------------------------------------

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        if member_id is not None:
            return self._awards_of_member(member_id, badge_id)
        at = AwardPosition.decode(cursor)
        if badge_id is not None:
            return self._holders(badge_id, at.offset, limit, None)
        enabled = sorted(b.id for b in self.badge_list().badges if b.enabled)
        # From the cursor's badge, or the next one if it was disabled or deleted since.
        start = at.badge_id or 0
        current = next((i for i in enabled if i >= start), None)
        if current is None:
            return Page([], None)
        offset = at.offset if current == at.badge_id else 0
        following = next((i for i in enabled if i > current), None)
        return self._holders(current, offset, limit, following)

    def holder_counts(self) -> dict[int, int]:
        return {b.id: b.grant_count for b in self.badge_list().badges if b.enabled}

    def newest_holders(self, badge_id: int, cursor: str | None) -> Page[Award]:
        # Discourse's own order: granted_at DESC, id DESC.
        at = AwardPosition.decode(cursor)
        return self._holders(badge_id, at.offset if at.badge_id == badge_id else 0, MAX_HOLDERS, None)

    def unlisted_award_badges(self) -> frozenset[int]:
        return frozenset(b.id for b in self.badge_list().badges if not b.enabled)

    def requests_to_list(self, phase: str, cursor: str | None, cached: int) -> int:
        if phase == "members":
            at = MemberPosition.decode(cursor)
            # Pages of 100 end with a short one (an empty one after a full last page).
            pages = cached // USERS_PER_PAGE + 1
            return max(1, pages - at.page + 1)
        if phase == "awards":
            place = AwardPosition.decode(cursor)
            if self._badges is None:
                # Not read this session (and not read here: this may run beside a fetch).
                return cached // MAX_HOLDERS + 1
            total = 0
            for row in self._badges.badges:
                if not row.enabled or (place.badge_id is not None and row.id < place.badge_id):
                    continue
                left = row.grant_count - (place.offset if row.id == place.badge_id else 0)
                total += max(0, left) // MAX_HOLDERS + 1
            return total
        if phase == "groups":
            return group_listing.requests_to_list(cursor, cached)
        if phase == "requests":
            # The request desk's listing: pages of 30 topics from page 0, and a read of each topic
            # (a new session has read none yet; a closed one may cost one more, not counted here).
            listed = RequestPosition.decode(cursor)
            left = max(0, cached - listed.page * TOPICS_PER_PAGE - listed.skip)
            return max(1, cached // TOPICS_PER_PAGE + 1 - listed.page) + left
        # Badges come with the session's one badge list.
        return 0

    def _holders(self, badge_id: int, offset: int, limit: int, following: int | None) -> Page[Award]:
        size = min(max(1, limit), MAX_HOLDERS)
        params = {"badge_id": badge_id, "offset": offset, "limit": size}
        answer = self._api.read_unless_missing(adapter(wire.Holders), _HOLDERS, params)
        if answer is None:
            # Never read as "no holders": the sync would drop every award of the badge.
            raise ApiError(
                _(
                    "Discourse answered 404 for the holders of badge {badge}: it was disabled or deleted"
                    " since the badge list was read, or badges are turned off on this forum; sync again"
                ).format(badge=badge_id),
                status=404,
            )
        rows = answer.user_badge_info.user_badges
        people = mapping.people(answer.users)
        awards = []
        for row in rows:
            if row.badge_id != badge_id or row.user_id is None:
                raise MalformedResponse(
                    _(
                        "Malformed response from GET {path}: a holder of badge {badge} that is not one"
                        " (another badge, or no member); tell the forum's administrator"
                    ).format(path=_HOLDERS, badge=badge_id)
                )
            if row.user_id >= 1:  # Discourse's bots hold badges too; they are not members
                awards.append(mapping.award(row, row.user_id, people))
        after: AwardPosition | None
        if len(rows) >= size:
            after = AwardPosition(badge_id, offset + len(rows))
        elif following is not None:
            after = AwardPosition(following, 0)
        else:
            after = None
        return Page(awards, None if after is None else after.encode())

    def _awards_of_member(self, member_id: int, badge_id: int | None) -> Page[Award]:
        username = self.username_of(member_id)
        held = None if username is None else self.grants_of(member_id, username)
        if held is None:
            return Page([], None)
        people = mapping.people(held.granted_bies)
        rows = [r for r in held.user_badges if badge_id is None or r.badge_id == badge_id]
        return Page([mapping.award(r, member_id, people) for r in rows], None)
