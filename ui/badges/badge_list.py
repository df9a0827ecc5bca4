"""The Badges pane: every badge with icon, state, holders and unsent changes; the designer's door.

Filters by state and category; new, duplicate, edit (the designer), change
state, show the holders; the same on a row's context menu
(:mod:`ui.badges.badge_menu`). Badges made here and not yet on the server are
listed too; where the server keeps no drafts, such a badge is published from
here (Change state → Publish queues its creation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop import failures
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Badge, BadgeState, ChangeSet
from ui.badges.badge_menu import fill_badge_menu
from ui.badges.model import ICON_SIZE, BadgeRole, BadgeRow, BadgeTableModel, load_badge_rows, state_name
from ui.badges.title_actions import TitleActions
from ui.i18n import shows_data
from ui.session.app_session import AppSession
from ui.widgets.row_menu import RowMenu
from ui.widgets.table_pane import TablePane
from ui.widgets.text import Button, confirm

if TYPE_CHECKING:
    # The designer (its fonts, qtawesome's icons) loads when the first one opens, not at start.
    from desktop.designer.drafts import BadgeDrafts
    from ui.designer import BadgeDesigner
    from ui.designer.session import DesignerKey, DesignerSession

ALL = ""
#: The target states of the "Change state" menu, in its order.
STATE_CHANGES = (BadgeState.PUBLISHED, BadgeState.DISABLED, BadgeState.DISCONTINUED)


def _default_ask_text(parent: QWidget, title: str, label: str, text: str) -> str | None:
    value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
    return value if ok else None


class BadgeListView(TablePane):
    """Lives on the GUI thread."""

    message = Signal(str)
    #: *Group check…* on a badge (:class:`~desktop.domain.Badge`): the window opens it.
    group_check_requested = Signal(object)
    #: *Show holders* on a badge (:class:`~desktop.domain.Badge`): the window lists them in Members.
    holders_requested = Signal(object)
    #: A designer window (:class:`~ui.designer.window.BadgeDesigner`) was made, not shown yet.
    designer_opened = Signal(object)

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        self.model = BadgeTableModel()
        super().__init__(
            session,
            self.model,
            name="badgeTable",
            # The QObject is not made yet: self.tr() is not available before super().__init__().
            loading=QCoreApplication.translate("BadgeListView", "Loading badges…"),
            what=QCoreApplication.translate("BadgeListView", "the badges"),
            parent=parent,
        )
        self.table.setAccessibleName(self.tr("Badges"))
        self.table.setIconSize(ICON_SIZE)
        self.table.verticalHeader().setDefaultSectionSize(ICON_SIZE.height() + 8)
        self.set_column_widths({0: 300, 1: 110, 2: 140, 3: 90, 4: 80, 5: 160}, stretch=None)
        header = self.table.horizontalHeader()
        for column in range(6):
            # At least as wide as its title, which a translation may make longer.
            header.resizeSection(column, max(header.sectionSize(column), header.sectionSizeHint(column)))
        self.table.doubleClicked.connect(lambda _index: self.edit())
        #: The sessions of the open designers, filed under their badge or draft.
        self.open_designers: dict[DesignerKey, DesignerSession] = {}
        #: Injectable for tests: (title, label, text) → text or None; (title, text) → yes?
        self.ask_text: Callable[[str, str, str], str | None] = lambda t, lab, x: _default_ask_text(
            self, t, lab, x
        )
        # The question quotes the badge's title: a plain-text box. It asks before discontinuing,
        # which cannot be taken back from here: Enter answers No.
        self.confirm: Callable[[str, str], bool] = lambda t, x: confirm(self, t, x, default=Button.No)
        self._categories: list[str] = []
        #: The community's name (for the designer's previews), once the session knows it.
        self.community_name = ""
        #: Whether the server lets badges be created and changed (its capabilities say).
        self.editable = True
        #: Whether a badge not on the server stays here until published (a server without drafts).
        self.local_drafts = False
        self._build_toolbar()
        session.send_finished.connect(lambda _report: self._refresh_designers())
        session.community_named.connect(self._named)

    @property
    def drafts(self) -> BadgeDrafts:
        return self.session.community.drafts

    # --- layout -----------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QHBoxLayout()
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("badgeStateFilter")
        self.state_filter.setAccessibleName(self.tr("Show badges in state"))
        self.state_filter.addItem(self.tr("All states"), ALL)
        for state in BadgeState:
            self.state_filter.addItem(state_name(state), state.value)
        self.category_filter = QComboBox()
        shows_data(self.category_filter, our_choices=1)  # the server's badge names and categories
        self.category_filter.setObjectName("badgeCategoryFilter")
        self.category_filter.setAccessibleName(self.tr("Show badges in category"))
        self.category_filter.addItem(self.tr("All categories"), ALL)
        for combo in (self.state_filter, self.category_filter):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        show_label = QLabel(self.tr("Sho&w:"))
        show_label.setBuddy(self.state_filter)
        bar.addWidget(show_label)
        bar.addWidget(self.state_filter)
        bar.addWidget(self.category_filter)
        bar.addStretch(1)
        self.new_action = self._action(self.tr("&New badge…"), "Ctrl+N", self.new_badge)
        self.duplicate_action = self._action(self.tr("&Duplicate…"), "Ctrl+D", self.duplicate)
        self.edit_action = self._action(self.tr("&Edit…"), "Ctrl+E", self.edit)
        self.group_check_action = self._action(self.tr("&Group check…"), "Ctrl+G", self.group_check)
        self.group_check_action.setToolTip(
            self.tr("Compare the badge's holders with the members of its group, and fix either list")
        )
        self.holders_action = self._action(self.tr("Show &holders"), "Ctrl+H", self.show_holders)
        self.holders_action.setToolTip(self.tr("List the members who hold the badge in the Members pane"))
        for action in (self.new_action, self.duplicate_action, self.edit_action, self.group_check_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        self.state_button = QPushButton(self.tr("Change state"))
        self.state_menu = QMenu(self.state_button)
        self.state_actions: dict[BadgeState, QAction] = {}
        labels = {
            BadgeState.PUBLISHED: self.tr("&Publish"),
            BadgeState.DISABLED: self.tr("&Disable (pause awarding)"),
            BadgeState.DISCONTINUED: self.tr("Dis&continue (retire for good)"),
        }
        for state in STATE_CHANGES:
            action = self.state_menu.addAction(labels[state])
            action.triggered.connect(lambda _checked=False, s=state: self.change_state(s))
            self.state_actions[state] = action
        self.state_button.setMenu(self.state_menu)
        bar.addWidget(self.state_button)
        #: One holder at a time: marking, hand-over, holders by period (:mod:`ui.badges.title_actions`);
        #: on a badge's context menu and by their keys (the toolbar has no room left on a small screen).
        self.titles = TitleActions(self)
        self.default_button = QPushButton(self.tr("Default award message…"))
        self.default_button.clicked.connect(self.edit_default_message)
        bar.addWidget(self.default_button)
        layout = self.layout()
        assert layout is not None
        layout.insertLayout(0, bar)  # type: ignore[attr-defined]
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        #: The rows' context menu (:mod:`ui.badges.badge_menu`).
        self.row_menu = RowMenu(self.table, lambda menu: fill_badge_menu(self, menu))
        self._update_actions()

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def apply_capabilities(self, capabilities: Capabilities) -> None:
        """Badges are designed and changed here only where the server lets them be."""
        self.editable = capabilities.badge_editing
        self.local_drafts = capabilities.local_drafts
        why = (
            ""
            if self.editable
            else self.tr("This server does not let badges be created or changed from BadgeDesk.")
        )
        for action in (self.new_action, self.duplicate_action, self.edit_action):
            action.setToolTip(why or action.text().replace("&", "").rstrip("…"))
        self.state_button.setToolTip(why)
        self._update_actions()

    def _update_actions(self) -> None:
        badge = self.selected_badge()
        editable = self.editable
        self.new_action.setEnabled(editable)
        self.duplicate_action.setEnabled(editable and badge is not None)
        self.edit_action.setEnabled(editable and badge is not None)
        self.group_check_action.setEnabled(badge is not None and badge.id > 0)
        # A badge kept here has no holders yet.
        self.holders_action.setEnabled(badge is not None and badge.id > 0)
        on_server = editable and badge is not None and badge.id > 0
        kept_here = editable and self.local_drafts and badge is not None and badge.id < 0
        self.state_button.setEnabled(on_server or kept_here)
        for state, action in self.state_actions.items():
            if kept_here:
                action.setEnabled(state is BadgeState.PUBLISHED)
            else:
                action.setEnabled(on_server and badge is not None and badge.state is not state)
        self.titles.update(badge, None if badge is None else self.model.marking_of(badge.id))

    # --- loading --------------------------------------------------------------------------------

    def on_changed(self, changes: ChangeSet) -> None:
        if changes.reset or changes.badges or changes.awards or changes.outbox:
            self.reload()

    def reload(self) -> None:
        community = self.session.community
        state = self.state_filter.currentData() if hasattr(self, "state_filter") else ALL
        category = self.category_filter.currentData() if hasattr(self, "category_filter") else ALL

        ratio = self.table.devicePixelRatioF()

        def load(_cancel: object, _report: object) -> tuple[list[BadgeRow], list[str]]:
            return load_badge_rows(
                community.cache, community.drafts, state=state, category=category, ratio=ratio
            )

        bind = self.latest.begin()
        self.session.tasks.start(
            "list badges", load, on_success=bind(self._got_rows), on_failure=bind(self.load_failed)
        )

    def _got_rows(self, result: tuple[list[BadgeRow], list[str]]) -> None:
        self.failure.clear()
        rows, categories = result
        selected = self.selected_badge()
        self.model.set_rows(rows)
        self._set_categories(categories)
        total = len(rows)
        self.count_label.setText(self.tr("%Ln badge(s)", "", total) if total else self.tr("No badges match."))
        if selected is not None:
            row = self.model.row_of(selected.id)
            if row is not None:
                # Not selectRow(): with Ctrl still down (a shortcut that reloads) it would toggle the row.
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
        self._update_actions()

    def _set_categories(self, categories: list[str]) -> None:
        if categories == self._categories:
            return
        self._categories = categories
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem(self.tr("All categories"), ALL)
        for name in categories:
            self.category_filter.addItem(name, name)
        index = self.category_filter.findData(current)
        self.category_filter.setCurrentIndex(max(0, index))
        self.category_filter.blockSignals(False)

    def selected_badge(self) -> Badge | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        badge = self.model.data(self.model.index(index.row(), 0), BadgeRole)
        return badge if isinstance(badge, Badge) else None

    # --- opening the designer (its session saves what it makes) ---------------------------------

    @property
    def designers(self) -> dict[DesignerKey, BadgeDesigner]:
        """The open designers filed under their badge or draft, so Edit raises them."""
        return {key: s.designer for key, s in self.open_designers.items() if s.designer is not None}

    def new_badge(self) -> BadgeDesigner:
        return self._designer_session(key=None).open_new()

    def duplicate(self) -> None:
        badge = self.selected_badge()
        if badge is not None:
            self._designer_session(key=None).open_copy(badge)

    def edit(self) -> None:
        badge = self.selected_badge()
        if badge is None:
            return
        from ui.designer.session import badge_key

        key = badge_key(badge)
        designer = self.designers.get(key)
        if designer is not None:
            designer.raise_()
            designer.activateWindow()
            return
        self._designer_session(key=key).open_badge(badge)

    def _designer_session(self, *, key: DesignerKey | None) -> DesignerSession:
        """A session for one designer window; filed under ``key`` once its window opens."""
        from ui.designer.session import DesignerSession

        session = DesignerSession(
            self.session,
            community=self.community_name or self.tr("your community"),
            categories=self._categories,
        )
        if key is not None:
            session.opened.connect(lambda _designer, s=session: self._file(s, key))
        session.filed.connect(lambda new_key, s=session: self._file(s, new_key))
        session.closed.connect(lambda s=session: self._forget(s))
        session.message.connect(self.message.emit)
        session.replaced.connect(self.reload)
        session.opened.connect(self.designer_opened.emit)
        return session

    def _named(self, name: str) -> None:
        self.community_name = name

    def _file(self, session: DesignerSession, key: DesignerKey) -> None:
        self._forget(session)
        self.open_designers[key] = session

    def _forget(self, session: DesignerSession) -> None:
        for key, open_one in list(self.open_designers.items()):
            if open_one is session:
                del self.open_designers[key]

    def _refresh_designers(self) -> None:
        """After a send: each open designer learns whether its save reached the server."""
        for session in list(self.open_designers.values()):
            session.check_sent()

    # --- the group check --------------------------------------------------------------------------

    def group_check(self) -> None:
        """Ask the window for the group check of the selected badge (a badge on the server)."""
        badge = self.selected_badge()
        if badge is not None and badge.id > 0:
            self.group_check_requested.emit(badge)

    def show_holders(self) -> None:
        """Ask the window to list the selected badge's holders (a badge on the server)."""
        badge = self.selected_badge()
        if badge is not None and badge.id > 0:
            self.holders_requested.emit(badge)

    # --- state and the default message ------------------------------------------------------------

    def change_state(self, state: BadgeState) -> None:
        badge = self.selected_badge()
        if badge is None:
            return
        if badge.id < 0:
            if state is BadgeState.PUBLISHED and self.local_drafts:
                self.publish_kept(badge)
            return
        if state is BadgeState.DISCONTINUED and not self.confirm(
            self.tr("Discontinue badge"), self._discontinue_question(badge)
        ):
            return
        drafts = self.drafts
        self.session.change_outbox(
            "change badge state",
            lambda _outbox: drafts.change_state(badge, state),
            on_done=lambda _a: self.message.emit(self._state_queued(badge, state)),
            on_failure=lambda error: self.message.emit(
                self.session.describe(error, failures.changing(self.tr("changing the badge's state"))).message
            ),
        )

    def _discontinue_question(self, badge: Badge) -> str:
        """What discontinuing does, with how many keep the badge (the count the table shows)."""
        holders = self.model.holders_of(badge.id)
        if holders is None:
            return self.tr(
                "Discontinue “{badge}”? Members who hold it keep it, but it can never be awarded again."
            ).format(badge=badge.title)
        return self.tr(
            "Discontinue “{badge}”? %Ln member(s) (keeps|keep) it; no one can be awarded it any more.",
            "",
            holders,
        ).format(badge=badge.title)

    def _state_queued(self, badge: Badge, state: BadgeState) -> str:
        """What the status bar says once a state change is in the outbox: one sentence per state."""
        texts = {
            BadgeState.DRAFT: self.tr("“{badge}” → draft: queued."),
            BadgeState.PUBLISHED: self.tr("“{badge}” → published: queued."),
            BadgeState.DISABLED: self.tr("“{badge}” → disabled: queued."),
            BadgeState.DISCONTINUED: self.tr("“{badge}” → discontinued: queued."),
        }
        return texts[state].format(badge=badge.title)

    def publish_kept(self, badge: Badge) -> None:
        """Publish a badge kept here (as saved; an open designer's unsaved edits stay there)."""
        drafts = self.drafts
        self.session.change_outbox(
            "publish badge",
            lambda _outbox: drafts.publish(drafts.open_draft(-badge.id)),
            on_done=lambda _r: self.message.emit(
                self.tr("“{badge}” is published; it is created on the server with the outbox.").format(
                    badge=badge.title
                )
            ),
            on_failure=lambda error: self.message.emit(
                self.session.describe(error, failures.changing(self.tr("publishing the badge"))).message
            ),
        )

    def edit_default_message(self, text: str | None = None) -> None:
        """Ask for the community's default award message, until it is valid or cancelled."""
        drafts = self.drafts
        current = text if text is not None else drafts.default_message()
        answer = self.ask_text(
            self.tr("Default award message"),
            # The placeholders are the message's own syntax, shown as they are (no format()).
            self.tr(
                "What members receive with a badge that has no message of its own.\n"
                "Placeholders: {member} {username} {badge} {community} {date}"
            ),
            current,
        )
        if answer is None:
            return

        def failed(error: Exception) -> None:
            task = failures.changing(self.tr("saving the default award message"))
            self.message.emit(self.session.describe(error, task).message)
            self.edit_default_message(answer)

        self.session.tasks.start(
            "save default award message",
            lambda _c, _p: drafts.set_default_message(answer),
            pool="writer",
            on_success=lambda _r: self.message.emit(self.tr("The default award message is saved.")),
            on_failure=failed,
        )


__all__ = ["BadgeListView"]
