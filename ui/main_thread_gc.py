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

Like CPython's own collector, a full collection waits until the oldest
generation has grown by a quarter since the last one: every tenth collection
of the middle generation would otherwise walk all of it again (about 67 ms for
the 45,000 objects the panes keep), far more often than anything there dies.
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
        #: Objects in the oldest generation after the last full collection.
        self._long_lived = 0
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
            self._long_lived = len(gc.get_objects(2))
            return freed
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
        if not due:
            return 0
        if 2 in due and len(gc.get_objects(2)) - self._long_lived <= self._long_lived // 4:
            due.remove(2)  # not grown enough: a younger generation if that is due
            if not due:
                return 0
        generation = max(due)
        freed = gc.collect(generation)
        if generation == 2:
            self._long_lived = len(gc.get_objects(2))
        return freed

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()
