"""The Audit log's filter bar: action, state, who, batch, member or badge text, and a date range.

The bar turns what it shows into an :class:`~desktop.audit.AuditFilter`; it
says when the filter changed, and whether to run it at once (a choice) or
after a pause (typing, stepping a date). Dates are local days: "From" starts at
its local midnight, "To" includes its whole day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QLocale,
    QSignalBlocker,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.audit import AuditFilter
from desktop.domain import ActionKind, ActionState
from ui.audit.model import STATE_NAMES, state_name

# (label, kinds) of the action filter; the labels in English (shown translated).
KIND_CHOICES: tuple[tuple[str, frozenset[ActionKind]], ...] = (
    (str(QT_TRANSLATE_NOOP("AuditFilterBar", "All actions")), frozenset()),
    (str(QT_TRANSLATE_NOOP("AuditFilterBar", "Award")), frozenset({ActionKind.AWARD, ActionKind.MASS_AWARD})),
    (str(QT_TRANSLATE_NOOP("AuditFilterBar", "Revoke")), frozenset({ActionKind.REVOKE})),
    (str(QT_TRANSLATE_NOOP("AuditFilterBar", "Decision")), frozenset({ActionKind.DECIDE})),
    (
        str(QT_TRANSLATE_NOOP("AuditFilterBar", "Badge edit")),
        frozenset({ActionKind.BADGE_SAVE, ActionKind.BADGE_STATE}),
    ),
)
# (label, states) of the state filter; one state's label is its name (ui.audit.model.STATE_NAMES).
STATE_CHOICES: tuple[tuple[str, frozenset[ActionState]], ...] = (
    (str(QT_TRANSLATE_NOOP("AuditFilterBar", "All states")), frozenset()),
    *((STATE_NAMES[state], frozenset({state})) for state in ActionState),
    (str(QT_TRANSLATE_NOOP("AuditFilterBar", "needs me")), frozenset(s for s in ActionState if s.needs_user)),
)
# The "Who" filter's first choice, in English (shown translated).
ANYONE = str(QT_TRANSLATE_NOOP("AuditFilterBar", "Anyone"))


def _shown(label: str) -> str:
    """A label of this module's tables, in the user's language."""
    return QCoreApplication.translate("AuditFilterBar", label)


def _state_choice(label: str, states: frozenset[ActionState]) -> str:
    """A choice of the state filter as shown: one state by its name, the others by their label."""
    if len(states) == 1:
        return state_name(next(iter(states)))
    return _shown(label)


def date_edit_format() -> str:
    """The locale's short date for a date editor, with four-digit years ("M/d/yyyy"): "yy" would mean 19yy."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def _room_for_placeholder(line: QLineEdit) -> int:
    """The width that shows ``line``'s whole placeholder, beside its clear button."""
    text = line.fontMetrics().horizontalAdvance(line.placeholderText())
    return text + 16 + (line.sizeHint().height() if line.isClearButtonEnabled() else 0)


def python_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def start_of_day(day: date) -> datetime:
    """Local midnight, as an aware datetime (the cache stores UTC epochs)."""
    return datetime.combine(day, time()).astimezone()


