"""The sandbox's own SQLite database: schema, queries and mutations.

Every row of members, badges, awards and requests carries ``seq``, a position in
one global change sequence. Each write takes the next number, so the changes
feed is simply "rows with ``seq`` greater than the cursor". Awards are never
deleted; revoking one stamps ``revoked_at`` and moves it forward in the
sequence, which is how the feed reports revocations.

Timestamps are stored as integer Unix seconds (UTC): cheap to generate for a
million seeded members, and the API only promises seconds precision anyway.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from desktop.dialects.badgedesk_v1.wire import (
    AwardOut,
    AwardPage,
    BadgeCreateIn,
    BadgeOut,
    BadgePage,
    BadgeUpdateIn,
    BatchAwardItem,
    BatchItemResult,
    BatchRevokeItem,
    ChangesPage,
    Counts,
    DecisionIn,
    DecisionOut,
    ImageData,
    MemberOut,
    MemberPage,
    RequestCreateIn,
    RequestOut,
    RequestPage,
    iso,
)
from desktop.domain import AwardOutcome, BadgeState, Decision, Drift, MemberStatus, RequestState

_Item = TypeVar("_Item", BatchAwardItem, BatchRevokeItem)
#: What one award or revoke did: its outcome, the award concerned, and what stopped it.
_Applied = tuple[AwardOutcome, AwardOut | None, Drift | None]

TABLES_SQL = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    last_seen_at INTEGER,
    status TEXT NOT NULL,
    groups TEXT NOT NULL,
    username_fold TEXT NOT NULL,
    display_fold TEXT NOT NULL,
    email_fold TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE TABLE badges (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    criteria TEXT NOT NULL,
    tier TEXT NOT NULL,
    category TEXT NOT NULL,
    state TEXT NOT NULL,
    award_message TEXT NOT NULL,
    version INTEGER NOT NULL,
    image BLOB,
    image_media_type TEXT,
    updated_at INTEGER NOT NULL,
    seq INTEGER NOT NULL
);
CREATE TABLE awards (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL,
    badge_id INTEGER NOT NULL,
    granted_at INTEGER NOT NULL,
    granted_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT,
    revoke_reason TEXT,
    seq INTEGER NOT NULL
);
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL,
    badge_id INTEGER NOT NULL,
    note TEXT NOT NULL,
    evidence_url TEXT,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    reason TEXT,
    seq INTEGER NOT NULL
);
CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
    token_sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('moderator', 'member')),
    member_id INTEGER
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
"""

# Built after the bulk insert of the seed: one sort per index beats
# maintaining them row by row.
INDEXES_SQL = """
CREATE INDEX members_seq ON members (seq);
CREATE INDEX members_username_fold ON members (username_fold);
CREATE INDEX members_display_fold ON members (display_fold);
CREATE INDEX members_email_fold ON members (email_fold);
CREATE UNIQUE INDEX badges_slug ON badges (slug);
CREATE INDEX badges_seq ON badges (seq);
CREATE UNIQUE INDEX awards_active ON awards (member_id, badge_id) WHERE revoked_at IS NULL;
CREATE INDEX awards_badge ON awards (badge_id, id) WHERE revoked_at IS NULL;
CREATE INDEX awards_seq ON awards (seq);
CREATE INDEX requests_state ON requests (state, id);
CREATE INDEX requests_seq ON requests (seq);
"""

MEMBER_COLUMNS = "id, username, display_name, email, joined_at, last_seen_at, status, groups"
BADGE_COLUMNS = (
    "id, slug, title, description, criteria, tier, category, state, award_message, version, "
    "image, image_media_type, updated_at"
)
AWARD_COLUMNS = "id, member_id, badge_id, granted_at, granted_by, reason, revoked_at"
REQUEST_COLUMNS = (
    "id, member_id, badge_id, note, evidence_url, created_at, state, version, decided_by, decided_at, reason"
)

Role = Literal["moderator", "member"]
RequestFilter = Literal["pending", "decided", "all"]


class StoreError(Exception):
    """A refusal the API reports as an error body.

    ``status`` is the HTTP status the sandbox answers with; the store is the
    API's implementation, so it decides that here rather than in every caller.
    """

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


