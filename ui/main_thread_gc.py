"""Python's cycle collector runs on the GUI thread only.

The collector runs on whichever thread happens to allocate when a generation is
full. A cycle that holds a Qt object (a view's bound method kept by a finished
task, a widget's closure) collected on a worker thread destroys that object
there: its destructor takes Qt's locks and then waits for the GIL, while the GUI
thread, holding the GIL, deletes a widget and waits for the same locks. The app
freezes (seen in the UI tests: a pooled thread opening a cache froze with the
window's teardown). So automatic collection is switched off and a timer on the
GUI thread collects whatever generation is due, as often as the collector
itself would have.

What start-up made (modules, classes, the window) lives as long as the app; at
the timer's first tick, once the event loop runs, it is moved out of the
collector's sight (``gc.freeze``). A full collection then walks only what came
after: at a million members it took 90 ms of the GUI thread (200 ms under load)
walking 160,000 start-up objects, a visible stall while typing.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class MainThreadCollector(QObject):
    """Collects cycles on the GUI thread, checked every ``interval_ms``; :meth:`stop` gives it back."""

    def __init__(self, parent: QObject, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._frozen = False
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold; the objects freed."""
        if not self._frozen:
            self._frozen = True
            # Young garbage first (a cycle just dropped must still be collected), then the rest for good.
            freed = gc.collect(1)
            gc.freeze()
            return freed
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
        return gc.collect(max(due)) if due else 0

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()