class AuditFilterBar(QWidget):
    """The filter widgets in one row. GUI thread only.

    :attr:`changed`: a choice changed, run the filter now (Clear too).
    :attr:`typing`: text was typed or a checked date stepped, run it after a pause.
    """

    changed = Signal()
    typing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actors: list[str] = []
        #: The batch "Show only this batch" chose, and the text that shows it in the batch box.
        self._batch: tuple[str, str] | None = None
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("auditKind")
        self.kind_box.setAccessibleName(self.tr("Show actions of kind"))
        for label, _kinds in KIND_CHOICES:
            self.kind_box.addItem(_shown(label))
        self.state_box = QComboBox()
        self.state_box.setObjectName("auditState")
        self.state_box.setAccessibleName(self.tr("Show actions in state"))
        for label, states in STATE_CHOICES:
            self.state_box.addItem(_state_choice(label, states))
        self.state_box.setItemData(
            len(STATE_CHOICES) - 1,
            self.tr("Failed, conflicting or held: waiting for you"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.actor_box = QComboBox()
        self.actor_box.setObjectName("auditActor")
        self.actor_box.setAccessibleName(self.tr("Show actions by"))
        self.actor_box.addItem(_shown(ANYONE))
        self.actor_box.setMinimumContentsLength(14)
        self.actor_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.batch_box = QLineEdit()
        self.batch_box.setObjectName("auditBatch")
        self.batch_box.setAccessibleName(self.tr("Batch"))
        self.batch_box.setPlaceholderText(self.tr("Batch…"))
        self.batch_box.setToolTip(
            self.tr("Actions of the batches whose name contains this, or whose id starts with it")
        )
        self.batch_box.setClearButtonEnabled(True)
        self.batch_box.setMaximumWidth(260)
        self.text_box = QLineEdit()
        self.text_box.setObjectName("auditText")
        self.text_box.setAccessibleName(self.tr("Search the audit log"))
        self.text_box.setPlaceholderText(self.tr("Member or badge…  (Ctrl+F)"))
        self.text_box.setToolTip(self.tr("Part of a member's name, username or email, or of a badge title"))
        self.text_box.setClearButtonEnabled(True)
        self.since_check = QCheckBox(self.tr("From"))
        self.since_check.setObjectName("auditSinceOn")
        self.since_edit = self._date_edit("auditSince", QDate.currentDate().addDays(-30))
        self.until_check = QCheckBox(self.tr("To"))
        self.until_check.setObjectName("auditUntilOn")
        self.until_edit = self._date_edit("auditUntil", QDate.currentDate())
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setObjectName("auditClear")
        self.clear_button.setToolTip(self.tr("Show every action"))

        self.kind_box.currentIndexChanged.connect(self._chosen)
        self.state_box.currentIndexChanged.connect(self._chosen)
        self.actor_box.currentIndexChanged.connect(self._chosen)
        self.batch_box.textChanged.connect(self._typed)
        self.text_box.textChanged.connect(self._typed)
        for check, edit in ((self.since_check, self.since_edit), (self.until_check, self.until_edit)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._chosen)
            edit.dateChanged.connect(self._date_changed)
        self.clear_button.clicked.connect(self._clear_clicked)

        # The text fields keep room for their placeholder (what to type there); on a narrow
        # window the choices and dates go to a second row rather than squeeze them.
        for line in (self.text_box, self.batch_box):
            line.setMinimumWidth(_room_for_placeholder(line))
        self._labels = [
            self._label(self.tr("Action"), self.kind_box),
            self._label(self.tr("State"), self.state_box),
            self._label(self.tr("Who"), self.actor_box),
        ]
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._first_row = QHBoxLayout()
        self._second_row = QHBoxLayout()
        self._rows.addLayout(self._first_row)
        self._rows.addLayout(self._second_row)
        self._two_rows: bool | None = None
        self._lay_out(two_rows=False)

    def _lay_out(self, *, two_rows: bool) -> None:
        """One row: text, choices, batch, dates, Clear; or text, batch, Clear above the choices and dates."""
        if two_rows == self._two_rows:
            return
        self._two_rows = two_rows
        for row in (self._first_row, self._second_row):
            while row.count():
                row.takeAt(0)
        first, second = self._first_row, (self._second_row if two_rows else self._first_row)
        first.addWidget(self.text_box, 2)
        if two_rows:
            first.addSpacing(6)
            first.addWidget(self.batch_box, 1)
        for label, widget in zip(self._labels, (self.kind_box, self.state_box, self.actor_box), strict=True):
            if second.count():
                second.addSpacing(6)
            second.addWidget(label)
            second.addWidget(widget)
        if not two_rows:
            first.addSpacing(6)
            first.addWidget(self.batch_box, 1)
        second.addSpacing(6)
        for date_widget in (self.since_check, self.since_edit, self.until_check, self.until_edit):
            second.addWidget(date_widget)
        if two_rows:
            second.addStretch(1)
        first.addWidget(self.clear_button)

    def _row_widths(self) -> tuple[int, int]:
        """The least widths of the text row (text, batch, Clear) and of the choices' row."""
        spacing = max(self._first_row.spacing(), 6)  # -1: the style's, 6 px here
        choices: list[QWidget] = [*self._labels, self.kind_box, self.state_box, self.actor_box]
        choices += [self.since_check, self.since_edit, self.until_check, self.until_edit]
        second = sum(w.sizeHint().width() for w in choices) + len(choices) * spacing + 4 * 6
        first = self.text_box.minimumWidth() + self.batch_box.minimumWidth()
        first += self.clear_button.sizeHint().width() + 3 * spacing + 6
        return first, second

    def minimumSizeHint(self) -> QSize:
        # As narrow as two rows can be: the bar takes a second row before it squeezes a field.
        first, second = self._row_widths()
        return QSize(max(first, second), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        first, second = self._row_widths()
        self._lay_out(two_rows=event.size().width() < first + second)

    @staticmethod
    def _date_edit(name: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_edit_format())
        edit.setEnabled(False)
        return edit

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def current_filter(self) -> AuditFilter:
        """The filter the bar shows (it may not have run yet while typing)."""
        since = until = None
        if self.since_check.isChecked():
            since = start_of_day(python_date(self.since_edit.date()))
        if self.until_check.isChecked():
            # "To" includes its whole day: up to the next local midnight.
            until = start_of_day(python_date(self.until_edit.date()) + timedelta(days=1))
        actor = self.actor_box.currentText() if self.actor_box.currentIndex() > 0 else None
        batch_text = self.batch_box.text().strip()
        chosen = self._batch[0] if self._batch is not None and self._batch[1] == batch_text else None
        return AuditFilter(
            kinds=KIND_CHOICES[max(0, self.kind_box.currentIndex())][1],
            states=STATE_CHOICES[max(0, self.state_box.currentIndex())][1],
            batch_id=chosen,
            batch="" if chosen is not None else batch_text,
            actor=actor,
            text=self.text_box.text().strip(),
            since=since,
            until=until,
        )

    def focus_text(self) -> None:
        self.text_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_box.selectAll()

    def clear(self) -> None:
        """Every filter off, without saying so: the caller runs the filter it wants."""
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

    def set_batch(self, batch_id: str, name: str = "") -> None:
        """Filter one batch, shown by its name (its id without one), without saying so.

        The filter keeps that exact batch while the box shows its name; once
        the text is edited, it matches names again.
        """
        shown = name.strip() or batch_id
        self._batch = (batch_id, shown)
        with QSignalBlocker(self.batch_box):
            self.batch_box.setText(shown)

    def fill_actors(self, names: list[str]) -> None:
        """Offer these moderators under "Who", keeping the one chosen even if the log no longer names them."""
        chosen = self.actor_box.currentText() if self.actor_box.currentIndex() > 0 else None
        if chosen is not None and chosen not in names:
            names = sorted([*names, chosen])
        if names == self._actors:
            return
        self._actors = names
        with QSignalBlocker(self.actor_box):
            self.actor_box.clear()
            self.actor_box.addItem(_shown(ANYONE))
            self.actor_box.addItems(names)
            if chosen is not None:
                self.actor_box.setCurrentIndex(names.index(chosen) + 1)

    def _chosen(self, *_args: object) -> None:
        self.changed.emit()

    def _typed(self, _text: str) -> None:
        self.typing.emit()

    def _date_changed(self, _day: QDate) -> None:
        # Stepping through a date fires for every step; only a checked bound matters.
        if self.since_check.isChecked() or self.until_check.isChecked():
            self.typing.emit()

    def _clear_clicked(self) -> None:
        self.clear()
        self.changed.emit()
