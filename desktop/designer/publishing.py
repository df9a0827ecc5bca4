"""Publishing where the server keeps no drafts (Discourse): what a save of a new badge queues.

On such a server (:attr:`~desktop.dialects.capabilities.Capabilities.local_drafts`)
a badge the server does not have yet is the user's own work: saved in the
work file with its undo-safe, crash-safe draft row, and nothing is sent.
:meth:`~desktop.designer.drafts.BadgeDrafts.publish` queues one create, of a
*published* badge (Discourse: ``enabled``). Until that create is sent, a
further save replaces it and stays a publish; once it is on the server,
edits are sent as on any server.

**Back to draft: refused.** A badge on a server without drafts cannot become
a draft kept on this computer again: that would mean deleting it from the
server, with the awards members hold. Disabling it hides it from members
and stops new awards, which is what a draft is for, so the refusal says so.

On a server with drafts nothing changes: a new badge's save creates it at
once, in the server's draft state.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, RowMapping

from desktop.domain import ActionState, BadgeState
from desktop.i18n import _
from desktop.outbox.store import queries


def no_way_back_to_draft() -> str:
    """Why a badge on a server without drafts cannot be set back to draft."""
    return _(
        "This server keeps no drafts: a badge on it cannot go back to being a draft kept on this"
        " computer (that would take it off the server, with the awards members hold). Disable it"
        " instead: members can then neither see it nor be granted it."
    )


def on_server(title: str) -> str:
    """Why a badge the server has cannot be published by a save."""
    if not title.strip():
        return _(
            "“This badge” is on the server already: publish it from the badge list (Change state → Publish)."
        )
    return _(
        "“{title}” is on the server already: publish it from the badge list (Change state → Publish)."
    ).format(title=title.strip())


def stays_here(connection: Connection, draft_id: int, badge_id: int | None, publish: bool) -> bool:
    """On a server without drafts: whether this save of a draft queues nothing.

    A badge the server lacks waits here until published; a publish under
    way (unsent or in flight) takes the edit along instead.
    """
    if badge_id is not None or publish:
        return False
    under_way = queries.draft_save_ids(connection, draft_id, [ActionState.PENDING, ActionState.SENDING])
    return not under_way


def create_extras(
    publish: bool, local_drafts: bool, unsent: RowMapping | None, template: str, local_messages: bool
) -> dict[str, Any]:
    """What a create's payload carries beyond the fields: its state, the template to keep."""
    extras: dict[str, Any] = {}
    if publish:
        extras["state"] = BadgeState.PUBLISHED.value
    elif local_drafts and unsent is not None:
        # An edit of a badge published but not sent yet: it stays a publish.
        state = json.loads(unsent["payload"]).get("state")
        if state is not None:
            extras["state"] = state
    if local_messages:
        # The server keeps no award message: kept by the badge's id once it confirms the create.
        extras["kept_award_message"] = template
    return extras


__all__ = ["create_extras", "no_way_back_to_draft", "on_server", "stays_here"]
