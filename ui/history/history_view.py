"""The History pane: every award and revoke of the community, newest first, searchable and filtered.

The events are :func:`desktop.award_history.award_history`: the server's grants
joined with what this machine sent (with its batch). They are read on a worker,
a page at a time (keyset paging by position); scrolling to the end reads the
next page, as "Load more" does. Typing in the search waits for a pause; the
other filters apply at once; the latest query wins. A row sent in a batch
starts a correction of that batch (:mod:`ui.outbox.correct_batch`, opened by the shell).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.award_history import AwardEvent, EventKind, HistoryQuery, award_history, award_history_count
from desktop.award_history import moderators as history_moderators
from desktop.cancellation import CancelToken
from desktop.domain import Badge, ChangeSet
from ui.history.model import HistoryTableModel
from ui.i18n import format_number, shows_data, translated
from ui.session.app_session import AppSession
from ui.widgets.load_failure import NOT_LOADED, LoadFailure
from ui.widgets.paged_log import PagedLog
from ui.widgets.table_pane import row_table
from ui.widgets.text import plain_label

#: Events per page: the first read and each next one.
PAGE_SIZE = 200

#: The period filter's choices: title, and how far back (None: any time).
PERIODS: tuple[tuple[str, int | None], ...] = (
    (str(QT_TRANSLATE_NOOP("HistoryView", "Any time")), None),
    (str(QT_TRANSLATE_NOOP("HistoryView", "Last 7 days")), 7),
    (str(QT_TRANSLATE_NOOP("HistoryView", "Last 30 days")), 30),
    (str(QT_TRANSLATE_NOOP("HistoryView", "Last 90 days")), 90),
    (str(QT_TRANSLATE_NOOP("HistoryView", "Last 12 months")), 365),
)
#: The kind filter's choices.
KINDS: tuple[tuple[str, frozenset[EventKind]], ...] = (
    (str(QT_TRANSLATE_NOOP("HistoryView", "Awards and revokes")), frozenset()),
    (str(QT_TRANSLATE_NOOP("HistoryView", "Awards")), frozenset({EventKind.AWARD})),
    (str(QT_TRANSLATE_NOOP("HistoryView", "Revokes")), frozenset({EventKind.REVOKE})),
)


def _days_back(days: int) -> datetime:
    """The start of the local day ``days`` days before today: the same all day (the query compares equal)."""
    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    return (today - timedelta(days=days)).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class HistoryPage:
    events: list[AwardEvent]
    count: int
    moderators: list[str]
    badges: list[Badge]


class HistoryView(PagedLog):
    """Lives on the GUI thread."""

    #: A user-facing sentence for the status bar.
    message = Signal(str)
    #: The user asked to correct a batch (its id): the outbox opens the correction.
    correct_batch = Signal(str)

    model: HistoryTableModel

    def __init__(
        self, session: AppSession, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(session, parent, page_size=page_size)
        #: The query of the rows shown (the next pages read with it), None before the first read.
        self.shown_query: HistoryQuery | None = None

        # --- filters ---
        self.text_box = QLineEdit()
        self.text_box.setObjectName("historyText")
        self.text_box.setClearButtonEnabled(True)
        self.text_box.setPlaceholderText(self.tr("Member, badge, moderator or reason"))
        self.text_box.textChanged.connect(lambda _text: self._typing.start())
        self.badge_box = QComboBox()
        self.badge_box.setObjectName("historyBadge")
        self.badge_box.addItem(self.tr("All badges"), None)
        shows_data(self.badge_box, 1)  # the community's badge titles
        self.moderator_box = QComboBox()
        self.moderator_box.setObjectName("historyModerator")
        self.moderator_box.addItem(self.tr("Everyone"), None)
        shows_data(self.moderator_box, 1)  # the moderators' names
        self.period_box = QComboBox()
        self.period_box.setObjectName("historyPeriod")
        for title, _days in PERIODS:
            self.period_box.addItem(translated("HistoryView", title))
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("historyKind")
        for title, _kinds in KINDS:
            self.kind_box.addItem(translated("HistoryView", title))
        for box in (self.badge_box, self.moderator_box, self.period_box, self.kind_box):
            box.currentIndexChanged.connect(lambda _i: self.reload())
        filters = QHBoxLayout()
        for text, field in (
            (self.tr("Sear&ch:"), self.text_box),
            (self.tr("Bad&ge:"), self.badge_box),
            (self.tr("Mo&derator:"), self.moderator_box),
            (self.tr("&Period:"), self.period_box),
            (self.tr("&Kind:"), self.kind_box),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            filters.addWidget(label)
            filters.addWidget(field, 2 if field is self.text_box else 0)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_search)

        # --- count, table, paging ---
        self.count_label = plain_label(self.tr("Loading the history…"), name="historyCount")
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self.reload)
        self.correct_button = QPushButton(self.tr("Correc&t batch…"))
        self.correct_button.setObjectName("historyCorrect")
        self.correct_button.setToolTip(
            self.tr("Revoke from some of the batch's members, or award them another badge (Alt+T)")
        )
        self.correct_button.clicked.connect(self.correct_selected)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.correct_button)
        self.model = HistoryTableModel(self)
        self.table = row_table("historyTable", self.model, self)
        self.table.setAccessibleName(self.tr("History"))
        header = self.table.horizontalHeader()
        for column, width in enumerate((140, 70, 200, 150, 130, 200, 260, 110)):
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.more_button.setObjectName("historyMore")
        paging = QHBoxLayout()
        paging.addWidget(self.more_button)
        paging.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.failure)
        layout.addLayout(counts)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)
        self._update_buttons()

    # --- state for tests and the main window --------------------------------------------

    def focus_search(self) -> None:
        self.text_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_box.selectAll()

    def current_query(self) -> HistoryQuery:
        days = PERIODS[max(0, self.period_box.currentIndex())][1]
        badge = self.badge_box.currentData()
        moderator = self.moderator_box.currentData()
        return HistoryQuery(
            text=self.text_box.text().strip(),
            badge_id=None if badge is None else int(badge),
            moderator=None if moderator is None else str(moderator),
            since=None if days is None else _days_back(days),
            kinds=KINDS[max(0, self.kind_box.currentIndex())][1],
        )

    def selected_event(self) -> AwardEvent | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.award_event(rows[0].row()) if rows else None

    # --- loading ------------------------------------------------------------------------

    def wants(self, changes: ChangeSet) -> bool:
        return changes.outbox or changes.awards or changes.reset or bool(changes.badges or changes.members)

    def reload(self) -> None:
        """Read the newest page again with the filters shown."""
        self.begin_reload()
        query = self.current_query()
        limit = max(self.page_size, self.model.rowCount()) if query == self.shown_query else self.page_size
        cache = self.session.community.cache

        def work(_cancel: CancelToken, _report: object) -> HistoryPage:
            events = award_history(cache, query, limit=limit)
            return HistoryPage(
                events, award_history_count(cache, query), history_moderators(cache), cache.badges()
            )

        self.start_read(
            "read award history",
            work,
            on_success=self._bind(lambda page: self._show_page(query, page)),
            on_failure=self._bind(self._failed),
        )

    def _show_page(self, query: HistoryQuery, page: HistoryPage) -> None:
        self.failure.clear()
        self.shown_query = query
        self.total = page.count
        self._fill(
            self.badge_box, [(b.title, b.id) for b in sorted(page.badges, key=lambda b: b.title.casefold())]
        )
        self._fill(self.moderator_box, [(name, name) for name in page.moderators])
        scroll = self.table.verticalScrollBar().value()
        self.model.set_rows(page.events)
        self.table.verticalScrollBar().setValue(scroll)
        self._update_count()
        self._update_buttons()

    @staticmethod
    def _fill(box: QComboBox, choices: list[tuple[str, object]]) -> None:
        """The choices after the first ("All …"), keeping the current one."""
        current = box.currentData()
        if [(box.itemText(i), box.itemData(i)) for i in range(1, box.count())] == choices:
            return
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for text, data in choices:
            box.addItem(text, data)
        index = box.findData(current) if current is not None else 0
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)

    def _scrolled(self, value: int) -> None:
        """Paged as one scrolls: the end of the table reads the next page."""
        bar = self.table.verticalScrollBar()
        if value >= bar.maximum() and bar.maximum() > 0:
            self.load_more()

    def load_more(self) -> None:
        """Append the next page of older events, with the query of those shown."""
        before = self.model.oldest
        query = self.shown_query
        if self.reading or before is None or query is None or self.model.rowCount() >= self.total:
            return
        cache = self.session.community.cache
        limit = self.page_size
        self.start_read(
            "read more award history",
            lambda _c, _p: award_history(cache, query, limit=limit, before=before),
            on_success=self._bind(self._got_more),
            on_failure=self._bind(self._failed),
        )

    def _got_more(self, events: list[AwardEvent]) -> None:
        self.model.append_rows(events)
        self._update_count()

    def _failed(self, error: Exception) -> None:
        self.count_label.setText(QCoreApplication.translate("LoadFailure", NOT_LOADED))
        self.failure.show_failure(
            self.session.describe(error, failures.loading(self.tr("the award history"))).message
        )

    def _update_count(self) -> None:
        total, shown = self.total, self.model.rowCount()
        if total == 0:
            filtered = self.shown_query != HistoryQuery()
            text = self.tr("No events match these filters.") if filtered else self.tr("No awards yet.")
        elif shown < total:
            text = self.tr("%Ln event(s) · showing the newest {shown}", "", total)
            text = text.format(shown=format_number(shown))
        else:
            text = self.tr("%Ln event(s)", "", total)
        self.count_label.setText(text)
        self.update_paging()

    def _update_buttons(self) -> None:
        event = self.selected_event()
        self.correct_button.setEnabled(event is not None and bool(event.batch_id))

    # --- correcting a batch ---------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        event = self.model.award_event(index.row())
        if not event.batch_id:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Correct this batch…"), self.correct_selected)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def correct_selected(self) -> None:
        event = self.selected_event()
        if event is not None and event.batch_id:
            self.correct_batch.emit(event.batch_id)
