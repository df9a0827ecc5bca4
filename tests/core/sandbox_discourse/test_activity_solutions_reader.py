"""The Discourse dialect's leaderboard by solutions against the sandbox's face in process: where the
Solved column is on, capabilities offer it (one probe request) and the ranking is the column's;
where it is off, capabilities do not offer it and a ranking by solutions is refused with a
sentence, never read in the user id order Discourse answers an unknown column with."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from desktop.dialects.activity import BASIC_MEASURES, Measure, MeasureNotCounted, measures_of
from desktop.dialects.capabilities import Capabilities
from tests.capability_values import forum
from tests.core.sandbox_discourse.conftest import MakeForum
from tests.core.sandbox_discourse.test_activity_reader import _session
from tests.core.sandbox_discourse.test_activity_solved import _solutions_by_hand

A_YEAR = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))


def test_with_the_solved_column_solutions_are_offered_and_ranked(make_forum: MakeForum) -> None:
    forum = make_forum(solved=True)
    session, transport = _session(forum)
    with session:
        assert measures_of(session) == BASIC_MEASURES | {Measure.SOLUTIONS}
        assert measures_of(session) == BASIC_MEASURES | {Measure.SOLUTIONS}
        assert transport.paths["/directory_items.json"] == 1  # one probe per reader
        capabilities = Capabilities.of(session)
        ranking = session.leaderboard(Measure.SOLUTIONS, *A_YEAR, top=3)
    assert "solutions" in capabilities.activity_measures
    assert capabilities.leaderboard_measures() == capabilities.activity_measures
    stored = Capabilities.from_json(capabilities.to_json())
    assert stored == capabilities
    counts = _solutions_by_hand(forum.data, 0, 2**40)
    expected = sorted(((v, -m) for m, v in counts.items()), reverse=True)
    third = expected[2][0]
    assert [(r.member_id, r.value) for r in ranking.rows] == [(-m, v) for v, m in expected if v >= third]
    assert ranking.rows[0].rank == 1 and ranking.measure is Measure.SOLUTIONS


def test_without_it_solutions_are_not_offered_and_a_ranking_is_refused(make_forum: MakeForum) -> None:
    forum = make_forum()
    session, _transport = _session(forum)
    with session:
        assert measures_of(session) == BASIC_MEASURES
        capabilities = Capabilities.of(session)
        with pytest.raises(MeasureNotCounted, match="Solved plugin's directory column is off"):
            session.leaderboard(Measure.SOLUTIONS, *A_YEAR, top=3)
        # The other measures read as before.
        assert session.leaderboard(Measure.LIKES_RECEIVED, *A_YEAR, top=3).rows
    assert "solutions" not in capabilities.activity_measures
    assert set(capabilities.activity_measures) == {m.value for m in BASIC_MEASURES}


def test_a_value_stored_before_measures_were_known_reads_the_basic_ones() -> None:
    value = forum(activity_sources=("leaderboard",))
    data = json.loads(value.to_json())
    del data["activity_measures"]
    old = Capabilities.from_json(json.dumps(data))
    assert old is not None and old.activity_measures == ()
    assert set(old.leaderboard_measures()) == {m.value for m in BASIC_MEASURES}
    assert Capabilities.from_json(json.dumps({**data, "activity_measures": "solutions"})) is None


def test_measures_known_from_the_last_sync_are_kept_without_asking(make_forum: MakeForum) -> None:
    forum = make_forum(solved=True)
    session, transport = _session(forum)
    known = ("days_visited", "likes_received", "replies", "solutions", "topics")
    with session:
        capabilities = Capabilities.of(session, measures=known)
    assert capabilities.activity_measures == known
    assert transport.paths["/directory_items.json"] == 0
