"""How the sandbox's demo badges are described (:class:`BadgeSpec`), and the states they use.

Thread safety: immutable values only; safe from any thread.
"""

from __future__ import annotations

from typing import NamedTuple

from desktop.domain import BadgeState

PUBLISHED = BadgeState.PUBLISHED
DISABLED = BadgeState.DISABLED
DISCONTINUED = BadgeState.DISCONTINUED
DRAFT = BadgeState.DRAFT


class BadgeSpec(NamedTuple):
    slug: str
    title: str
    description: str
    criteria: str
    tier: str
    category: str
    state: BadgeState
    #: Relative share of members who hold it; popular badges have many holders.
    popularity: float
    #: Whether one member may hold it several times (Discourse's ``multiple_grant``);
    #: the v1 API still treats a member as holding it or not.
    multiple_grant: bool = False
