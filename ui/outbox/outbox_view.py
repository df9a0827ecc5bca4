"""The Outbox pane: what is queued, in flight, confirmed or waiting for the user.

Top: counts per state, the progress of the running send (done / total and
the time left), pause / resume and send now. Middle: batches with their
counts (applied · no-op · conflict · held · failed · unsent), to undo, cancel
or report. Bottom: single actions (those needing the user, the unsent, or a
batch's), to apply anyway, skip, retry or discard.

Everything here reads and writes through the session's background
operations; nothing counts as done before the server confirmed it.

The view lays out and loads; what the buttons do is :mod:`ui.outbox.batch_actions`
(the selected batch) and :mod:`ui.outbox.item_actions` (the selected actions), the
words of the counts and the running send :mod:`ui.outbox.send_texts`.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
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
from desktop.domain import ActionState, Badge, ChangeSet
from desktop.outbox import Batch, BatchSummary, HoldReason, SendProgress, SendReport
from ui.i18n import translated
from ui.operations import LatestOnly
from ui.outbox.batch_actions import BatchActions
from ui.outbox.correct_batch import CorrectBatchDialog
from ui.outbox.item_actions import ItemActions
from ui.outbox.model import ActionTableModel, BatchTableModel
from ui.outbox.send_texts import counts_text, progress_text, report_text
from ui.outbox.send_texts import format_eta as format_eta  # where tests and callers find it
from ui.session.app_session import AppSession
from ui.widgets.export_task import ExportTask
from ui.widgets.load_failure import LoadFailure
from ui.widgets.table_pane import row_table
from ui.widgets.text import plain_label

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
        self.cancel_button = QPushButton(self.tr("&Cancel unsent"))
        self.cancel_button.setObjectName("batchCancel")
        self.cancel_button.setToolTip(
            self.tr("Drop the batch's actions the server has not seen; confirmed ones stay")
        )
        self.export_button = QPushButton(self.tr("E&xport results…"))
        self.export_button.setObjectName("batchExport")
        self.export_button.setToolTip(
            self.tr("A CSV with one line per input row: row, input, member, outcome")
        )
        self.export = ExportTask(
            self, session, self.export_button, self.tr("batch results"), self.message.emit
        )
        self.export.ended = self._update_buttons
        self.batch_actions = BatchActions(
            session,
            self,
            self.export,
            selected=self.selected_batch,
            say=self.message.emit,
            # Through the view: tests replace these two.
            confirm_undo=lambda summary: self.confirm_undo(summary),
            ask_path=lambda summary: self.ask_results_path(summary),
            queued=self._correction_queued,
        )
        # No mnemonic: this pane, the tabs and the menus use every letter of "Correct" (Tab reaches it).
        self.correct_button = QPushButton(self.tr("Correct…"))
        self.correct_button.setObjectName("batchCorrect")
        self.correct_button.setToolTip(
            self.tr("Revoke from some or all of its members, or award them another badge")
        )
        self.undo_button.clicked.connect(self.batch_actions.undo)
        self.cancel_button.clicked.connect(self.batch_actions.cancel_unsent)
        self.export_button.clicked.connect(self.batch_actions.export_selected)
        self.correct_button.clicked.connect(self.batch_actions.correct_selected)
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
        self.item_actions = ItemActions(session, self.selected_entries, self.message.emit)
        self.apply_button.clicked.connect(self.item_actions.apply_anyway)
        self.skip_button = QPushButton(self.tr("S&kip"))
        self.skip_button.setObjectName("itemSkip")
        self.skip_button.clicked.connect(self.item_actions.skip)
        self.retry_button = QPushButton(self.tr("Re&try failed"))
        self.retry_button.setObjectName("itemRetry")
        self.retry_button.clicked.connect(self.item_actions.retry)
        self.discard_button = QPushButton(self.tr("&Discard unsent"))
        self.discard_button.setObjectName("itemDiscard")
        self.discard_button.setToolTip(self.tr("Drop the selected actions the server has not seen"))
        self.discard_button.clicked.connect(self.item_actions.discard)
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
        splitter.setObjectName("outboxSplitter")
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
        self.counts_label.setText(counts_text(counts))

    def _send_started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Sending…"))

    def _send_progressed(self, progress: SendProgress) -> None:
        self.progress.setRange(0, max(1, progress.total))
        self.progress.setValue(progress.done)
        self.progress.setFormat(progress_text(progress))
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
        self.progress.setFormat(report_text(report))
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

    # --- the batch buttons (ui.outbox.batch_actions) -------------------------------

    @property
    def correct_dialog(self) -> CorrectBatchDialog | None:
        """The open correction, if any."""
        return self.batch_actions.correct_dialog

    def confirm_undo(self, summary: BatchSummary) -> bool:
        """Ask before undoing (tests replace this)."""
        return self.batch_actions.ask_undo(summary)

    def results_file_name(self, summary: BatchSummary) -> str:
        """The name the save dialog suggests for a batch's results: the batch's name, fit for a file."""
        return self.batch_actions.results_file_name(summary)

    def ask_results_path(self, summary: BatchSummary) -> Path | None:
        """Where to save the results CSV (tests replace this)."""
        return self.batch_actions.ask_results_path(summary)

    def export_results(self, batch_id: str, path: Path) -> None:
        """Write one line per input row of the batch to ``path``, on a worker."""
        self.batch_actions.export_results(batch_id, path)

    def correct_batch(self, batch_id: str) -> CorrectBatchDialog:
        """Open the correction of a batch (one at a time): its members → revoke, or another badge."""
        return self.batch_actions.correct_batch(batch_id)

    def _correction_queued(self, batch: Batch) -> None:
        self.pending_select = batch.id
        self.reload()

    def _show_audit(self) -> None:
        summary = self.selected_batch()
        if summary is not None:
            self.show_in_audit.emit(summary.batch.id, summary.batch.title)
