"""Where a sync writes: the live mirror, or a new one built beside it (a resync).

Both are written in short transactions, so a send waiting for the writer
waits for one slice, not a page; between transactions the sync lets the
user's work go first and keeps the mirror's write-ahead log bounded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, TypeVar

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cache.mirror_builder import MirrorBuilder
from desktop.cancellation import CancelToken
from desktop.i18n import _

T = TypeVar("T")

#: Rows stored at a time: a send waiting for the writer waits for one of these, not a page.
WRITE_SLICE = 500
#: A transaction goes on with the page's next slice while nobody waits for the writer, up to
#: this long: each commit costs (the full-text index writes a segment at every commit), and
#: a first sync in slices of 500 rows spent a third of its writing time committing.
TRANSACTION_SECONDS = 0.5
#: The mirror's write-ahead log is checkpointed between writes once it is larger than this.
WAL_CHECKPOINT_ABOVE = 16 * 1024 * 1024


class MirrorReplaced(Exception):
    """The mirror file was replaced while this sync wrote to it (a damaged one was set aside)."""

    def __init__(self) -> None:
        super().__init__(
            _("The local copy of the community was replaced during the sync; the next sync fills it again.")
        )


class Target(Protocol):
    """Where a full sync writes: the live mirror, or a new one built beside it."""

    def write(self) -> AbstractContextManager[Connection]: ...

    def sync_state(self) -> dict[str, str]: ...

    def between_writes(self, cancel: CancelToken) -> None: ...

    def user_work_waiting(self) -> bool: ...


class LiveMirror:
    """The mirror the views read, as long as it is the file this sync began with.

    Thread safety: used by the sync's writing thread only.
    """

    def __init__(self, cache: Cache, generation: int) -> None:
        self.cache = cache
        self.generation = generation

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.cache.write(background=True) as connection:
            # Inside the write: a replacement (which waits for every write) is seen here.
            if self.cache.generation != self.generation:
                raise MirrorReplaced()
            yield connection

    def sync_state(self) -> dict[str, str]:
        return self.cache.sync_state()

    def between_writes(self, cancel: CancelToken) -> None:
        self.cache.checkpoint_mirror(above=WAL_CHECKPOINT_ABOVE)
        self.cache.wait_for_user_work(cancel.raise_if_cancelled)

    def user_work_waiting(self) -> bool:
        return self.cache.user_work_waiting()


class NextMirror:
    """A resync's new mirror file; nobody reads it until it is swapped in.

    Thread safety: used by the sync's writing thread only.
    """

    def __init__(self, builder: MirrorBuilder) -> None:
        self.builder = builder

    def write(self) -> AbstractContextManager[Connection]:
        return self.builder.write()

    def sync_state(self) -> dict[str, str]:
        return self.builder.sync_state()

    def between_writes(self, cancel: CancelToken) -> None:
        self.builder.cache.wait_for_user_work(cancel.raise_if_cancelled)

    def user_work_waiting(self) -> bool:
        return self.builder.cache.user_work_waiting()


def write_in_slices(
    target: Target,
    items: Sequence[T],
    store: Callable[[Connection, Sequence[T]], None],
    last: Callable[[Connection], None],
    cancel: CancelToken,
) -> None:
    """Store a page :data:`WRITE_SLICE` rows at a time; ``last`` runs in the last transaction.

    A transaction ends after the slice during which the user's work began to
    wait, or after :data:`TRANSACTION_SECONDS`, or with the page. ``last``
    stores the position the page leads to: a crash between transactions
    stores the page again on resume (the rows are upserted), so nothing is
    lost or doubled. An empty page still writes its position.
    """
    starts = range(0, max(len(items), 1), WRITE_SLICE)
    following = 0
    while following < len(starts):
        target.between_writes(cancel)
        with target.write() as connection:
            began = time.monotonic()
            while True:
                start = starts[following]
                store(connection, items[start : start + WRITE_SLICE])
                following += 1
                if following == len(starts):
                    last(connection)
                    break
                if target.user_work_waiting() or time.monotonic() - began > TRANSACTION_SECONDS:
                    break
