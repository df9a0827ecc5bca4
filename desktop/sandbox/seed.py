"""Deterministic seeding of a sandbox community.

The same ``seed`` and ``today`` always produce the same rows: one
``random.Random`` drives everything and every date is relative to the start of
``today`` (UTC), never to the clock's "now". ``today`` is the real date unless
fixed (``--today`` of the sandbox, or ``BADGEDESK_DEMO_TODAY``), so the demo
always has recent activity: members joined up to twelve years back and were
last seen up to yesterday, awards spread over the last three years.

The data is consistent: no award before its member joined, no request for a
badge the member already holds (unless the badge may be held several times),
no suspended member seen yesterday or after their suspension (which Discourse
dates at the last visit).

Built for size: a million members and about five million awards must seed in
well under two minutes, so rows come from plain generator loops into
``executemany`` inside one transaction, with journalling off and the indexes
built only after the bulk insert.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from xml.sax.saxutils import escape

from desktop.sandbox import names
from desktop.sandbox.seed_common import (
    ACTIVE,
    DAY,
    DELETED,
    STATUS_TEXT,
    SUSPENDED,
    Progress,
    demo_today,
)
from desktop.sandbox.seed_requests import PlannedRequest, RequestSeeding
from desktop.sandbox.store.activity_seed import seed_activity
from desktop.sandbox.store.group_index import GROUP_TABLES_SQL, index_groups
from desktop.sandbox.store.schema import INDEXES_SQL, TABLES_SQL

#: How far back members joined, and awards were granted, in years before ``today``.
_JOINED_YEARS = 12
_AWARD_YEARS = 3
#: Members a group gets when chance gave it none (a small community).
_GROUP_FILL = 3
_PROGRESS_EVERY = 50_000

_TIER_COLOURS = {
    "bronze": ("#b87333", "#7a4a1f"),
    "silver": ("#a8a9ad", "#6d6e72"),
    "gold": ("#d4af37", "#8f7320"),
}


@dataclass(frozen=True, slots=True)
class SeedSummary:
    """What a seed produced. Immutable; any thread."""

    members: int
    badges: int
    awards: int
    pending_requests: int
    decided_requests: int
    #: The change-sequence position after seeding.
    seq: int
    seconds: float


def _ascii_name(name: str) -> str:
    romanised = names.ROMANISED.get(name)
    if romanised is not None:
        return romanised
    decomposed = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    letters = "".join(ch for ch in decomposed.lower() if ch.isalnum())
    return letters or "member"


def badge_svg(title: str, tier: str, hue: int) -> bytes:
    """A small round badge: tier-coloured ring, category hue, the title's initials."""
    fill, ring = _TIER_COLOURS.get(tier, ("#5b7fa6", "#3a5574"))
    initials = "".join(word[0] for word in title.replace("-", " ").split() if word[:1].isalnum())[:3].upper()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">'
        f'<circle cx="64" cy="64" r="58" fill="hsl({hue},55%,42%)" stroke="{ring}" stroke-width="8"/>'
        f'<circle cx="64" cy="64" r="46" fill="none" stroke="{fill}" stroke-width="3"/>'
        '<text x="64" y="76" font-family="sans-serif" font-size="34" font-weight="bold" '
        f'text-anchor="middle" fill="#ffffff">{escape(initials or "?")}</text>'
        "</svg>"
    ).encode()


