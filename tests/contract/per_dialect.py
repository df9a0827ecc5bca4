"""A pytest plugin: the test asks for ``start_dialect`` and runs once per dialect.

pytest_plugins = ("tests.contract.per_dialect",)

def test_x(start_dialect):
    server = start_dialect(members=3200, fail_rate=0.2)  # a Harness
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.contract.dialects import STARTERS, Harness


@pytest.fixture(params=sorted(STARTERS))
def dialect_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture()
def start_dialect(dialect_kind: str, tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    """Start a server of the test's dialect with options (``members``, ``seed``, ``rate``,
    ``fail_rate``, ``fault_seed``, ``persistent``); stopped after the test."""
    started: list[Harness] = []

    def start(**options: Any) -> Harness:
        harness = STARTERS[dialect_kind](tmp_path / f"{dialect_kind}-{len(started)}", **options)
        started.append(harness)
        return harness

    yield start
    for harness in started:
        harness.stop()
