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

What the imports made (modules, classes, constants) lives as long as the app; when
the collector starts, before any window exists, it is moved out of the
collector's sight (``gc.freeze``): a full collection walks only what came after.
Windows are not frozen: the panes sit in reference cycles, and a window closed
by a community switch must still be collected.

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
        gc.disable()
        # Young garbage first (a cycle just dropped must still be collected), then the rest for good.
        gc.collect(1)
        gc.freeze()
        #: Objects in the oldest generation after the last full collection.
        self._long_lived = len(gc.get_objects(2))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold; the objects freed."""
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
