"""Members' badge requests in the sandbox: listing, asking, and deciding a request with its duplicates.

A decision settles a request and its duplicates (same member, same badge) all
together or not at all, and an approval awards the badge by the award rules
of ``awards.py``. ``_decide`` runs inside a transaction its caller opened.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

from desktop.dialects.badgedesk_v1.wire import (
    DecisionIn,
    DecisionOut,
    RequestCreateIn,
    RequestOut,
    RequestPage,
    iso,
)
from desktop.domain import BadgeState, Decision, MemberStatus, RequestState
from desktop.sandbox.store.awards import AwardTable
from desktop.sandbox.store.errors import DecisionConflict, StoreError
from desktop.sandbox.store.records import keyset_page, parse_cursor, request_record
from desktop.sandbox.store.schema import REQUEST_COLUMNS

RequestFilter = Literal["pending", "decided", "all"]


class RequestTable(AwardTable):
    """The ``requests`` table (and the awards an approval grants).

    Thread safety: any thread (see ``StoreDatabase``).
    """

    def requests_page(
        self,
        *,
        state: RequestFilter,
        badge_id: int | None,
        member_id: int | None,
        cursor: str | None,
        limit: int,
    ) -> RequestPage:
        after = parse_cursor(cursor)
        where = ["id > ?"]
        params: list[Any] = [after]
        if state == "pending":
            where.append("state = 'pending'")
        elif state == "decided":
            where.append("state != 'pending'")
        if badge_id is not None:
            where.append("badge_id = ?")
            params.append(badge_id)
        if member_id is not None:
            where.append("member_id = ?")
            params.append(member_id)
        params.append(limit + 1)
        rows = (
            self._conn()
            .execute(
                f"SELECT {REQUEST_COLUMNS} FROM requests WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
                params,
            )
            .fetchall()
        )
        items, next_cursor = keyset_page(rows, limit, request_record)
        return RequestPage(items=items, next_cursor=next_cursor)

    def request(self, request_id: int) -> RequestOut | None:
        row = (
            self._conn()
            .execute(f"SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?", (request_id,))
            .fetchone()
        )
        return None if row is None else request_record(row)

    def create_request(self, member_id: int, body: RequestCreateIn) -> RequestOut:
        with self._write() as conn:
            member = conn.execute("SELECT status FROM members WHERE id = ?", (member_id,)).fetchone()
            if member is None or member[0] == MemberStatus.DELETED:
                raise StoreError(403, "forbidden", "This account no longer exists.")
            if member[0] == MemberStatus.SUSPENDED:
                raise StoreError(403, "forbidden", "Suspended members cannot request badges.")
            badge = conn.execute("SELECT state, title FROM badges WHERE id = ?", (body.badge_id,)).fetchone()
            if badge is None:
                raise StoreError(404, "not_found", f"No badge with id {body.badge_id}.")
            if not BadgeState(badge[0]).awardable:
                raise StoreError(
                    422, "badge_not_awardable", f"The badge {badge[1]!r} cannot be requested ({badge[0]})."
                )
            if self._active_award(conn, member_id, body.badge_id) is not None:
                raise StoreError(409, "already_held", f"You already hold the badge {badge[1]!r}.")
            cur = conn.execute(
                "INSERT INTO requests (member_id, badge_id, note, evidence_url, created_at, state,"
                " version, seq) VALUES (?, ?, ?, ?, ?, 'pending', 1, ?)",
                (member_id, body.badge_id, body.note, body.evidence_url, self._now(), self._next_seq(conn)),
            )
            self._bump(conn, "pending_requests", 1)
            row = conn.execute(
                f"SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?", (cur.lastrowid,)
            ).fetchone()
            return request_record(row)

    def _decide(
        self,
        conn: sqlite3.Connection,
        request_id: int,
        body: DecisionIn,
        *,
        expected_version: int,
        moderator: str,
    ) -> DecisionOut:
        """Decide a pending request and its duplicates; approval also awards the badge unless held.

        All of them or none: when any was decided meanwhile or changed, nothing
        is written and the conflict names it. The member gets one message: the
        award message for an approval, ``body.message`` for a denial or return.
        """
        wanted = [(request_id, expected_version)] + [
            (d.id, d.version) for d in body.duplicates if d.id != request_id
        ]
        requests: list[RequestOut] = []
        for wanted_id, version in wanted:
            row = conn.execute(
                f"SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?", (wanted_id,)
            ).fetchone()
            if row is None:
                raise StoreError(404, "not_found", f"No request with id {wanted_id}.")
            current = request_record(row)
            self._check_pending(current, version)
            if requests and (current.member_id, current.badge_id) != (
                requests[0].member_id,
                requests[0].badge_id,
            ):
                raise StoreError(
                    422,
                    "not_a_duplicate",
                    f"Request #{current.id} is not a duplicate of request #{request_id}.",
                )
            requests.append(current)
        primary = requests[0]
        award_id = None
        if body.decision is Decision.APPROVE:
            award_id = self._award_for_request(conn, primary, body, moderator)
        elif body.message:
            conn.execute(
                "INSERT INTO messages (member_id, body, created_at) VALUES (?, ?, ?)",
                (primary.member_id, body.message, self._now()),
            )
        decided: list[RequestOut] = []
        for request in requests:
            reason = body.reason
            if request is not primary:
                reason = f"Duplicate of request #{primary.id}. {body.reason}".strip()
            conn.execute(
                "UPDATE requests SET state = ?, decided_by = ?, decided_at = ?, reason = ?,"
                " version = version + 1, seq = ? WHERE id = ?",
                (
                    body.decision.resulting_state.value,
                    moderator,
                    self._now(),
                    reason,
                    self._next_seq(conn),
                    request.id,
                ),
            )
            row = conn.execute(
                f"SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?", (request.id,)
            ).fetchone()
            decided.append(request_record(row))
        self._bump(conn, "pending_requests", -len(requests))
        return DecisionOut(**decided[0].model_dump(), duplicates=decided[1:], award_id=award_id)

    @staticmethod
    def _check_pending(current: RequestOut, expected_version: int) -> None:
        if current.state is not RequestState.PENDING:
            when = iso(current.decided_at) if current.decided_at else "an unknown time"
            raise DecisionConflict(
                f"Request #{current.id} was already {current.state.value} by"
                f" {current.decided_by or 'someone'} at {when}.",
                current,
            )
        if current.version != expected_version:
            raise DecisionConflict(
                f"Request #{current.id} changed meanwhile (version {current.version},"
                f" you had {expected_version}).",
                current,
            )

    def _award_for_request(
        self, conn: sqlite3.Connection, request: RequestOut, body: DecisionIn, moderator: str
    ) -> int | None:
        member = conn.execute(
            "SELECT status, display_name FROM members WHERE id = ?", (request.member_id,)
        ).fetchone()
        badge = conn.execute("SELECT state, title FROM badges WHERE id = ?", (request.badge_id,)).fetchone()
        if member is None or member[0] == MemberStatus.DELETED:
            raise StoreError(422, "not_found", "The member who asked no longer exists; deny the request.")
        if member[0] == MemberStatus.SUSPENDED:
            raise StoreError(
                422, "member_suspended", f"{member[1]} is suspended; the badge cannot be awarded."
            )
        if badge is None or not BadgeState(badge[0]).awardable:
            raise StoreError(422, "badge_not_awardable", "The badge can no longer be awarded.")
        if self._active_award(conn, request.member_id, request.badge_id) is not None:
            return None
        award = self._grant(
            conn,
            member_id=request.member_id,
            member_name=member[1],
            badge_id=request.badge_id,
            granted_by=moderator,
            reason=body.reason or f"Request #{request.id} approved.",
            notify=True,
            message=body.message,
        )
        return award.id
