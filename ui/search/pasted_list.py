"""The Members pane's pasted list: ask for usernames or emails, find them, say who was not found.

The names are resolved on a worker under the pane's results ticket (a newer
query drops a resolution still running); the pane then shows and selects the
members found. Messages keep the ``MemberSearchView`` context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop import failures
from desktop.member_search import Resolution, resolve_identifiers
from ui.i18n import format_number
from ui.operations import LatestOnly
from ui.search.dialogs import ask_pasted_list
from ui.session.app_session import AppSession

#: Names listed at most in the "not found" message.
_NAMES_SHOWN = 20


def resolution_message(resolution: Resolution) -> str:
    """What the status bar says of a pasted list: the names not found, or that all were."""
    missing = len(resolution.not_found)
    if missing > _NAMES_SHOWN:
        text = QCoreApplication.translate(
            "MemberSearchView", "%Ln not found: {names} and {more} more", "", missing
        )
        names = ", ".join(resolution.not_found[:_NAMES_SHOWN])
        return text.format(names=names, more=format_number(missing - _NAMES_SHOWN))
    if missing:
        names = ", ".join(resolution.not_found)
        return QCoreApplication.translate("MemberSearchView", "%Ln not found: {names}", "", missing).format(
            names=names
        )
    found = len(resolution.found)
    return QCoreApplication.translate("MemberSearchView", "All %Ln members found.", "", found)


class PastedList:
    """Resolves pasted lists for the pane ``parent``; GUI thread only.

    ``start(name, work, **handlers)`` runs the resolution (the pane counts it as a
    search); ``resolved(resolution)`` shows its members; ``say`` tells the status bar.
    """

    def __init__(
        self,
        session: AppSession,
        parent: QWidget,
        results: LatestOnly,
        *,
        start: Callable[..., None],
        resolved: Callable[[Resolution], None],
        say: Callable[[str], None],
    ) -> None:
        self.session = session
        self.parent = parent
        self.results = results
        self.start = start
        self.resolved = resolved
        self.say = say

    def ask(self) -> None:
        text = ask_pasted_list(self.parent)
        if text is not None:
            self.select(text)

    def select(self, text: str) -> None:
        """Resolve the names ``text`` lists; the newest query or list wins."""
        cache = self.session.community.cache
        latest = self.results.begin()
        task = failures.changing(QCoreApplication.translate("MemberSearchView", "reading the pasted list"))
        self.start(
            "resolve pasted list",
            lambda _c, _p: resolve_identifiers(cache, text),
            on_success=latest(self.resolved),
            on_failure=latest(self._failed(task)),
        )

    def _failed(self, task: failures.Task) -> Any:
        return lambda error: self.say(self.session.describe(error, task).message)
