"""The Review queue pane: triage badge requests by keyboard, one card at a time.

Left, the queue (one row per member and badge: duplicates together), sorted
oldest first or by score and filtered by badge; right, the card of the current
request. A decision key commits the decision to the outbox on the writer and
moves on to the next open card at once; the row says "Saving…" until SQLite
has it, then "queued", then what the server said. A sync that brings new
requests never moves the moderator off the current card.

This module lays the pane out, loads the queue and moves between cards; the
card is :mod:`ui.review.request_card`, what the decision keys do
:mod:`ui.review.decisions`, the keys themselves :mod:`ui.review.keys`, the rows'
context menu :mod:`ui.review.review_menu`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import decision_templates, failures
from desktop.decision_templates import DecisionTemplate
from desktop.domain import ChangeSet
from desktop.review import QueueOrder, RequestGroup, ReviewSnapshot, last_action_id, load_queue
from desktop.settings import Settings
from ui.i18n import format_number, shows_data
from ui.operations import LatestOnly
from ui.review.decisions import ReviewDecisions
from ui.review.keys import REVIEW_SHORTCUTS, command_title
from ui.review.model import SKIPPED, GroupKey, ReviewGroupModel, group_at
from ui.review.request_card import RequestCard
from ui.review.review_menu import ReviewMenu
from ui.review.templates_dialog import DecisionTemplatesDialog
from ui.session.app_session import AppSession
from ui.shortcuts.help_overlay import ShortcutHelpOverlay
from ui.shortcuts.keymap import ShortcutMap
from ui.shortcuts.settings_dialog import ShortcutSettingsDialog
from ui.widgets.load_failure import LoadFailure
from ui.widgets.small_screens import remember_splitters
from ui.widgets.table_pane import row_table
from ui.widgets.text import confirm, plain_label


class ReviewQueueView(QWidget):
    """Lives on the GUI thread."""

    message = Signal(str)

    def __init__(
        self,
        session: AppSession,
        settings: Settings | None = None,
        shortcuts: ShortcutMap | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or Settings()
        self.shortcuts = shortcuts or ShortcutMap(REVIEW_SHORTCUTS, self.settings.shortcuts, self)
        self.templates: list[DecisionTemplate] = decision_templates.templates_from_settings(
            self.settings.decision_templates
        )
        self.latest = LatestOnly(self)
        self.snapshot: ReviewSnapshot | None = None
        self.current_key: GroupKey | None = None
        self._session_start: int | None = None
        self._badge_filter: int | None = None
        #: Run once after the next reload (e.g. select the card an undo brought back).
        self._after_reload: Callable[[], None] | None = None
        #: Milliseconds from a decision key to the next card shown; read by tests and the note.
        self.reaction_ms: list[float] = []
        #: Milliseconds from a decision key to SQLite having it ("queued").
        self.commit_ms: list[float] = []
        #: Replaceable in tests: (parent, title, text) -> yes?
        #: The question may name members: a plain-text box.
        self.confirm: Callable[[QWidget, str, str], bool] = confirm
        #: Replaceable in tests: opens a URL in the browser.
        self.open_url: Callable[[str], object] = lambda url: QDesktopServices.openUrl(QUrl(url))
        #: Replaceable in tests: runs a dialog; returns whether it was accepted.
        self.run_dialog: Callable[[QDialog], bool] = lambda d: d.exec() == QDialog.DialogCode.Accepted
        # What the decision keys do; it reads confirm, run_dialog and the rest from here at each key.
        self.decisions = ReviewDecisions(self)

        self.order = QComboBox()
        self.order.setObjectName("queueOrder")
        order_names = {
            QueueOrder.OLDEST: self.tr("Oldest first"),
            QueueOrder.SCORE: self.tr("Highest score first"),
        }
        for order in QueueOrder:
            self.order.addItem(order_names.get(order, order.label), order.value)
        self.order.setAccessibleName(self.tr("Order of requests"))
        self.badge_filter = QComboBox()
        shows_data(self.badge_filter, our_choices=1)  # the server's badge names and categories
        self.badge_filter.setObjectName("queueBadgeFilter")
        self.badge_filter.setAccessibleName(self.tr("Show requests for badge"))
        self.badge_filter.setMinimumContentsLength(28)
        self.badge_filter.addItem(self.tr("All badges"), None)
        self.count_label = plain_label(self.tr("Loading requests…"), name="queueCount")
        templates_button = QPushButton(self.tr("Templates…"))
        templates_button.setObjectName("editTemplates")
        templates_button.clicked.connect(self.edit_templates)
        shortcuts_button = QPushButton(self.tr("Shortcuts…"))
        shortcuts_button.setObjectName("editShortcuts")
        shortcuts_button.clicked.connect(self.edit_shortcuts)
        help_button = QPushButton("?")
        help_button.setObjectName("shortcutHelpButton")
        help_button.setToolTip(self.tr("Keyboard shortcuts"))
        help_button.setFixedWidth(32)
        # Out of the Tab chain (the queue is worked with single keys); the keyboard reaches
        # the same commands through Settings and the help key.
        templates_button.setProperty("keyboard", "Settings ▸ Deny and return templates…")
        shortcuts_button.setProperty("keyboard", "Settings ▸ Keyboard shortcuts…")
        help_button.setProperty("keyboard", "the ? key")
        help_button.setAccessibleName(self.tr("Keyboard shortcuts"))
        for button in (templates_button, shortcuts_button, help_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QHBoxLayout()
        # Alt+O, Alt+B and Alt+R belong to the tabs: the labels take letters of their own.
        order_label = QLabel(self.tr("Or&der:"))
        order_label.setBuddy(self.order)
        badge_label = QLabel(self.tr("Bad&ge:"))
        badge_label.setBuddy(self.badge_filter)
        top.addWidget(order_label)
        top.addWidget(self.order)
        top.addWidget(badge_label)
        top.addWidget(self.badge_filter)
        top.addWidget(self.count_label, 1)
        top.addWidget(templates_button)
        top.addWidget(shortcuts_button)
        top.addWidget(help_button)

        self.model = ReviewGroupModel()
        self.table = row_table("reviewTable", self.model, self)
        self.table.setAccessibleName(self.tr("Badge requests"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        for column, width in {0: 118, 1: 185, 2: 120, 3: 48}.items():
            # At least as wide as its title, which a translation may make longer.
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.card = RequestCard()
        self.card.open_evidence.connect(self._open_evidence_url)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for id_, text, slot in (
            ("review.approve", self.tr("Approve"), self.approve),
            ("review.deny", self.tr("Deny…"), self.deny),
            ("review.return", self.tr("Return…"), self.return_request),
            ("review.skip", self.tr("Skip"), self.skip),
            ("review.undo", self.tr("Undo"), self.undo),
        ):
            button = QPushButton(text)
            button.setObjectName(id_.replace("review.", "") + "Button")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            # Reached by its own key (rebindable in Settings ▸ Keyboard shortcuts).
            button.setProperty("keyboard", id_)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            self.buttons[id_] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        card_side = QWidget()
        card_layout = QVBoxLayout(card_side)
        card_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.card)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        card_layout.addWidget(scroll, 1)
        card_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("reviewSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(card_side)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([600, 700])
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.failure)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        bindings: dict[str, Callable[[], object]] = {
            "review.approve": self.approve,
            "review.deny": self.deny,
            "review.return": self.return_request,
            "review.skip": self.skip,
            "review.undo": self.undo,
            "review.next": lambda: self.step(1),
            "review.previous": lambda: self.step(-1),
            "review.bulk_approve": self.bulk_approve,
            "review.bulk_deny": self.bulk_deny,
            "review.help": self.toggle_help,
        }
        for id_, command in bindings.items():
            action = self.shortcuts.shortcut_for(id_, self, command)
            # Holding a decision key must not decide a run of cards.
            action.setAutoRepeat(id_ in ("review.next", "review.previous"))
        self._tooltips()
        self.shortcuts.changed.connect(self._tooltips)
        self.help = ShortcutHelpOverlay(self.shortcuts, self, toggle_id="review.help")
        help_button.clicked.connect(self.toggle_help)

        self.order.currentIndexChanged.connect(lambda _i: self.reload())
        self.badge_filter.currentIndexChanged.connect(self._filter_chosen)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        session.changed.connect(self.on_changed)
        #: The rows' context menu (:mod:`ui.review.review_menu`).
        self.row_menu = ReviewMenu(self)

    def showEvent(self, event: QShowEvent) -> None:
        """The queue takes the keyboard when its pane opens: its single-letter keys work at once.

        Its keys act only with the focus inside the pane, and a tab switch (Ctrl+3, a click
        on the tab) leaves it on the tab bar or the pane left behind. Not when the window
        only comes back from being minimised (a spontaneous show): the focus stays where it was.
        """
        super().showEvent(event)
        if not event.spontaneous():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- loading ------------------------------------------------------------------

    def on_changed(self, changes: ChangeSet) -> None:
        if (
            changes.reset
            or changes.requests
            or changes.members
            or changes.badges
            or changes.awards
            or changes.outbox
        ):
            self.reload()

    def reload(self) -> None:
        cache = self.session.community.cache
        order = QueueOrder(self.order.currentData() or QueueOrder.OLDEST.value)
        badge_id = self._badge_filter
        start = self._session_start

        def load(_cancel: object, _report: object) -> tuple[ReviewSnapshot, int]:
            first = start if start is not None else last_action_id(cache)
            return load_queue(cache, order=order, badge_id=badge_id, session_start_action=first), first

        bind = self.latest.begin()
        # Hidden (another tab shown, or the window not yet): after the visible pane's reads.
        self.session.tasks.start(
            "load review queue",
            load,
            on_success=bind(self._loaded),
            on_failure=bind(self._load_failed),
            background=not self.isVisible(),
        )

    def _load_failed(self, error: Exception) -> None:
        """Say so instead of "Loading…"; the cards shown stay, Retry reads again."""
        # The load-failure widget's own words (the same message as its "Not loaded.").
        self.count_label.setText(QCoreApplication.translate("LoadFailure", "Not loaded."))
        self.failure.show_failure(
            self.session.describe(error, failures.loading(self.tr("the review queue"))).message
        )

    def _loaded(self, result: tuple[ReviewSnapshot, int]) -> None:
        self.failure.clear()
        snapshot, start = result
        self._session_start = start
        self.snapshot = snapshot
        scroll = self.table.verticalScrollBar().value()
        selected = {g.key for g in self.selected_groups()}
        keep = self.current_key
        old_row = self.table.currentIndex().row()
        self.table.selectionModel().blockSignals(True)
        try:
            self.model.set_groups(snapshot.groups)
        finally:
            self.table.selectionModel().blockSignals(False)
        self._fill_badge_filter(snapshot)
        left = snapshot.pending_groups
        self.count_label.setText(
            self.tr("%Ln to decide", "", left)
            + " · "
            + self.tr("%Ln pending request(s)", "", snapshot.pending_requests)
            if snapshot.pending_requests
            else self.tr("No pending requests. The queue is clear.")
        )
        self.table.verticalScrollBar().setValue(scroll)
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and self.model.rowCount() > 0:
            if keep is None:
                # First load, or a new filter: the first card still to decide.
                first_open = self._next_open(-1)
                row = first_open if first_open is not None else 0
            else:
                # The current card left the queue (decided elsewhere): stay at the same place.
                row = min(max(old_row, 0), self.model.rowCount() - 1)
        if row is not None:
            self._select_row(row, extra={self.model.row_of(g) for g in selected} - {None, row})
        else:
            self.current_key = None
            self.card.show_group(None)
        if self._after_reload is not None:
            after, self._after_reload = self._after_reload, None
            after()

    def _fill_badge_filter(self, snapshot: ReviewSnapshot) -> None:
        combo = self.badge_filter
        combo.blockSignals(True)
        try:
            combo.clear()
            total = format_number(snapshot.pending_requests)
            combo.addItem(self.tr("All badges ({count})").format(count=total), None)
            for count in snapshot.badge_counts:
                combo.addItem(f"{count.title} ({format_number(count.count)})", count.badge_id)
            if self._badge_filter is not None:
                index = combo.findData(self._badge_filter)
                if index < 0:
                    combo.addItem(self.tr("(no pending requests)"), self._badge_filter)
                    index = combo.count() - 1
                combo.setCurrentIndex(index)
        finally:
            combo.blockSignals(False)

    def _filter_chosen(self, index: int) -> None:
        value = self.badge_filter.itemData(index)
        self._badge_filter = int(value) if value is not None else None
        self.current_key = None
        self.reload()

    def set_badge_filter(self, badge_id: int | None) -> None:
        index = self.badge_filter.findData(badge_id)
        if index >= 0:
            self.badge_filter.setCurrentIndex(index)

    # --- navigation -----------------------------------------------------------------

    def selected_groups(self) -> list[RequestGroup]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [g for g in (self.model.group(r) for r in rows) if g is not None]

    def current_group(self) -> RequestGroup | None:
        return self.model.group(self.table.currentIndex().row())

    def _select_row(self, row: int, extra: set[int | None] | None = None) -> None:
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        for other in extra or ():
            if other is not None:
                self.table.selectionModel().select(
                    self.model.index(other, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )
        self.table.scrollTo(index)
        self.show_current()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        group = group_at(current)
        self.current_key = group.key if group is not None else None
        self.show_current()

    def show_current(self) -> None:
        group = self.current_group()
        self.current_key = group.key if group is not None else None
        self.card.show_group(group, self.model.marked(group.key) if group else None)

    def step(self, delta: int) -> None:
        """J / K: the next or previous row, decided or not."""
        rows = self.model.rowCount()
        if not rows:
            return
        row = self.table.currentIndex().row()
        self._select_row(min(max(row + delta, 0), rows - 1))

    def _next_open(self, row: int, *, skip_skipped: bool = True) -> int | None:
        rows = self.model.rowCount()
        candidates = list(range(row + 1, rows)) + list(range(0, max(row, 0)))
        for candidate in candidates:
            group = self.model.group(candidate)
            if group is None or not self.model.is_open(candidate):
                continue
            if skip_skipped and self.model.marked(group.key) == SKIPPED:
                continue
            return candidate
        if skip_skipped:
            return self._next_open(row, skip_skipped=False)
        return None

    def advance(self, started: float) -> None:
        """Show the next open card; record how long the key took to get there."""
        row = self.table.currentIndex().row()
        following = self._next_open(row)
        if following is not None:
            self._select_row(following)
        else:
            self.show_current()
            self.message.emit(self.tr("Every request in this view is decided."))
        self.reaction_ms.append((time.perf_counter() - started) * 1000)

    def select_after_reload(self, request_id: int) -> None:
        """Once the queue reloads, the card of that request is the current one again."""

        def select(_result: object = None) -> None:
            row = self.model.row_of_request(request_id)
            if row is not None:
                self._select_row(row)

        self._after_reload = select

    # --- decision keys (ReviewDecisions does the work) ---------------------------------------

    def approve(self) -> None:
        self.decisions.approve()

    def deny(self) -> None:
        self.decisions.deny()

    def return_request(self) -> None:
        self.decisions.return_request()

    def bulk_approve(self) -> None:
        self.decisions.bulk_approve()

    def bulk_deny(self) -> None:
        self.decisions.bulk_deny()

    def skip(self) -> None:
        self.decisions.skip()

    def undo(self) -> None:
        """U: take back a decision made here: the current card's, or else the last one."""
        self.decisions.undo()

    # --- the rest -------------------------------------------------------------------------

    def toggle_help(self) -> None:
        self.help.toggle()

    def _open_evidence_url(self, url: str) -> None:
        if not url.lower().startswith(("https://", "http://")):
            self.message.emit(self.tr("Not a web link, not opened: {url}").format(url=url))
            return
        self.open_url(url)

    def edit_templates(self) -> None:
        dialog = DecisionTemplatesDialog(self.templates, self)
        remember_splitters(dialog, self.settings)
        try:
            if self.run_dialog(dialog):
                self.templates = dialog.templates()
                self.settings.decision_templates = decision_templates.templates_to_settings(self.templates)
        finally:
            dialog.deleteLater()

    def edit_shortcuts(self) -> None:
        dialog = ShortcutSettingsDialog(self.shortcuts, self)
        try:
            if self.run_dialog(dialog):
                self.settings.shortcuts = self.shortcuts.overrides()
        finally:
            dialog.deleteLater()

    def _tooltips(self) -> None:
        for id_, button in self.buttons.items():
            key = self.shortcuts.text(id_)
            label = command_title(self.shortcuts.spec(id_))
            button.setToolTip(self.tr("{command} ({key})").format(command=label, key=key) if key else label)
