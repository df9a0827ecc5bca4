"""Garbage cycles (which may hold Qt objects) are collected on the GUI thread, never on a worker."""

from __future__ import annotations

import gc
import threading
import weakref

from pytestqt.qtbot import QtBot


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
