"""Scripted situations on top of a seeded sandbox database, for tests, benchmarks and demos.

A scenario edits the database before a server opens it (or while none is
writing), and bumps ``seq`` for every row it touches so a client that synced
before sees the change.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.sandbox import names
from desktop.sandbox.seed_common import seeded_epoch

_DAY = 86_400


@dataclass(frozen=True, slots=True)
class ReviewScenario:
    """What :func:`review_queue` made: request ids by badge and by kind."""

    badge_ids: tuple[int, ...]
    requests_by_badge: dict[int, list[int]]
    #: Groups of requests of one member for one badge (two or more), oldest first.
    duplicate_groups: list[list[int]]
    without_evidence: list[int]
    suspended_requests: list[int]
    suspended_members: list[int]
    member_of: dict[int, int] = field(default_factory=dict)

    @property
    def request_ids(self) -> list[int]:
        return sorted(i for ids in self.requests_by_badge.values() for i in ids)


def review_queue(
    database: Path,
    *,
    per_badge: Sequence[int] = (31, 24, 18, 9, 5),
    duplicate_groups: Sequence[int] = (3, 3, 2, 2, 2, 2, 2),
    without_evidence: int = 7,
    suspended: int = 3,
    seed: int = 5,
) -> ReviewScenario:
    """Replace the pending requests with a known queue.

    ``per_badge`` pending requests for that many published badges (most
    first); ``duplicate_groups`` sizes of groups of one member asking for one
    badge several times (the default makes 9 duplicates in 7 groups);
    ``without_evidence`` single requests with no evidence link; ``suspended``
    single requests whose members are suspended afterwards. Decided requests
    stay as they were.
    """
    rng = random.Random(seed)
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        seq = int(conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])
        now = seeded_epoch(conn)
        badge_ids = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM badges WHERE state = 'published' ORDER BY id LIMIT ?", (len(per_badge),)
            )
        ]
        if len(badge_ids) < len(per_badge):
            raise ValueError(f"the database has only {len(badge_ids)} published badges")
        active = [
            int(r[0]) for r in conn.execute("SELECT id FROM members WHERE status = 'active' ORDER BY id")
        ]
        holders = {
            (int(m), int(b))
            for m, b in conn.execute("SELECT member_id, badge_id FROM awards WHERE revoked_at IS NULL")
        }
        conn.execute("DELETE FROM requests WHERE state = 'pending'")
        # Slots: (badge, group size) so each badge gets exactly its count.
        slots: list[tuple[int, int]] = []
        remaining = dict(zip(badge_ids, per_badge, strict=True))
        for size in duplicate_groups:
            badge = max(remaining, key=lambda b: remaining[b])
            if remaining[badge] < size:
                raise ValueError("not enough requests for the duplicate groups")
            slots.append((badge, size))
            remaining[badge] -= size
        singles = [b for b, n in remaining.items() for _ in range(n)]
        rng.shuffle(singles)
        slots.extend((b, 1) for b in singles)
        single_slots = [i for i, (_b, size) in enumerate(slots) if size == 1]
        if len(single_slots) < without_evidence + suspended:
            raise ValueError("not enough single requests for the special ones")
        chosen = rng.sample(single_slots, without_evidence + suspended)
        no_evidence_slots = set(chosen[:without_evidence])
        suspended_slots = set(chosen[without_evidence:])
        used_members: set[int] = set()
        rows: list[tuple[int, int, int, str, str | None, int]] = []
        scenario = ReviewScenario(tuple(badge_ids), {b: [] for b in badge_ids}, [], [], [], [])
        next_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM requests").fetchone()[0]) + 1
        times = sorted(rng.sample(range(now - 40 * _DAY, now - 60), sum(per_badge)))
        rng.shuffle(times)
        for index, (badge, size) in enumerate(slots):
            member = rng.choice(active)
            while member in used_members or (member, badge) in holders:
                member = rng.choice(active)
            used_members.add(member)
            group: list[int] = []
            for _ in range(size):
                evidence = None
                if index not in no_evidence_slots:
                    evidence = rng.choice(names.EVIDENCE_URLS).format(n=rng.randrange(10_000, 99_999))
                rows.append((next_id, member, badge, rng.choice(names.REQUEST_NOTES), evidence, times.pop()))
                group.append(next_id)
                scenario.requests_by_badge[badge].append(next_id)
                scenario.member_of[next_id] = member
                if evidence is None:
                    scenario.without_evidence.append(next_id)
                next_id += 1
            if size > 1:
                scenario.duplicate_groups.append(group)
            if index in suspended_slots:
                scenario.suspended_requests.append(group[0])
                scenario.suspended_members.append(member)
        for request_id, member, badge, note, evidence, created in rows:
            seq += 1
            conn.execute(
                "INSERT INTO requests (id, member_id, badge_id, note, evidence_url, created_at, state,"
                " version, seq) VALUES (?, ?, ?, ?, ?, ?, 'pending', 1, ?)",
                (request_id, member, badge, note, evidence, created, seq),
            )
        for member in scenario.suspended_members:
            seq += 1
            conn.execute("UPDATE members SET status = 'suspended', seq = ? WHERE id = ?", (seq, member))
        for group in scenario.duplicate_groups:
            times_of = sorted(created for rid, _m, _b, _n, _e, created in rows if rid in group)
            # Keep ids in the order of time within a group: the oldest is the primary.
            for rid, created in zip(group, times_of, strict=True):
                conn.execute("UPDATE requests SET created_at = ? WHERE id = ?", (created, rid))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'seq'", (seq,))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'pending_requests'", (len(rows),))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return scenario
