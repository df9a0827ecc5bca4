"""Solutions (accepted answers) on each dialect's sandbox as started by default: neither counts them
(v1 keeps none; the Discourse face runs without the Solved plugin's column, as most forums do),
so neither offers them, and a ranking by solutions is refused with a sentence for the user rather
than answered by another order. The Discourse face with the column on is tested in
``tests/core/sandbox_discourse/test_activity_solutions_reader.py`` and end to end in
``tests/e2e/test_program_solutions.py``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.dialects.activity import BASIC_MEASURES, ActivityReader, Measure, MeasureNotCounted, measures_of
from desktop.dialects.capabilities import Capabilities
from tests.contract import activity_witness as witness
from tests.contract.conftest import Dialect


@pytest.mark.requires("activity")
def test_solutions_are_neither_offered_nor_ranked_where_not_counted(dialect: Dialect) -> None:
    session = dialect.session
    assert isinstance(session, ActivityReader)
    assert measures_of(session) == BASIC_MEASURES
    offered = Capabilities.of(session).leaderboard_measures()
    assert set(offered) == {m.value for m in BASIC_MEASURES} and Measure.SOLUTIONS.value not in offered
    ends = datetime.fromtimestamp(witness.epoch(dialect.harness), UTC)
    with pytest.raises(MeasureNotCounted) as refused:
        session.leaderboard(Measure.SOLUTIONS, ends - timedelta(days=30), ends, top=3)
    assert "solutions" in str(refused.value)
