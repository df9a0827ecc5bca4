"""A program run's cost in one sentence (desktop.programs.cost), against figures computed by hand.

At Discourse's 60 requests/min we plan for 58 a window (3 % headroom) of 61.25 s
(60 s + 1.25 s margin): 58 requests go at once, request 59 one window later.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from desktop.batch_plan import plan_batch
from desktop.cache.database import Cache
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind
from desktop.net.budget import DISCOURSE_ADMIN_API, RateLimit
from desktop.programs.cost import describe_cost, seconds_at
from desktop.programs.model import Program, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, one_off
from desktop.programs.reading import read_source
from desktop.programs.store import ProgramStore
from tests.core.test_activity_sources import BOARD, Reader

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def _forum(**extra: object) -> Capabilities:
    """Discourse's shape: one member a request, award messages as private messages."""
    fields: dict[str, object] = {
        "kind": "discourse",
        "changes_feed": False,
        "requests": True,
        "badge_editing": True,
        "edit_conflicts": False,
        "messages": True,
        "award_messages": True,
        "delivery": Delivery.RECONCILE,
        "batch_cap": 1,
    }
    fields.update(extra)
    return Capabilities(**fields)  # type: ignore[arg-type]


def _v1() -> Capabilities:
    return _forum(kind="v1", delivery=Delivery.IDEMPOTENT, batch_cap=50)


def test_the_time_is_a_window_for_each_full_share_after_the_first() -> None:
    assert DISCOURSE_ADMIN_API.planned == 58 and DISCOURSE_ADMIN_API.window == 61.25
    assert seconds_at(0, DISCOURSE_ADMIN_API) == 0
    assert seconds_at(58, DISCOURSE_ADMIN_API) == 0
    assert seconds_at(59, DISCOURSE_ADMIN_API) == 61.25
    # 612 requests: 11 shares of 58, so 10 windows after the first: 612.5 s.
    assert seconds_at(612, DISCOURSE_ADMIN_API) == 612.5
    assert seconds_at(10, RateLimit(requests=6, period=60.0, headroom=0.0, margin=0.0)) == 60.0


def test_two_reads_and_one_grant_take_under_a_minute() -> None:
    award = plan_batch(ActionKind.AWARD, 1, _forum(), messages=False, budget=None, allow_mass=False)
    assert describe_cost(2, [award], DISCOURSE_ADMIN_API) == [
        "This run: 2 reads of the source + 1 grant = 3 requests, under a minute at 60 requests/min."
    ]


def test_a_topic_of_612_posters_takes_about_ten_minutes() -> None:
    award = plan_batch(ActionKind.AWARD, 612, _forum(), messages=False, budget=None, allow_mass=False)
    # 1 + 612 = 613 requests: 11 shares of 58, 10 windows of 61.25 s = 612.5 s, about 10 min.
    assert describe_cost(1, [award], DISCOURSE_ADMIN_API) == [
        "This run: 1 read of the source + 612 grants = 613 requests, about 10 min at 60 requests/min."
    ]


def test_award_messages_sent_apart_and_revokes_count_too() -> None:
    forum = _forum(messages_apart=True)
    award = plan_batch(ActionKind.AWARD, 612, forum, messages=True, budget=None, allow_mass=False)
    revoke = plan_batch(ActionKind.REVOKE, 3, forum, messages=False, budget=None)
    # 2 + 612 + 612 + 3 = 1,229 requests: 22 shares of 58, 21 windows of 61.25 s = 1,286.25 s, 21 min.
    assert describe_cost(2, [award, revoke], DISCOURSE_ADMIN_API) == [
        "This run: 2 reads of the source + 612 grants + 612 award messages + 3 revokes"
        " = 1,229 requests, about 21 min at 60 requests/min."
    ]


def test_a_mass_award_counts_its_upload_and_its_reads_of_the_holders() -> None:
    forum = _forum(mass_award_cap=10_000, holders_per_request=50)
    award = plan_batch(ActionKind.AWARD, 120, forum, messages=False, budget=None)
    # 1 upload, 120 / 50 → 3 reads of the holders + 1 look again.
    assert describe_cost(0, [award], DISCOURSE_ADMIN_API) == [
        "This run: 1 upload + 4 reads of the holders = 5 requests, under a minute at 60 requests/min."
    ]


def test_a_server_without_a_known_limit_gets_the_requests_only() -> None:
    award = plan_batch(ActionKind.AWARD, 359, _v1(), messages=True, budget=None, allow_mass=False)
    # 359 members in requests of 50: 8 requests.
    assert describe_cost(3, [award], None) == [
        "This run: 3 reads of the source + 8 grant requests = 11 requests."
    ]
    assert describe_cost(0, [], None) == ["This run sends the server no request."]
    nothing = plan_batch(ActionKind.AWARD, 0, _v1(), messages=False, budget=None)
    assert describe_cost(1, [nothing], DISCOURSE_ADMIN_API) == [
        "This run: 1 read of the source = 1 request, under a minute at 60 requests/min."
    ]


class CountingReader(Reader):
    """Each answer one request, as a session counts them."""

    def __init__(self) -> None:
        super().__init__(BOARD)
        self.sent = 40  # a session that had already sent some

    def requests_sent(self) -> int:
        return self.sent

    def topic_posters(self, topic_id: int):  # type: ignore[no-untyped-def]
        self.sent += 3  # the posters' pages
        return super().topic_posters(topic_id)

    def find_topics(self, query: str):  # type: ignore[no-untyped-def]
        self.sent += 1
        return super().find_topics(query)


def test_a_read_tells_the_requests_it_took(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "profile")
    try:
        store = ProgramStore(cache)
        spec = ProgramSpec(
            "Outage", SourceSpec("topic", {"topic_id": 118}), badge_id=7, cadence=Cadence.ONE_OFF
        )
        program = Program(1, spec, NOW, NOW)
        reader = CountingReader()
        read = read_source(store, program, one_off(), server=reader, now=NOW)
        assert read.requests == 4
        listed = tmp_path / "passed.csv"
        listed.write_text("email\n", encoding="utf-8")
        local = Program(
            2,
            ProgramSpec("Certified", SourceSpec("list", {"path": str(listed)}), 7, Cadence.ONE_OFF),
            NOW,
            NOW,
        )
        assert read_source(store, local, one_off(), server=reader, now=NOW).requests == 0
    finally:
        cache.close()
