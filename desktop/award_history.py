"""The history of award events: every grant the server has, joined with what this machine sent.

Two sources, one list, newest first:

- **The server** (the mirror's ``awards``): every grant the community holds,
  whoever granted it and from wherever. The server keeps no revoke events: a
  revoke deletes the grant, so a revoked grant is simply no longer listed.
- **This machine** (the local audit, the outbox's ``actions``): the awards and
  revokes it sent that the server applied (done, "awarded" or "revoked"); with
  their batch, named for people (:mod:`desktop.outbox.batch_names`). Unsent,
  refused, held or no-op actions are not events: the audit log shows those.

A local award the server confirmed appears **once**, as "both": the server's
grant (its time, granter and reason) with the local batch. It is matched:

1. by the grant id the server answered with (kept in the action's result), when
   the mirror holds that grant for the same member and badge; otherwise
2. by member and badge, granted between the moment the action was sent and the
   moment it was confirmed, widened by :data:`MATCH_WINDOW` seconds on each side
   for clocks that differ between the server and this machine (the closest
   grant to the confirmation wins). A grant matches at most one action (the
   newest).

A local award whose grant the mirror does not hold (revoked since, or not
synced yet) stays "this machine"; so does every revoke. A request approved
from here (a decision, not an award) is not matched: its grant is the server's.

Paging is by position (``before``): the last event of a page gives the next
page's start, so pages do not shift while new events arrive.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.cache.database import Cache
from desktop.cache.rows import from_epoch, to_epoch
from desktop.i18n import _
from desktop.outbox.batch_names import batch_names

#: Seconds of slack around the send when matching a local award with the server's grant.
MATCH_WINDOW = 300


class EventKind(enum.StrEnum):
    AWARD = "award"
    REVOKE = "revoke"


class EventSource(enum.StrEnum):
    #: Only on the server: granted by someone else, or from another machine.
    SERVER = "server"
    #: Only in this machine's audit: a revoke, or an award the mirror does not hold.
    LOCAL = "local"
    #: Sent from here and confirmed by the server's grant.
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    #: Part of a member's name, username or email, a badge's title, a moderator's name or the reason.
    text: str = ""
    badge_id: int | None = None
    #: Who granted (the server's granter) or sent it (this machine's moderator).
    moderator: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    kinds: frozenset[EventKind] = frozenset()


@dataclass(frozen=True, slots=True)
class AwardEvent:
    when: datetime
    kind: EventKind
    source: EventSource
    member_id: int
    #: "Ann Lee (@ann)", or "member #12" when the mirror does not know them.
    member: str
    badge_id: int
    #: The badge's title, or "badge #12".
    badge: str
    #: Who granted it (the server's word), or who sent it from here.
    who: str
    reason: str
    #: The batch it was sent in, named for people; "" when not sent from here or outside a batch.
    batch: str
    batch_id: str | None
    #: The server's grant (server, both) and this machine's action (local, both).
    award_id: int | None
    action_id: int | None
    #: Where it sorts: pass the last event's to :func:`award_history` for the next page.
    position: tuple[int, int, int]


# Local actions the server applied, each with the grant it matches (if any).
_SENT = """
applied AS MATERIALIZED (
  SELECT a.id AS action_id, a.kind AS kind, a.member_id AS member_id, a.badge_id AS badge_id,
    COALESCE(a.actor, '') AS actor, a.batch_id AS batch_id,
    COALESCE(a.confirmed_at, a.sent_at, a.updated_at) AS at,
    COALESCE(json_extract(a.payload, '$.reason'), '') AS reason,
    json_extract(a.result, '$.award_id') AS answered,
    COALESCE(a.sent_at, a.created_at) - :window AS lo,
    COALESCE(a.confirmed_at, a.updated_at) AS confirmed,
    COALESCE(a.confirmed_at, a.updated_at) + :window AS hi
  FROM actions a
  WHERE a.kind IN ('award', 'revoke') AND a.state = 'done' AND a.outcome IN ('awarded', 'revoked')
    AND a.member_id IS NOT NULL AND a.badge_id IS NOT NULL
),
sent AS MATERIALIZED (
  SELECT l.action_id, l.kind, l.member_id, l.badge_id, l.actor, l.batch_id, l.at, l.reason,
    CASE WHEN l.kind = 'award' THEN COALESCE(
      (SELECT w.id FROM awards w WHERE w.id = l.answered
         AND w.member_id = l.member_id AND w.badge_id = l.badge_id),
      -- (SQLite refuses an outer column in a subquery's ORDER BY: the closest by MIN.)
      (SELECT w.id FROM awards w WHERE w.member_id = l.member_id AND w.badge_id = l.badge_id
         AND w.granted_at BETWEEN l.lo AND l.hi
         AND abs(w.granted_at - l.confirmed) = (
           SELECT MIN(abs(v.granted_at - l.confirmed)) FROM awards v
           WHERE v.member_id = l.member_id AND v.badge_id = l.badge_id AND v.granted_at BETWEEN l.lo AND l.hi)
       ORDER BY w.id DESC LIMIT 1)
    ) END AS award_id
  FROM applied l
),
matched AS MATERIALIZED (
  SELECT award_id, MAX(action_id) AS action_id FROM sent WHERE award_id IS NOT NULL GROUP BY award_id
),
events AS (
  SELECT w.granted_at AS at, 1 AS rank, w.id AS ident, 'award' AS kind,
    CASE WHEN s.action_id IS NULL THEN 'server' ELSE 'both' END AS source,
    w.member_id AS member_id, w.badge_id AS badge_id, w.granted_by AS who, s.actor AS actor,
    CASE WHEN w.reason != '' THEN w.reason ELSE COALESCE(s.reason, '') END AS reason,
    s.batch_id AS batch_id, w.id AS award_id, s.action_id AS action_id
  FROM awards w LEFT JOIN matched x ON x.award_id = w.id LEFT JOIN sent s ON s.action_id = x.action_id
  UNION ALL
  SELECT s.at, 0, s.action_id, s.kind, 'local', s.member_id, s.badge_id, s.actor, s.actor, s.reason,
    s.batch_id, NULL, s.action_id
  FROM sent s WHERE s.action_id NOT IN (SELECT action_id FROM matched)
)
"""

_COLUMNS = (
    "e.at, e.rank, e.ident, e.kind, e.source, e.member_id, m.username, m.display_name,"
    " e.badge_id, b.title, e.who, e.reason, e.batch_id, e.award_id, e.action_id"
)
_FROM = " FROM events e LEFT JOIN members m ON m.id = e.member_id LEFT JOIN badges b ON b.id = e.badge_id"


def _where(query: HistoryQuery) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {"window": MATCH_WINDOW}
    if query.badge_id is not None:
        clauses.append("e.badge_id = :badge")
        params["badge"] = query.badge_id
    if query.moderator:
        clauses.append("(e.who = :moderator OR e.actor = :moderator)")
        params["moderator"] = query.moderator
    if query.since is not None:
        clauses.append("e.at >= :since")
        params["since"] = to_epoch(query.since)
    if query.until is not None:
        clauses.append("e.at < :until")
        params["until"] = to_epoch(query.until)
    if query.kinds:
        names = sorted(k.value for k in query.kinds)
        clauses.append("e.kind IN (" + ", ".join(f":kind{i}" for i in range(len(names))) + ")")
        params.update({f"kind{i}": name for i, name in enumerate(names)})
    text = query.text.strip()
    if text:
        params["like"] = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        columns = ("m.username", "m.display_name", "m.email", "b.title", "e.who", "e.actor", "e.reason")
        clauses.append("(" + " OR ".join(f"{c} LIKE :like ESCAPE '\\'" for c in columns) + ")")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def award_history(
    cache: Cache,
    query: HistoryQuery = HistoryQuery(),
    *,
    limit: int = 200,
    before: tuple[int, int, int] | None = None,
) -> list[AwardEvent]:
    """The newest matching events first; ``before``: the ``position`` of the last event of the page before.

    Reads every grant the mirror holds (no index orders them by time): about a
    second per few million grants.
    """
    where, params = _where(query)
    if before is not None:
        at, rank, ident = before
        page = "(e.at < :at OR (e.at = :at AND (e.rank < :rank OR (e.rank = :rank AND e.ident < :ident))))"
        where = f"{where} AND {page}" if where else f" WHERE {page}"
        params.update(at=at, rank=rank, ident=ident)
    params["limit"] = limit
    order = " ORDER BY e.at DESC, e.rank DESC, e.ident DESC LIMIT :limit"
    sql = f"WITH {_SENT} SELECT {_COLUMNS}{_FROM}{where}{order}"
    with cache.read() as connection:
        rows = connection.exec_driver_sql(sql, params).all()
        names = batch_names(connection, {row[12] for row in rows if row[12]})
    return [_event(row, names) for row in rows]


def award_history_count(cache: Cache, query: HistoryQuery = HistoryQuery()) -> int:
    where, params = _where(query)
    sql = f"WITH {_SENT} SELECT COUNT(*){_FROM}{where}"
    with cache.read() as connection:
        return int(connection.exec_driver_sql(sql, params).scalar() or 0)


def moderators(cache: Cache) -> list[str]:
    """Everyone who granted or sent an award event, by name (for a filter's choices)."""
    with cache.read() as connection:
        found = connection.exec_driver_sql(
            "SELECT DISTINCT granted_by FROM awards WHERE granted_by != ''"
            " UNION SELECT DISTINCT actor FROM actions"
            "  WHERE kind IN ('award', 'revoke') AND actor IS NOT NULL AND actor != ''"
            " ORDER BY 1"
        )
        return [row[0] for row in found]


def _event(row: Sequence[Any], names: dict[str, str]) -> AwardEvent:
    (
        at,
        rank,
        ident,
        kind,
        source,
        member_id,
        username,
        display_name,
        badge_id,
        title,
        who,
        reason,
        batch_id,
        award_id,
        action_id,
    ) = row
    if username:
        member = f"{display_name} (@{username})" if display_name else f"@{username}"
    else:
        member = _("member #{id}").format(id=member_id)
    return AwardEvent(
        when=from_epoch(at),
        kind=EventKind(kind),
        source=EventSource(source),
        member_id=member_id,
        member=member,
        badge_id=badge_id,
        badge=title or _("badge #{id}").format(id=badge_id),
        who=who or "",
        reason=reason or "",
        batch=names.get(batch_id, "") if batch_id else "",
        batch_id=batch_id,
        award_id=award_id,
        action_id=action_id,
        position=(at, rank, ident),
    )
