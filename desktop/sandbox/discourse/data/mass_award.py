"""Mass award's data side: matching CSV entries to users, and the grants its jobs make.

``BadgeGranter.enqueue_mass_grant_for_users`` matches usernames and emails
(lower-cased), counts one grant per user (or one per line with
``grant_existing_holders``), skips users who hold the badge already (unless
granting again); ``BadgeGranter.mass_grant`` then inserts that many grants as
the system user, each with the next ``seq``. ``revoke_all`` takes every grant.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.sandbox.discourse.data.base import DiscourseBase
from desktop.sandbox.discourse.data.schema import SYSTEM_USER_ID, SYSTEM_USERNAME, store_badge_id


@dataclass(frozen=True, slots=True)
class MassAwardPlan:
    """Who gets how many grants, and the entries no user matched. Immutable; any thread."""

    counts: dict[int, int]
    matched_users: int
    unmatched: list[str]


class MassAwardData(DiscourseBase):
    """Mass award's reads and writes. Thread safety: any thread (see ``StoreDatabase``)."""

    def plan_mass_award(
        self, badge_id: int, entries: list[str], *, grant_existing_holders: bool
    ) -> MassAwardPlan:
        conn = self._conn()
        ids: dict[str, int] = {}
        for entry in dict.fromkeys(entries):
            column = "email_fold" if "@" in entry else "username_fold"
            row = conn.execute(
                f"SELECT id FROM members WHERE {column} = ? AND status != 'deleted' ORDER BY id LIMIT 1",
                (entry.casefold(),),
            ).fetchone()
            if row is not None:
                ids[entry] = int(row[0])
        counts: dict[int, int] = {}
        unmatched: list[str] = []
        for entry in entries:
            user_id = ids.get(entry)
            if user_id is None:
                if entry not in unmatched:
                    unmatched.append(entry)
                continue
            counts[user_id] = counts.get(user_id, 0) + 1 if grant_existing_holders else 1
        matched = len(counts)
        if not grant_existing_holders:
            holders = {
                int(r[0])
                for r in conn.execute(
                    "SELECT DISTINCT member_id FROM awards WHERE badge_id = ? AND revoked_at IS NULL",
                    (store_badge_id(badge_id),),
                )
            }
            counts = {user_id: n for user_id, n in counts.items() if user_id not in holders}
        return MassAwardPlan(counts=counts, matched_users=matched, unmatched=unmatched)

    def mass_grant(self, badge_id: int, user_id: int, count: int) -> None:
        """One member's job: ``count`` grants as the system user (nothing if the badge was disabled)."""
        store_id = store_badge_id(badge_id)
        with self._write() as conn:
            badge = conn.execute("SELECT state FROM badges WHERE id = ?", (store_id,)).fetchone()
            member = conn.execute("SELECT status FROM members WHERE id = ?", (user_id,)).fetchone()
            if badge is None or badge[0] != "published" or member is None or member[0] == "deleted":
                return
            top = conn.execute(
                "SELECT MAX(COALESCE(x.grant_seq, 0)) FROM awards a LEFT JOIN dc_user_badges x"
                " ON x.award_id = a.id WHERE a.member_id = ? AND a.badge_id = ? AND a.revoked_at IS NULL",
                (user_id, store_id),
            ).fetchone()[0]
            seq = -1 if top is None else int(top)
            now = self._now()
            for _ in range(count):
                seq += 1
                cur = conn.execute(
                    "INSERT INTO awards (member_id, badge_id, granted_at, granted_by, reason, seq)"
                    " VALUES (?, ?, ?, ?, '', ?)",
                    (user_id, store_id, now, SYSTEM_USERNAME, 0 if store_id <= 0 else self._next_seq(conn)),
                )
                conn.execute(
                    "INSERT INTO dc_user_badges (award_id, post_id, grant_seq, granted_by_id)"
                    " VALUES (?, NULL, ?, ?)",
                    (cur.lastrowid, seq, SYSTEM_USER_ID),
                )
            if store_id > 0:
                self._bump(conn, "awards", count)

    def revoke_all(self, badge_id: int, *, revoked_by: str) -> int:
        """``BadgeGranter.revoke_all``: every grant of the badge goes; how many there were."""
        store_id = store_badge_id(badge_id)
        with self._write() as conn:
            grants = [
                int(r[0])
                for r in conn.execute(
                    "SELECT id FROM awards WHERE badge_id = ? AND revoked_at IS NULL", (store_id,)
                )
            ]
            now = self._now()
            for grant_id in grants:
                conn.execute(
                    "UPDATE awards SET revoked_at = ?, revoked_by = ?,"
                    " revoke_reason = 'Replaced by a mass award.',"
                    " seq = ? WHERE id = ?",
                    (now, revoked_by, 0 if store_id <= 0 else self._next_seq(conn), grant_id),
                )
            if store_id > 0:
                self._bump(conn, "awards", -len(grants))
            return len(grants)
