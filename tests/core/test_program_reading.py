"""Reading a program's source, whatever its kind: the one path the app and the CLI take."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from desktop.cache.database import Cache
from desktop.cache.schema import program_actions
from desktop.dialects.activity import ActivitySource, Poster
from desktop.dialects.capabilities import Capabilities
from desktop.programs.model import Program, ProgramError, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, containing, from_key, local_zone, one_off
from desktop.programs.reading import offered_kinds, read_depth, read_source
from desktop.programs.store import ProgramStore
from tests.capability_values import own
from tests.core.test_activity_sources import BOARD, Reader

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
WEEK = containing(Cadence.WEEKLY, date(2026, 11, 30))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgramStore]:
    cache = Cache(tmp_path / "profile")
    try:
        yield ProgramStore(cache)
    finally:
        cache.close()


def _program(kind: str, params: dict[str, object], cadence: Cadence = Cadence.WEEKLY) -> Program:
    spec = ProgramSpec("Top", SourceSpec(kind, params), badge_id=7, cadence=cadence)
    return Program(1, spec, NOW, NOW)


class WindowReader(Reader):
    def __init__(self) -> None:
        super().__init__(BOARD)
        self.windows: list[tuple[datetime, datetime]] = []

    def window_posters(self, starts: datetime, ends: datetime) -> list[Poster]:
        self.windows.append((starts, ends))
        return super().window_posters(starts, ends)


def _capabilities(sources: tuple[str, ...]) -> Capabilities:
    return own(activity_sources=sources)


def test_the_kinds_offered_are_the_local_ones_and_the_activity_the_server_tells() -> None:
    assert offered_kinds(None) == ("list", "tenure")
    assert offered_kinds(_capabilities(())) == ("list", "tenure")
    assert offered_kinds(_capabilities((ActivitySource.LEADERBOARD.value,))) == (
        "list",
        "tenure",
        "leaderboard",
    )
    every = tuple(sorted(s.value for s in ActivitySource))
    assert offered_kinds(_capabilities(every)) == (
        "list",
        "tenure",
        "leaderboard",
        "liked-posts",
        "topic",
        "posters",
    )


def test_a_leaderboard_reads_the_period_and_leaves_out_the_last_winners(store: ProgramStore) -> None:
    with store.cache.write() as connection:
        connection.execute(
            insert(program_actions),
            [{"program_id": 1, "period_key": "2026-W48", "member_id": 1, "kind": "award"}],
        )
    params = {"measure": "likes_received", "top": 1, "exclude_groups": [], "exclude_usernames": []}
    reader = Reader(BOARD)
    plain = read_source(store, _program("leaderboard", params), WEEK, server=reader, now=NOW, tz=UTC)
    # Read deeper than the one place: the dry run cuts after its conditions (a member they leave
    # out gives the place to the next).
    assert reader.asked == [read_depth(1)] == [12]
    assert [c.member_id for c in plain.result.candidates] == [1, 2, 3, 4, 5, 6]
    skipping = _program("leaderboard", {**params, "exclude_winners": 1})
    read = read_source(store, skipping, WEEK, server=reader, now=NOW, tz=UTC)
    # Ann won last week: left out, the others move up.
    assert reader.asked[-1] == 13
    assert [c.member_id for c in read.result.candidates] == [2, 3, 4, 5, 6]
    assert read_depth(400) == 500
    # A directory lists every member, most with nothing: nobody is a candidate for nothing.
    zeros = Reader([*BOARD, (7, "gil", 0), (8, "hal", 0)])
    read = read_source(store, _program("leaderboard", params), WEEK, server=zeros, now=NOW, tz=UTC)
    assert [c.member_id for c in read.result.candidates] == [1, 2, 3, 4, 5, 6]
    assert read.keep is None and read.file is None


def test_an_activity_source_without_a_server_that_tells_it_is_refused(store: ProgramStore) -> None:
    program = _program("posters", {"min_posts": 1})
    with pytest.raises(ProgramError, match="cannot tell what the program Top reads"):
        read_source(store, program, WEEK, server=None, now=NOW, tz=UTC)

    class Deaf(WindowReader):
        def activity_sources(self) -> frozenset[ActivitySource]:
            return frozenset({ActivitySource.LEADERBOARD})

    with pytest.raises(ProgramError, match="cannot tell"):
        read_source(store, program, WEEK, server=Deaf(), now=NOW, tz=UTC)


def test_posters_read_the_period_or_a_window_of_their_own(store: ProgramStore) -> None:
    reader = WindowReader()
    read = read_source(store, _program("posters", {"min_posts": 5}), WEEK, server=reader, now=NOW, tz=UTC)
    assert [c.member_id for c in read.result.candidates] == [6]
    assert reader.windows == [(datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 7, tzinfo=UTC))]
    window = {"min_posts": 1, "starts": "2026-04-23T08:00", "ends": "2026-04-23T20:00+00:00"}
    outage = _program("posters", window, Cadence.ONE_OFF)
    read_source(store, outage, one_off(), server=reader, now=NOW, tz=UTC)
    assert reader.windows[-1] == (datetime(2026, 4, 23, 8, tzinfo=UTC), datetime(2026, 4, 23, 20, tzinfo=UTC))
    with pytest.raises(ProgramError, match="needs the times it reads between"):
        read_source(
            store, _program("posters", {}, Cadence.ONE_OFF), one_off(), server=reader, now=NOW, tz=UTC
        )
    backwards = {**window, "starts": "2026-04-24T08:00"}
    with pytest.raises(ProgramError, match="ends before it starts"):
        read_source(
            store, _program("posters", backwards, Cadence.ONE_OFF), one_off(), server=reader, now=NOW, tz=UTC
        )


def test_local_kinds_read_without_a_server(store: ProgramStore, tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match=r"missing\.csv"):
        read_source(
            store,
            _program("list", {"path": str(tmp_path / "missing.csv")}),
            WEEK,
            server=None,
            now=NOW,
            tz=UTC,
        )
    listing = tmp_path / "passed.csv"
    listing.write_text("email\nnobody@example.org\n", encoding="utf-8")
    read = read_source(store, _program("list", {"path": str(listing)}), WEEK, server=None, now=NOW, tz=UTC)
    assert read.file == listing and len(read.result.unmatched) == 1 and read.keep is not None
    tenure = read_source(store, _program("tenure", {"years": 10}), WEEK, server=None, now=NOW, tz=UTC)
    assert tenure.result.candidates == ()
    with pytest.raises(ProgramError, match="calendar periods"):
        read_source(
            store, _program("tenure", {"years": 10}, Cadence.ONE_OFF), one_off(), server=None, now=NOW
        )
    with pytest.raises(ProgramError, match="years must be a whole number"):
        read_source(store, _program("tenure", {"years": "ten"}), WEEK, server=None, now=NOW, tz=UTC)


def test_the_users_calendar_keeps_summer_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    zone = local_zone()
    september = from_key(Cadence.MONTHLY, "2026-09")
    december = from_key(Cadence.MONTHLY, "2026-12")
    # Each period starts at its own local midnight: +02:00 in September, +01:00 in December.
    assert september.bounds(zone)[0].isoformat() == "2026-09-01T00:00:00+02:00"
    assert december.bounds(zone)[0].isoformat() == "2026-12-01T00:00:00+01:00"
    monkeypatch.setenv("TZ", "Not/AZone")
    assert local_zone().utcoffset(NOW) is not None  # an unknown name: the machine's zone, never a crash
