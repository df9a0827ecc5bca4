"""The Members pane's revoke of one grant, asked for from the member detail panel.

The revoke is queued as a batch of one (so the Outbox can undo it); the status
bar hears that it was queued, or what a failure means. Messages keep the
``MemberSearchView`` context.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject

from desktop import failures
from desktop.domain import Award
from desktop.grants import grant_label, revoke_grant
from desktop.outbox import Batch
from ui.operations import while_alive
from ui.session.app_session import AppSession


def queue_grant_revoke(
    session: AppSession, owner: QObject, award: Award, badge_title: str, say: Callable[[str], None]
) -> None:
    """Queue the revoke of ``award``; ``say`` is told while ``owner`` lives. GUI thread only."""

    def queued(batch: Batch) -> None:
        say(
            QCoreApplication.translate(
                "MemberSearchView", "Revoke of {badge} ({grant}) queued as {batch}; the Outbox can undo it."
            ).format(badge=badge_title, grant=grant_label(award), batch=batch.title)
        )

    task = failures.changing(QCoreApplication.translate("MemberSearchView", "revoking the grant"))
    session.change_outbox(
        "revoke grant",
        lambda outbox: revoke_grant(outbox, award.id),
        on_done=while_alive(owner, queued),
        on_failure=while_alive(owner, lambda error: say(session.describe(error, task).message)),
    )
