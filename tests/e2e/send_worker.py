"""Sends a cache's outbox to a server, printing a line per answered chunk.

Run as a separate process by the crash tests, which kill it at random
points, and by the two-senders test: ``python send_worker.py PROFILE URL
[--cap N] [--wait]`` with the token in the environment variable
``SEND_WORKER_TOKEN`` (test-only; the app reads tokens from the keyring).
``--wait``: start sending on a line from standard input. Exits 0 when the
outbox is empty.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.outbox import Outbox, RetryPolicy, SendProgress


def main() -> int:
    cache_path, url = sys.argv[1], sys.argv[2]
    cap = int(sys.argv[sys.argv.index("--cap") + 1]) if "--cap" in sys.argv else None
    cache = Cache(Path(cache_path))
    outbox = Outbox(cache)
    print("ready", flush=True)
    if "--wait" in sys.argv:
        # Started with others: all begin sending when the test says so.
        sys.stdin.readline()

    def progress(p: SendProgress) -> None:
        print(f"progress {p.done} {p.total}", flush=True)

    with CommunityApiConnector(url, os.environ["SEND_WORKER_TOKEN"]) as connector:
        report = outbox.send_pending(
            connector,
            batch_cap=cap or connector.capabilities().batch_cap,
            progress=progress,
            retry=RetryPolicy(attempts=8, first_delay=0.05, max_delay=0.5),
        )
    print(f"done {report.applied} {report.noop} {report.conflicts} {report.failed}", flush=True)
    cache.close()
    return 0 if outbox.pending_count() == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
