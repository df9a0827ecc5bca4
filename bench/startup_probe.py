"""Run by bench/startup.py in a fresh process: BadgeDesk started through its entry point, watched.

    startup_probe.py app EXPECTED_MEMBERS -- BADGEDESK_ARGS…
    startup_probe.py baseline

``app`` calls ``ui.app.main`` (what the ``badgedesk`` command runs) with the arguments after
``--``; a timer added to its QApplication notes when the main window is shown with the event
loop running, when the Members pane shows its first member, and when it holds the complete
list (the pane idle, one row per member), then quits the app. ``baseline`` shows an empty
QMainWindow in a bare PySide6 process and notes the same first moment. Each prints one JSON
line: seconds since ``BENCH_STARTED`` (the parent's ``time.monotonic()`` just before it
started this process), CPU seconds of the process, resident memory in MB.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any

STARTED = float(os.environ["BENCH_STARTED"])
#: The watch gives up after this long (the figures it has are printed).
LIMIT_S = 120.0
#: The watches made: a connection to a method does not keep its object alive.
WATCHES: list[Watch] = []


def memory_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (the peak) of this process, in MB."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Watch:
    """Polls the app's windows every 2 ms on the GUI thread; a tick runs only while the loop runs."""

    def __init__(self, app: Any, expected: int | None) -> None:
        from PySide6.QtCore import QTimer

        self.app = app
        self.expected = expected
        self.figures: dict[str, float] = {}
        self.timer = QTimer(app)
        self.timer.setInterval(2)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        WATCHES.append(self)

    def note(self, name: str) -> None:
        self.figures[name] = time.monotonic() - STARTED
        self.figures[name + "_cpu"] = cpu_s()

    def tick(self) -> None:
        from PySide6.QtWidgets import QApplication, QMainWindow

        window = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()),
            None,
        )
        if window is None:
            if time.monotonic() - STARTED > LIMIT_S:
                self.finish()
            return
        if "interactive" not in self.figures:
            self.note("interactive")
            self.figures["interactive_rss_mb"] = memory_mb("VmRSS")
        if self.expected is None:
            self.finish()
            return
        members = window.members  # type: ignore[attr-defined]  # BadgeDesk's MainWindow
        model = members.model
        if "first_members" not in self.figures and model.rowCount() > 0:
            shown = model.data(model.index(0, 0))
            if shown not in (None, "…"):
                self.note("first_members")
        if members.idle and model.rowCount() == self.expected:
            self.note("full_list")
            self.finish()
        elif time.monotonic() - STARTED > LIMIT_S:
            self.figures["rows"] = model.rowCount()
            self.finish()

    def finish(self) -> None:
        self.timer.stop()
        self.figures["rss_mb"] = memory_mb("VmRSS")
        self.figures["peak_rss_mb"] = memory_mb("VmHWM")
        print("FIGURES " + json.dumps(self.figures), flush=True)
        self.app.quit()


def run_app(expected: int, argv: list[str]) -> int:
    import ui.app

    make_application = ui.app.make_application

    def make_and_watch(qt_options: Any = ()) -> Any:
        app = make_application(qt_options)
        Watch(app, expected)
        return app

    ui.app.make_application = make_and_watch
    return ui.app.main(argv)


def run_baseline() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 760)
    window.show()
    Watch(app, None)
    return app.exec()


def main() -> int:
    if sys.argv[1] == "baseline":
        return run_baseline()
    return run_app(int(sys.argv[2]), sys.argv[sys.argv.index("--") + 1 :])


if __name__ == "__main__":
    sys.exit(main())
