"""What the rest of a listing costs in requests, where the dialect can tell (:class:`ListingCosts`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from desktop.cache import schema
from desktop.cache.database import Cache
from desktop.dialects.base import ServerSession
from desktop.dialects.feedless import ListingCosts
from desktop.sync.progress import Estimator

_TABLES = {
    "badges": schema.badges,
    "members": schema.members,
    "awards": schema.awards,
    "groups": schema.member_groups,
    "requests": schema.requests,
}


def cached_counts(cache: Cache) -> dict[str, int]:
    """Rows of each listed kind the mirror holds: the size of what a server does not count."""
    with cache.read() as connection:
        return {
            phase: int(connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table.name}").scalar_one())
            for phase, table in _TABLES.items()
        }


def listing_estimator(
    session: ServerSession, phases: Sequence[str], cached: Mapping[str, int]
) -> Estimator | None:
    """Requests left from a phase and cursor to the end of ``phases`` (None: the dialect cannot tell)."""
    directory = session.directory
    if not isinstance(directory, ListingCosts):
        return None
    costs: ListingCosts = directory

    def left(phase: str, cursor: str | None, finished: bool) -> int:
        following = phases[phases.index(phase) + 1 :] if phase in phases else list(phases)
        total = 0 if finished else costs.requests_to_list(phase, cursor, cached.get(phase, 0))
        return total + sum(costs.requests_to_list(p, None, cached.get(p, 0)) for p in following)

    return left
