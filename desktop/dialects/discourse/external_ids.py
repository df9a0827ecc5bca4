"""Discourse's members by single sign-on id (:class:`~desktop.dialects.external_ids.ExternalIdReader`).

``GET /u/by-external/{external_id}.json`` (FACTS.md "Activity"): the profile of the member
whose ``SingleSignOnRecord`` has exactly that id, 404 for none (as for every id on a forum
that signs nobody in through another system). The admin user lists do not carry the ids:
one request per id.

Thread safety: one thread at a time (it belongs to the session).
"""

from __future__ import annotations

from desktop.dialects.discourse import wire
from desktop.dialects.discourse.api import DiscourseApi, adapter, user_path
from desktop.dialects.external_ids import ExternalMember


def member_by_external_id(api: DiscourseApi, external_id: str) -> ExternalMember | None:
    """The member ``external_id`` names, None when the forum knows no such id."""
    if not external_id or external_id != external_id.strip():
        # Discourse compares exactly; a blank id or one with spaces around is nobody's.
        return None
    shown = api.read_unless_missing(adapter(wire.UserShow), user_path("/u/by-external", external_id))
    if shown is None or shown.user.id <= 0:
        return None
    return ExternalMember(shown.user.id, shown.user.username)
