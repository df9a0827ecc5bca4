"""The rule builder's count: how many members the rule selects, counted on a worker as you edit.

Every change restarts a short timer; when it fires the matching members are
counted on the session's pool and only the newest count is shown. A rule with
conditions on posts or trust level, on a server whose members carry neither
(``Capabilities.member_activity``), is not counted: the label says why it
would select no one instead. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from desktop.dialects.capabilities import Capabilities
from desktop.domain import utc_now
from desktop.member_search import MemberQuery, MemberSearch
from desktop.rules import Rule, uses_member_activity
from ui.operations import LatestOnly
from ui.session.app_session import AppSession

COUNT_DEBOUNCE_MS = 250


def activity_unavailable(rule: Rule, capabilities: Capabilities | None) -> bool:
    """Whether ``rule`` asks for posts or trust level that this community's server does not list."""
    return uses_member_activity(rule) and not (capabilities is not None and capabilities.member_activity)


class RuleCounter(QObject):
    """Counts ``rule()`` into ``label``; ``count`` is the last count shown (None: none yet)."""

    def __init__(self, session: AppSession, label: QLabel, rule: Callable[[], Rule], parent: QObject) -> None:
        super().__init__(parent)
        self._session = session
        self._label = label
        self._rule = rule
        self.count: int | None = None
        self._counting = 0
        self._counts = LatestOnly(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(COUNT_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.count_now)

    @property
    def idle(self) -> bool:
        """No count waiting or running (tests wait on this)."""
        return not self._debounce.isActive() and self._counting == 0

    def schedule(self) -> None:
        self.count = None
        self._label.setText(self.tr("Counting…"))
        self._debounce.start()

    def stop(self) -> None:
        self._debounce.stop()
        self._counts.begin()

    def count_now(self) -> None:
        self._debounce.stop()
        rule = self._rule()
        if activity_unavailable(rule, self._session.capabilities):
            self._counts.begin()  # a count still running is not shown over this
            self._label.setText(
                self.tr(
                    "This community's server does not list posts or trust levels: a condition on them"
                    " selects no one here."
                )
            )
            return
        search = MemberSearch(self._session.community.cache)
        query = MemberQuery(rule=rule)
        now = utc_now()
        latest = self._counts.begin()
        started = self._session.tasks.start(
            "count rule",
            lambda _c, _p: search.count(query, now=now),
            on_success=latest(self._counted),
            on_failure=latest(self._count_failed),
            on_finished=self._count_finished,
        )
        if started is not None:
            self._counting += 1

    def _count_finished(self) -> None:
        self._counting -= 1

    def _counted(self, count: int) -> None:
        self.count = count
        self._label.setText(self.tr("%Ln member(s) match this rule.", "", count))

    def _count_failed(self, error: Exception) -> None:
        self._label.setText(
            self.tr("Could not count the members: {error}").format(error=type(error).__name__)
        )
