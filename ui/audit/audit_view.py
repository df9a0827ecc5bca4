"""The Audit log pane: every action of the outbox, filtered, newest first, exportable.

The log is read from the cache on a worker, a page at a time (keyset paging
by action id); the latest query wins. Typing in the text or batch filter
restarts a short timer; the other filters apply at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.audit import AuditEntry, AuditFilter, actors, audit_count, audit_entries, export_audit_csv
from desktop.cancellation import CancelToken
from desktop.domain import ActionKind, ActionState, ChangeSet
from ui.audit.model import AuditTableModel
from ui.operations import LatestOnly, Operation, while_alive
from ui.session.app_session import AppSession
from ui.widgets.load_failure import NOT_LOADED, LoadFailure
from ui.widgets.table_pane import row_table
from ui.widgets.text import plain_label

#: Entries per page: the first load and every "Load more".
PAGE_SIZE = 500
#: Typing in the text or batch filter waits this long before the query runs.
TYPING_DEBOUNCE_MS = 200
#: Outbox changes come in bursts (a send confirms chunk after chunk): reload once.
CHANGE_DEBOUNCE_MS = 300

#: (label, kinds) of the action filter.
KIND_CHOICES: tuple[tuple[str, frozenset[ActionKind]], ...] = (
    ("All actions", frozenset()),
    ("Award", frozenset({ActionKind.AWARD})),
    ("Revoke", frozenset({ActionKind.REVOKE})),
    ("Decision", frozenset({ActionKind.DECIDE})),
    ("Badge edit", frozenset({ActionKind.BADGE_SAVE, ActionKind.BADGE_STATE})),
)
#: (label, states) of the state filter.
STATE_CHOICES: tuple[tuple[str, frozenset[ActionState]], ...] = (
    ("All states", frozenset()),
    *((state.value, frozenset({state})) for state in ActionState),
    ("needs me", frozenset(s for s in ActionState if s.needs_user)),
)
ANYONE = "Anyone"
EXPORT_TIP = "Save every entry that matches the filters, not only those shown"


@dataclass(frozen=True, slots=True)
class AuditPage:
    """A first page of the log, with what the filter bar and the count need."""

    entries: list[AuditEntry]
    count: int
    actors: list[str]


def python_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def start_of_day(day: date) -> datetime:
    """Local midnight, as an aware datetime (the cache stores UTC epochs)."""
    return datetime.combine(day, time()).astimezone()


class AuditLogView(QWidget):
    """Lives on the GUI thread."""

    #: A user-facing sentence for the status bar.
    message = Signal(str)

    def __init__(
        self, session: AppSession, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.page_size = page_size
        self._results = LatestOnly(self)
        #: Binds handlers to the newest reload: a page asked for before a reload is dropped.
        self._bind = self._results.begin()
        self._reading = 0
        self._total = 0
        #: The filter of the rows shown ("Load more" pages with it), None before the first load.
        self.shown_filter: AuditFilter | None = None
        #: The outbox changed while the view was hidden: reload when shown.
        self._stale = True
        self._actors: list[str] = []
        self._export: Operation | None = None

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_DEBOUNCE_MS)
        self._typing.timeout.connect(self.reload)
        self._changes = QTimer(self)
        self._changes.setSingleShot(True)
        self._changes.setInterval(CHANGE_DEBOUNCE_MS)
        self._changes.timeout.connect(lambda: self.reload(keep_rows=True))

        # --- filter bar ---
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("auditKind")
        for label, _kinds in KIND_CHOICES:
            self.kind_box.addItem(label)
        self.state_box = QComboBox()
        self.state_box.setObjectName("auditState")
        for label, _states in STATE_CHOICES:
            self.state_box.addItem(label)
        self.state_box.setItemData(
            len(STATE_CHOICES) - 1,
            "Failed, conflicting or held: waiting for you",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.actor_box = QComboBox()
        self.actor_box.setObjectName("auditActor")
        self.actor_box.addItem(ANYONE)
        self.actor_box.setMinimumContentsLength(14)
        self.actor_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.batch_box = QLineEdit()
        self.batch_box.setObjectName("auditBatch")
        self.batch_box.setPlaceholderText("Batch id…")
        self.batch_box.setToolTip("Actions of the batches whose id starts with this")
        self.batch_box.setClearButtonEnabled(True)
        self.batch_box.setMaximumWidth(130)
        self.text_box = QLineEdit()
        self.text_box.setObjectName("auditText")
        self.text_box.setPlaceholderText("Member or badge…  (Ctrl+F)")
        self.text_box.setToolTip("Part of a member's name, username or email, or of a badge title")
        self.text_box.setClearButtonEnabled(True)
        self.since_check = QCheckBox("From")
        self.since_check.setObjectName("auditSinceOn")
        self.since_edit = self._date_edit("auditSince", QDate.currentDate().addDays(-30))
        self.until_check = QCheckBox("To")
        self.until_check.setObjectName("auditUntilOn")
        self.until_edit = self._date_edit("auditUntil", QDate.currentDate())
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("auditClear")
        self.clear_button.setToolTip("Show every action")

        self.kind_box.currentIndexChanged.connect(self._filter_changed)
        self.state_box.currentIndexChanged.connect(self._filter_changed)
        self.actor_box.currentIndexChanged.connect(self._filter_changed)
        self.batch_box.textChanged.connect(self._typed)
        self.text_box.textChanged.connect(self._typed)
        for check, edit in ((self.since_check, self.since_edit), (self.until_check, self.until_edit)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._filter_changed)
            edit.dateChanged.connect(self._date_changed)
        self.clear_button.clicked.connect(self.clear_filters)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_text_filter)

        bar = QHBoxLayout()
        bar.addWidget(self.text_box, 2)
        for label, widget in (("Action", self.kind_box), ("State", self.state_box), ("Who", self.actor_box)):
            bar.addSpacing(6)
            bar.addWidget(self._label(label, widget))
            bar.addWidget(widget)
        bar.addSpacing(6)
        bar.addWidget(self.batch_box, 1)
        bar.addSpacing(6)
        bar.addWidget(self.since_check)
        bar.addWidget(self.since_edit)
        bar.addWidget(self.until_check)
        bar.addWidget(self.until_edit)
        bar.addWidget(self.clear_button)

        # --- count and export ---
        self.count_label = plain_label("Loading the audit log…", name="auditCount")
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self.reload)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("auditExport")
        self.export_button.setToolTip(EXPORT_TIP)
        self.export_button.clicked.connect(self.export_csv)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.export_button)

        # --- table and paging ---
        self.model = AuditTableModel(self)
        self.table = row_table("auditTable", self.model, self)
        header = self.table.horizontalHeader()
        for column, width in enumerate((135, 120, 64, 190, 150, 170, 60, 85, 90, 175, 135)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.more_button = QPushButton("Load more")
        self.more_button.setObjectName("auditMore")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        paging = QHBoxLayout()
        paging.addWidget(self.more_button)
        paging.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.failure)
        layout.addLayout(counts)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)
        session.changed.connect(self.on_changed)

    @staticmethod
    def _date_edit(name: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        return edit

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # --- state for tests and the main window ------------------------------------------

    @property
    def idle(self) -> bool:
        """No read waiting or running (tests wait on this)."""
        return not self._typing.isActive() and not self._changes.isActive() and self._reading == 0

    @property
    def exporting(self) -> bool:
        return self._export is not None

    def current_filter(self) -> AuditFilter:
        """The filter the bar shows (it may not have run yet while typing)."""
        since = until = None
        if self.since_check.isChecked():
            since = start_of_day(python_date(self.since_edit.date()))
        if self.until_check.isChecked():
            # "To" includes its whole day: up to the next local midnight.
            until = start_of_day(python_date(self.until_edit.date()) + timedelta(days=1))
        actor = self.actor_box.currentText() if self.actor_box.currentIndex() > 0 else None
        return AuditFilter(
            kinds=KIND_CHOICES[max(0, self.kind_box.currentIndex())][1],
            states=STATE_CHOICES[max(0, self.state_box.currentIndex())][1],
            batch_id=self.batch_box.text().strip() or None,
            actor=actor,
            text=self.text_box.text().strip(),
            since=since,
            until=until,
        )

    # --- filters ------------------------------------------------------------------------

    def focus_text_filter(self) -> None:
        self.text_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_box.selectAll()

    def show_batch(self, batch_id: str) -> None:
        """Show the whole log of one batch: the other filters are cleared."""
        self._clear_widgets()
        with QSignalBlocker(self.batch_box):
            self.batch_box.setText(batch_id)
        self.reload()

    def clear_filters(self) -> None:
        self._clear_widgets()
        self.reload()

    def _clear_widgets(self) -> None:
        for box in (self.kind_box, self.state_box, self.actor_box):
            with QSignalBlocker(box):
                box.setCurrentIndex(0)
        for line in (self.batch_box, self.text_box):
            with QSignalBlocker(line):
                line.clear()
        for check, edit in ((self.since_check, self.since_edit), (self.until_check, self.until_edit)):
            with QSignalBlocker(check):
                check.setChecked(False)
            edit.setEnabled(False)

    def _filter_changed(self, *_args: object) -> None:
        self.reload()

    def _typed(self, _text: str) -> None:
        self._typing.start()

    def _date_changed(self, _day: QDate) -> None:
        # Stepping through a date fires for every step; only a checked bound matters.
        if self.since_check.isChecked() or self.until_check.isChecked():
            self._typing.start()

    # --- loading ------------------------------------------------------------------------

    def on_changed(self, changes: ChangeSet) -> None:
        if not (changes.outbox or changes.reset):
            return
        if self.isVisible():
            self._changes.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload(keep_rows=True)

    def _start(self, name: str, work: Any, **handlers: Any) -> None:
        """Start a read of the log, counted for :attr:`idle`."""
        if self.session.tasks.start(name, work, on_finished=self._read_finished, **handlers) is not None:
            self._reading += 1
            self._update_paging()

    def _read_finished(self) -> None:
        self._reading -= 1
        self._update_paging()

    def reload(self, *, keep_rows: bool = False) -> None:
        """Read the newest page again with the current filter.

        With ``keep_rows`` (after a change to the outbox) as many entries as
        are shown are read again, and the current entry and scroll position
        are kept, so a send finishing does not throw away "Load more" pages.
        """
        self._typing.stop()
        self._changes.stop()
        self._stale = False
        query = self.current_filter()
        limit = self.page_size
        current_id: int | None = None
        scroll = 0
        if keep_rows and query == self.shown_filter:
            limit = max(limit, self.model.rowCount())
            current = self.table.currentIndex()
            current_id = self.model.entry(current.row()).id if current.isValid() else None
            scroll = self.table.verticalScrollBar().value()
        cache = self.session.community.cache

        def work(_cancel: CancelToken, _report: object) -> AuditPage:
            entries = audit_entries(cache, query, limit=limit)
            return AuditPage(entries, audit_count(cache, query), actors(cache))

        def show(page: AuditPage) -> None:
            self._show_page(query, page, current_id, scroll)

        self._bind = self._results.begin()
        self._start("read audit log", work, on_success=self._bind(show), on_failure=self._bind(self._failed))

    def _show_page(self, query: AuditFilter, page: AuditPage, current_id: int | None, scroll: int) -> None:
        self.failure.clear()
        self.shown_filter = query
        self._total = page.count
        self._fill_actors(page.actors)
        self.model.set_rows(page.entries)
        if current_id is not None:
            row = self.model.row_of(current_id)
            if row >= 0:
                self.table.selectRow(row)
        self.table.verticalScrollBar().setValue(scroll)
        self._update_count()

    def load_more(self) -> None:
        """Append the next page of older entries, with the filter of those shown."""
        before = self.model.oldest_id
        query = self.shown_filter
        if self._reading or before is None or query is None:
            return
        cache = self.session.community.cache
        limit = self.page_size
        self._start(
            "read more audit log",
            lambda _c, _p: audit_entries(cache, query, limit=limit, before_id=before),
            on_success=self._bind(self._got_more),
            on_failure=self._bind(self._failed),
        )

    def _got_more(self, entries: list[AuditEntry]) -> None:
        self.model.append_rows(entries)
        self._update_count()

    def _failed(self, error: Exception) -> None:
        """Say so instead of "Loading…"; Retry reads the log again with the filter shown."""
        self.count_label.setText(NOT_LOADED)
        self.failure.show_failure(self.session.describe(error, failures.loading("the audit log")).message)

    def _fill_actors(self, names: list[str]) -> None:
        chosen = self.actor_box.currentText() if self.actor_box.currentIndex() > 0 else None
        if chosen is not None and chosen not in names:
            names = sorted([*names, chosen])
        if names == self._actors:
            return
        self._actors = names
        with QSignalBlocker(self.actor_box):
            self.actor_box.clear()
            self.actor_box.addItem(ANYONE)
            self.actor_box.addItems(names)
            if chosen is not None:
                self.actor_box.setCurrentIndex(names.index(chosen) + 1)

    def _update_count(self) -> None:
        total, shown = self._total, self.model.rowCount()
        if total == 0:
            filtered = self.shown_filter != AuditFilter()
            text = "No entries match these filters." if filtered else "No actions yet."
        else:
            text = "1 entry" if total == 1 else f"{total:,} entries"
            if shown < total:
                text += f" · showing the newest {shown:,}"
        self.count_label.setText(text)
        self._update_paging()

    def _update_paging(self) -> None:
        left = self._total - self.model.rowCount()
        self.more_button.setVisible(left > 0)
        self.more_button.setText(f"Load {min(left, self.page_size):,} more")
        self.more_button.setEnabled(self._reading == 0)

    # --- context menu -------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        batch_id = self.model.entry(index.row()).batch_id
        if not batch_id:
            return
        menu = QMenu(self)
        menu.addAction("Show only this batch", lambda: self.show_batch(batch_id))
        menu.addAction("Copy batch id", lambda: QGuiApplication.clipboard().setText(batch_id))
        menu.exec(self.table.viewport().mapToGlobal(position))

    # --- export -------------------------------------------------------------------------

    def export_csv(self) -> None:
        """Ask where, then export; while an export runs the button cancels it."""
        if self._export is not None:
            self._export.cancel()
            return
        path = self._ask_export_path()
        if path is not None:
            self.export_to(path)

    def _ask_export_path(self) -> Path | None:
        """The file chosen in a save dialog, or None (tests replace this)."""
        batch = self.batch_box.text().strip()
        suggested = f"audit-log-batch-{batch[:8]}.csv" if batch else f"audit-log-{date.today():%Y-%m-%d}.csv"
        name, _ = QFileDialog.getSaveFileName(self, "Export the audit log", suggested, "CSV files (*.csv)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".csv")

    def export_to(self, path: Path) -> None:
        """Write every entry matching the filter bar to ``path``, on a worker."""
        if self._export is not None:
            self.message.emit("An export of the audit log is already running.")
            return
        if self._typing.isActive():
            # The table follows what was typed, like the file.
            self.reload()
        query = self.current_filter()
        cache = self.session.community.cache

        def work(cancel: CancelToken, _report: object) -> int:
            return export_audit_csv(cache, query, path, cancel=cancel)

        def exported(count: int) -> None:
            noun = "entry" if count == 1 else "entries"
            self.message.emit(f"Exported {count:,} audit {noun} to {path}")

        cancelled = while_alive(self, lambda _: self.message.emit("Export cancelled; no file was written."))
        finished = while_alive(self, lambda _: self._set_exporting(None))
        op = self.session.tasks.start(
            "export audit log",
            work,
            on_success=while_alive(self, exported),
            on_failure=while_alive(self, self._export_failed),
            on_cancel=lambda: cancelled(None),
            on_finished=lambda: finished(None),
        )
        if op is not None:
            self._set_exporting(op)
            self.message.emit(f"Exporting the audit log to {path}…")

    def _export_failed(self, error: Exception) -> None:
        self.message.emit(self.session.describe(error, failures.file_task("export")).message)

    def _set_exporting(self, op: Operation | None) -> None:
        self._export = op
        if op is None:
            self.export_button.setText("Export CSV…")
            self.export_button.setToolTip(EXPORT_TIP)
        else:
            self.export_button.setText("Cancel export")
            self.export_button.setToolTip("Stop the export; no file is written")
