"""One process sends a profile at a time: the app's sender and the headless runs take turns.

The outbox's claims already keep an action from being sent twice by two senders;
this keeps two *processes* from sending one profile at once, so a headless run
reports only what it saw the server confirm, and the app does not send a batch a
schedule is in the middle of. A headless run holds the turn for its whole run
(sync, dry run, queue, send) and waits for it when the app is sending; the app
holds it for each send and, finding a run holding it, sends later.

An advisory lock on a file in the profile's folder (:func:`desktop.cache.locks.held`):
released by the OS when its process dies, so a crash never leaves a profile locked.

Thread safety: any thread; one process (or open file) holds the turn at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Final

from desktop.cache.locks import LockBusy, held

LOCK_NAME: Final = "sending.lock"


class SendingElsewhere(Exception):
    """Another process (a headless run, or the app) is sending this profile now."""


@contextmanager
def sending_turn(profile_dir: Path) -> Iterator[None]:
    """Hold the profile's sending turn for the ``with`` block, or raise :class:`SendingElsewhere` at once."""
    with ExitStack() as stack:
        try:
            stack.enter_context(held(profile_dir / LOCK_NAME))
        except LockBusy:
            raise SendingElsewhere(f"another process is sending {profile_dir}") from None
        yield
