"""Messages to members: an award's message, where the server sends none with the award.

Queued in the same transaction that records the award as applied, so each
applied award gets its message exactly once in the queue. Sent one at a
time through the :class:`~desktop.dialects.base.Messenger`. No server
deduplicates messages: one whose answer was lost is never sent again
blindly; it waits, failed, saying it may have been sent, for the user to
send again or skip.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from desktop import placeholders
from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.dialects.base import Messenger
from desktop.domain import Action, ActionKind, ActionState, ChangeSet, utc_now
from desktop.i18n import _
from desktop.outbox.store import actions as rows
from desktop.outbox.store import queries
from desktop.outbox.types import Tally
from desktop.sync import KEY_COMMUNITY


def maybe_sent() -> str:
    """The last-error text of a message whose answer was lost."""
    return _(
        "The server gave no answer: the message may have been sent. "
        "Retry to send it again (the member may get it twice), or skip it."
    )


def award_messages(cache: Cache, awarded: Sequence[Action]) -> list[dict[str, Any]]:
    """The messages due for these applied awards (those that notify), rendered from the mirror.

    Read before the transaction that queues them (a read inside a write
    would wait for itself).
    """
    due = [a for a in awarded if a.payload.get("notify", True)]
    if not due:
        return []
    community = cache.sync_state().get(KEY_COMMUNITY, "")
    with cache.read() as connection:
        known = queries.award_message_facts(connection, [a.id for a in due])
    today = f"{datetime.now(UTC):%d %B %Y}".lstrip("0")
    messages = []
    for action in due:
        facts = known.get(action.id)
        if facts is None:
            continue  # member or badge not in the cache: nothing to address or say
        username, display_name, title, template = facts
        text = action.payload.get("message") or template
        if not text.strip():
            continue
        values = {"member": display_name, "username": username, "badge": title, "community": community}
        try:
            body = placeholders.render(text, {**values, "date": today})
        except placeholders.PlaceholderError:
            body = text  # checked when the badge was saved; a server's template is sent as written
        messages.append(
            {
                "member_id": action.payload["member_id"],
                "badge_id": action.payload["badge_id"],
                "username": username,
                # To the member, in the community's language, not the moderator's: not translated.
                "subject": f"You were awarded “{title}”",
                "text": body,
                "after_action": action.id,
            }
        )
    return messages


def queue(connection: Connection, messages: Sequence[dict[str, Any]], actor: str) -> None:
    """Inside the write that records the awards: their messages join the queue."""
    rows.insert(connection, ActionKind.MESSAGE, messages, None, actor)


def send(cache: Cache, messenger: Messenger, action: Action, tally: Tally) -> None:
    p = action.payload
    messenger.send_message(p["member_id"], p.get("username", ""), p["subject"], p["text"])
    now = to_epoch(utc_now())
    with cache.write() as connection:
        rows.store_result(connection, action.id, ActionState.DONE, "sent", None, {}, now)
    tally.applied += 1
    tally.changed(ChangeSet(outbox=True))


def describe(payload: dict[str, Any]) -> str:
    return str(payload.get("subject") or "")
