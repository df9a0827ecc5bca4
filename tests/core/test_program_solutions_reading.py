"""A program ranking by solutions, read where the server does not count them (BadgeDesk's own
server; a forum whose admin turned the Solved column off): a sentence for the user naming the
program, never a ranking by something else."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.dialects.activity import BASIC_MEASURES, Measure, MeasureNotCounted, Ranking, measures_of
from desktop.programs.model import ProgramError
from desktop.programs.reading import read_source
from desktop.programs.sources.leaderboard import _why
from desktop.programs.store import ProgramStore
from tests.core.test_activity_sources import BOARD, Reader
from tests.core.test_program_reading import NOW, WEEK, _program


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgramStore]:
    cache = Cache(tmp_path / "profile")
    try:
        yield ProgramStore(cache)
    finally:
        cache.close()


class Unsolved(Reader):
    """Counts the basic measures only, as both dialects' readers do without solutions."""

    def __init__(self) -> None:
        super().__init__(BOARD)
        self.measures_asked: list[Measure] = []

    def leaderboard(
        self,
        measure: Measure,
        starts: datetime,
        ends: datetime,
        *,
        top: int,
        exclude_groups: Sequence[int] = (),
        exclude_usernames: Sequence[str] = (),
    ) -> Ranking:
        self.measures_asked.append(measure)
        if measure not in BASIC_MEASURES:
            raise MeasureNotCounted(measure)
        return super().leaderboard(
            measure, starts, ends, top=top, exclude_groups=exclude_groups, exclude_usernames=exclude_usernames
        )


def test_a_solutions_program_where_they_are_not_counted_is_refused_with_a_sentence(
    store: ProgramStore,
) -> None:
    reader = Unsolved()
    assert measures_of(reader) == BASIC_MEASURES  # a reader without measures(): the basic ones
    program = _program("leaderboard", {"measure": "solutions", "top": 1})
    with pytest.raises(ProgramError) as refused:
        read_source(store, program, WEEK, server=reader, now=NOW, tz=UTC)
    assert str(refused.value) == (
        "The program Top cannot be read: This server does not count solutions (accepted answers)."
    )
    assert reader.measures_asked == [Measure.SOLUTIONS]
    likes = read_source(
        store,
        _program("leaderboard", {"measure": "likes_received", "top": 1}),
        WEEK,
        server=reader,
        now=NOW,
        tz=UTC,
    )
    assert likes.result.candidates


def test_why_a_member_placed_by_solutions() -> None:
    assert _why(Measure.SOLUTIONS, 1, "2026-11") == "1 solution accepted in 2026-11"
    assert _why(Measure.SOLUTIONS, 3, "2026-11") == "3 solutions accepted in 2026-11"
