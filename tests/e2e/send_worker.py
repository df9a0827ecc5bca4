"""Sends a cache's outbox to a server, printing a line per answered chunk.

Run as a separate process by the crash tests, which kill it at random
points, and by the two-senders test: ``python send_worker.py PROFILE SERVER
[--cap N] [--wait]``. SERVER is a server's URL, with the token in the
environment variable ``SEND_WORKER_TOKEN`` (test-only; the app reads tokens
from the keyring), the server's kind in ``SEND_WORKER_KIND`` (the registry's
name; ``badgedesk-v1`` when unset) and, for a server that wants one beside the
token (Discourse's ``Api-Username``), the username in ``SEND_WORKER_USERNAME``;
or ``memory:PATH``: a memory server kept in that file, run in this process
(killed with it; the file keeps what it applied).
``--wait``: start sending on a line from standard input. Exits 0 when the
outbox is empty.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop.cache.database import Cache
from desktop.dialects import registry
from desktop.dialects.base import ServerSession
from desktop.dialects.capabilities import Capabilities
from desktop.outbox import Outbox, RetryPolicy, SendProgress


def open_session(server: str) -> ServerSession:
    if server.startswith("memory:"):
        # Imported here: the tests package is on the path only when the test puts it there.
        from tests.fakes.memory_dialect import MemorySession

        return MemorySession.open_file(server)
    # Opened as the app opens a profile's server: through the registry, by its kind.
    opener = registry.dialect(os.environ.get("SEND_WORKER_KIND", registry.DEFAULT_KIND)).open
    return opener(
        server, os.environ["SEND_WORKER_TOKEN"], username=os.environ.get("SEND_WORKER_USERNAME", "")
    )


def main() -> int:
    cache_path, server = sys.argv[1], sys.argv[2]
    cap = int(sys.argv[sys.argv.index("--cap") + 1]) if "--cap" in sys.argv else None
    cache = Cache(Path(cache_path))
    outbox = Outbox(cache)
    print("ready", flush=True)
    if "--wait" in sys.argv:
        # Started with others: all begin sending when the test says so.
        sys.stdin.readline()

    def progress(p: SendProgress) -> None:
        print(f"progress {p.done} {p.total}", flush=True)

    session = open_session(server)
    try:
        report = outbox.send_pending(
            session,
            batch_cap=cap or Capabilities.of(session).batch_cap,
            progress=progress,
            retry=RetryPolicy(attempts=8, first_delay=0.05, max_delay=0.5),
        )
    finally:
        session.close()
    print(f"done {report.applied} {report.noop} {report.conflicts} {report.failed}", flush=True)
    cache.close()
    return 0 if outbox.pending_count() == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
