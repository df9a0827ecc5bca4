"""What the Outbox pane's buttons under the batches table do to the selected batch.

Undo it (after asking), cancel its unsent actions, export its results to a CSV
(on a worker, cancellable), or open its correction (one dialog at a time). The
view owns the buttons and passes in how to ask and what is selected; messages
keep the ``OutboxView`` context.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.batch_results import export_results_csv
from desktop.cancellation import CancelToken
from desktop.outbox import Batch, BatchSummary
from ui.outbox.correct_batch import CorrectBatchDialog
from ui.session.app_session import AppSession
from ui.widgets.export_task import ExportTask
from ui.widgets.file_names import file_name_part
from ui.widgets.text import confirm


class BatchActions:
    """Acts on the batch ``selected()`` returns, for the dialogs' ``parent``; GUI thread only.

    ``confirm_undo(summary)`` and ``ask_path(summary)`` ask the user (the view's,
    which tests replace); ``queued(batch)`` hears of a correction queued.
    """

    def __init__(
        self,
        session: AppSession,
        parent: QWidget,
        export: ExportTask,
        *,
        selected: Callable[[], BatchSummary | None],
        say: Callable[[str], None],
        confirm_undo: Callable[[BatchSummary], bool],
        ask_path: Callable[[BatchSummary], Path | None],
        queued: Callable[[Batch], None],
    ) -> None:
        self.session = session
        self.parent = parent
        self.export = export
        self.selected = selected
        self.say = say
        self.confirm_undo = confirm_undo
        self.ask_path = ask_path
        self.queued = queued
        #: The open correction, if any.
        self.correct_dialog: CorrectBatchDialog | None = None

    # --- cancel and undo ------------------------------------------------------------

    def cancel_unsent(self) -> None:
        summary = self.selected()
        if summary is None:
            return
        batch_id = summary.batch.id
        self.session.change_outbox(
            "cancel batch",
            lambda outbox: outbox.discard_unsent(batch_id=batch_id),
            on_done=lambda n: self.say(
                QCoreApplication.translate(
                    "OutboxView",
                    "{batch}: %Ln unsent action(s) dropped; what the server confirmed stays.",
                    "",
                    n,
                ).format(batch=summary.batch.title)
            ),
            send=False,
        )

    def ask_undo(self, summary: BatchSummary) -> bool:
        """Ask before undoing ``summary``'s batch."""
        # Two counts, each with its own plural forms, in one sentence.
        unsent = summary.unsent + summary.held + summary.conflict
        dropped = QCoreApplication.translate(
            "OutboxView", "%Ln unsent action(s) (is|are) dropped", "", unsent
        )
        applied = summary.applied
        reversed_ = QCoreApplication.translate("OutboxView", "%Ln change(s) (is|are) reversed", "", applied)
        return confirm(
            self.parent,
            QCoreApplication.translate("OutboxView", "Undo batch"),
            QCoreApplication.translate(
                "OutboxView", "Undo {batch}? {dropped} and {reversed} on the server."
            ).format(batch=summary.batch.title, dropped=dropped, reversed=reversed_),
        )

    def undo(self) -> None:
        summary = self.selected()
        if summary is None or not self.confirm_undo(summary):
            return

        def done(undo: Batch | None) -> None:
            if undo is None:
                self.say(
                    QCoreApplication.translate(
                        "OutboxView", "{batch} undone: its unsent actions were dropped."
                    ).format(batch=summary.batch.title)
                )
            else:
                self.say(
                    QCoreApplication.translate(
                        "OutboxView", "{batch} undone: reversals queued as {undo}."
                    ).format(batch=summary.batch.title, undo=undo.title)
                )

        batch_id = summary.batch.id
        self.session.change_outbox("undo batch", lambda outbox: outbox.undo_batch(batch_id), on_done=done)

    # --- export the results ---------------------------------------------------------

    def results_file_name(self, summary: BatchSummary) -> str:
        """The name the save dialog suggests for a batch's results: the batch's name, fit for a file."""
        return QCoreApplication.translate("OutboxView", "{batch} - results.csv").format(
            batch=file_name_part(summary.batch.title)
        )

    def ask_results_path(self, summary: BatchSummary) -> Path | None:
        """Where to save the results CSV."""
        name = self.results_file_name(summary)
        path, _filter = QFileDialog.getSaveFileName(
            self.parent,
            QCoreApplication.translate("OutboxView", "Export batch results"),
            name,
            QCoreApplication.translate("OutboxView", "CSV files (*.csv)"),
        )
        return Path(path) if path else None

    def export_selected(self) -> None:
        """Ask where, then export the selected batch's results; while one runs the button cancels it."""
        if self.export.running:
            self.export.cancel()
            return
        summary = self.selected()
        if summary is None:
            return
        path = self.ask_path(summary)
        if path is not None:
            self.export_results(summary.batch.id, path)

    def export_results(self, batch_id: str, path: Path) -> None:
        """Write one line per input row of the batch to ``path``, on a worker."""
        cache = self.session.community.cache

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> int:
            return export_results_csv(cache, batch_id, path, progress=report, cancel=cancel)

        self.export.start(
            path,
            work,
            progress_text=lambda rows: QCoreApplication.translate("OutboxView", "%Ln row(s)", "", rows),
            done_text=lambda n: QCoreApplication.translate(
                "OutboxView", "%Ln result row(s) written to {file}.", "", n
            ).format(file=path.name),
        )

    # --- correct --------------------------------------------------------------------

    def correct_selected(self) -> None:
        summary = self.selected()
        if summary is not None:
            self.correct_batch(summary.batch.id)

    def correct_batch(self, batch_id: str) -> CorrectBatchDialog:
        """Open the correction of a batch (one at a time): its members → revoke, or another badge."""
        if self.correct_dialog is not None:
            self.correct_dialog.close()
        dialog = CorrectBatchDialog(self.session, batch_id, parent=self.parent)
        dialog.queued.connect(self._correction_queued)
        dialog.finished.connect(lambda _result: setattr(self, "correct_dialog", None))
        self.correct_dialog = dialog
        dialog.show()
        return dialog

    def _correction_queued(self, batch: Batch) -> None:
        self.say(
            QCoreApplication.translate("OutboxView", "{batch} queued; it is sent in the background.").format(
                batch=batch.title
            )
        )
        self.queued(batch)
