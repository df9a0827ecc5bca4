"""Workers give way to the GUI thread when the cores are busy.

On two cores a keystroke can have three threads wanting one: the complete
list of the last prefix (SQLite, without the GIL), the next block of rows,
and the GUI thread repainting. Measured while typing at a million members,
the GUI thread waited up to 9 ms in a frame for a core (the run-queue time in
``/proc/thread-self/schedstat``), often behind a worker that had woken it
while the other core sat idle (``perf sched timehist``). Every pool thread
therefore runs at a lower priority: alone it runs at full speed, but when
both want a core the GUI thread gets most of it.

Linux gives each thread its own nice value (``setpriority`` on the thread's
id); elsewhere Qt's thread priority maps to the system's.
"""

from __future__ import annotations

import os
import sys
import threading

from PySide6.QtCore import QThread

#: Nice steps below the GUI thread: at 10 a worker gets about a tenth of a core the GUI thread
#: also wants (the kernel weighs 1024 against 110).
WORKER_NICENESS = 10


def lower_this_thread() -> None:
    """Run the calling worker thread below the GUI thread (cheap: one system call when done already)."""
    if sys.platform.startswith("linux"):
        thread = threading.get_native_id()
        try:
            # Relative to the process's (its first thread's) own: never asks for more than it has.
            wanted = min(19, os.getpriority(os.PRIO_PROCESS, os.getpid()) + WORKER_NICENESS)
            if os.getpriority(os.PRIO_PROCESS, thread) < wanted:
                os.setpriority(os.PRIO_PROCESS, thread, wanted)
        except OSError:
            pass  # a sandbox that forbids it: the workers share the cores as before
    else:
        current = QThread.currentThread()
        if current is not None and current.priority() != QThread.Priority.LowPriority:
            current.setPriority(QThread.Priority.LowPriority)
