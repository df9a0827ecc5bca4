"""The AwardWriter port over Discourse: one grant or revoke a request, and their confirmation.

Discourse takes one member per request and keeps no idempotency keys, so
the writer is :attr:`Delivery.RECONCILE` with a batch cap of 1: after a
lost answer the outbox asks :meth:`DiscourseWriter.confirm` (the member's
badges) before anything is sent again.

**Grant** ``POST /user_badges.json {username, badge_id, reason?}``:

- the username is the cache's; without one, or when the forum does not know
  it (a member renamed since the last sync), the member is looked up by id;
- the *reason* is sent only when it is a link to a topic or post of this
  forum (a path such as ``/t/slug/123`` or a URL on the forum's host):
  Discourse refuses any other reason (400) and keeps no free text. A free-text
  reason stays in BadgeDesk's own audit log. A linked reason is what makes a
  repeated grant of a ``multiple_grant`` badge a no-op in Discourse;
- a ``multiple_grant`` badge is granted only to a member who does not hold
  it: Discourse would grant it again (BadgeDesk never awards a badge held),
  so the member's badges are read first (one more request, for such badges
  only; for every badge when the key may not read the badge list, a moderator's);
- the answer is the grant, new or the one the member holds: Discourse
  returns the existing grant of a badge that cannot be held twice (and of a
  ``multiple_grant`` badge for the same post) with its old id and date. It is
  *already held* when this session made it before, when someone else granted
  it, or when it is older than this request by the forum's own clock (the
  ``Date`` of the answer, less the time the request took);
- a 404 is a member gone, a badge disabled or deleted (told apart by reading
  the member and the badge list; a moderator's key cannot read the badge list,
  so the badge case stays "cannot be awarded" without a cause).

**Revoke** ``DELETE /user_badges/{id}.json``: the grant the cache knows, or
the member's newest grant of the badge; a 404 is a grant already gone.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

import httpx

from desktop.dialects.base import AwardItem, Delivery, ItemResult, RevokeItem
from desktop.dialects.discourse import mapping, wire
from desktop.dialects.discourse.api import DiscourseApi, adapter
from desktop.dialects.discourse.directory import DiscourseDirectory
from desktop.domain import AwardOutcome, Drift
from desktop.i18n import _
from desktop.net.errors import ApiError, MalformedResponse

_GRANT = "/user_badges.json"
#: Paths that route to a topic or a post (topics#show, posts, nested topics): what Discourse
#: accepts as a grant's reason.
_POST_LINK = re.compile(r"/(?:t/(?:[^/?#]+/)?\d+(?:/\d+)?|p/\d+|posts/\d+|n/[^/?#]+/\d+)/?")
#: How far a new grant's time may lie before the forum's clock says the request was sent:
#: its ``Date`` has whole seconds; without one, the two clocks may disagree by minutes.
_SLACK_WITH_DATE = timedelta(seconds=2)
_SLACK_WITHOUT_DATE = timedelta(minutes=5)

Item = TypeVar("Item", AwardItem, RevokeItem)


def forum_link(reason: str, base_url: str) -> str | None:
    """``reason`` if it links a topic or post of the forum at ``base_url``, else None."""
    text = reason.strip()
    if not text or text.startswith("//"):
        return None
    parts = urlsplit(text)
    forum = urlsplit(base_url)
    if (parts.scheme or parts.netloc) and (
        parts.scheme not in ("http", "https") or parts.hostname != forum.hostname
    ):
        return None
    # A forum in a subfolder (https://example.org/forum) routes below its own path.
    path = parts.path.removeprefix(forum.path.rstrip("/")) if parts.netloc else parts.path
    return text if _POST_LINK.fullmatch(path) else None


class DiscourseWriter:
    """Thread safety: one thread at a time (it belongs to one session)."""

    #: A grant keeps a reason only when it links a post or topic (Capabilities.link_reasons).
    link_reasons = True

    def __init__(self, api: DiscourseApi, directory: DiscourseDirectory) -> None:
        self._api = api
        self._directory = directory
        #: Grants this session made: an answer naming one of them again is a repeat.
        self._made: set[int] = set()

    @property
    def delivery(self) -> Delivery:
        return Delivery.RECONCILE

    @property
    def batch_cap(self) -> int:
        return 1

    @property
    def sends_award_messages(self) -> bool:
        # A grant notifies the member ("You earned …") but carries no text of ours:
        # an award message goes as a private message (the session's messenger).
        return False

    @property
    def sends_revoke_messages(self) -> bool:
        # ``DELETE /user_badges/{id}`` takes nothing but the grant's id and tells the member
        # nothing: it even deletes the grant's "you earned" notification (FACTS.md).
        return False

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        return [self._grant(_one(items), looked_up=False)]

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        return [self._revoke(_one(items))]

    # --- grants ---------------------------------------------------------------------------

    def _grant(self, item: AwardItem, *, looked_up: bool) -> ItemResult:
        username = item.username
        if not username:
            found = self._directory.username_of(item.member_id)
            if found is None:
                return _result(item, AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE)
            username, looked_up = found, True
        multiple = self._may_be_held_twice(item.badge_id)
        if multiple is not False:
            # Discourse would grant such a badge again; BadgeDesk never awards a badge held.
            held = self._held(item, username)
            if held is not None:
                return held
        body: dict[str, str | int] = {"username": username, "badge_id": item.badge_id}
        link = forum_link(item.reason, self._api.base_url)
        if link is not None:
            body["reason"] = link
        started = time.monotonic()
        response = self._api.write("POST", _GRANT, body)
        took = time.monotonic() - started
        if response.status_code == 200:
            return self._granted(item, response, took, checked=multiple is not False and link is None)
        if response.status_code != 404:
            raise self._api.error("POST", _GRANT, response)
        # Nothing was granted: which of member and badge is missing decides the outcome.
        current = self._directory.username_of(item.member_id)
        if current is None:
            return _result(item, AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE)
        if current.lower() != username.lower() and not looked_up:
            # Renamed since the cache learned the name; sending to the new one is safe (the first
            # request changed nothing).
            return self._grant(replace(item, username=current), looked_up=True)
        return self._badge_refused(item)

    def _may_be_held_twice(self, badge_id: int) -> bool | None:
        """Whether the badge is ``multiple_grant``; None when this key may not read the badges.

        False for a badge known to be disabled: the grant's 404 says so (a disabled badge
        comes before one already held, as the drift table orders them).
        """
        listing = self._directory.known_badges()
        if listing is None:
            return None
        badge = next((b for b in listing.badges if b.id == badge_id), None)
        return None if badge is None else badge.multiple_grant and badge.enabled

    def _held(self, item: AwardItem, username: str) -> ItemResult | None:
        """The result for a member who holds the badge already (or is gone); None: grant it."""
        grants = self._directory.grants_of(item.member_id, username)
        if grants is None:
            return _result(item, AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE)
        held = [r for r in grants.user_badges if r.badge_id == item.badge_id]
        if not held:
            return None
        award = mapping.award(
            max(held, key=lambda r: r.id), item.member_id, mapping.people(grants.granted_bies)
        )
        return ItemResult(
            item.idempotency_key,
            AwardOutcome.ALREADY_HELD,
            award,
            replayed=False,
            condition=Drift.ALREADY_HELD,
        )

    def _granted(
        self, item: AwardItem, response: httpx.Response, took: float, *, checked: bool
    ) -> ItemResult:
        answer = self._api.parse(adapter(wire.GrantAnswer), "POST", _GRANT, response)
        row = answer.user_badge
        if row is None:  # BadgeGranter granted nothing and said nothing
            return _result(item, AwardOutcome.BADGE_NOT_AWARDABLE, None)
        if row.badge_id != item.badge_id:
            raise MalformedResponse(
                _(
                    "Malformed response from POST {path}: a grant of badge {got}, not of badge"
                    " {sent}; tell the forum's administrator"
                ).format(path=_GRANT, got=row.badge_id, sent=item.badge_id)
            )
        people = mapping.people(answer.granted_bies)
        award = mapping.award(row, item.member_id, people)
        badge = next((b for b in answer.badges if b.id == item.badge_id), None)
        if row.id in self._made:
            new = False  # this session made it: a repeat
        elif checked and badge is not None and badge.multiple_grant:
            new = True  # not held a moment ago, and such a badge without a post link is granted anew
        else:
            new = self._made_now(row, people, response, took)
        if new:
            self._made.add(row.id)
            return ItemResult(item.idempotency_key, AwardOutcome.AWARDED, award, replayed=False)
        return ItemResult(
            item.idempotency_key,
            AwardOutcome.ALREADY_HELD,
            award,
            replayed=False,
            condition=Drift.ALREADY_HELD,
        )

    def _made_now(
        self, row: wire.GrantRow, people: dict[int, wire.UserRef], response: httpx.Response, took: float
    ) -> bool:
        """Whether the grant in the answer is the one this request made (not one the member held)."""
        giver = None if row.granted_by_id is None else people.get(row.granted_by_id)
        if giver is None or giver.username.lower() != self._api.username.lower():
            return False  # someone else granted it
        answered = _date(response)
        slack = _SLACK_WITHOUT_DATE if answered is None else _SLACK_WITH_DATE
        sent = (answered or datetime.now(UTC)) - timedelta(seconds=took) - slack
        return row.granted_at >= sent

    def _badge_refused(self, item: AwardItem) -> ItemResult:
        """After a 404 with the member present: the badge is disabled, deleted, or badges are off."""
        if self._directory.known_badges() is None:
            # A moderator's key may not read the badge list: the forum said only "not found".
            return _result(item, AwardOutcome.BADGE_NOT_AWARDABLE, None)
        listing = self._directory.badge_list(fresh=True)
        badge = next((b for b in listing.badges if b.id == item.badge_id), None)
        if badge is None:
            return _result(item, AwardOutcome.NOT_FOUND, Drift.BADGE_GONE)
        if not badge.enabled:
            return _result(item, AwardOutcome.BADGE_NOT_AWARDABLE, Drift.BADGE_DISABLED)
        raise ApiError(
            _(
                "Discourse answered 404 to a grant of badge {badge} although the member and the"
                " badge exist: badges may be turned off on this forum (the enable_badges setting)"
            ).format(badge=item.badge_id),
            status=404,
        )

    # --- revokes --------------------------------------------------------------------------

    def _revoke(self, item: RevokeItem) -> ItemResult:
        grant_id = item.award_id
        revoked = None
        if grant_id is None:
            held = self._directory.grants_of(item.member_id, item.username)
            if held is None:
                return _result(item, AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE)
            grants = [r for r in held.user_badges if r.badge_id == item.badge_id]
            if not grants:
                return _result(item, AwardOutcome.NOT_HELD, Drift.NOT_HELD)
            # The newest grant, the one the cache keeps for a member and badge.
            newest = max(grants, key=lambda r: r.id)
            grant_id = newest.id
            revoked = mapping.award(newest, item.member_id, mapping.people(held.granted_bies))
        path = f"/user_badges/{grant_id}.json"
        response = self._api.write("DELETE", path)
        if response.status_code == 404:
            return _result(item, AwardOutcome.NOT_HELD, Drift.NOT_HELD)  # already gone: done
        if response.status_code != 200:
            raise self._api.error("DELETE", path, response)
        self._api.parse(adapter(wire.Revoked), "DELETE", path, response)
        return ItemResult(item.idempotency_key, AwardOutcome.REVOKED, revoked, replayed=False)

    # --- confirmation ---------------------------------------------------------------------

    def confirm(self, item: AwardItem | RevokeItem) -> ItemResult | None:
        """Whether ``item`` is in effect on the forum, from the member's badges (one or two requests).

        An award is in effect when the member holds a grant of the badge (the
        newest is returned); a revoke, when the grant it names is gone (or,
        without one, when no grant of the badge is left).
        """
        held = self._directory.grants_of(item.member_id, item.username)
        key = item.idempotency_key
        if held is None:  # the member is gone: no award, and nothing to revoke
            if isinstance(item, AwardItem):
                return None
            return ItemResult(key, AwardOutcome.NOT_FOUND, None, replayed=True, condition=Drift.MEMBER_GONE)
        grants = [r for r in held.user_badges if r.badge_id == item.badge_id]
        if isinstance(item, AwardItem):
            if not grants:
                return None
            newest = max(grants, key=lambda r: r.id)
            award = mapping.award(newest, item.member_id, mapping.people(held.granted_bies))
            return ItemResult(key, AwardOutcome.AWARDED, award, replayed=True)
        gone = all(r.id != item.award_id for r in grants) if item.award_id is not None else not grants
        return ItemResult(key, AwardOutcome.REVOKED, None, replayed=True) if gone else None


def _one(items: Sequence[Item]) -> Item:
    if len(items) != 1:
        raise ApiError(f"Discourse takes one member per request; this call had {len(items)}")
    return items[0]


def _result(item: AwardItem | RevokeItem, outcome: AwardOutcome, condition: Drift | None) -> ItemResult:
    return ItemResult(item.idempotency_key, outcome, None, replayed=False, condition=condition)


def _date(response: httpx.Response) -> datetime | None:
    """The forum's clock when it answered (the ``Date`` header), if it said."""
    try:
        when = email.utils.parsedate_to_datetime(response.headers.get("Date", ""))
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
