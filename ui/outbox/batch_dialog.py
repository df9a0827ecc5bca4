"""Building a batch: members from a selection, a file (open or drop) or pasted text.

The dialog reads the list, lets the user pick the column, runs the dry run
(exact counts of every kind of row, the problem rows with their numbers) and
only then queues the batch. Reading, the dry run and queueing all run in
background operations; the dialog shows their progress and can cancel them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.batches import DryRun, ListSource, dry_run, queue_batch
from desktop.domain import ActionKind, Badge, BadgeState
from desktop.importers.lists import ListFileError, ListFormat, sniff_file, sniff_text
from desktop.outbox import Batch, Outbox
from ui.operations import LatestOnly, Operation
from ui.session.app_session import AppSession
from ui.widgets.text import plain_label

_AGAIN = "close this window and open it again"
_LOADING_BADGES = failures.Task("Loading the badges", after_space=_AGAIN, again=_AGAIN)

#: (object name, label) of the dry-run counts, in the order the report reads.
COUNT_LABELS = (
    ("rows", "Rows read"),
    ("blank", "Blank, skipped"),
    ("duplicates", "Duplicates merged"),
    ("invalid", "Invalid"),
    ("not_found", "Not found"),
    ("inactive", "Suspended or deleted"),
    ("already", "Already hold the badge"),
    ("to_send", "To send"),
)


class BatchDialog(QDialog):
    """Lives on the GUI thread; queues through the session's writer."""

    #: The batch was committed to the outbox.
    queued = Signal(object)

    def __init__(
        self,
        session: AppSession,
        *,
        member_ids: Sequence[int] = (),
        kind: ActionKind = ActionKind.AWARD,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("New batch")
        self.setAcceptDrops(True)
        self.resize(760, 680)
        # Reading a list, and running a dry run: each newer request wins.
        self.latest = LatestOnly(self)
        self.latest_plan = LatestOnly(self)
        self._selection = tuple(member_ids)
        self._source: ListSource | None = ListSource.selection(member_ids) if member_ids else None
        self._format: ListFormat | None = None
        self._badges: list[Badge] = []
        self._plan: DryRun | None = None
        self._running: Operation | None = None

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("batchKind")
        self.kind_combo.addItem("Award a badge", ActionKind.AWARD)
        self.kind_combo.addItem("Revoke a badge", ActionKind.REVOKE)
        self.kind_combo.setCurrentIndex(0 if kind is ActionKind.AWARD else 1)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.badge_combo = QComboBox()
        self.badge_combo.setObjectName("batchBadge")
        self.badge_combo.currentIndexChanged.connect(self._invalidate)

        # File names, CSV headers and errors come from outside: plain text.
        self.source_label = plain_label(name="batchSource", wrap=True)
        self.open_button = QPushButton("&Open file…")
        self.open_button.setObjectName("batchOpen")
        self.open_button.clicked.connect(self._open_file)
        self.selection_button = QPushButton("Use the &selection")
        self.selection_button.setObjectName("batchUseSelection")
        self.selection_button.setVisible(bool(member_ids))
        self.selection_button.clicked.connect(self._use_selection)
        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setObjectName("batchPaste")
        self.paste_edit.setPlaceholderText(
            "…or paste emails or usernames here, one per line or separated by commas"
        )
        self.paste_edit.setMaximumHeight(90)
        self._paste_timer = QTimer(self)
        self._paste_timer.setSingleShot(True)
        self._paste_timer.setInterval(300)
        self._paste_timer.timeout.connect(self._read_paste)
        self.paste_edit.textChanged.connect(self._paste_timer.start)
        self.column_combo = QComboBox()
        self.column_combo.setObjectName("batchColumn")
        self.column_combo.currentIndexChanged.connect(self._column_changed)
        self.header_check = QCheckBox("First row is a header")
        self.header_check.setObjectName("batchHeader")
        self.header_check.setToolTip("Read the list again with or without a header row")
        self.header_check.toggled.connect(self._header_toggled)
        self.format_label = plain_label(name="batchFormat", wrap=True)
        self.preview = QTableWidget(0, 0)
        self.preview.setObjectName("batchPreview")
        self.preview.setMaximumHeight(150)
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        source_box = QGroupBox("Members")
        source_layout = QVBoxLayout(source_box)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.open_button)
        buttons_row.addWidget(self.selection_button)
        buttons_row.addWidget(QLabel("or drop a CSV file on this window"))
        buttons_row.addStretch(1)
        source_layout.addLayout(buttons_row)
        source_layout.addWidget(self.paste_edit)
        source_layout.addWidget(self.source_label)
        column_row = QHBoxLayout()
        column_row.addWidget(QLabel("Column with emails or usernames:"))
        column_row.addWidget(self.column_combo, 1)
        column_row.addWidget(self.header_check)
        source_layout.addLayout(column_row)
        source_layout.addWidget(self.format_label)
        source_layout.addWidget(self.preview)

        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("batchReason")
        self.reason_edit.setPlaceholderText("Why (shown to moderators in the audit log)")
        self.notify_check = QCheckBox("Send the badge's award message to each member")
        self.notify_check.setObjectName("batchNotify")
        self.notify_check.setChecked(True)
        self.message_edit = QPlainTextEdit()
        self.message_edit.setObjectName("batchMessage")
        self.message_edit.setPlaceholderText("Optional: a message for this batch instead of the badge's own")
        self.message_edit.setMaximumHeight(60)
        self.notify_check.toggled.connect(self.message_edit.setEnabled)
        form = QFormLayout()
        form.addRow("Action:", self.kind_combo)
        form.addRow("Badge:", self.badge_combo)
        form.addRow("Reason:", self.reason_edit)
        form.addRow("", self.notify_check)
        form.addRow("Message:", self.message_edit)

        self.dry_run_button = QPushButton("&Dry run")
        self.dry_run_button.setObjectName("batchDryRun")
        self.dry_run_button.setToolTip("Count exactly what would be sent; nothing is queued")
        self.dry_run_button.clicked.connect(self.start_dry_run)
        self.progress = QProgressBar()
        self.progress.setObjectName("batchProgress")
        self.progress.setVisible(False)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setVisible(False)
        self.stop_button.clicked.connect(self._stop)
        run_row = QHBoxLayout()
        run_row.addWidget(self.dry_run_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.stop_button)

        counts_box = QGroupBox("Dry run")
        grid = QGridLayout(counts_box)
        self.count_values: dict[str, QLabel] = {}
        self.count_titles: dict[str, QLabel] = {}
        for i, (key, title) in enumerate(COUNT_LABELS):
            label = QLabel(title)
            value = QLabel("—")
            value.setObjectName(f"count_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(label, i // 4 * 2, i % 4)
            grid.addWidget(value, i // 4 * 2 + 1, i % 4)
            self.count_values[key] = value
            self.count_titles[key] = label
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("batchProblems")
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(110)
        self.problems.setPlaceholderText("Rows that could not be used are listed here with their numbers.")
        grid.addWidget(self.problems, 4, 0, 1, 4)

        self.error_label = plain_label(name="batchError", wrap=True)
        self.error_label.setStyleSheet("color: #b3261e")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.queue_button = self.buttons.addButton("&Queue batch", QDialogButtonBox.ButtonRole.AcceptRole)
        self.queue_button.setObjectName("batchQueue")
        self.queue_button.setEnabled(False)
        self.queue_button.clicked.connect(self.queue)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(source_box)
        layout.addLayout(run_row)
        layout.addWidget(counts_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+O"), self, self._open_file)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start_dry_run)

        self._load_badges()
        self._show_source()

    # --- badges -----------------------------------------------------------------

    @property
    def kind(self) -> ActionKind:
        return ActionKind(self.kind_combo.currentData())

    def _load_badges(self) -> None:
        cache = self.session.community.cache
        self.session.tasks.start(
            "list badges",
            lambda _c, _p: cache.badges(),
            on_success=self._got_badges,
            on_failure=lambda error: self._set_error(self.session.describe(error, _LOADING_BADGES).message),
        )

    def _got_badges(self, badges: list[Badge]) -> None:
        self._badges = sorted(badges, key=lambda b: b.title.casefold())
        self._fill_badges()

    def _fill_badges(self) -> None:
        current = self.badge_id
        self.badge_combo.blockSignals(True)
        self.badge_combo.clear()
        for badge in self._badges:
            # Only published badges can be awarded; any held badge can be revoked.
            if self.kind is ActionKind.AWARD and badge.state is not BadgeState.PUBLISHED:
                continue
            suffix = "" if badge.state is BadgeState.PUBLISHED else f" ({badge.state.value})"
            self.badge_combo.addItem(badge.title + suffix, badge.id)
        index = self.badge_combo.findData(current) if current is not None else -1
        self.badge_combo.setCurrentIndex(max(0, index))
        self.badge_combo.blockSignals(False)
        self._invalidate()

    @property
    def badge_id(self) -> int | None:
        value = self.badge_combo.currentData()
        return int(value) if value is not None else None

    def select_badge(self, badge_id: int) -> None:
        index = self.badge_combo.findData(badge_id)
        if index >= 0:
            self.badge_combo.setCurrentIndex(index)

    def _kind_changed(self) -> None:
        self._fill_badges()
        self.count_titles["already"].setText(
            "Already hold the badge" if self.kind is ActionKind.AWARD else "Do not hold the badge"
        )
        self.notify_check.setEnabled(self.kind is ActionKind.AWARD)
        self.message_edit.setEnabled(self.kind is ActionKind.AWARD and self.notify_check.isChecked())

    # --- the list -----------------------------------------------------------------

    def ask_file(self) -> Path | None:
        """Where to read the list from (tests replace this)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, "Open a member list", "", "Lists (*.csv *.tsv *.txt);;All files (*)"
        )
        return Path(path) if path else None

    def _open_file(self) -> None:
        path = self.ask_file()
        if path is not None:
            self.load_file(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.load_file(Path(urls[0].toLocalFile()))

    def load_file(self, path: Path, *, has_header: bool | None = None) -> None:
        """Sniff the file's encoding, delimiter, header and column (in the background)."""
        self._set_error("")
        self.source_label.setText(f"Reading {path.name}…")
        bind = self.latest.begin()
        self.session.tasks.start(
            "read list",
            lambda _c, _p: sniff_file(path, has_header=has_header),
            on_success=bind(lambda fmt: self._got_format(ListSource.file(path, fmt), fmt)),
            on_failure=bind(lambda error: self._list_failed(path.name, error)),
        )

    def _header_toggled(self, checked: bool) -> None:
        source, fmt = self._source, self._format
        if source is None or fmt is None or fmt.has_header == checked:
            return
        if source.path is not None:
            self.load_file(source.path, has_header=checked)
        elif source.text is not None:
            self._read_paste(has_header=checked)

    def _read_paste(self, has_header: bool | None = None) -> None:
        self.latest.begin()  # a file still being read no longer counts
        text = self.paste_edit.toPlainText()
        if not text.strip():
            if self._source is not None and self._source.text is not None:
                self._source = ListSource.selection(self._selection) if self._selection else None
                self._format = None
                self._show_source()
            return
        try:
            fmt = sniff_text(text, has_header=has_header)
        except ListFileError as error:
            self._list_failed("The pasted text", error)
            return
        self._got_format(ListSource.pasted(text, fmt), fmt)

    def _use_selection(self) -> None:
        self.latest.begin()
        self._source = ListSource.selection(self._selection)
        self._format = None
        self._show_source()

    def _got_format(self, source: ListSource, fmt: ListFormat) -> None:
        self._source = source
        self._format = fmt
        self._show_source()

    def _list_failed(self, name: str, error: Exception) -> None:
        if isinstance(error, ListFileError):
            self._set_error(f"{name} cannot be used: {error}")
        else:
            self._set_error(self.session.describe(error, failures.file_task(f"reading {name}")).message)
        self.source_label.setText("No list.")
        self._invalidate()

    def _show_source(self) -> None:
        source, fmt = self._source, self._format
        self.column_combo.blockSignals(True)
        self.column_combo.clear()
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        if source is None:
            self.source_label.setText(
                "Choose members: open or drop a file, paste a list, or use the selection."
            )
            self.format_label.setText("")
        elif fmt is None:
            self.source_label.setText(f"The {len(source.member_ids):,} members selected in the member list.")
            self.format_label.setText("")
        else:
            self.source_label.setText(f"From {source.name}.")
            self.format_label.setText(fmt.description)
            for i, title in enumerate(fmt.columns):
                self.column_combo.addItem(title or f"Column {i + 1}", i)
            self.column_combo.setCurrentIndex(fmt.column)
            self.preview.setColumnCount(len(fmt.columns))
            self.preview.setHorizontalHeaderLabels(list(fmt.columns))
            self.preview.setRowCount(len(fmt.preview))
            for r, cells in enumerate(fmt.preview):
                for c, cell in enumerate(cells):
                    self.preview.setItem(r, c, QTableWidgetItem(cell))
            if fmt.columns:
                self.preview.selectColumn(fmt.column)
        self.column_combo.setEnabled(fmt is not None and len(fmt.columns) > 1)
        self.column_combo.blockSignals(False)
        self.header_check.blockSignals(True)
        self.header_check.setChecked(fmt is not None and fmt.has_header)
        self.header_check.setEnabled(fmt is not None and not fmt.split_items)
        self.header_check.blockSignals(False)
        self._invalidate()

    def _column_changed(self, index: int) -> None:
        if self._format is None or self._source is None or index < 0:
            return
        self._format = self._format.with_column(index)
        source = self._source
        if source.path is not None:
            self._source = ListSource.file(source.path, self._format)
        elif source.text is not None:
            self._source = ListSource.pasted(source.text, self._format)
        self.format_label.setText(self._format.description)
        self.preview.selectColumn(index)
        self._invalidate()

    # --- dry run and queueing ---------------------------------------------------------

    def _invalidate(self) -> None:
        """Any change of input: the counts shown no longer apply, nor does a dry run still going."""
        self.latest_plan.begin()
        if self._running is not None:
            self._running.cancel()
            self._busy(None, "")
        self._plan = None
        self.queue_button.setEnabled(False)
        self.queue_button.setText("&Queue batch")
        for value in self.count_values.values():
            value.setText("—")
        self.problems.clear()
        self.dry_run_button.setEnabled(self._source is not None and self.badge_id is not None)

    def _set_error(self, text: str) -> None:
        self.error_label.setText(text)

    def _busy(self, op: Operation | None, text: str) -> None:
        self._running = op
        running = op is not None
        self.progress.setVisible(running)
        self.stop_button.setVisible(running)
        self.progress.setRange(0, 0)
        self.progress.setFormat(text)
        self.dry_run_button.setEnabled(not running and self._source is not None)
        if running:
            self.queue_button.setEnabled(False)

    def _set_inputs_enabled(self, enabled: bool) -> None:
        """While queueing, the form cannot change under the batch being committed."""
        for widget in (
            self.kind_combo,
            self.badge_combo,
            self.open_button,
            self.selection_button,
            self.paste_edit,
            self.column_combo,
            self.header_check,
            self.dry_run_button,
        ):
            widget.setEnabled(enabled)
        self.setAcceptDrops(enabled)

    def _matches_form(self, plan: DryRun) -> bool:
        return plan.kind is self.kind and plan.badge_id == self.badge_id and plan.source == self._source

    def _stop(self) -> None:
        if self._running is not None:
            self._running.cancel()

    def start_dry_run(self) -> None:
        source, badge_id = self._source, self.badge_id
        if source is None or badge_id is None or self._running is not None:
            return
        self._invalidate()
        self._set_error("")
        cache = self.session.community.cache
        kind = self.kind
        bind = self.latest_plan.begin()
        finished = bind(lambda _none: self._busy(None, ""))
        op = self.session.tasks.start(
            "dry run",
            lambda cancel, report: dry_run(cache, source, kind, badge_id, cancel=cancel, progress=report),
            on_success=bind(self._got_plan),
            on_failure=bind(lambda error: self._list_failed(source.name, error)),
            on_progress=bind(lambda rows: self.progress.setFormat(f"{rows:,} rows read…")),
            on_finished=lambda: finished(None),
        )
        self._busy(op, "Reading…")

    def _got_plan(self, plan: DryRun) -> None:
        if not self._matches_form(plan):
            return  # the form changed while it ran
        self._plan = plan
        for key, value in plan.counts().items():
            self.count_values[key].setText(f"{value:,}")
        lines = [f"Row {row}: {raw!r} — {problem}" for row, raw, problem in plan.invalid_rows]
        lines += [
            f"Row {row}: {raw!r} — no member with this email or username" for row, raw in plan.not_found_rows
        ]
        shown = len(plan.invalid_rows) + len(plan.not_found_rows)
        hidden = plan.invalid + plan.not_found - shown
        if hidden > 0:
            lines.append(f"… and {hidden:,} more")
        self.problems.setPlainText("\n".join(lines))
        verb = "award" if plan.kind is ActionKind.AWARD else "revoke"
        self.queue_button.setText(f"&Queue {plan.to_send:,} {verb}s")
        self.queue_button.setEnabled(plan.to_send > 0)

    @property
    def plan(self) -> DryRun | None:
        return self._plan

    def queue(self) -> None:
        plan = self._plan
        if plan is None or self._running is not None or not self._matches_form(plan):
            return
        reason = self.reason_edit.text().strip()
        notify = self.notify_check.isChecked() and plan.kind is ActionKind.AWARD
        message = self.message_edit.toPlainText().strip() or None if notify else None

        def commit(outbox: Outbox) -> Batch:
            return queue_batch(outbox, plan, reason=reason, notify=notify, message=message)

        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Queueing…")
        self.queue_button.setEnabled(False)
        self._set_inputs_enabled(False)
        self.session.change_outbox("queue batch", commit, on_done=self._queued, on_failure=self._queue_failed)

    def _queued(self, batch: Batch) -> None:
        # Committed to SQLite: only now is it shown as queued.
        self.progress.setVisible(False)
        self.queued.emit(batch)
        self.accept()

    def _queue_failed(self, error: Exception) -> None:
        self._set_inputs_enabled(True)
        self.progress.setVisible(False)
        self._set_error(self.session.describe(error, failures.changing("queueing the batch")).message)
        self._invalidate()
