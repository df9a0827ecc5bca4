"""What a running sync reports to its caller, page by page, and how long the rest will take.

Where the server has one rate limit for every client (Discourse's 60 admin
requests a minute), a sync's time is its requests divided by that rate: the
progress says how many requests are left (an estimate where the server gives
no counts) and how long they take at the rate, "members page 12 · ~340
requests left · about 6 min at 60 requests/min".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop.i18n import _, ngettext

#: Requests left to list ``phase`` from a cursor (``None``: from its start) and then every
#: phase after it: (phase, cursor, phase finished) → requests, or None when unknown.
Estimator = Callable[[str, str | None, bool], int | None]
#: How long some requests take at the server's limit, in words ("about 6 min at 60 requests/min").
EtaText = Callable[[int], str]


def phase_name(phase: str) -> str:
    """What a sync's ``phase`` ("members", a key) reads as in the user's language."""
    names = {
        "badges": _("badges"),
        "members": _("members"),
        "suspended": _("suspended members"),
        "awards": _("awards"),
        "groups": _("groups"),
        "requests": _("requests"),
        "changes": _("changes"),
    }
    return names.get(phase, phase)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """``total`` is 0 when unknown (an incremental sync)."""

    phase: str
    done: int
    total: int
    #: Pages of ``phase`` read so far in this run (0: none yet).
    page: int = 0
    #: Requests the sync still needs (None: unknown); an estimate, see ``at_least``.
    requests_left: int | None = None
    #: ``requests_left`` is only a floor: a count the server does not tell is still being read.
    at_least: bool = False
    #: How long the requests left take at the server's limit ("": no limit known).
    eta: str = ""

    def describe(self) -> str:
        """One line for a status bar or a terminal, e.g.
        "members page 12 · ~340 requests left · about 6 min at 60 requests/min"."""
        name = self.phase_name
        parts = [_("{phase} page {page}").format(phase=name, page=f"{self.page:,}") if self.page else name]
        if self.requests_left is not None:
            left = self.requests_left
            if self.at_least:
                shown = ngettext("{n}+ request left", "{n}+ requests left", left)
            else:
                shown = ngettext("~{n} request left", "~{n} requests left", left)
            parts.append(shown.format(n=f"{left:,}"))
            if self.eta:
                parts.append(self.eta)
        return " · ".join(parts)

    @property
    def phase_name(self) -> str:
        """The phase in the user's language ("members"), for display."""
        return phase_name(self.phase)


ProgressCallback = Callable[[SyncProgress], None]


class Meter:
    """Counts a sync's pages and reports each with the requests left and their time.

    Thread safety: the sync's writing thread only.
    """

    def __init__(
        self,
        report: ProgressCallback,
        *,
        estimate: Estimator | None = None,
        eta: EtaText | None = None,
        uncounted: Sequence[str] = (),
    ) -> None:
        self._report = report
        self._estimate = estimate
        self._eta = eta
        #: Phases whose size nobody knows yet (no count from the server, none cached).
        self._uncounted = list(uncounted)
        self._phase = ""
        self._page = 0

    def start(self, phase: str, done: int, total: int, cursor: str | None = None, pages: int = 0) -> None:
        """Before the first page of this run (``cursor``, ``pages``: where a resumed phase stands)."""
        self._phase, self._page = phase, pages
        self._send(phase, done, total, cursor, finished=False)

    def page(self, phase: str, done: int, total: int, next_cursor: str | None) -> None:
        """After a page of ``phase`` is stored; ``next_cursor`` None: the phase is finished."""
        if phase != self._phase:
            self._phase, self._page = phase, 0
        self._page += 1
        finished = next_cursor is None
        if finished and phase in self._uncounted:
            self._uncounted.remove(phase)
        self._send(phase, done, total, next_cursor, finished=finished)

    def _send(self, phase: str, done: int, total: int, cursor: str | None, *, finished: bool) -> None:
        left = None if self._estimate is None else self._estimate(phase, cursor, finished)
        eta = "" if left is None or self._eta is None else self._eta(left)
        self._report(
            SyncProgress(
                phase,
                done,
                total,
                page=self._page,
                requests_left=left,
                at_least=left is not None and bool(self._uncounted),
                eta=eta,
            )
        )
