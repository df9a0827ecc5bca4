"""What the sandbox's own database says: the witness of the exactly-once tests, behind the API's back."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.server import DATABASE_NAME


def server_db(process: SandboxProcess) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{process.data_dir / DATABASE_NAME}?mode=ro", uri=True)


def award_rows(process: SandboxProcess, badge_id: int) -> dict[int, int]:
    """Award rows per member for a badge, revoked ones included (a double apply shows as 2)."""
    with server_db(process) as db:
        rows = db.execute(
            "SELECT member_id, COUNT(*) FROM awards WHERE badge_id = ? GROUP BY member_id", (badge_id,)
        )
        return dict(rows.fetchall())


def active_holders(process: SandboxProcess, badge_id: int) -> set[int]:
    with server_db(process) as db:
        rows = db.execute(
            "SELECT member_id FROM awards WHERE badge_id = ? AND revoked_at IS NULL", (badge_id,)
        )
        return {r[0] for r in rows}


def messages_to(process: SandboxProcess, member_id: int) -> list[str]:
    """The messages the server "sent" the member (award and revoke messages), oldest first."""
    with server_db(process) as db:
        rows = db.execute("SELECT body FROM messages WHERE member_id = ? ORDER BY id", (member_id,))
        return [str(r[0]) for r in rows]


def idempotency_keys(process: SandboxProcess) -> set[str]:
    with server_db(process) as db:
        return {r[0] for r in db.execute("SELECT key FROM idempotency")}


def likes_received(process: SandboxProcess, starts: datetime, ends: datetime) -> list[tuple[int, int]]:
    """(member id, likes their posts received in ``[starts, ends)``), most first, then by id:
    a leaderboard counted by hand from the sandbox's activity (deleted members left out)."""
    with server_db(process) as db:
        rows = db.execute(
            "SELECT p.member_id, COUNT(*) AS n FROM activity_likes l"
            " JOIN activity_posts p ON p.id = l.post_id JOIN members m ON m.id = p.member_id"
            " WHERE l.created_at >= ? AND l.created_at < ?"
            " AND m.status != 'deleted' GROUP BY p.member_id ORDER BY n DESC, p.member_id",
            (int(starts.timestamp()), int(ends.timestamp())),
        )
        return [(int(a), int(b)) for a, b in rows]
