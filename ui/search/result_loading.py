"""Running the Members pane's queries: the first window at once, then the complete list.

Two operations under one ticket: the first window (a hundred rows and the
matches counted up to a thousand, milliseconds even on a million members) and
the full, ranked id list. A newer query, or :meth:`ResultLoading.cancel` (a
keystroke), drops both and stops them where they run: a superseded complete
list of a short prefix would otherwise keep a core busy for most of a second.
The window is not shown once the full list has arrived. The operations running
are counted, so the pane (and tests) can tell when it is idle.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from PySide6.QtCore import QObject

from desktop.cancellation import CancelToken
from desktop.member_search import FirstResults, MemberQuery, MemberSearch
from ui.operations import LatestOnly, Operation
from ui.search.model import LoadedRows
from ui.search.result_selection import Outcome, complete_results
from ui.session.app_session import AppSession

#: Rows shown at once, before the complete list arrives.
WINDOW = 100
#: Matches counted at once: beyond it the count says "1,000+" until the complete list comes.
COUNTED_AT_ONCE = 1000


class ResultLoading:
    """Runs member queries for ``owner`` on the session's workers, the newest winning; GUI thread only."""

    def __init__(self, owner: QObject, session: AppSession) -> None:
        self.session = session
        #: The ticket of the newest query (or pasted list); older results are dropped.
        self.results = LatestOnly(owner)
        self._searching = 0
        #: The newest query's operations, stopped when it is superseded.
        self._running: list[Operation] = []

    @property
    def busy(self) -> bool:
        """A search-related operation is still running."""
        return self._searching > 0

    def start(self, name: str, work: Any, **handlers: Any) -> None:
        """Start a search-related operation, counted for :attr:`busy`."""
        # Filled once started; the finish handler runs later, from the event loop.
        started: list[Operation] = []
        operation = self.session.tasks.start(
            name, work, on_finished=lambda: self._finished(started), **handlers
        )
        if operation is not None:
            self._searching += 1
            started.append(operation)
            self._running.append(operation)

    def _finished(self, started: list[Operation]) -> None:
        self._searching -= 1
        for operation in started:
            self._running.remove(operation)

    def cancel(self) -> None:
        """Drop the results on their way and stop the queries that produce them."""
        self.results.begin()
        for operation in self._running:
            operation.cancel()

    def load(
        self,
        search: MemberSearch,
        query: MemberQuery,
        *,
        pasted: Collection[int] | None,
        keep: Collection[int],
        current_id: int | None,
        show_window: Callable[[FirstResults, LoadedRows], None],
        show_all: Callable[[Outcome, LoadedRows], None],
        failed: Callable[[Exception], None],
        read_rows: Callable[[Sequence[int]], LoadedRows],
    ) -> None:
        """Find what ``query`` finds (within ``pasted``), with the rows of ``keep`` and ``current_id``.

        ``show_window`` hears of the first rows unless the complete list came first;
        ``show_all`` of the complete list; ``failed`` of either failing. Each comes with
        its first rows read by ``read_rows`` on the worker, so the table paints them at
        once: no placeholders painted first, no second read and paint right after.
        """

        def full(cancel: CancelToken, _report: Any) -> tuple[Outcome, LoadedRows]:
            outcome = complete_results(search, query, pasted, keep, current_id, cancel)
            return outcome, read_rows(outcome.ids[:WINDOW])

        def first(cancel: CancelToken, _report: Any) -> tuple[FirstResults, LoadedRows]:
            results = search.first_results(query, WINDOW, at_most=COUNTED_AT_ONCE, cancel=cancel)
            return results, read_rows(results.ids)

        self.cancel()
        latest = self.results.begin()
        state = {"complete": False}

        def window(found: tuple[FirstResults, LoadedRows]) -> None:
            if not state["complete"]:
                show_window(*found)

        def complete(found: tuple[Outcome, LoadedRows]) -> None:
            state["complete"] = True
            show_all(*found)

        def window_failed(error: Exception) -> None:
            if not state["complete"]:  # not over the complete list, shown already
                failed(error)

        # The window helps when the full list is slow to come and the window
        # itself is fast (every order has its index, badge count included): not
        # for a pasted list (already small).
        if pasted is None and not keep:
            self.start(
                "first members",
                first,
                on_success=latest(window),
                on_failure=latest(window_failed),
            )
        self.start("search members", full, on_success=latest(complete), on_failure=latest(failed))
