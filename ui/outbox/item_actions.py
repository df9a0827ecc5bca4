"""What the Outbox pane's buttons under the actions table do to the selected actions.

Apply anyway (with the moderator's override), skip, retry the failed, discard
the unsent: each runs through the session's outbox change and tells the status
bar how many actions it changed. Messages keep the ``OutboxView`` context.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from desktop.audit import AuditEntry
from desktop.outbox import Outbox
from ui.session.app_session import AppSession


class ItemActions:
    """Changes the actions ``selected()`` returns; GUI thread only."""

    def __init__(
        self, session: AppSession, selected: Callable[[], list[AuditEntry]], say: Callable[[str], None]
    ) -> None:
        self.session = session
        self.selected = selected
        self.say = say

    def _change_selected(
        self,
        name: str,
        change: Callable[[Outbox, list[int]], int],
        done: Callable[[int], str],
        *,
        send: bool,
    ) -> None:
        """Apply ``change`` to the selected actions; ``done(count)`` is told."""
        ids = [e.id for e in self.selected()]
        self.session.change_outbox(
            name,
            lambda outbox: change(outbox, ids),
            on_done=lambda n: self.say(done(n)),
            send=send,
        )

    def apply_anyway(self) -> None:
        self._change_selected(
            "apply anyway",
            Outbox.apply_anyway,
            lambda n: QCoreApplication.translate(
                "OutboxView", "%Ln action(s) queued again with your override.", "", n
            ),
            send=True,
        )

    def skip(self) -> None:
        self._change_selected(
            "skip actions",
            Outbox.skip,
            lambda n: QCoreApplication.translate("OutboxView", "%Ln action(s) skipped.", "", n),
            send=False,
        )

    def retry(self) -> None:
        self._change_selected(
            "retry actions",
            Outbox.retry_failed,
            lambda n: QCoreApplication.translate("OutboxView", "%Ln failed action(s) queued again.", "", n),
            send=True,
        )

    def discard(self) -> None:
        self._change_selected(
            "discard actions",
            Outbox.discard_unsent,
            lambda n: QCoreApplication.translate("OutboxView", "%Ln unsent action(s) discarded.", "", n),
            send=False,
        )
