"""Holders by period where the title was handed over elsewhere (the web, another computer) after this
computer's last hand-over: the holder the last sync read is listed, since their grant."""

from __future__ import annotations

from datetime import UTC, date, datetime

from desktop.cache.database import Cache
from desktop.domain import Award
from desktop.outbox import Outbox
from desktop.programs.periods import Cadence
from desktop.programs.titles import holders_by_period, queue_handover
from tests.core.test_handover import HERO, _forum, cache  # noqa: F401 - the fixture


def test_a_title_handed_over_elsewhere_shows_its_holder_now(cache: Cache) -> None:  # noqa: F811
    outbox = Outbox(cache, actor="Alice")
    queue_handover(outbox, HERO, 2)
    outbox.send_pending(_forum())
    with cache.write() as connection:
        connection.exec_driver_sql(
            "UPDATE actions SET confirmed_at = ?", (int(datetime(2026, 4, 2, tzinfo=UTC).timestamp()),)
        )
        # A sync later: @m2's grant is gone, @m4 holds it (given on the web by Bob in August).
        connection.exec_driver_sql("DELETE FROM awards WHERE badge_id = ?", (HERO,))
        Cache.upsert_awards(connection, [Award(99, 4, HERO, datetime(2026, 8, 3, tzinfo=UTC), "Bob", "")])
    tenures = holders_by_period(cache, HERO, Cadence.QUARTERLY, UTC, today=date(2026, 12, 6))
    assert [(t.member_id, t.by, t.until is None) for t in tenures] == [
        (1, "someone", False),
        (2, "Alice", False),
        (4, "Bob", True),
    ]
    assert tenures[1].until == tenures[2].since == datetime(2026, 8, 3, tzinfo=UTC)
    assert [p.key for p in tenures[2].periods] == ["2026-Q3", "2026-Q4"]
