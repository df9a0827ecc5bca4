"""Garbage cycles (which may hold Qt objects) are collected on the GUI thread, never on a worker."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.main_thread_gc import MainThreadCollector


class Node:
    partner: Node


def test_the_collector_runs_on_the_gui_threads_timer_only(qtbot: QtBot) -> None:
    assert not gc.isenabled()  # no collection started by a worker's allocation
    threads: list[str] = []

    def note_thread(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    gc.callbacks.append(note_thread)
    try:
        first, second = Node(), Node()
        first.partner, second.partner = second, first
        probe = weakref.ref(first)
        del first, second
        # Garbage enough to make the youngest generation due; made on a worker thread.
        worker = threading.Thread(target=lambda: [Node() for _ in range(gc.get_threshold()[0] + 100)])
        worker.start()
        worker.join()
        kept = [[Node()] for _ in range(gc.get_threshold()[0] + 100)]
        assert probe() is not None  # nobody collected yet
        qtbot.waitUntil(lambda: probe() is None, timeout=5_000)
        assert kept
    finally:
        gc.callbacks.remove(note_thread)
    assert threads and set(threads) == {threading.main_thread().name}


def test_the_first_tick_freezes_what_start_up_made_after_collecting_young_cycles() -> None:
    owner = QObject()
    # Its timer never fires here: the test ticks it.
    collector = MainThreadCollector(owner, interval_ms=3_600_000)
    try:
        gc.unfreeze()
        first, second = Node(), Node()
        first.partner, second.partner = second, first
        probe = weakref.ref(first)
        del first, second
        kept = Node()
        collector.collect_due()
        assert probe() is None  # the cycle dropped before the tick was collected, not frozen
        assert gc.get_freeze_count() > 0
        assert not any(tracked is kept for tracked in gc.get_objects())  # out of every later walk
    finally:
        collector.stop()
        owner.deleteLater()
    assert gc.get_freeze_count() == 0


def test_a_full_collection_waits_until_the_oldest_generation_grew_by_a_quarter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner = QObject()
    collector = MainThreadCollector(owner, interval_ms=3_600_000)
    try:
        collector.collect_due()  # the first tick: start-up frozen
        old: list[object] = [object() for _ in range(1_000)]
        collected: list[int] = []
        monkeypatch.setattr(gc, "get_objects", lambda generation=None: old)

        def collect(generation: int = 2) -> int:
            collected.append(generation)
            return 0

        monkeypatch.setattr(gc, "collect", collect)
        young, _middle, oldest = gc.get_threshold()
        monkeypatch.setattr(gc, "get_count", lambda: (0, 0, oldest + 1))
        collector.collect_due()
        assert collected == [2]  # 1,000 new in the oldest generation since the freeze
        collector.collect_due()
        assert collected == [2]  # nothing new there: not walked again
        monkeypatch.setattr(gc, "get_count", lambda: (young + 1, 0, oldest + 1))
        collector.collect_due()
        assert collected == [2, 0]  # the youngest, which is due, still is
        old += [object() for _ in range(251)]
        collector.collect_due()
        assert collected == [2, 0, 2]  # grown by more than a quarter
    finally:
        monkeypatch.undo()
        collector.stop()
        owner.deleteLater()
