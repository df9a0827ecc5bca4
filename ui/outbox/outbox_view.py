"""The Outbox pane: what is queued, in flight, confirmed or waiting for the user.

Top: counts per state, the progress of the running send (done / total and
the time left), pause / resume and send now. Middle: batches with their
counts (applied · no-op · conflict · held · failed · unsent), to undo, cancel
or report. Bottom: single actions (those needing the user, the unsent, or a
batch's), to apply anyway, skip, retry or discard.

Everything here reads and writes through the session's background
operations; nothing counts as done before the server confirmed it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.audit import AuditEntry, AuditFilter, audit_entries
from desktop.batches import export_results_csv
from desktop.cancellation import CancelToken
from desktop.domain import ActionState, Badge, ChangeSet
from desktop.outbox import Batch, BatchSummary, HoldReason, Outbox, SendProgress, SendReport
from ui.i18n import format_number, translated
from ui.operations import LatestOnly
from ui.outbox.correct_batch import CorrectBatchDialog
from ui.outbox.model import ActionTableModel, BatchTableModel
from ui.session.app_session import AppSession
from ui.widgets.export_task import ExportTask
from ui.widgets.file_names import file_name_part
from ui.widgets.load_failure import LoadFailure
from ui.widgets.table_pane import row_table
from ui.widgets.text import confirm, plain_label

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
_SHOW = cast(
    tuple[tuple[str, frozenset[ActionState]], ...],
    (
        (
            QT_TRANSLATE_NOOP("OutboxView", "Needs your decision"),
            frozenset({ActionState.FAILED, ActionState.CONFLICT, ActionState.HELD}),
        ),
        (QT_TRANSLATE_NOOP("OutboxView", "Unsent"), frozenset({ActionState.PENDING, ActionState.SENDING})),
        (QT_TRANSLATE_NOOP("OutboxView", "Selected batch"), frozenset[ActionState]()),
        (QT_TRANSLATE_NOOP("OutboxView", "All recent"), frozenset[ActionState]()),
    ),
)
_ITEM_LIMIT = 2000


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


class OutboxView(QWidget):
    """Lives on the GUI thread."""

    #: A user-facing sentence for the status bar.
    message = Signal(str)
    #: The user asked to see a batch in the audit log (its id and its name).
    show_in_audit = Signal(str, str)
    #: The user asked for a new batch.
    new_batch = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.latest_batches = LatestOnly(self)
        self.latest_items = LatestOnly(self)
        self._badges: dict[int, Badge] = {}
        #: A batch to select once the batches are (re)loaded.
        self.pending_select: str | None = None
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(150)
        self._reload_timer.timeout.connect(self.reload)

        self.counts_label = plain_label(self.tr("Outbox: loading…"), name="outboxCounts")
        # Batches, actions and counts are read apart; any that fails is shown until read.
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self._read_again)
        self._failed_reads: set[str] = set()
        self.progress = QProgressBar()
        self.progress.setObjectName("outboxProgress")
        self.progress.setTextVisible(True)
        self.progress.setFormat(self.tr("Idle"))
        self.progress.setValue(0)
        self.pause_button = QPushButton(self.tr("&Pause sending"))
        self.pause_button.setObjectName("outboxPause")
        self.pause_button.setToolTip(
            self.tr("Stop sending after the current chunk; queued actions stay queued")
        )
        self.pause_button.clicked.connect(lambda: session.set_paused(not session.paused))
        self.send_button = QPushButton(self.tr("Send &now"))
        self.send_button.setObjectName("outboxSend")
        self.send_button.clicked.connect(session.sync)
        self.new_button = QPushButton(self.tr("Ne&w batch…"))
        self.new_button.setObjectName("outboxNewBatch")
        self.new_button.setToolTip(self.tr("Award or revoke a badge for a list of members (Ctrl+B)"))
        self.new_button.clicked.connect(self.new_batch)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addWidget(self.progress, 1)
        top.addWidget(self.pause_button)
        top.addWidget(self.send_button)

        self.batch_model = BatchTableModel(self)
        self.batch_table = row_table("batchTable", self.batch_model, self)
        self.batch_table.setAccessibleName(self.tr("Batches"))
        self.batch_table.selectionModel().selectionChanged.connect(self._batch_selected)
        self.undo_button = QPushButton(self.tr("&Undo batch…"))
        self.undo_button.setObjectName("batchUndo")
        self.undo_button.setToolTip(
            self.tr("Drop its unsent actions and reverse what it changed on the server")
        )
        self.undo_button.clicked.connect(self._undo)
        self.cancel_button = QPushButton(self.tr("&Cancel unsent"))
        self.cancel_button.setObjectName("batchCancel")
        self.cancel_button.setToolTip(
            self.tr("Drop the batch's actions the server has not seen; confirmed ones stay")
        )
        self.cancel_button.clicked.connect(self._cancel_batch)
        self.export_button = QPushButton(self.tr("E&xport results…"))
        self.export_button.setObjectName("batchExport")
        self.export_button.setToolTip(
            self.tr("A CSV with one line per input row: row, input, member, outcome")
        )
        self.export_button.clicked.connect(self._export)
        self.export = ExportTask(
            self, session, self.export_button, self.tr("batch results"), self.message.emit
        )
        self.export.ended = self._update_buttons
        # No mnemonic: this pane, the tabs and the menus use every letter of "Correct" (Tab reaches it).
        self.correct_button = QPushButton(self.tr("Correct…"))
        self.correct_button.setObjectName("batchCorrect")
        self.correct_button.setToolTip(
            self.tr("Revoke from some or all of its members, or award them another badge")
        )
        self.correct_button.clicked.connect(self._correct)
        self.correct_dialog: CorrectBatchDialog | None = None
        self.audit_button = QPushButton(self.tr("Audit &log"))
        self.audit_button.setObjectName("batchAudit")
        self.audit_button.clicked.connect(self._show_audit)
        batch_buttons = QHBoxLayout()
        for button in (
            self.undo_button,
            self.cancel_button,
            self.correct_button,
            self.export_button,
            self.audit_button,
        ):
            batch_buttons.addWidget(button)
        batch_buttons.addStretch(1)
        batch_box = QWidget()
        batch_layout = QVBoxLayout(batch_box)
        batch_layout.setContentsMargins(0, 0, 0, 0)
        batch_layout.addWidget(QLabel(self.tr("Batches")))
        batch_layout.addWidget(self.batch_table)
        batch_layout.addLayout(batch_buttons)

        self.show_combo = QComboBox()
        self.show_combo.setObjectName("outboxShow")
        self.show_combo.setAccessibleName(self.tr("Show outbox items"))
        for title, _states in _SHOW:
            self.show_combo.addItem(translated("OutboxView", title))
        self.show_combo.currentIndexChanged.connect(self._reload_items)
        self.item_model = ActionTableModel(self)
        self.item_table = row_table("outboxItems", self.item_model, self)
        self.item_table.setAccessibleName(self.tr("Outbox items"))
        self.item_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.apply_button = QPushButton(self.tr("Appl&y anyway"))
        self.apply_button.setObjectName("itemApply")
        self.apply_button.setToolTip(
            self.tr("Send with the moderator's override (suspended member, disabled badge, …)")
        )
        self.apply_button.clicked.connect(self._apply_anyway)
        self.skip_button = QPushButton(self.tr("S&kip"))
        self.skip_button.setObjectName("itemSkip")
        self.skip_button.clicked.connect(self._skip)
        self.retry_button = QPushButton(self.tr("Re&try failed"))
        self.retry_button.setObjectName("itemRetry")
        self.retry_button.clicked.connect(self._retry)
        self.discard_button = QPushButton(self.tr("&Discard unsent"))
        self.discard_button.setObjectName("itemDiscard")
        self.discard_button.setToolTip(self.tr("Drop the selected actions the server has not seen"))
        self.discard_button.clicked.connect(self._discard)
        item_buttons = QHBoxLayout()
        # No mnemonic: this pane's buttons and the tabs use every letter of "Show".
        show_label = QLabel(self.tr("Show:"))
        show_label.setBuddy(self.show_combo)
        item_buttons.addWidget(show_label)
        item_buttons.addWidget(self.show_combo)
        item_buttons.addStretch(1)
        for button in (self.apply_button, self.skip_button, self.retry_button, self.discard_button):
            item_buttons.addWidget(button)
        self.items_label = plain_label(name="outboxItemsCount")
        item_box = QWidget()
        item_layout = QVBoxLayout(item_box)
        item_layout.setContentsMargins(0, 0, 0, 0)
        item_layout.addLayout(item_buttons)
        item_layout.addWidget(self.item_table)
        item_layout.addWidget(self.items_label)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(batch_box)
        splitter.addWidget(item_box)
        splitter.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.failure)
        layout.addWidget(self.counts_label)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        header = self.batch_table.horizontalHeader()
        for column, width in {0: 120, 1: 90, 2: 180, 3: 140, 4: 130}.items():
            header.resizeSection(column, width)
        for column in range(5, 13):
            header.resizeSection(column, 70)
        items_header = self.item_table.horizontalHeader()
        for column, width in {0: 120, 1: 80, 2: 220, 3: 180, 4: 80, 5: 300}.items():
            items_header.resizeSection(column, width)

        session.changed.connect(self._on_changed)
        session.outbox_counts.connect(self._show_counts)
        session.outbox_counts_failed.connect(lambda error: self._read_failed("counts", error))
        session.send_started.connect(self._send_started)
        session.send_progress.connect(self._send_progressed)
        session.send_finished.connect(self._send_finished)
        session.paused_changed.connect(self._paused_changed)
        self._update_buttons()

    # --- loading --------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.outbox or changes.reset or changes.badges:
            self._reload_timer.start()

    def reload(self) -> None:
        cache = self.session.community.cache
        outbox = self.session.community.outbox

        def load(_c: object, _p: object) -> tuple[list[BatchSummary], dict[int, Badge]]:
            return outbox.batches(), {b.id: b for b in cache.badges()}

        bind = self.latest_batches.begin()
        self.session.tasks.start(
            "list batches",
            load,
            on_success=bind(self._got_batches),
            on_failure=bind(lambda error: self._read_failed("batches", error)),
        )
        self._reload_items()

    def _read_failed(self, what: str, error: Exception) -> None:
        """Say which read failed instead of "loading…"; Retry reads everything again."""
        self._failed_reads.add(what)
        if what == "counts":
            self.counts_label.setText(self.tr("Outbox: not loaded."))
        elif what == "actions":
            self.items_label.setText(self.tr("Not loaded."))
        task = failures.loading(self.tr("the outbox"))
        self.failure.show_failure(self.session.describe(error, task).message)

    def _read_done(self, what: str) -> None:
        self._failed_reads.discard(what)
        if not self._failed_reads:
            self.failure.clear()

    def _read_again(self) -> None:
        self._failed_reads.clear()
        self.reload()
        self.session.refresh_pending()

    def _got_batches(self, result: tuple[list[BatchSummary], dict[int, Badge]]) -> None:
        self._read_done("batches")
        selected = self.selected_batch()
        rows, self._badges = result
        self.batch_model.set_rows(rows, self._badges)
        wanted = self.pending_select or (selected.batch.id if selected is not None else None)
        if wanted is not None and self.batch_model.row_of(wanted) >= 0:
            self.pending_select = None
            self.select_batch(wanted)
        self._update_buttons()

    def _reload_items(self) -> None:
        cache = self.session.community.cache
        index = self.show_combo.currentIndex()
        states = _SHOW[index][1]
        batch = self.selected_batch()
        if index == 2 and batch is None:
            self.latest_items.begin()  # a load still running is no longer wanted
            self.item_model.set_rows([])
            self.items_label.setText(self.tr("Select a batch to see its actions."))
            return
        query = AuditFilter(states=states, batch_id=batch.batch.id if index == 2 and batch else None)

        def load(_c: object, _p: object) -> list[AuditEntry]:
            return audit_entries(cache, query, limit=_ITEM_LIMIT)

        bind = self.latest_items.begin()
        self.session.tasks.start(
            "list actions",
            load,
            on_success=bind(self._got_items),
            on_failure=bind(lambda error: self._read_failed("actions", error)),
        )

    def _got_items(self, rows: list[AuditEntry]) -> None:
        self._read_done("actions")
        self.item_model.set_rows(rows)
        if not rows:
            self.items_label.setText(self.tr("Nothing here."))
        elif len(rows) >= _ITEM_LIMIT:
            self.items_label.setText(self.tr("%Ln action(s) (newest shown)", "", len(rows)))
        else:
            self.items_label.setText(self.tr("%Ln action(s)", "", len(rows)))
        self._update_buttons()

    # --- state of the sender ----------------------------------------------------

    def _show_counts(self, counts: dict[ActionState, int]) -> None:
        self._read_done("counts")
        parts = [
            translated("OutboxView", text).format(n=format_number(counts.get(state, 0)))
            for state, text in _STATE_COUNTS
        ]
        self.counts_label.setText(self.tr("Outbox: {counts}").format(counts=" · ".join(parts)))

    def _send_started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Sending…"))

    def _send_progressed(self, progress: SendProgress) -> None:
        self.progress.setRange(0, max(1, progress.total))
        self.progress.setValue(progress.done)
        self.progress.setFormat(
            self.tr("{done} / {total} sent · {time_left}").format(
                done=format_number(progress.done),
                total=format_number(progress.total),
                time_left=format_eta(progress.eta),
            )
        )
        # Throttled, not debounced: the counts move while a long send runs.
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def _send_finished(self, report: SendReport | None) -> None:
        self.progress.setRange(0, 1)
        if report is None:
            self.progress.setValue(0)
            self.progress.setFormat(
                self.tr("Not sent (see the status bar)") if self.session.last_error else self.tr("Idle")
            )
            return
        self.progress.setValue(1)
        parts = [self.tr("%Ln applied", "", report.applied), self.tr("%Ln no-op", "", report.noop)]
        if report.conflicts:
            parts.append(self.tr("%Ln conflict(s)", "", report.conflicts))
        if report.held:
            parts.append(self.tr("%Ln held", "", report.held))
        if report.failed:
            parts.append(self.tr("%Ln failed", "", report.failed))
        results = " · ".join(parts)
        if report.paused:
            self.progress.setFormat(self.tr("Paused after {results}").format(results=results))
        else:
            self.progress.setFormat(self.tr("Sent: {results}").format(results=results))
        self._reload_timer.start()

    def _paused_changed(self, paused: bool) -> None:
        self.pause_button.setText(self.tr("Resume sendin&g") if paused else self.tr("&Pause sending"))
        if paused:
            self.progress.setFormat(self.tr("Paused: nothing is sent until you resume"))

    # --- selection ----------------------------------------------------------------

    def selected_batch(self) -> BatchSummary | None:
        rows = self.batch_table.selectionModel().selectedRows()
        return self.batch_model.summary(rows[0].row()) if rows else None

    def select_batch(self, batch_id: str) -> None:
        row = self.batch_model.row_of(batch_id)
        if row >= 0:
            self.batch_table.selectRow(row)

    def selected_entries(self) -> list[AuditEntry]:
        return [self.item_model.entry(i.row()) for i in self.item_table.selectionModel().selectedRows()]

    def _batch_selected(self) -> None:
        if self.show_combo.currentIndex() == 2:
            self._reload_items()
        self._update_buttons()

    def _update_buttons(self) -> None:
        batch = self.selected_batch()
        self.undo_button.setEnabled(batch is not None and batch.batch.undone_by is None)
        self.cancel_button.setEnabled(
            batch is not None and bool(batch.pending or batch.held or batch.conflict or batch.failed)
        )
        # While an export runs, the button cancels it.
        self.export_button.setEnabled(batch is not None or self.export.running)
        self.audit_button.setEnabled(batch is not None)
        self.correct_button.setEnabled(batch is not None and batch.applied > 0)
        entries = self.selected_entries()
        waiting = (ActionState.HELD, ActionState.CONFLICT)
        self.apply_button.setEnabled(
            any(
                e.state in waiting and e.hold_reason is not None and HoldReason(e.hold_reason).forceable
                for e in entries
            )
        )
        self.skip_button.setEnabled(any(e.state.needs_user for e in entries))
        self.retry_button.setEnabled(any(e.state is ActionState.FAILED for e in entries))
        self.discard_button.setEnabled(
            any(e.state in (ActionState.PENDING, *waiting, ActionState.FAILED) for e in entries)
        )

    # --- actions ------------------------------------------------------------------

    def _change_selected(
        self,
        name: str,
        change: Callable[[Outbox, list[int]], int],
        done: Callable[[int], str],
        *,
        send: bool,
    ) -> None:
        """Apply ``change`` to the selected actions; ``done(count)`` is told."""
        ids = [e.id for e in self.selected_entries()]
        self.session.change_outbox(
            name,
            lambda outbox: change(outbox, ids),
            on_done=lambda n: self.message.emit(done(n)),
            send=send,
        )

    def _apply_anyway(self) -> None:
        self._change_selected(
            "apply anyway",
            Outbox.apply_anyway,
            lambda n: self.tr("%Ln action(s) queued again with your override.", "", n),
            send=True,
        )

    def _skip(self) -> None:
        self._change_selected(
            "skip actions", Outbox.skip, lambda n: self.tr("%Ln action(s) skipped.", "", n), send=False
        )

    def _retry(self) -> None:
        self._change_selected(
            "retry actions",
            Outbox.retry_failed,
            lambda n: self.tr("%Ln failed action(s) queued again.", "", n),
            send=True,
        )

    def _discard(self) -> None:
        self._change_selected(
            "discard actions",
            Outbox.discard_unsent,
            lambda n: self.tr("%Ln unsent action(s) discarded.", "", n),
            send=False,
        )

    def _cancel_batch(self) -> None:
        summary = self.selected_batch()
        if summary is None:
            return
        batch_id = summary.batch.id
        self.session.change_outbox(
            "cancel batch",
            lambda outbox: outbox.discard_unsent(batch_id=batch_id),
            on_done=lambda n: self.message.emit(
                self.tr(
                    "{batch}: %Ln unsent action(s) dropped; what the server confirmed stays.", "", n
                ).format(batch=summary.batch.title)
            ),
            send=False,
        )

    def confirm_undo(self, summary: BatchSummary) -> bool:
        """Ask before undoing (tests replace this)."""
        # Two counts, each with its own plural forms, in one sentence.
        dropped = self.tr(
            "%Ln unsent action(s) (is|are) dropped", "", summary.unsent + summary.held + summary.conflict
        )
        reversed_ = self.tr("%Ln change(s) (is|are) reversed", "", summary.applied)
        return confirm(
            self,
            self.tr("Undo batch"),
            self.tr("Undo {batch}? {dropped} and {reversed} on the server.").format(
                batch=summary.batch.title, dropped=dropped, reversed=reversed_
            ),
        )

    def _undo(self) -> None:
        summary = self.selected_batch()
        if summary is None or not self.confirm_undo(summary):
            return

        def done(undo: Batch | None) -> None:
            if undo is None:
                self.message.emit(
                    self.tr("{batch} undone: its unsent actions were dropped.").format(
                        batch=summary.batch.title
                    )
                )
            else:
                self.message.emit(
                    self.tr("{batch} undone: reversals queued as {undo}.").format(
                        batch=summary.batch.title, undo=undo.title
                    )
                )

        batch_id = summary.batch.id
        self.session.change_outbox("undo batch", lambda outbox: outbox.undo_batch(batch_id), on_done=done)

    def results_file_name(self, summary: BatchSummary) -> str:
        """The name the save dialog suggests for a batch's results: the batch's name, fit for a file."""
        return self.tr("{batch} - results.csv").format(batch=file_name_part(summary.batch.title))

    def ask_results_path(self, summary: BatchSummary) -> Path | None:
        """Where to save the results CSV (tests replace this)."""
        name = self.results_file_name(summary)
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export batch results"), name, self.tr("CSV files (*.csv)")
        )
        return Path(path) if path else None

    def _export(self) -> None:
        """Ask where, then export the selected batch's results; while one runs the button cancels it."""
        if self.export.running:
            self.export.cancel()
            return
        summary = self.selected_batch()
        if summary is None:
            return
        path = self.ask_results_path(summary)
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
            progress_text=lambda rows: self.tr("%Ln row(s)", "", rows),
            done_text=lambda n: self.tr("%Ln result row(s) written to {file}.", "", n).format(file=path.name),
        )

    def _show_audit(self) -> None:
        summary = self.selected_batch()
        if summary is not None:
            self.show_in_audit.emit(summary.batch.id, summary.batch.title)

    # --- correcting a batch -------------------------------------------------------------

    def _correct(self) -> None:
        summary = self.selected_batch()
        if summary is not None:
            self.correct_batch(summary.batch.id)

    def correct_batch(self, batch_id: str) -> CorrectBatchDialog:
        """Open the correction of a batch (one at a time): its members → revoke, or another badge."""
        if self.correct_dialog is not None:
            self.correct_dialog.close()
        dialog = CorrectBatchDialog(self.session, batch_id, parent=self)
        dialog.queued.connect(self._correction_queued)
        dialog.finished.connect(lambda _result: setattr(self, "correct_dialog", None))
        self.correct_dialog = dialog
        dialog.show()
        return dialog

    def _correction_queued(self, batch: Batch) -> None:
        self.message.emit(self.tr("{batch} queued; it is sent in the background.").format(batch=batch.title))
        self.pending_select = batch.id
        self.reload()
