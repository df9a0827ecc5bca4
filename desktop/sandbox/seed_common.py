"""What the sandbox's seeding modules share: the day the demo is relative to, day arithmetic,
members' status codes, and the seeder's state (:class:`SeedState`).

Thread safety: a seed runs on one thread, with its own connection.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
from array import array
from collections.abc import Callable
from datetime import UTC, date, datetime

#: Fixes the day the demo's data is relative to (``YYYY-MM-DD``): tests and screenshots set it.
TODAY_ENV = "BADGEDESK_DEMO_TODAY"
#: What databases seeded before the data followed the date were relative to (no ``seed_epoch``).
LEGACY_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
DAY = 86_400

ACTIVE, SUSPENDED, DELETED = 0, 1, 2
STATUS_TEXT = ("active", "suspended", "deleted")

Progress = Callable[[str, int, int], None]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` date; ``ValueError`` otherwise."""
    if not _ISO_DAY.fullmatch(text.strip()):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return date.fromisoformat(text.strip())


def demo_today(today: date | None = None) -> date:
    """The day the demo's data is relative to: ``today`` if given, else ``BADGEDESK_DEMO_TODAY``,
    else the real date (UTC). ``ValueError`` if the variable is not a ``YYYY-MM-DD`` date."""
    if today is not None:
        return today
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if fixed:
        return parse_day(fixed)
    return datetime.now(UTC).date()


def day_start(day: date) -> int:
    """The first second of ``day`` (UTC), as Unix seconds."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def seeded_epoch(conn: sqlite3.Connection) -> int:
    """The start of the day a database's data is relative to (Unix seconds)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'seed_epoch'").fetchone()
    return int(row[0]) if row is not None else int(LEGACY_EPOCH.timestamp())


class SeedState:
    """The seeder's state: one random stream, the day everything is relative to, and what is
    known of each member while the rows are made."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        members: int,
        seed: int,
        today: date,
        progress: Progress | None,
        *,
        joined_years: int,
        award_years: int,
    ) -> None:
        self.conn = conn
        self.n = members
        self.rng = random.Random(seed)
        #: Every seeded instant lies before this one, the start of ``today``: up to yesterday.
        self.epoch = day_start(today)
        self.joined_from = day_start(years_before(today, joined_years))
        self.awards_from = day_start(years_before(today, award_years))
        self.progress = progress
        self.seq = 0
        self.joined = array("q")
        #: When each member was last seen (0: never); a suspended member's suspension dates from it.
        self.last_seen = array("q")
        self.status = bytearray()
        self.suspended: list[int] = []
        self.awards_total = 0
        self.awards_active = 0

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def _suspended_by(self, member_id: int) -> int:
        """When a suspended member was suspended (and last seen) at the latest: before yesterday."""
        return self.epoch - DAY - 1 - (member_id % 17) * DAY