class _Seeder(RequestSeeding):
    # --- badges ----------------------------------------------------------------

    def badges(self) -> list[tuple[int, float, bool]]:
        rng = self.rng
        rows = []
        hues = {cat: rng.randrange(360) for cat in sorted({b.category for b in names.BADGES})}
        for badge_id, spec in enumerate(names.BADGES, start=1):
            self.seq += 1
            rows.append(
                (
                    badge_id,
                    spec.slug,
                    spec.title,
                    spec.description,
                    spec.criteria,
                    spec.tier,
                    spec.category,
                    spec.state.value,
                    rng.choice(names.AWARD_MESSAGES),
                    1 + int(rng.random() * 3),
                    badge_svg(spec.title, spec.tier, hues[spec.category]),
                    "image/svg+xml",
                    self.epoch - rng.randrange(30, 900) * DAY,
                    self.seq,
                    int(spec.multiple_grant),
                )
            )
        self.conn.executemany("INSERT INTO badges VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        self._report("badges", len(rows), len(rows))
        return [(i, spec.popularity, spec.state.awardable) for i, spec in enumerate(names.BADGES, start=1)]

    # --- members ---------------------------------------------------------------

    def _member_rows(self) -> Iterator[tuple[object, ...]]:
        r = self.rng.random
        firsts = names.FIRST_NAMES
        lasts = names.LAST_NAMES
        first_ascii = [_ascii_name(n) for n in firsts]
        last_ascii = [_ascii_name(n) for n in lasts]
        common = [(d, *(_ascii_name(p) for p in d.split(" ", 1))) for d in names.COMMON_DISPLAY_NAMES]
        domains = names.EMAIL_DOMAINS
        groups_extra = names.GROUPS[1:]
        nf, nl, nd, ng = len(firsts), len(lasts), len(domains), len(groups_extra)
        used: set[str] = set()
        joined_append = self.joined.append
        last_seen_append = self.last_seen.append
        status_append = self.status.append
        epoch = self.epoch
        joined_span = epoch - 1 - self.joined_from
        seq = self.seq
        total = self.n
        for i in range(1, total + 1):
            if i % 37 == 0 and i <= 2_000:
                display, fa, la = common[(i // 37) % len(common)]
            else:
                fi = int(r() * nf)
                li = int(r() * nl)
                display = f"{firsts[fi]} {lasts[li]}"
                fa = first_ascii[fi]
                la = last_ascii[li]
            pattern = r()
            if pattern < 0.35:
                base = f"{fa}.{la}"
            elif pattern < 0.55:
                base = f"{fa}{la}"
            elif pattern < 0.75:
                base = f"{fa[0]}{la}"
            elif pattern < 0.9:
                base = f"{fa}_{la}"
            else:
                base = f"{la}.{fa}"
            # Name-derived bases contain no digits, so base+id can never collide
            # with another member's plain base.
            if base in used:
                base = f"{base}{i}"
            else:
                used.add(base)
            case = r()
            if case < 0.08:
                username = base.capitalize()
                email = f"{base.title()}@{domains[int(r() * nd)]}"
            elif case < 0.1:
                username = base
                email = f"{base.upper()}@{domains[int(r() * nd)]}"
            else:
                username = base
                email = f"{base}@{domains[int(r() * nd)]}"
            joined = epoch - 1 - int(r() * joined_span)
            if r() < 0.07:
                last_seen = None
            else:
                # Skewed to recent days: many came back lately, the others long ago.
                recent = r()
                last_seen = epoch - 1 - int(recent * recent * (epoch - 1 - joined))
            roll = r()
            if i == 7 or (i != 11 and roll < 0.01):
                status = SUSPENDED
                self.suspended.append(i)
            elif i == 11 or roll < 0.013:
                status = DELETED
            else:
                status = ACTIVE
            if status == SUSPENDED:
                # Suspended at their last visit (or when they joined), before yesterday: not seen since.
                suspended_by = self._suspended_by(i)
                joined = min(joined, suspended_by - DAY)
                if last_seen is not None:
                    last_seen = max(joined, min(last_seen, suspended_by))
            if i <= 3:
                groups = "admins,staff"
            elif i <= 6:
                groups = "staff"
            elif r() < 0.008:
                groups = groups_extra[int(r() * ng)]
            else:
                groups = ""
            joined_append(joined)
            last_seen_append(0 if last_seen is None else last_seen)
            status_append(status)
            seq += 1
            yield (
                i,
                username,
                display,
                email,
                joined,
                last_seen,
                STATUS_TEXT[status],
                groups,
                username.casefold(),
                display.casefold(),
                email.casefold(),
                seq,
            )
            if i % _PROGRESS_EVERY == 0 and i != total:
                self._report("members", i, total)
        self.seq = seq
        self._report("members", total, total)

    def members(self) -> None:
        self.conn.executemany("INSERT INTO members VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self._member_rows())
        self._fill_empty_groups()
        index_groups(self.conn)

    def _fill_empty_groups(self) -> None:
        """Every group of the demo has members, even in a small community (a few, chosen by id)."""
        conn = self.conn
        for index, group in enumerate(names.GROUPS):
            pattern = f"%,{group},%"
            if conn.execute(
                "SELECT 1 FROM members WHERE status != 'deleted' AND ',' || groups || ',' LIKE ? LIMIT 1",
                (pattern,),
            ).fetchone():
                continue
            chosen = conn.execute(
                "SELECT id FROM members WHERE status = 'active' AND groups = '' AND id > 11"
                " ORDER BY id LIMIT ? OFFSET ?",
                (_GROUP_FILL, index * 2 * _GROUP_FILL),
            ).fetchall()
            conn.executemany(
                "UPDATE members SET groups = ? WHERE id = ?", [(group, row[0]) for row in chosen]
            )

    # --- awards ----------------------------------------------------------------

    def _award_rows(
        self, badges: list[tuple[int, float, bool]], planned: list[PlannedRequest]
    ) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        r = rng.random
        choices = rng.choices
        candidates = [b for b, popularity, _ in badges if popularity > 0]
        cum_weights = list(accumulate(p for _, p, _ in badges if p > 0))
        excluded: dict[int, set[int]] = {}
        #: Denied or returned: not held either (so not held when asked), but drawn as before.
        dropped: dict[int, set[int]] = {}
        forced: dict[int, list[tuple[int, int, str, str]]] = {}
        for request_id, req in enumerate(planned, start=1):
            if req.state == "pending":
                excluded.setdefault(req.member_id, set()).add(req.badge_id)
            elif req.state != "approved":
                dropped.setdefault(req.member_id, set()).add(req.badge_id)
            elif req.state == "approved" and req.decided_at is not None:
                reason = f"Request #{request_id} approved."
                forced.setdefault(req.member_id, []).append(
                    (req.badge_id, req.decided_at, req.decided_by or "system", reason)
                )
        moderators = names.MODERATORS
        reasons = names.AWARD_REASONS
        nm, nr = len(moderators), len(reasons)
        mean = 7.4
        award_id = 0
        seq = self.seq
        active = 0
        total = self.n
        epoch = self.epoch
        for member_id in range(1, total + 1):
            joined = self.joined[member_id - 1]
            start = max(joined, self.awards_from)
            k = int(-mean * math.log(1.0 - r()))
            picks = dict.fromkeys(choices(candidates, cum_weights=cum_weights, k=k)) if k else {}
            skip = excluded.get(member_id)
            drop = dropped.get(member_id)
            extra = forced.get(member_id)
            if extra:
                for badge_id, *_ in extra:
                    picks.pop(badge_id, None)
            for badge_id in picks:
                if skip is not None and badge_id in skip:
                    continue
                granted = start + int(r() * (epoch - start))
                revoked = r() < 0.004
                by = moderators[int(r() * nm)]
                reason = reasons[int(r() * nr)]
                revoke: tuple[int | None, str | None, str | None] = (None, None, None)
                if revoked:
                    revoke = (
                        granted + int(r() * (epoch - granted)),
                        moderators[int(r() * nm)],
                        "Awarded by mistake.",
                    )
                if drop is not None and badge_id in drop:
                    continue
                award_id += 1
                seq += 1
                active += not revoked
                yield (award_id, member_id, badge_id, granted, by, reason, *revoke, seq)
            if extra:
                for badge_id, granted, by, reason in extra:
                    award_id += 1
                    seq += 1
                    active += 1
                    yield (award_id, member_id, badge_id, granted, by, reason, None, None, None, seq)
            if member_id % _PROGRESS_EVERY == 0 and member_id != total:
                self._report("awards", member_id, total)
        self.seq = seq
        self.awards_total = award_id
        self.awards_active = active
        self._report("awards", total, total)

    def awards(self, badges: list[tuple[int, float, bool]], planned: list[PlannedRequest]) -> None:
        self.conn.executemany(
            "INSERT INTO awards VALUES (?,?,?,?,?,?,?,?,?,?)", self._award_rows(badges, planned)
        )


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


def seed_database(
    path: Path, *, members: int, seed: int, today: date | None = None, progress: Progress | None = None
) -> SeedSummary:
    """Create a fresh sandbox database at ``path`` (replacing any), seeded from ``seed``.

    Its dates are relative to ``today`` (by default :func:`demo_today`: ``BADGEDESK_DEMO_TODAY``
    or the real date); the same ``(members, seed, today)`` give the same database, byte for byte.

    The database is built under a temporary name and renamed at the end, so
    an interrupted seed never leaves a half-filled database behind.
    """
    if members < 1:
        raise ValueError("a community needs at least one member")
    started = time.perf_counter()
    today = demo_today(today)
    building = path.with_name(path.name + ".seeding")
    _remove_database(building)
    conn = sqlite3.connect(building, isolation_level=None)
    try:
        # Nothing to protect yet: a crash just means seeding again.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.executescript(TABLES_SQL)
        conn.executescript(GROUP_TABLES_SQL)
        seeder = _Seeder(
            conn, members, seed, today, progress, joined_years=_JOINED_YEARS, award_years=_AWARD_YEARS
        )
        conn.execute("BEGIN")
        badges = seeder.badges()
        seeder.members()
        planned = seeder.plan_requests(badges)
        seeder.awards(badges, planned)
        seeder.requests(planned)
        pending = sum(1 for p in planned if p.state == "pending")
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [
                ("seq", seeder.seq),
                ("members", members),
                ("badges", len(badges)),
                ("awards", seeder.awards_active),
                ("pending_requests", pending),
                ("seed", seed),
                ("seed_members", members),
                ("seed_epoch", seeder.epoch),
                ("schema_version", 1),
            ],
        )
        # After everything else, from its own random stream: the rows above stay as they were.
        seed_activity(conn)
        conn.execute("COMMIT")
        if progress is not None:
            progress("indexes", 0, 1)
        conn.executescript(INDEXES_SQL)
        conn.execute("PRAGMA analysis_limit=1000")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA locking_mode=NORMAL")
        conn.execute("PRAGMA journal_mode=WAL")
        if progress is not None:
            progress("indexes", 1, 1)
    finally:
        conn.close()
    _remove_database(path)
    os.replace(building, path)
    return SeedSummary(
        members=members,
        badges=len(badges),
        awards=seeder.awards_total,
        pending_requests=pending,
        decided_requests=len(planned) - pending,
        seq=seeder.seq,
        seconds=time.perf_counter() - started,
    )