class DecisionConflict(StoreError):
    """The request was decided meanwhile, or the caller's version is stale."""

    def __init__(self, message: str, current: RequestOut) -> None:
        super().__init__(409, "conflict", message)
        self.current = current


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a bearer token belongs to. Immutable; any thread."""

    name: str
    role: Role
    member_id: int | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _ts(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _opt_ts(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _member(row: Sequence[Any]) -> MemberOut:
    return MemberOut(
        id=row[0],
        username=row[1],
        display_name=row[2],
        email=row[3],
        joined_at=_ts(row[4]),
        last_seen_at=_opt_ts(row[5]),
        status=MemberStatus(row[6]),
        groups=row[7].split(",") if row[7] else [],
    )


def _badge(row: Sequence[Any]) -> BadgeOut:
    image = None
    if row[10] is not None:
        image = ImageData(media_type=row[11], data_base64=base64.b64encode(row[10]).decode("ascii"))
    return BadgeOut(
        id=row[0],
        slug=row[1],
        title=row[2],
        description=row[3],
        criteria=row[4],
        tier=row[5],
        category=row[6],
        state=BadgeState(row[7]),
        award_message=row[8],
        version=row[9],
        image=image,
        updated_at=_ts(row[12]),
    )


def _award(row: Sequence[Any]) -> AwardOut:
    return AwardOut(
        id=row[0],
        member_id=row[1],
        badge_id=row[2],
        granted_at=_ts(row[3]),
        granted_by=row[4],
        reason=row[5],
        revoked_at=_opt_ts(row[6]),
    )


def _request(row: Sequence[Any]) -> RequestOut:
    return RequestOut(
        id=row[0],
        member_id=row[1],
        badge_id=row[2],
        note=row[3],
        evidence_url=row[4],
        created_at=_ts(row[5]),
        state=RequestState(row[6]),
        version=row[7],
        decided_by=row[8],
        decided_at=_opt_ts(row[9]),
        reason=row[10],
    )


_Row = TypeVar("_Row")


def _keyset_page(
    rows: Sequence[Sequence[Any]], limit: int, convert: Callable[[Sequence[Any]], _Row]
) -> tuple[list[_Row], str | None]:
    """Rows fetched with ``LIMIT limit + 1``, ordered by id (column 0): the
    page's items, and the cursor to the next page when there is one."""
    page = rows[:limit]
    next_cursor = str(page[-1][0]) if len(rows) > limit else None
    return [convert(r) for r in page], next_cursor


def parse_cursor(cursor: str | None) -> int:
    """Cursors are decimal positions; anything else is the caller's mistake."""
    if cursor is None or cursor == "":
        return 0
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise StoreError(400, "bad_cursor", f"Not a cursor this server issued: {cursor!r}")
    return int(cursor)


def _prefix_range(prefix: str) -> tuple[str, str]:
    # BINARY collation compares UTF-8 bytes, i.e. code points, so every string
    # starting with `prefix` sorts below prefix + the highest code point.
    return prefix, prefix + "\U0010ffff"


