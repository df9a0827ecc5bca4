"""Finding a member by the id another system gives them (single sign-on): the :class:`ExternalIdReader` port.

A forum that signs its members in through another system (Discourse's
DiscourseConnect) keeps each member's id there, so a list exported by that
system (a learning system's "who passed") can name members by it. The server
answers one id per request (Discourse: ``GET /u/by-external/{external_id}.json``;
its user lists do not carry the ids), so each lookup spends the rate budget;
:mod:`desktop.programs.sources.external_ids` remembers the answers in the mirror.
BadgeDesk's own server (v1) has no external ids: its sessions do not offer the port.

Thread safety: a session's, one thread at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class ExternalMember:
    """The member an external id names."""

    member_id: int
    username: str


@runtime_checkable
class ExternalIdReader(Protocol):
    """Members by the id another system signs them in with."""

    def member_by_external_id(self, external_id: str) -> ExternalMember | None:
        """The member whose external id is exactly ``external_id`` (None: nobody's). One request."""
        ...
