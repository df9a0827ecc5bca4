"""Sends a cache's outbox (a hand-over) and dies by SIGKILL at one point of it.

``python handover_worker.py PROFILE SERVER POINT``: as ``send_worker.py`` (the
same server argument and environment), killing itself at the ``POINT``-th
event of the send (0-based; -1: never). The events, in order: each request
of the hand-over's session (a read of the holders, a read of a member's
badges, a grant, a revoke) just before it goes out and just after its answer
came back (the answer then lost), and each write transaction of the work file
or the mirror just after it committed (a claim, a step's progress, a step's
mirror write, the end). Prints ``events N`` when it sends to the end alive.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from desktop.cache.database import Cache
from desktop.outbox import Outbox, RetryPolicy
from tests.e2e.send_worker import open_session

_seen = 0
_point = -1


def _event() -> None:
    global _seen
    if _seen == _point:
        os.kill(os.getpid(), signal.SIGKILL)
    _seen += 1


def _around(call: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _event()
        answer = call(*args, **kwargs)
        _event()
        return answer

    return wrapped


def main() -> int:
    global _point
    cache_path, server, point = sys.argv[1], sys.argv[2], int(sys.argv[3])
    _point = point
    original_write = Cache.write

    @contextlib.contextmanager
    def write(self: Cache, *, background: bool = False) -> Iterator[Any]:
        with original_write(self, background=background) as connection:
            yield connection
        _event()

    Cache.write = write  # type: ignore[method-assign]
    cache = Cache(Path(cache_path))
    session = open_session(server)
    directory, writer = session.directory, session.writer
    # The ports' objects may be the session itself: each method is wrapped once.
    directory.awards = _around(directory.awards)  # type: ignore[method-assign]
    for name in ("confirm", "award_batch", "revoke_batch"):
        setattr(writer, name, _around(getattr(writer, name)))
    try:
        Outbox(cache).send_pending(session, retry=RetryPolicy(attempts=4, first_delay=0.05, max_delay=0.2))
    finally:
        session.close()
    print(f"events {_seen}", flush=True)
    cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
