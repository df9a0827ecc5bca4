"""The Members pane's model keeps its (up to a million) ids compactly, in the order given."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.community import Community
from ui.operations import TaskManager
from ui.search.model import MemberIdRole, MemberTableModel


@pytest.fixture()
def model(tmp_path: Path) -> Iterator[MemberTableModel]:
    cache = Cache(tmp_path / "profile")
    tasks = TaskManager()
    yield MemberTableModel(Community("test", None, cache), tasks)
    tasks.shutdown()
    tasks.deleteLater()
    cache.close()


def test_the_ids_keep_their_order_and_each_row_its_member(model: MemberTableModel) -> None:
    model.set_ids([30, 10, 20])
    assert list(model.ids) == [30, 10, 20]
    assert model.rowCount() == 3
    assert [model.data(model.index(row, 0), MemberIdRole) for row in range(3)] == [30, 10, 20]


def test_a_million_ids_take_eight_bytes_each(model: MemberTableModel) -> None:
    """A list would hold a Python int object per member too: about 40 MB at a million."""
    model.set_ids(list(range(1_000_000, 2_000_000)))
    assert model.rowCount() == 1_000_000
    assert sys.getsizeof(model.ids) < 8 * 1_000_000 + 4096
    assert model.ids[0] == 1_000_000 and model.ids[-1] == 1_999_999