def render_message(
    template: str, *, member: str, badge: str, community: str, username: str = "", date: str = ""
) -> str:
    """Fill an award-message template; unknown placeholders are left as written."""
    values = {"member": member, "badge": badge, "community": community, "username": username, "date": date}

    class _Keep(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return template.format_map(_Keep(values))
    except (ValueError, IndexError):
        # A stray brace in a moderator's text must not fail the award.
        return template


class SandboxStore:
    """All reads and writes of the sandbox database.

    Thread safety: any thread. Each thread gets its own connection (WAL lets
    readers run beside the writer); writes are serialised by one lock and run
    in ``BEGIN IMMEDIATE`` transactions.
    """

    def __init__(
        self, path: Path, *, community_name: str = "Sandbox", clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.community_name = community_name
        self._clock = clock
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._closed = False
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")

    # --- connections and transactions ---------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise RuntimeError("the sandbox store is closed")
            # check_same_thread=False only so close() may close every thread's
            # connection; each connection is still used by its own thread alone.
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=OFF")
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        # One deferred transaction gives multi-query reads a single snapshot.
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        self._closed = True
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    def _now(self) -> int:
        return int(self._clock())

    @staticmethod
    def _next_seq(conn: sqlite3.Connection) -> int:
        row = conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value").fetchone()
        return int(row[0])

    @staticmethod
    def _bump(conn: sqlite3.Connection, key: str, delta: int) -> None:
        conn.execute("UPDATE meta SET value = value + ? WHERE key = ?", (delta, key))

    # --- tokens ---------------------------------------------------------------

    def add_token(self, token: str, *, name: str, role: Role, member_id: int | None) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO tokens (token_sha256, name, role, member_id) VALUES (?, ?, ?, ?)",
                (token_hash(token), name, role, member_id),
            )

    def revoke_token(self, token: str) -> bool:
        """Forget ``token``; whether it was known. (A demo token comes back at the next start.)"""
        with self._write() as conn:
            deleted = conn.execute("DELETE FROM tokens WHERE token_sha256 = ?", (token_hash(token),))
            return deleted.rowcount == 1

    def principal(self, token: str) -> Principal | None:
        row = (
            self._conn()
            .execute("SELECT name, role, member_id FROM tokens WHERE token_sha256 = ?", (token_hash(token),))
            .fetchone()
        )
        if row is None:
            return None
        return Principal(name=row[0], role=row[1], member_id=row[2])

    def demo_members(self) -> dict[str, tuple[int, str]]:
        """Members the demo tokens belong to: two ordinary ones and a suspended one."""
        conn = self._conn()
        active = conn.execute(
            "SELECT id, display_name FROM members WHERE status = 'active' AND groups = '' ORDER BY id LIMIT 2"
        ).fetchall()
        suspended = conn.execute(
            "SELECT id, display_name FROM members WHERE status = 'suspended' ORDER BY id LIMIT 1"
        ).fetchall()
        found: dict[str, tuple[int, str]] = {}
        for key, row in zip(("member", "member2"), active, strict=False):
            found[key] = (row[0], row[1])
        if suspended:
            found["member_suspended"] = (suspended[0][0], suspended[0][1])
        return found

    # --- community ------------------------------------------------------------

    def counts(self) -> tuple[Counts, int]:
        """The community's counts and the current change position, from one snapshot."""
        with self._read() as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        counts = Counts(
            members=meta.get("members", 0),
            badges=meta.get("badges", 0),
            awards=meta.get("awards", 0),
            requests=meta.get("pending_requests", 0),
        )
        return counts, meta.get("seq", 0)

    def seeded_with(self) -> tuple[int, int]:
        """The ``(members, seed)`` this database was seeded with."""
        meta = dict(self._conn().execute("SELECT key, value FROM meta").fetchall())
        return int(meta.get("seed_members", 0)), int(meta.get("seed", 0))

    def current_seq(self) -> int:
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        return int(row[0]) if row else 0

    # --- members --------------------------------------------------------------

    def members_page(self, *, cursor: str | None, limit: int, q: str | None) -> MemberPage:
        after = parse_cursor(cursor)
        params: list[Any] = [after]
        where = "id > ?"
        if q:
            folded = q.casefold()
            lo, hi = _prefix_range(folded)
            if len(folded) >= 3:
                # Long prefixes match few members: collect them from the three
                # indexes. Short ones match many, and walking ids in order finds
                # a page sooner than sorting a huge union (measured at 1M members).
                where += (
                    " AND id IN (SELECT id FROM members WHERE username_fold >= ? AND username_fold < ?"
                    " UNION ALL SELECT id FROM members WHERE display_fold >= ? AND display_fold < ?"
                    " UNION ALL SELECT id FROM members WHERE email_fold >= ? AND email_fold < ?)"
                )
            else:
                where += (
                    " AND ((username_fold >= ? AND username_fold < ?)"
                    " OR (display_fold >= ? AND display_fold < ?) OR (email_fold >= ? AND email_fold < ?))"
                )
            params += [lo, hi, lo, hi, lo, hi]
        params.append(limit + 1)
        rows = (
            self._conn()
            .execute(f"SELECT {MEMBER_COLUMNS} FROM members WHERE {where} ORDER BY id LIMIT ?", params)
            .fetchall()
        )
        items, next_cursor = _keyset_page(rows, limit, _member)
        return MemberPage(items=items, next_cursor=next_cursor)

    def member(self, member_id: int) -> MemberOut | None:
        row = (
            self._conn()
            .execute(f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,))
            .fetchone()
        )
        return None if row is None else _member(row)

    def set_member_status(self, member_id: int, status: MemberStatus) -> MemberOut:
        """Suspend, unsuspend or delete a member, as another moderator or an admin would.

        A deletion is soft (the row stays with the status ``deleted``, awards
        and all) so the changes feed can report it; it cannot be undone.
        Setting the status a member already has changes nothing.
        """
        with self._write() as conn:
            row = conn.execute(f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,)).fetchone()
            if row is None:
                raise StoreError(404, "not_found", f"No member with id {member_id}.")
            current = MemberStatus(row[6])
            if current is status:
                return _member(row)
            if current is MemberStatus.DELETED:
                raise StoreError(
                    409, "member_deleted", f"Member {member_id} was deleted; a deleted member stays deleted."
                )
            conn.execute(
                "UPDATE members SET status = ?, seq = ? WHERE id = ?",
                (status.value, self._next_seq(conn), member_id),
            )
            row = conn.execute(f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,)).fetchone()
            return _member(row)

    # --- badges ---------------------------------------------------------------

    def badges_page(self, *, cursor: str | None, limit: int) -> BadgePage:
        after = parse_cursor(cursor)
        rows = (
            self._conn()
            .execute(
                f"SELECT {BADGE_COLUMNS} FROM badges WHERE id > ? ORDER BY id LIMIT ?", (after, limit + 1)
            )
            .fetchall()
        )
        items, next_cursor = _keyset_page(rows, limit, _badge)
        return BadgePage(items=items, next_cursor=next_cursor)

    def badge(self, badge_id: int) -> BadgeOut | None:
        row = self._conn().execute(f"SELECT {BADGE_COLUMNS} FROM badges WHERE id = ?", (badge_id,)).fetchone()
        return None if row is None else _badge(row)

    @staticmethod
    def _badge_row(conn: sqlite3.Connection, badge_id: int) -> BadgeOut:
        row = conn.execute(f"SELECT {BADGE_COLUMNS} FROM badges WHERE id = ?", (badge_id,)).fetchone()
        if row is None:
            raise StoreError(404, "not_found", f"No badge with id {badge_id}.")
        return _badge(row)

    def create_badge(self, body: BadgeCreateIn, image: tuple[bytes, str] | None) -> BadgeOut:
        now = self._now()
        with self._write() as conn:
            if body.idempotency_key is not None:
                stored = self._replay(conn, body.idempotency_key, "badge create")
                if stored is not None:
                    return BadgeOut.model_validate_json(stored)
            if conn.execute("SELECT 1 FROM badges WHERE slug = ?", (body.slug,)).fetchone():
                raise StoreError(409, "conflict", f"A badge with the slug {body.slug!r} already exists.")
            seq = self._next_seq(conn)
            cur = conn.execute(
                "INSERT INTO badges (slug, title, description, criteria, tier, category, state,"
                " award_message, version, image, image_media_type, updated_at, seq)"
                " VALUES (?,?,?,?,?,?,?,?,1,?,?,?,?)",
                (
                    body.slug,
                    body.title,
                    body.description,
                    body.criteria,
                    body.tier,
                    body.category,
                    body.state.value,
                    body.award_message,
                    image[0] if image else None,
                    image[1] if image else None,
                    now,
                    seq,
                ),
            )
            self._bump(conn, "badges", 1)
            assert cur.lastrowid is not None
            created = self._badge_row(conn, cur.lastrowid)
            if body.idempotency_key is not None:
                self._remember(conn, body.idempotency_key, "badge create", created.model_dump_json())
            return created

    def _check_version(self, current: BadgeOut, if_match: int | None) -> None:
        if if_match is not None and if_match != current.version:
            raise StoreError(
                409,
                "conflict",
                f"Badge {current.id} is at version {current.version}, not {if_match}; reload and retry.",
            )

    def update_badge(
        self, badge_id: int, body: BadgeUpdateIn, image: tuple[bytes, str] | None, *, if_match: int | None
    ) -> BadgeOut:
        changes: dict[str, Any] = {
            name: getattr(body, name)
            for name in ("title", "description", "criteria", "tier", "category", "award_message")
            if getattr(body, name) is not None
        }
        if image is not None:
            changes["image"], changes["image_media_type"] = image
        with self._write() as conn:
            if body.idempotency_key is not None:
                stored = self._replay(conn, body.idempotency_key, "badge update")
                if stored is not None:
                    return BadgeOut.model_validate_json(stored)
            current = self._badge_row(conn, badge_id)
            self._check_version(current, if_match)
            changes["updated_at"] = self._now()
            changes["seq"] = self._next_seq(conn)
            assignments = ", ".join(f"{name} = ?" for name in changes)
            conn.execute(
                f"UPDATE badges SET {assignments}, version = version + 1 WHERE id = ?",
                [*changes.values(), badge_id],
            )
            updated = self._badge_row(conn, badge_id)
            if body.idempotency_key is not None:
                self._remember(conn, body.idempotency_key, "badge update", updated.model_dump_json())
            return updated

    def set_badge_state(
        self, badge_id: int, state: BadgeState, *, if_match: int | None, idempotency_key: str | None = None
    ) -> BadgeOut:
        with self._write() as conn:
            if idempotency_key is not None:
                stored = self._replay(conn, idempotency_key, "badge state")
                if stored is not None:
                    return BadgeOut.model_validate_json(stored)
            current = self._badge_row(conn, badge_id)
            self._check_version(current, if_match)
            if current.state is state:
                return current
            if state is BadgeState.DRAFT:
                raise StoreError(
                    422, "invalid_transition", "A badge that left draft cannot go back to draft."
                )
            conn.execute(
                "UPDATE badges SET state = ?, version = version + 1, updated_at = ?, seq = ? WHERE id = ?",
                (state.value, self._now(), self._next_seq(conn), badge_id),
            )
            changed = self._badge_row(conn, badge_id)
            if idempotency_key is not None:
                self._remember(conn, idempotency_key, "badge state", changed.model_dump_json())
            return changed

    # --- awards ---------------------------------------------------------------

    def awards_page(
        self, *, badge_id: int | None, member_id: int | None, cursor: str | None, limit: int
    ) -> AwardPage:
        after = parse_cursor(cursor)
        where = ["revoked_at IS NULL", "id > ?"]
        params: list[Any] = [after]
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
                f"SELECT {AWARD_COLUMNS} FROM awards WHERE {' AND '.join(where)} ORDER BY id LIMIT ?", params
            )
            .fetchall()
        )
        items, next_cursor = _keyset_page(rows, limit, _award)
        return AwardPage(items=items, next_cursor=next_cursor)

    @staticmethod
    def _replay(conn: sqlite3.Connection, key: str, kind: str) -> str | None:
        row = conn.execute("SELECT kind, result FROM idempotency WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        if row[0] != kind:
            raise StoreError(
                422, "idempotency_key_reused", f"The idempotency key {key!r} was already used for a {row[0]}."
            )
        return str(row[1])

    def _remember(self, conn: sqlite3.Connection, key: str, kind: str, result: str) -> None:
        conn.execute(
            "INSERT INTO idempotency (key, kind, result, created_at) VALUES (?, ?, ?, ?)",
            (key, kind, result, self._now()),
        )

    def _active_award(self, conn: sqlite3.Connection, member_id: int, badge_id: int) -> AwardOut | None:
        row = conn.execute(
            f"SELECT {AWARD_COLUMNS} FROM awards WHERE member_id = ? AND badge_id = ? AND revoked_at IS NULL",
            (member_id, badge_id),
        ).fetchone()
        return None if row is None else _award(row)

    def _grant(
        self,
        conn: sqlite3.Connection,
        *,
        member_id: int,
        member_name: str,
        badge_id: int,
        granted_by: str,
        reason: str,
        notify: bool,
        message: str | None,
    ) -> AwardOut:
        now = self._now()
        cur = conn.execute(
            "INSERT INTO awards (member_id, badge_id, granted_at, granted_by, reason, seq)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (member_id, badge_id, now, granted_by, reason, self._next_seq(conn)),
        )
        self._bump(conn, "awards", 1)
        if notify:
            self._send_award_message(conn, member_id, member_name, badge_id, message, now)
        row = conn.execute(f"SELECT {AWARD_COLUMNS} FROM awards WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _award(row)

    def _send_award_message(
        self,
        conn: sqlite3.Connection,
        member_id: int,
        member_name: str,
        badge_id: int,
        message: str | None,
        now: int,
    ) -> None:
        title, template = conn.execute(
            "SELECT title, award_message FROM badges WHERE id = ?", (badge_id,)
        ).fetchone()
        username = conn.execute("SELECT username FROM members WHERE id = ?", (member_id,)).fetchone()
        body = render_message(
            message if message is not None else template,
            member=member_name,
            badge=title,
            community=self.community_name,
            username=username[0] if username else "",
            date=f"{datetime.fromtimestamp(now, UTC):%d %B %Y}".lstrip("0"),
        )
        conn.execute(
            "INSERT INTO messages (member_id, body, created_at) VALUES (?, ?, ?)", (member_id, body, now)
        )

    def award_batch(self, items: Sequence[BatchAwardItem], *, granted_by: str) -> list[BatchItemResult]:
        """Apply every item in one transaction; a key seen before returns its first result."""
        return self._apply_batch(items, "award", lambda conn, item: self._award_one(conn, item, granted_by))

    def _award_one(self, conn: sqlite3.Connection, item: BatchAwardItem, granted_by: str) -> _Applied:
        # Checked in the order the API documents for `condition`.
        member = conn.execute(
            "SELECT status, display_name FROM members WHERE id = ?", (item.member_id,)
        ).fetchone()
        badge = conn.execute("SELECT state FROM badges WHERE id = ?", (item.badge_id,)).fetchone()
        if member is None or member[0] == MemberStatus.DELETED:
            return AwardOutcome.NOT_FOUND, None, Drift.MEMBER_GONE
        if badge is None:
            return AwardOutcome.NOT_FOUND, None, Drift.BADGE_GONE
        if member[0] == MemberStatus.SUSPENDED and not item.force:
            return AwardOutcome.MEMBER_SUSPENDED, None, Drift.MEMBER_SUSPENDED
        state = BadgeState(badge[0])
        # A moderator may override a disabled badge (paused), never a draft
        # (not yet real) or a discontinued one (retired for good).
        if state is BadgeState.DISABLED and not item.force:
            return AwardOutcome.BADGE_NOT_AWARDABLE, None, Drift.BADGE_DISABLED
        if state in (BadgeState.DRAFT, BadgeState.DISCONTINUED):
            return AwardOutcome.BADGE_NOT_AWARDABLE, None, Drift.BADGE_RETIRED
        held = self._active_award(conn, item.member_id, item.badge_id)
        if held is not None:
            # Even with force: an award that exists is never rewritten (its giver,
            # reason and date stay, and the member is not told twice).
            return AwardOutcome.ALREADY_HELD, held, Drift.ALREADY_HELD
        award = self._grant(
            conn,
            member_id=item.member_id,
            member_name=member[1],
            badge_id=item.badge_id,
            granted_by=granted_by,
            reason=item.reason,
            notify=item.notify,
            message=item.message,
        )
        return AwardOutcome.AWARDED, award, None

    def revoke_batch(self, items: Sequence[BatchRevokeItem], *, revoked_by: str) -> list[BatchItemResult]:
        return self._apply_batch(items, "revoke", lambda conn, item: self._revoke_one(conn, item, revoked_by))

    def _apply_batch(
        self,
        items: Sequence[_Item],
        kind: str,
        apply: Callable[[sqlite3.Connection, _Item], _Applied],
    ) -> list[BatchItemResult]:
        results: list[BatchItemResult] = []
        with self._write() as conn:
            for item in items:
                stored = self._replay(conn, item.idempotency_key, kind)
                if stored is not None:
                    first = BatchItemResult.model_validate_json(stored)
                    results.append(first.model_copy(update={"replayed": True}))
                    continue
                outcome, award, condition = apply(conn, item)
                result = BatchItemResult(
                    idempotency_key=item.idempotency_key,
                    outcome=outcome,
                    award=award,
                    replayed=False,
                    condition=condition,
                )
                self._remember(conn, item.idempotency_key, kind, result.model_dump_json())
                results.append(result)
        return results

    def _revoke_one(self, conn: sqlite3.Connection, item: BatchRevokeItem, revoked_by: str) -> _Applied:
        # A deleted member is left as they are; suspensions and badge states do not stop a revoke.
        member = conn.execute("SELECT status FROM members WHERE id = ?", (item.member_id,)).fetchone()
        badge = conn.execute("SELECT 1 FROM badges WHERE id = ?", (item.badge_id,)).fetchone()
        if member is None or member[0] == MemberStatus.DELETED:
            return AwardOutcome.NOT_FOUND, None, Drift.MEMBER_GONE
        if badge is None:
            return AwardOutcome.NOT_FOUND, None, Drift.BADGE_GONE
        held = self._active_award(conn, item.member_id, item.badge_id)
        if held is None:
            return AwardOutcome.NOT_HELD, None, Drift.NOT_HELD
        conn.execute(
            "UPDATE awards SET revoked_at = ?, revoked_by = ?, revoke_reason = ?, seq = ? WHERE id = ?",
            (self._now(), revoked_by, item.reason, self._next_seq(conn), held.id),
        )
        self._bump(conn, "awards", -1)
        row = conn.execute(f"SELECT {AWARD_COLUMNS} FROM awards WHERE id = ?", (held.id,)).fetchone()
        return AwardOutcome.REVOKED, _award(row), None

    # --- requests -------------------------------------------------------------

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
        items, next_cursor = _keyset_page(rows, limit, _request)
        return RequestPage(items=items, next_cursor=next_cursor)

    def request(self, request_id: int) -> RequestOut | None:
        row = (
            self._conn()
            .execute(f"SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?", (request_id,))
            .fetchone()
        )
        return None if row is None else _request(row)

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
            return _request(row)

    def decide(
        self, request_id: int, body: DecisionIn, *, expected_version: int, moderator: str
    ) -> DecisionOut:
        """Decide a pending request and its duplicates; approval also awards the badge unless held.

        All of them or none: when any was decided meanwhile or changed, nothing
        is written and the conflict names it. The member gets one message: the
        award message for an approval, ``body.message`` for a denial or return.
        Only successful decisions are remembered under the idempotency key: a
        refused one changed nothing, so repeating it must be refused again.
        """
        with self._write() as conn:
            if body.idempotency_key is not None:
                stored = self._replay(conn, body.idempotency_key, "decision")
                if stored is not None:
                    return DecisionOut.model_validate_json(stored)
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
                current = _request(row)
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
                decided.append(_request(row))
            self._bump(conn, "pending_requests", -len(requests))
            result = DecisionOut(**decided[0].model_dump(), duplicates=decided[1:], award_id=award_id)
            if body.idempotency_key is not None:
                self._remember(conn, body.idempotency_key, "decision", result.model_dump_json())
            return result

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

    def messages_for(self, member_id: int) -> list[str]:
        """Award messages "sent" to a member, oldest first (the sandbox has no mail)."""
        rows = (
            self._conn()
            .execute("SELECT body FROM messages WHERE member_id = ? ORDER BY id", (member_id,))
            .fetchall()
        )
        return [str(r[0]) for r in rows]

    # --- changes feed ---------------------------------------------------------

    def changes(self, *, since: str | None, limit: int) -> ChangesPage:
        """Entities changed after ``since``, oldest first, at most ``limit`` across all kinds.

        Every row has its own ``seq``, so cutting the merged list at ``limit``
        never splits a position between two pages.
        """
        after = parse_cursor(since)
        with self._read() as conn:
            top = conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0]
            if after > top:
                raise StoreError(
                    400, "bad_cursor", f"Cursor {after} is ahead of this server ({top}); was it reset?"
                )
            fetched: list[tuple[int, str, Sequence[Any]]] = []
            for kind, columns, table in (
                ("members", MEMBER_COLUMNS, "members"),
                ("badges", BADGE_COLUMNS, "badges"),
                ("awards", AWARD_COLUMNS, "awards"),
                ("requests", REQUEST_COLUMNS, "requests"),
            ):
                rows = conn.execute(
                    f"SELECT seq, {columns} FROM {table} WHERE seq > ? ORDER BY seq LIMIT ?",
                    (after, limit + 1),
                ).fetchall()
                fetched.extend((r[0], kind, r[1:]) for r in rows)
        fetched.sort(key=lambda entry: entry[0])
        has_more = len(fetched) > limit
        fetched = fetched[:limit]
        out: dict[str, list[Any]] = {"members": [], "badges": [], "awards": [], "requests": []}
        convert: dict[str, Callable[[Sequence[Any]], Any]] = {
            "members": _member,
            "badges": _badge,
            "awards": _award,
            "requests": _request,
        }
        for _seq, kind, row in fetched:
            out[kind].append(convert[kind](row))
        next_cursor = str(fetched[-1][0]) if fetched else str(after)
        return ChangesPage(
            members=out["members"],
            badges=out["badges"],
            awards=out["awards"],
            requests=out["requests"],
            next_cursor=next_cursor,
            has_more=has_more,
        )


def table_digest(path: Path, table: str) -> str:
    """SHA-256 over a table's rows in id order, to compare two seeded databases."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            digest.update(json.dumps(row, default=lambda b: b.hex(), ensure_ascii=False).encode())
        return digest.hexdigest()
    finally:
        conn.close()
