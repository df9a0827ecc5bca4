"""How ``badgedesk program run`` reads an activity source: in a session of its own at background
priority (behind what a user waits for, in the budget sync and sends share), counting its requests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.cache.database import Cache
from desktop.cli_programs import _read_source
from desktop.net.budget import Priority
from desktop.programs.model import Program, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, one_off
from desktop.programs.store import ProgramStore
from tests.core.test_activity_sources import BOARD, Reader

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


class Session(Reader):
    """A server session that reads a topic's posters in 3 requests (a lookup, 2 pages)."""

    def __init__(self) -> None:
        super().__init__(BOARD)
        self.sent = 12  # what the session had sent before (none of the read's)
        self.closed = False

    def requests_sent(self) -> int:
        return self.sent

    def find_topics(self, query: str) -> Any:
        self.sent += 1
        return super().find_topics(query)

    def topic_posters(self, topic_id: int) -> Any:
        self.sent += 2
        return super().topic_posters(topic_id)

    def close(self) -> None:
        self.closed = True


class Community:
    profile = "https://forum.example.org"

    def __init__(self) -> None:
        self.priorities: list[Priority] = []
        self.session = Session()

    def connector(self, cancel: object = None, *, priority: Priority = Priority.FOREGROUND) -> Session:
        self.priorities.append(priority)
        return self.session


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgramStore]:
    cache = Cache(tmp_path / "profile")
    try:
        yield ProgramStore(cache)
    finally:
        cache.close()


def test_a_topic_is_read_at_background_priority_and_its_requests_counted(store: ProgramStore) -> None:
    spec = ProgramSpec("Outage", SourceSpec("topic", {"topic_id": 118}), badge_id=7, cadence=Cadence.ONE_OFF)
    community = Community()
    read = _read_source(community, store, Program(1, spec, NOW, NOW), one_off(), NOW)  # type: ignore[arg-type]
    assert community.priorities == [Priority.BACKGROUND]
    assert community.session.closed
    assert read.requests == 3
    assert len(read.result.candidates) == 4
