"""A bound on paging, so a broken or hostile server cannot keep a sync going for ever.

Each page of a listing or of the changes feed is well-formed on its own; what
goes wrong is the sequence. Three signs say a paging loop will not end:

* a cursor the server already gave in this loop (the loop would go round);
* far more items than the server announced (its community summary counts):
  twice the count plus ten pages' worth, which leaves room for what changes
  during the sync (a count the server cannot tell bounds nothing);
* a long run of pages without a single item.

The check runs on each page *before* it is stored, so the page that shows the
problem never reaches the cache; the good pages before it stay (the sync
writes each page with its position and resumes from there).
"""

from __future__ import annotations

from desktop.dialects.base import CommunitySummary
from desktop.i18n import _, ngettext
from desktop.net.errors import RunawayPaging
from desktop.sync.progress import phase_name

#: Announced total × this, plus ``SLACK_PAGES`` pages, is the most one loop may bring.
SLACK_FACTOR = 2
SLACK_PAGES = 10
#: Requests (all states) and the changes feed (revocations and decisions included)
#: have no count of their own: they are measured against everything the
#: community announced, more generously.
UNANNOUNCED_FACTOR = 3
#: A server may skip rows it filters out, but not for ever.
MAX_EMPTY_PAGES = 100
#: Where the server cannot say how many there are: only repeated cursors and
#: runs of empty pages stop the loop, and this (far beyond any community).
UNCOUNTED_MOST = 1_000_000_000


class PageGuard:
    """Watches one paging loop: one phase of a full sync, or one read of the changes feed.

    Thread safety: belongs to the thread running that loop (the sync's fetch thread).
    """

    def __init__(
        self, what: str, most_items: int, start_cursor: str | None = None, *, announced: str = ""
    ) -> None:
        self.what = what
        self.most_items = most_items
        #: What the limit was measured against, for the message ("the 5 it announced").
        self.announced = announced or _("the {n} allowed").format(n=f"{most_items:,}")
        self._seen: set[str] = set() if start_cursor is None else {start_cursor}
        self._items = 0
        self._empty_run = 0

    @classmethod
    def for_phase(
        cls, summary: CommunitySummary, phase: str, page_size: int, start_cursor: str | None
    ) -> PageGuard:
        """For a full sync's listing of ``phase`` (badges, members, awards, requests)."""
        counts = {"badges": summary.badges, "members": summary.members, "awards": summary.awards}
        slack = SLACK_PAGES * page_size
        if phase in summary.unknown or (phase not in counts and summary.unknown):
            return cls(phase, UNCOUNTED_MOST, start_cursor, announced=_("any count (the server gives none)"))
        if phase in counts:
            most = SLACK_FACTOR * counts[phase] + slack
            announced = _("the {n} it announced").format(n=f"{counts[phase]:,}")
        else:
            most, announced = UNANNOUNCED_FACTOR * _everything(summary) + slack, _whole(summary)
        return cls(phase, most, start_cursor, announced=announced)

    @classmethod
    def for_changes(cls, summary: CommunitySummary, page_size: int, since: str) -> PageGuard:
        if summary.unknown:
            return cls("changes", UNCOUNTED_MOST, since, announced=_("any count (the server gives none)"))
        most = UNANNOUNCED_FACTOR * _everything(summary) + SLACK_PAGES * page_size
        return cls("changes", most, since, announced=_whole(summary))

    def check(self, items: int, next_cursor: str | None, more: bool = True) -> None:
        """Call with each page before storing it; raises :class:`RunawayPaging` if the paging cannot end.

        ``more`` is the changes feed's ``has_more``; a listing has more while
        its ``next_cursor`` is set.
        """
        if next_cursor is None or not more:
            return
        if next_cursor in self._seen:
            self._stop(_("it sent a cursor it had already sent, so the pages would go round for ever"))
        self._seen.add(next_cursor)
        self._items += items
        if self._items > self.most_items:
            self._stop(
                ngettext(
                    "{n} item so far, far more than {announced}",
                    "{n} items so far, far more than {announced}",
                    self._items,
                ).format(n=f"{self._items:,}", announced=self.announced)
            )
        self._empty_run = 0 if items else self._empty_run + 1
        if self._empty_run > MAX_EMPTY_PAGES:
            self._stop(
                ngettext(
                    "{n} page in a row without a single item",
                    "{n} pages in a row without a single item",
                    self._empty_run,
                ).format(n=self._empty_run)
            )

    def _stop(self, why: str) -> None:
        raise RunawayPaging(
            _(
                "The server keeps sending pages of {what} ({why}); sync stopped; try again later,"
                " and tell the server's administrator if it happens again"
            ).format(what=phase_name(self.what), why=why)
        )


def _everything(summary: CommunitySummary) -> int:
    return summary.members + summary.badges + summary.awards + summary.requests


def _whole(summary: CommunitySummary) -> str:
    everything = _everything(summary)
    return ngettext(
        "the {n} item the whole community holds", "the {n} items the whole community holds", everything
    ).format(n=f"{everything:,}")
