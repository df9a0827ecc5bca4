"""The words of the Outbox pane's top: counts per state and the running send.

Pure text from the sender's figures ("Pending 3 · Sending 0 · …", "12 / 40 sent
· about 5 s left", "Sent: 40 applied · 1 no-op"); the view only shows them.
Messages keep the ``OutboxView`` context they are translated in.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.domain import ActionState
from desktop.outbox import SendProgress, SendReport
from ui.i18n import format_number, translated

#: The count of each state, in the order the counts line reads ("Pending 3 · Sending 0 · …").
_STATE_COUNTS = cast(
    tuple[tuple[ActionState, str], ...],
    (
        (ActionState.PENDING, QT_TRANSLATE_NOOP("OutboxView", "Pending {n}")),
        (ActionState.SENDING, QT_TRANSLATE_NOOP("OutboxView", "Sending {n}")),
        (ActionState.FAILED, QT_TRANSLATE_NOOP("OutboxView", "Failed {n}")),
        (ActionState.CONFLICT, QT_TRANSLATE_NOOP("OutboxView", "Conflict {n}")),
        (ActionState.HELD, QT_TRANSLATE_NOOP("OutboxView", "Held {n}")),
        (ActionState.DONE, QT_TRANSLATE_NOOP("OutboxView", "Done {n}")),
        (ActionState.DISCARDED, QT_TRANSLATE_NOOP("OutboxView", "Discarded {n}")),
    ),
)


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return QCoreApplication.translate("OutboxView", "estimating time left…")
    if seconds < 1:
        return QCoreApplication.translate("OutboxView", "less than a second left")
    # The count in a variable: lupdate skips a translate() whose count is a call.
    if seconds < 90:
        whole = round(seconds)
        return QCoreApplication.translate("OutboxView", "about %n s left", "", whole)
    minutes = round(seconds / 60)
    return QCoreApplication.translate("OutboxView", "about %n min left", "", minutes)


def counts_text(counts: dict[ActionState, int]) -> str:
    """The counts line: every state's count, in the locale's digits."""
    parts = [
        translated("OutboxView", text).format(n=format_number(counts.get(state, 0)))
        for state, text in _STATE_COUNTS
    ]
    return QCoreApplication.translate("OutboxView", "Outbox: {counts}").format(counts=" · ".join(parts))


def progress_text(progress: SendProgress) -> str:
    """Where a running send is: done / total and the time left."""
    return QCoreApplication.translate("OutboxView", "{done} / {total} sent · {time_left}").format(
        done=format_number(progress.done),
        total=format_number(progress.total),
        time_left=format_eta(progress.eta),
    )


def report_text(report: SendReport) -> str:
    """How a send ended: what was applied, no-op, in conflict, held or failed; paused or not."""
    applied, noop = report.applied, report.noop
    parts = [
        QCoreApplication.translate("OutboxView", "%Ln applied", "", applied),
        QCoreApplication.translate("OutboxView", "%Ln no-op", "", noop),
    ]
    conflicts, held, failed = report.conflicts, report.held, report.failed
    if conflicts:
        parts.append(QCoreApplication.translate("OutboxView", "%Ln conflict(s)", "", conflicts))
    if held:
        parts.append(QCoreApplication.translate("OutboxView", "%Ln held", "", held))
    if failed:
        parts.append(QCoreApplication.translate("OutboxView", "%Ln failed", "", failed))
    results = " · ".join(parts)
    if report.paused:
        return QCoreApplication.translate("OutboxView", "Paused after {results}").format(results=results)
    return QCoreApplication.translate("OutboxView", "Sent: {results}").format(results=results)
