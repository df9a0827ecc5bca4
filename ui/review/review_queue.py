"""The Review queue pane: triage badge requests by keyboard, one card at a time.

Left, the queue (one row per member and badge: duplicates together), sorted
oldest first or by score and filtered by badge; right, the card of the current
request. A decision key commits the decision to the outbox on the writer and
moves on to the next open card at once; the row says "Saving…" until SQLite
has it, then "queued", then what the server said. A sync that brings new
requests never moves the moderator off the current card.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QPixmap
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
from desktop.domain import Action, ActionState, Badge, ChangeSet, Decision
from desktop.outbox import DecisionSpec, DecisionUndo, Outbox, OutboxError
from desktop.review import QueueOrder, RequestGroup, ReviewSnapshot, age_text, last_action_id, load_queue
from desktop.settings import Settings
from ui.operations import LatestOnly
from ui.review.decision_dialog import DecisionDialog
from ui.review.keys import REVIEW_SHORTCUTS
from ui.review.model import SAVING, SKIPPED, GroupKey, ReviewGroupModel, group_at
from ui.review.templates_dialog import DecisionTemplatesDialog
from ui.session.app_session import AppSession
from ui.shortcuts.help_overlay import ShortcutHelpOverlay
from ui.shortcuts.keymap import ShortcutMap
from ui.shortcuts.settings_dialog import ShortcutSettingsDialog
from ui.widgets.load_failure import NOT_LOADED, LoadFailure
from ui.widgets.rendering import render_badge_image
from ui.widgets.table_pane import row_table
from ui.widgets.text import confirm, plain_label

ICON = QSize(112, 112)
_RED = "#b3261e"
_AMBER = "#8a5a00"


def _plain(text: str = "", *, name: str = "", wrap: bool = True, selectable: bool = False) -> QLabel:
    return plain_label(text, name=name, wrap=wrap, selectable=selectable)


@dataclass
class _Decided:
    """One entry of the undo stack: one key press, one or more groups (a bulk decision).

    The action ids are known once SQLite has them.
    """

    keys: list[GroupKey]
    #: The requests each decision settles, to find their card again after undo.
    request_ids: list[int]
    decision: Decision
    label: str
    action_ids: list[int] = field(default_factory=list)
    undo_requested: bool = False


class RequestCard(QFrame):
    """The current request: member, held badges, note, evidence, the badge, and what was decided.

    Member-provided text (note, names) is shown as plain text only. GUI thread only.
    """

    open_evidence = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.group: RequestGroup | None = None
        self._icons: dict[tuple[int, int], QPixmap] = {}
        self.member = _plain(name="cardMember", selectable=True)
        big = QFont(self.member.font())
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        self.member.setFont(big)
        self.flag = _plain(name="cardFlag", wrap=False)
        self.flag.setStyleSheet(f"color: white; background: {_RED}; padding: 2px 6px; border-radius: 3px;")
        self.member_info = _plain(name="cardMemberInfo", selectable=True)
        self.held = _plain(name="cardHeld", selectable=True)
        self.requests = _plain(name="cardRequests", selectable=True)
        self.note = _plain(name="cardNote", selectable=True)
        self.note.setFrameShape(QFrame.Shape.StyledPanel)
        self.note.setMargin(8)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.evidence = _plain(name="cardEvidence", selectable=True)
        self.evidence_button = QPushButton("Open evidence link")
        self.evidence_button.setObjectName("openEvidence")
        self.evidence_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.evidence_button.clicked.connect(self._open_evidence)
        self.score = _plain(name="cardScore", selectable=True)
        self.status = _plain(name="cardStatus", selectable=True)
        self.problem = _plain(name="cardProblem")
        self.problem.setStyleSheet(f"color: {_AMBER};")
        self.icon = QLabel()
        self.icon.setObjectName("cardBadgeIcon")
        self.icon.setFixedSize(ICON)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge_title = _plain(name="cardBadgeTitle")
        title_font = QFont(self.badge_title.font())
        title_font.setBold(True)
        self.badge_title.setFont(title_font)
        self.criteria = _plain(name="cardCriteria", selectable=True)
        self.criteria.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        head = QHBoxLayout()
        head.addWidget(self.member, 1)
        head.addWidget(self.flag)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence, 1)
        evidence_row.addWidget(self.evidence_button)
        left = QVBoxLayout()
        left.addLayout(head)
        left.addWidget(self.member_info)
        left.addWidget(self.held)
        left.addSpacing(6)
        left.addWidget(self.requests)
        left.addWidget(self.note)
        left.addLayout(evidence_row)
        left.addWidget(self.score)
        left.addStretch(1)
        badge_box = QFrame()
        badge_box.setObjectName("cardBadge")
        badge_box.setFrameShape(QFrame.Shape.StyledPanel)
        badge_box.setFixedWidth(260)
        right = QVBoxLayout(badge_box)
        right.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addWidget(self.badge_title)
        right.addWidget(_plain("Criteria", wrap=False))
        right.addWidget(self.criteria, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(badge_box)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.status)
        self.show_group(None)

    def show_group(self, group: RequestGroup | None, mark: str | None = None) -> None:
        self.group = group
        if group is None:
            for label in (self.member_info, self.held, self.requests, self.note, self.evidence, self.score):
                label.clear()
            self.member.setText("No request selected")
            self.flag.hide()
            self.problem.clear()
            self.status.clear()
            self.badge_title.clear()
            self.criteria.clear()
            self.icon.clear()
            self.evidence_button.hide()
            return
        member = group.member
        self.member.setText(member.display_name if member else group.member_text)
        self.flag.setVisible(group.suspended)
        self.flag.setText("Suspended")
        if member is not None:
            joined = member.joined_at
            days = max(0, (group.created_at - joined).days)
            self.member_info.setText(
                f"@{member.username} · member since {joined:%Y-%m-%d} ({age_text(days)} before asking)"
                f" · {member.status.value}"
            )
        else:
            self.member_info.setText("This member is not in the cache.")
        count = len(group.held_badges)
        if count:
            shown = ", ".join(group.held_badges[:12]) + (f", and {count - 12} more" if count > 12 else "")
            self.held.setText(f"Holds {count} badge{'s' if count != 1 else ''}: {shown}")
        else:
            self.held.setText("Holds no badges yet.")
        first = group.primary
        lines = [f"Request #{first.id} for {group.badge_text}, {first.created_at:%Y-%m-%d %H:%M}"]
        if group.duplicates:
            lines[0] += f" — and {len(group.duplicates)} duplicate{'s' if len(group.duplicates) > 1 else ''}"
            lines[0] += " (one decision settles all)"
            lines.extend(f"  #{r.id}, {r.created_at:%Y-%m-%d %H:%M}" for r in group.duplicates)
        self.requests.setText("\n".join(lines))
        notes = []
        for request in group.requests:
            text = request.note.strip() or "(no note)"
            notes.append(text if not group.duplicates else f"#{request.id}: {text}")
        self.note.setText("\n\n".join(notes))
        url = group.evidence_url
        self.evidence.setText(f"Evidence: {url}" if url else "No evidence link.")
        self.evidence.setStyleSheet("" if url else f"color: {_AMBER};")
        self.evidence_button.setVisible(bool(url))
        parts = " · ".join(f"{p.points:+d} {p.label} ({p.detail})" for p in group.score.parts)
        self.score.setText(f"Score {group.score.total}: {parts}")
        self.badge_title.setText(group.badge_text + (f" ({group.badge.state.value})" if group.badge else ""))
        self.criteria.setText(
            group.badge.criteria if group.badge and group.badge.criteria else "No criteria given."
        )
        self.icon.setPixmap(self._icon(group.badge))
        problem = group.approval_problem() if group.pending else None
        self.problem.setText(problem or "")
        self.show_status(group, mark)

    def show_status(self, group: RequestGroup, mark: str | None) -> None:
        decision = group.decision
        if mark == SAVING:
            text, colour = "Saving the decision…", ""
        elif decision is not None:
            text = decision.status_text
            if decision.reason and decision.state is not ActionState.CONFLICT:
                text += f"\nReason: {decision.reason}"
            colour = _RED if decision.state in (ActionState.CONFLICT, ActionState.FAILED) else ""
        elif mark == SKIPPED:
            text, colour = "Skipped for now; still pending.", ""
        else:
            text, colour = "Pending: A approve · D deny · R return · S skip", ""
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour};" if colour else "")

    def _icon(self, badge: Badge | None) -> QPixmap:
        if badge is None:
            return QPixmap()
        key = (badge.id, badge.version)
        pixmap = self._icons.get(key)
        if pixmap is None:
            image = render_badge_image(badge, ICON)
            pixmap = QPixmap.fromImage(image) if image is not None else QPixmap()
            self._icons[key] = pixmap
        return pixmap

    def _open_evidence(self) -> None:
        if self.group is not None and self.group.evidence_url:
            self.open_evidence.emit(self.group.evidence_url)


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
        self._undo: list[_Decided] = []
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

        self.order = QComboBox()
        self.order.setObjectName("queueOrder")
        for order in QueueOrder:
            self.order.addItem(order.label, order.value)
        self.order.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.badge_filter = QComboBox()
        self.badge_filter.setObjectName("queueBadgeFilter")
        self.badge_filter.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.badge_filter.setMinimumContentsLength(28)
        self.badge_filter.addItem("All badges", None)
        self.count_label = _plain("Loading requests…", name="queueCount", wrap=False)
        templates_button = QPushButton("Templates…")
        templates_button.setObjectName("editTemplates")
        templates_button.clicked.connect(self.edit_templates)
        shortcuts_button = QPushButton("Shortcuts…")
        shortcuts_button.setObjectName("editShortcuts")
        shortcuts_button.clicked.connect(self.edit_shortcuts)
        help_button = QPushButton("?")
        help_button.setObjectName("shortcutHelpButton")
        help_button.setToolTip("Keyboard shortcuts")
        help_button.setFixedWidth(32)
        for button in (templates_button, shortcuts_button, help_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QHBoxLayout()
        top.addWidget(QLabel("Order:"))
        top.addWidget(self.order)
        top.addWidget(QLabel("Badge:"))
        top.addWidget(self.badge_filter)
        top.addWidget(self.count_label, 1)
        top.addWidget(templates_button)
        top.addWidget(shortcuts_button)
        top.addWidget(help_button)

        self.model = ReviewGroupModel()
        self.table = row_table("reviewTable", self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        for column, width in {0: 118, 1: 185, 2: 120, 3: 48}.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.card = RequestCard()
        self.card.open_evidence.connect(self._open_evidence_url)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for id_, text, slot in (
            ("review.approve", "Approve", self.approve),
            ("review.deny", "Deny…", self.deny),
            ("review.return", "Return…", self.return_request),
            ("review.skip", "Skip", self.skip),
            ("review.undo", "Undo", self.undo),
        ):
            button = QPushButton(text)
            button.setObjectName(id_.replace("review.", "") + "Button")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        self.session.tasks.start(
            "load review queue", load, on_success=bind(self._loaded), on_failure=bind(self._load_failed)
        )

    def _load_failed(self, error: Exception) -> None:
        """Say so instead of "Loading…"; the cards shown stay, Retry reads again."""
        self.count_label.setText(NOT_LOADED)
        self.failure.show_failure(self.session.describe(error, failures.loading("the review queue")).message)

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
            f"{left:,} to decide · {snapshot.pending_requests:,} pending requests"
            if snapshot.pending_requests
            else "No pending requests. The queue is clear."
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
            combo.addItem(f"All badges ({snapshot.pending_requests})", None)
            for count in snapshot.badge_counts:
                combo.addItem(f"{count.title} ({count.count})", count.badge_id)
            if self._badge_filter is not None:
                index = combo.findData(self._badge_filter)
                if index < 0:
                    combo.addItem("(no pending requests)", self._badge_filter)
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
        self._show_current()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        group = group_at(current)
        self.current_key = group.key if group is not None else None
        self._show_current()

    def _show_current(self) -> None:
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

    def _advance(self, started: float) -> None:
        """Show the next open card; record how long the key took to get there."""
        row = self.table.currentIndex().row()
        following = self._next_open(row)
        if following is not None:
            self._select_row(following)
        else:
            self._show_current()
            self.message.emit("Every request in this view is decided.")
        self.reaction_ms.append((time.perf_counter() - started) * 1000)

    # --- decisions ----------------------------------------------------------------------

    def approve(self) -> None:
        started = time.perf_counter()
        group = self._open_current(Decision.APPROVE)
        if group is None:
            return
        if group.decision is not None:
            self._follow_up(group, Decision.APPROVE, started)
            return
        problem = group.approval_problem()
        if problem is not None:
            self.card.problem.setText(problem)
            self.message.emit(problem)
            return
        self._decide([group.decision_spec(Decision.APPROVE)], [group], Decision.APPROVE, started)

    def deny(self) -> None:
        self._decide_with_dialog(Decision.DENY, bulk=False)

    def return_request(self) -> None:
        self._decide_with_dialog(Decision.RETURN, bulk=False)

    def bulk_approve(self) -> None:
        started = time.perf_counter()
        groups = [g for g in self.selected_groups() if g.pending and self.model.marked(g.key) != SAVING]
        if not groups:
            self.message.emit("Select pending requests to approve (Shift+click or Ctrl+click).")
            return
        fine = [g for g in groups if g.approval_problem() is None]
        refused = [g for g in groups if g.approval_problem() is not None]
        text = f"Approve {len(fine)} request{'s' if len(fine) != 1 else ''}?"
        if refused:
            text += f"\n\n{len(refused)} cannot be approved and stay in the queue:\n" + "\n".join(
                f"• {g.approval_problem()}" for g in refused[:8]
            )
        if not fine:
            self.message.emit(f"None of the {len(groups)} selected requests can be approved.")
            return
        if not self.confirm(self, "Approve the selection", text):
            return
        self._decide([g.decision_spec(Decision.APPROVE) for g in fine], fine, Decision.APPROVE, started)

    def bulk_deny(self) -> None:
        self._decide_with_dialog(Decision.DENY, bulk=True)

    def _open_current(self, decision: Decision) -> RequestGroup | None:
        """The current group if ``decision`` may be made on it now; else says why and returns None."""
        group = self.current_group()
        if group is None or self.model.marked(group.key) == SAVING:
            return None
        if group.decision is None:
            return group
        if group.decision.state is ActionState.CONFLICT:
            follow, why = group.follow_up()
            if why is None and follow in (None, decision):
                return group
            if why is None and follow is not None:
                theirs = group.decision.decided_by or "Another moderator"
                key = self.shortcuts.text("review." + follow.value)
                why = (
                    f"{theirs} decided: {group.decision.their_decision}. Only “{follow.value}”"
                    f" ({key}) settles the rest without contradicting."
                )
            self._refuse(why or "")
            return None
        self._refuse(f"Already decided: {group.decision.status_text} U undoes it.")
        return None

    def _refuse(self, text: str) -> None:
        self.card.problem.setText(text)
        self.message.emit(text)

    def _follow_up(self, group: RequestGroup, decision: Decision, started: float) -> None:
        """Settle what another moderator left of a group, the way they decided (no new message)."""
        follow, _why = group.follow_up()
        if follow is None:
            return self._decide_after_change(group, decision, started)
        if decision is Decision.APPROVE and group.approval_problem() is not None:
            return self._refuse(group.approval_problem() or "")
        assert group.decision is not None
        reason = (
            f"Same as request #{group.decision.conflicting_request},"
            f" {group.decision.their_decision} by {group.decision.decided_by}"
        )
        self._decide([group.decision_spec(decision, reason=reason, message=None)], [group], decision, started)
        return None

    def _decide_after_change(self, group: RequestGroup, decision: Decision, started: float) -> None:
        """Only a version changed: decide the group again, with the versions the cache has now."""
        if decision is Decision.APPROVE:
            problem = group.approval_problem()
            if problem is not None:
                return self._refuse(problem)
            self._decide([group.decision_spec(decision)], [group], decision, started)
            return None
        self._decide_with_dialog(decision, bulk=False, group=group)
        return None

    def _decide_with_dialog(
        self, decision: Decision, *, bulk: bool, group: RequestGroup | None = None
    ) -> None:
        if group is not None:
            groups = [group]
        elif bulk:
            groups = [g for g in self.selected_groups() if g.pending and self.model.marked(g.key) != SAVING]
            if not groups:
                self.message.emit("Select pending requests first (Shift+click or Ctrl+click).")
                return
        else:
            current = self._open_current(decision)
            if current is None:
                return
            if current.decision is not None and current.follow_up()[0] is not None:
                self._follow_up(current, decision, time.perf_counter())
                return
            groups = [current]
        dialog = DecisionDialog(
            decision,
            groups,
            self.templates,
            community=self.snapshot.community if self.snapshot else "",
            moderator=(self.snapshot.actor if self.snapshot else "") or "a moderator",
            parent=self,
        )
        try:
            if not self.run_dialog(dialog):
                return
            started = time.perf_counter()
            reason = dialog.reason()
            specs = [g.decision_spec(decision, reason=reason, message=dialog.message_for(g)) for g in groups]
        finally:
            dialog.deleteLater()
        self._decide(specs, groups, decision, started)

    def _decide(
        self,
        specs: Sequence[DecisionSpec],
        groups: Sequence[RequestGroup],
        decision: Decision,
        started: float,
    ) -> None:
        for group in groups:
            self.model.mark(group.key, SAVING)
        if len(groups) == 1:
            label = f"{decision.value} of {groups[0].member_text}'s request for {groups[0].badge_text}"
        else:
            label = f"{decision.value} of {len(groups)} requests"
        entry = _Decided([g.key for g in groups], [s.request_id for s in specs], decision, label)
        self._undo.append(entry)

        def saved(actions: list[Action]) -> None:
            self.commit_ms.append((time.perf_counter() - started) * 1000)
            entry.action_ids = [a.id for a in actions]
            if entry.undo_requested:
                # U came while this was being saved: dropped before anything is sent.
                self._run_undo(entry)
                return
            self.message.emit(f"Queued: {label}.")
            self.session.send_outbox()

        def failed(error: Exception) -> None:
            for key in entry.keys:
                self.model.mark(key, None)
            if entry in self._undo:
                self._undo.remove(entry)
            self._show_current()
            task = failures.changing("saving the decision")
            self.message.emit(self.session.describe(error, task).message)

        self.session.change_outbox(
            f"{decision.value} requests",
            lambda outbox: outbox.queue_decisions(specs),
            on_done=saved,
            on_failure=failed,
            send=False,
        )
        self._advance(started)

    def skip(self) -> None:
        started = time.perf_counter()
        group = self.current_group()
        if group is None:
            return
        if group.pending:
            self.model.mark(group.key, SKIPPED)
        self._advance(started)

    def undo(self) -> None:
        """U: take back a decision made here: the current card's, or else the last one.

        Unsent, it is dropped; sent, an approval is reversed (revoke, reason "undo").
        """
        group = self.current_group()
        if group is not None and group.decision is not None:
            if group.decision.state is ActionState.CONFLICT:
                self._refuse("Nothing of yours was applied here: another moderator decided first.")
                return
            action_id = group.decision.action_id
            entry = next((e for e in self._undo if action_id in e.action_ids), None)
            if entry is not None and len(entry.action_ids) == 1:
                self._undo.remove(entry)
            label = f"{group.decision.decision.value} of {group.member_text}'s request for {group.badge_text}"
            self._run_undo(_Decided([group.key], [group.id], group.decision.decision, label, [action_id]))
            return
        if not self._undo:
            self.message.emit("Nothing to undo.")
            return
        entry = self._undo.pop()
        if not entry.action_ids:
            # Still being saved: undone as soon as SQLite has it.
            entry.undo_requested = True
            self.message.emit(f"Undoing the {entry.label}…")
            return
        self._run_undo(entry)

    def _run_undo(self, entry: _Decided) -> None:
        action_ids = list(entry.action_ids)

        def work(outbox: Outbox) -> list[DecisionUndo | str]:
            results: list[DecisionUndo | str] = []
            for action_id in action_ids:
                try:
                    results.append(outbox.undo_decision(action_id))
                except OutboxError as error:
                    results.append(str(error))
            return results

        def done(results: list[DecisionUndo | str]) -> None:
            errors = [r for r in results if isinstance(r, str)]
            undos = [r for r in results if not isinstance(r, str)]
            if errors and not undos:
                self._refuse(f"Cannot undo the {entry.label}: {errors[0]}")
                return
            if all(u.dropped for u in undos):
                text = f"Undone: the {entry.label} was dropped before it was sent."
            elif any(u.reversal is not None for u in undos):
                text = f"Undone: the {entry.label} is reversed (badge revoked, reason “undo”)."
            else:
                text = f"Undone: the {entry.label} had changed nothing."
            if errors:
                text += f" {len(errors)} could not be undone: {errors[0]}"
            self.message.emit(text)
            # Its cards are open again (the "saving" mark may outlive a quick undo).
            for key in [*entry.keys, *(("pending", r) for r in entry.request_ids)]:
                self.model.mark(key, None)
            self._reselect_after_undo(entry.request_ids[0])

        self.session.change_outbox("undo decision", work, on_done=done)

    def _reselect_after_undo(self, request_id: int) -> None:
        """Once the queue reloads, the card of that request is the current one again."""

        def select(_result: object = None) -> None:
            row = self.model.row_of_request(request_id)
            if row is not None:
                self._select_row(row)

        self._after_reload = select

    # --- the rest -------------------------------------------------------------------------

    def toggle_help(self) -> None:
        self.help.toggle()

    def _open_evidence_url(self, url: str) -> None:
        if not url.lower().startswith(("https://", "http://")):
            self.message.emit(f"Not a web link, not opened: {url}")
            return
        self.open_url(url)

    def edit_templates(self) -> None:
        dialog = DecisionTemplatesDialog(self.templates, self)
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
            button.setToolTip(
                f"{self.shortcuts.spec(id_).label} ({key})" if key else self.shortcuts.spec(id_).label
            )
