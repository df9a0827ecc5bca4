"""Award messages BadgeDesk keeps itself, where the server's badges carry none.

Discourse sends no text with a grant and its badges have no field for one
(:attr:`~desktop.dialects.capabilities.Capabilities.local_award_messages`). So the
template a moderator writes in the designer is kept here, in the work file,
by the server's badge id: the mirror's ``badges.award_message`` is the
server's ("" on such a server) and each sync writes it again, while this
table is never touched by a sync. Reads that show or send a badge's award
message (:meth:`Cache.badges`, the messages queued for applied awards, the
designer) put a kept template over the mirror's.

This module is the table's one owner: the designer keeps a template when a
badge is saved, the outbox when the server confirms the creation of a badge
whose template was waiting in its draft. A server that keeps award messages
(our v1) never gets a row here, so its path is unchanged.

Thread safety: the functions run inside the caller's connection or transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert

from desktop.cache import schema

_TABLE = schema.kept_award_messages


def keep(connection: Connection, badge_id: int, template: str, now: int) -> None:
    """Within a write transaction: ``template`` is the badge's award message from now on."""
    statement = insert(_TABLE).values(badge_id=badge_id, template=template, updated_at=now)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[_TABLE.c.badge_id], set_={"template": template, "updated_at": now}
        )
    )


def kept(connection: Connection, badge_ids: Sequence[int] | None = None) -> dict[int, str]:
    """The kept templates, by badge id (of ``badge_ids`` only, when given)."""
    statement = select(_TABLE.c.badge_id, _TABLE.c.template)
    if badge_ids is not None:
        statement = statement.where(_TABLE.c.badge_id.in_(list(badge_ids)))
    return {int(badge_id): str(template) for badge_id, template in connection.execute(statement)}


__all__ = ["keep", "kept"]
