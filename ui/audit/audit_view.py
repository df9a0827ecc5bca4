"""The Audit log pane: every action of the outbox, filtered, newest first, exportable.

The log is read from the cache on a worker, a page at a time (keyset paging
by action id); the latest query wins. Typing in the text or batch filter
restarts a short timer; the other filters apply at once. The filter bar is
:mod:`ui.audit.filter_bar`; this module loads, pages and exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget

from desktop import failures
from desktop.audit import AuditEntry, AuditFilter, actors, audit_count, audit_entries, export_audit_csv
from desktop.cancellation import CancelToken
from desktop.domain import ChangeSet
from ui.audit.filter_bar import AuditFilterBar
from ui.audit.model import AuditTableModel
from ui.i18n import format_number
from ui.operations import Operation, while_alive
from ui.session.app_session import AppSession
from ui.widgets.file_names import file_name_part
from ui.widgets.load_failure import NOT_LOADED, LoadFailure
from ui.widgets.paged_log import PagedLog
from ui.widgets.table_pane import row_table
from ui.widgets.text import plain_label

#: Entries per page: the first load and every "Load more".
PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class AuditPage:
    """A first page of the log, with what the filter bar and the count need."""

    entries: list[AuditEntry]
    count: int
    actors: list[str]


class AuditLogView(PagedLog):
    """Lives on the GUI thread."""

    #: A user-facing sentence for the status bar.
    message = Signal(str)

    model: AuditTableModel

    def __init__(
        self, session: AppSession, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(session, parent, page_size=page_size)
        #: The filter of the rows shown ("Load more" pages with it), None before the first load.
        self.shown_filter: AuditFilter | None = None
        self._export: Operation | None = None

        # --- filter bar ---
        self.filters = AuditFilterBar()
        self.filters.changed.connect(self.reload)
        self.filters.typing.connect(self._typing.start)
        self.kind_box = self.filters.kind_box
        self.state_box = self.filters.state_box
        self.actor_box = self.filters.actor_box
        self.batch_box = self.filters.batch_box
        self.text_box = self.filters.text_box
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.filters.focus_text)

        # --- count and export ---
        self.count_label = plain_label(self.tr("Loading the audit log…"), name="auditCount")
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self.reload)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("auditExport")
        self.export_button.setToolTip(self._export_tip())
        self.export_button.clicked.connect(self.export_csv)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.export_button)

        # --- table and paging ---
        self.model = AuditTableModel(self)
        self.table = row_table("auditTable", self.model, self)
        self.table.setAccessibleName(self.tr("Audit log"))
        header = self.table.horizontalHeader()
        for column, width in enumerate((135, 120, 64, 190, 150, 170, 60, 85, 90, 175, 135)):
            # Never narrower than the header's title: a translation may be longer.
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        header.setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda index: self.show_corrected(self.model.entry(index.row())))
        self.more_button.setObjectName("auditMore")
        paging = QHBoxLayout()
        paging.addWidget(self.more_button)
        paging.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.failure)
        layout.addLayout(counts)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)

    # --- state for tests and the main window ------------------------------------------

    @property
    def exporting(self) -> bool:
        return self._export is not None

    def current_filter(self) -> AuditFilter:
        """The filter the bar shows (it may not have run yet while typing)."""
        return self.filters.current_filter()

    # --- filters ------------------------------------------------------------------------

    def show_batch(self, batch_id: str, name: str = "") -> None:
        """Show the whole log of one batch, named ``name`` in the filter; the other filters are cleared."""
        self.filters.clear()
        self.filters.set_batch(batch_id, name)
        self.reload()

    def clear_filters(self) -> None:
        self.filters.clear()
        self.reload()

    # --- loading ------------------------------------------------------------------------

    def wants(self, changes: ChangeSet) -> bool:
        return changes.outbox or changes.reset

    def refresh(self) -> None:
        self.reload(keep_rows=True)

    def reload(self, *, keep_rows: bool = False) -> None:
        """Read the newest page again with the current filter.

        With ``keep_rows`` (after a change to the outbox) as many entries as
        are shown are read again, and the current entry and scroll position
        are kept, so a send finishing does not throw away "Load more" pages.
        """
        self.begin_reload()
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

        self.start_read(
            "read audit log", work, on_success=self._bind(show), on_failure=self._bind(self._failed)
        )

    def _show_page(self, query: AuditFilter, page: AuditPage, current_id: int | None, scroll: int) -> None:
        self.failure.clear()
        self.shown_filter = query
        self.total = page.count
        self.filters.fill_actors(page.actors)
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
        if self.reading or before is None or query is None:
            return
        cache = self.session.community.cache
        limit = self.page_size
        self.start_read(
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
        # NOT_LOADED is English, marked for translation in the LoadFailure context.
        text = QCoreApplication.translate("LoadFailure", NOT_LOADED)
        self.count_label.setText(text)
        self.failure.show_failure(
            self.session.describe(error, failures.loading(self.tr("the audit log"))).message
        )

    def _update_count(self) -> None:
        total, shown = self.total, self.model.rowCount()
        if total == 0:
            filtered = self.shown_filter != AuditFilter()
            text = self.tr("No entries match these filters.") if filtered else self.tr("No actions yet.")
        elif shown < total:
            text = self.tr("%Ln (entry|entries) · showing the newest {shown}", "", total)
            text = text.format(shown=format_number(shown))
        else:
            text = self.tr("%Ln (entry|entries)", "", total)
        self.count_label.setText(text)
        self.update_paging()

    # --- context menu -------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        entry = self.model.entry(index.row())
        batch_id = entry.batch_id
        if not batch_id:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Show only this batch"), lambda: self.show_batch(batch_id, entry.batch))
        menu.addAction(self.tr("Copy batch id"), lambda: QGuiApplication.clipboard().setText(batch_id))
        if entry.corrects_id:
            # The link to the batch this one corrects (a double click on the row follows it too).
            menu.addAction(
                self.tr("Show the corrected batch ({batch})").format(
                    batch=entry.corrects or entry.corrects_id[:6]
                ),
                lambda: self.show_corrected(entry),
            )
        menu.exec(self.table.viewport().mapToGlobal(position))

    def show_corrected(self, entry: AuditEntry) -> None:
        """Follow an entry's "corrects <batch>": show the whole log of the batch it corrects."""
        if entry.corrects_id:
            self.show_batch(entry.corrects_id, entry.corrects)

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
        # A file name: the date stays ISO, so the files sort by it.
        if batch:
            suggested = self.tr("audit-log-batch-{batch}.csv").format(batch=file_name_part(batch))
        else:
            suggested = self.tr("audit-log-{date}.csv").format(date=date.today().isoformat())
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the audit log"), suggested, self.tr("CSV files (*.csv)")
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".csv")

    def export_to(self, path: Path) -> None:
        """Write every entry matching the filter bar to ``path``, on a worker."""
        if self._export is not None:
            self.message.emit(self.tr("An export of the audit log is already running."))
            return
        if self._typing.isActive():
            # The table follows what was typed, like the file.
            self.reload()
        query = self.current_filter()
        cache = self.session.community.cache

        def work(cancel: CancelToken, _report: object) -> int:
            return export_audit_csv(cache, query, path, cancel=cancel)

        def exported(count: int) -> None:
            self.message.emit(
                self.tr("Exported %Ln audit (entry|entries) to {path}", "", count).format(path=path)
            )

        cancelled_text = self.tr("Export cancelled; no file was written.")
        cancelled = while_alive(self, lambda _: self.message.emit(cancelled_text))
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
            self.message.emit(self.tr("Exporting the audit log to {path}…").format(path=path))

    def _export_failed(self, error: Exception) -> None:
        self.message.emit(self.session.describe(error, failures.file_task(self.tr("export"))).message)

    def _set_exporting(self, op: Operation | None) -> None:
        self._export = op
        if op is None:
            self.export_button.setText(self.tr("Export CSV…"))
            self.export_button.setToolTip(self._export_tip())
        else:
            self.export_button.setText(self.tr("Cancel export"))
            self.export_button.setToolTip(self.tr("Stop the export; no file is written"))

    def _export_tip(self) -> str:
        return self.tr("Save every entry that matches the filters, not only those shown")
