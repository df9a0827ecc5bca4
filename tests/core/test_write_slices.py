"""How a sync page is cut into transactions: one while nobody waits, ended for the user's work
after the slice being written, and by a time limit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

from desktop.cancellation import CancelToken
from desktop.sync import targets
from desktop.sync.targets import WRITE_SLICE, write_in_slices


class Recorder:
    """A target that records what each transaction stored; the user's write waits from the
    slice numbered ``waits_from`` until the sync next lets the user's work go first."""

    def __init__(self, waits_from: int | None = None) -> None:
        self.transactions: list[list[object]] = []
        self.waits_from = waits_from
        self.slices = 0
        self.waiting = False

    @contextmanager
    def write(self) -> Iterator[Any]:
        self.transactions.append([])
        yield self.transactions[-1]

    def sync_state(self) -> dict[str, str]:
        return {}

    def between_writes(self, cancel: CancelToken) -> None:
        self.waiting = False

    def user_work_waiting(self) -> bool:
        return self.waiting

    def store(self, transaction: Any, items: Sequence[int]) -> None:
        self.slices += 1
        if self.slices == self.waits_from:
            self.waiting = True
        transaction.append(len(items))


def position(transaction: Any) -> None:
    transaction.append("position")


def write(target: Recorder, rows: int) -> list[list[object]]:
    write_in_slices(target, list(range(rows)), target.store, position, CancelToken())
    return target.transactions


def test_a_page_is_one_transaction_while_nobody_waits() -> None:
    rows = 4 * WRITE_SLICE + 7
    assert write(Recorder(), rows) == [[WRITE_SLICE] * 4 + [7, "position"]]


def test_a_waiting_write_ends_the_transaction_after_the_slice_being_written() -> None:
    assert write(Recorder(waits_from=2), 4 * WRITE_SLICE) == [
        [WRITE_SLICE, WRITE_SLICE],
        [WRITE_SLICE, WRITE_SLICE, "position"],
    ]


def test_a_transaction_ends_after_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(targets, "TRANSACTION_SECONDS", -1.0)
    assert write(Recorder(), 2 * WRITE_SLICE) == [[WRITE_SLICE], [WRITE_SLICE, "position"]]


def test_an_empty_page_still_stores_its_position() -> None:
    assert write(Recorder(), 0) == [[0, "position"]]
