"""Optional ports for servers without a changes feed: what makes their later syncs cheap and safe.

A server without a feed is synced by reading everything again and sweeping
what was not seen (a *snapshot*). Where its directory can do more, it says so
by also offering one of these protocols (checked with ``isinstance``, like
any optional port; the core never asks which server it is):

- :class:`NewestFirst`: members and each badge's holders, newest first, so a
  later sync reads only what is new, up to the first row it already knows;
- :class:`PartialAwards`: the badges whose awards the listing leaves out
  (Discourse lists no holders of a disabled badge), so a sweep keeps them;
- :class:`ListingCosts`: how many requests a listing still takes, for the
  progress's "requests left" and its time at the server's rate limit;
- :class:`ChangedRequests` (offered by the request *desk*): the badge
  requests new or changed since what the cache knows, so a later sync keeps
  the review queue current without reading every request again.

Every method blocks (call it off the GUI thread) and raises the errors of
:mod:`desktop.net.errors`, as the ports of :mod:`desktop.dialects.base`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from desktop.dialects.base import Page
from desktop.domain import Award, BadgeRequest, Member, RequestState


@runtime_checkable
class NewestFirst(Protocol):
    """Listings ordered newest first, read page by page until what is already known."""

    def newest_members(self, cursor: str | None) -> Page[Member]:
        """Members, the newest to join first (``cursor`` None: the first page)."""
        ...

    def suspended_members(self, cursor: str | None) -> Page[Member]:
        """Every member suspended now (a short list), page by page: who is not on it is not."""
        ...

    def holder_counts(self) -> dict[int, int]:
        """How many grants the server counts for each badge whose holders :meth:`newest_holders`
        lists: a badge whose count is what it was at the last sync is not read again."""
        ...

    def newest_holders(self, badge_id: int, cursor: str | None) -> Page[Award]:
        """The awards of one badge, the newest grant first (ties: the greater id first)."""
        ...


@runtime_checkable
class PartialAwards(Protocol):
    """A directory whose award listing leaves some badges out."""

    def unlisted_award_badges(self) -> frozenset[int]:
        """Badges (still on the server) whose awards :meth:`Directory.awards` does not list:
        a sweep must keep their awards, which were not seen because they were not shown."""
        ...


@runtime_checkable
class ListingCosts(Protocol):
    """How many requests the rest of a listing takes."""

    def requests_to_list(self, phase: str, cursor: str | None, cached: int) -> int:
        """Requests to list ``phase`` ("badges", "members", "awards", "requests") from ``cursor``
        (None: from the start) to its end; ``cached``: the rows of that kind the cache holds,
        for a count the server does not tell (an estimate then)."""
        ...


@runtime_checkable
class ChangedRequests(Protocol):
    """A request desk that can list only the requests new or changed since what the cache knows."""

    def changed_requests(
        self, known: Mapping[int, tuple[int, RequestState]], cursor: str | None
    ) -> Page[BadgeRequest]:
        """The requests (any state) not in ``known`` (request id → version, state: what the cache
        holds), or whose version or state differs, page by page (``cursor`` None: from the start;
        pass the same ``known``, or the cache's after storing the pages, when following a cursor).
        A request ``known`` as open that was decided meanwhile comes back with its new state.
        The page's ``next_cursor`` is None when nothing further can have changed."""
        ...
