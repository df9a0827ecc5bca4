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


def test_what_exists_when_it_starts_is_frozen_after_collecting_young_cycles() -> None:
    gc.unfreeze()
    first, second = Node(), Node()
    first.partner, second.partner = second, first
    probe = weakref.ref(first)
    del first, second
    kept = Node()
    owner = QObject()
    # Its timer never fires here.
    collector = MainThreadCollector(owner, interval_ms=3_600_000)
    try:
        assert probe() is None  # the cycle dropped before it started was collected, not frozen
        assert gc.get_freeze_count() > 0
        assert not any(tracked is kept for tracked in gc.get_objects())  # out of every later walk
        # A window made later, in a cycle (as panes are) and closed: collected, not kept for good.
        window = QObject()
        later, other = Node(), Node()
        later.partner, other.partner = other, later
        later.window = window  # type: ignore[attr-defined]
        window_probe, later_probe = weakref.ref(window), weakref.ref(later)
        collector.collect_due()  # a tick while the window is open
        del window, later, other
        assert window_probe() is not None and later_probe() is not None
        gc.collect()
        assert later_probe() is None and window_probe() is None
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
