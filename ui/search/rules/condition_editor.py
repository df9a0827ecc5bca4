"""The editor under the rule's tree: a group's AND / OR / NOT, or one condition's kind and values.

Every change is written to the part at once and announced with ``changed``;
the builder then retitles the row and counts again. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from desktop.dialects.capabilities import Capabilities
from desktop.domain import Badge, BadgeState, MemberStatus
from desktop.rules import (
    Ago,
    BadgeRef,
    DateSpan,
    Day,
    GroupRef,
    Posts,
    TrustLevel,
    Unit,
    between_days,
    more_than_ago,
    within_last,
)
from ui.i18n import shows_data
from ui.search.filters import _badge_state, date_edit_format
from ui.search.model import status_name
from ui.search.rules.rule_parts import ConditionPart, GroupPart, Kind, kind_name, trust_level_choice
from ui.widgets.badge_picker import make_searchable

#: The span editor's modes, by index.
ANY_TIME, IN_THE_LAST, MORE_THAN, ON_OR_AFTER, BEFORE, BETWEEN = range(6)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class SpanEditor(QWidget):
    """When: any time, in the last N units, more than N units ago, on or after / before a day, between."""

    changed = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()
        self.mode.setAccessibleName(what)
        for text in (
            self.tr("at any time"),
            self.tr("in the last"),
            self.tr("more than … ago"),
            self.tr("on or after"),
            self.tr("before"),
            self.tr("between"),
        ):
            self.mode.addItem(text)
        self.amount = QSpinBox()
        self.amount.setRange(0, 10_000)
        self.amount.setValue(90)
        self.amount.setAccessibleName(self.tr("How many"))
        self.unit = QComboBox()
        self.unit.setAccessibleName(self.tr("Unit"))
        for unit, text in (
            (Unit.DAYS, self.tr("days")),
            (Unit.WEEKS, self.tr("weeks")),
            (Unit.MONTHS, self.tr("months")),
            (Unit.YEARS, self.tr("years")),
        ):
            self.unit.addItem(text, unit)
        self.first = QDateEdit(QDate.currentDate().addYears(-1))
        self.last = QDateEdit(QDate.currentDate())
        self.first.setAccessibleName(self.tr("From"))
        self.last.setAccessibleName(self.tr("To"))
        self.and_label = QLabel(self.tr("and"))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_edit_format())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.mode, self.amount, self.unit, self.first, self.and_label, self.last):
            row.addWidget(widget)
        row.addStretch(1)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        for signal in (
            self.amount.valueChanged,
            self.unit.currentIndexChanged,
            self.first.dateChanged,
            self.last.dateChanged,
        ):
            signal.connect(lambda *_args: self.changed.emit())
        self._show_fields()

    def _mode_changed(self) -> None:
        self._show_fields()
        self.changed.emit()

    def _show_fields(self) -> None:
        mode = self.mode.currentIndex()
        relative = mode in (IN_THE_LAST, MORE_THAN)
        self.amount.setVisible(relative)
        self.unit.setVisible(relative)
        self.first.setVisible(mode in (ON_OR_AFTER, BEFORE, BETWEEN))
        self.and_label.setVisible(mode == BETWEEN)
        self.last.setVisible(mode == BETWEEN)

    def span(self) -> DateSpan:
        mode = self.mode.currentIndex()
        unit = Unit(self.unit.currentData())
        if mode == IN_THE_LAST:
            return within_last(self.amount.value(), unit)
        if mode == MORE_THAN:
            return more_than_ago(self.amount.value(), unit)
        if mode == ON_OR_AFTER:
            return DateSpan(since=Day(_day(self.first)))
        if mode == BEFORE:
            return DateSpan(before=Day(_day(self.first)))
        if mode == BETWEEN:
            return between_days(_day(self.first), _day(self.last))
        return DateSpan()

    def set_span(self, span: DateSpan) -> None:
        self.blockSignals(True)
        since, before = span.since, span.before
        if isinstance(since, Ago) and before is None:
            self.mode.setCurrentIndex(IN_THE_LAST)
            self._set_distance(since)
        elif since is None and isinstance(before, Ago):
            self.mode.setCurrentIndex(MORE_THAN)
            self._set_distance(before)
        elif isinstance(since, Day) and before is None:
            self.mode.setCurrentIndex(ON_OR_AFTER)
            self.first.setDate(_qdate(since.day))
        elif since is None and isinstance(before, Day):
            self.mode.setCurrentIndex(BEFORE)
            self.first.setDate(_qdate(before.day))
        elif isinstance(since, Day) and isinstance(before, Day):
            self.mode.setCurrentIndex(BETWEEN)
            self.first.setDate(_qdate(since.day))
            self.last.setDate(_qdate(before.day - timedelta(days=1)))
        else:
            self.mode.setCurrentIndex(ANY_TIME)
        self._show_fields()
        self.blockSignals(False)

    def _set_distance(self, point: Ago) -> None:
        self.amount.setValue(point.amount)
        self.unit.setCurrentIndex(max(0, self.unit.findData(point.unit)))


#: The posts editor's modes, by index.
AT_LEAST, AT_MOST, FROM_TO = range(3)
MAX_POSTS = 10_000_000


class PostsEditor(QWidget):
    """How many posts: at least N, at most N, or from N to M."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()
        self.mode.setAccessibleName(self.tr("Posts"))
        for text in (self.tr("at least"), self.tr("at most"), self.tr("from")):
            self.mode.addItem(text)
        self.low = QSpinBox()
        self.low.setRange(0, MAX_POSTS)
        self.low.setGroupSeparatorShown(True)
        self.low.setAccessibleName(self.tr("How many posts"))
        self.to_label = QLabel(self.tr("to"))
        self.high = QSpinBox()
        self.high.setRange(0, MAX_POSTS)
        self.high.setGroupSeparatorShown(True)
        self.high.setAccessibleName(self.tr("At most this many posts"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.mode, self.low, self.to_label, self.high):
            row.addWidget(widget)
        row.addStretch(1)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.low.valueChanged.connect(lambda *_args: self.changed.emit())
        self.high.valueChanged.connect(lambda *_args: self.changed.emit())
        self._show_fields()

    def _mode_changed(self) -> None:
        self._show_fields()
        self.changed.emit()

    def _show_fields(self) -> None:
        between = self.mode.currentIndex() == FROM_TO
        self.to_label.setVisible(between)
        self.high.setVisible(between)

    def posts(self) -> Posts:
        mode = self.mode.currentIndex()
        if mode == AT_MOST:
            return Posts(at_most=self.low.value())
        if mode == FROM_TO:
            return Posts(at_least=self.low.value(), at_most=self.high.value())
        return Posts(at_least=self.low.value())

    def set_posts(self, posts: Posts) -> None:
        self.blockSignals(True)
        if posts.at_least is not None and posts.at_most is not None:
            self.mode.setCurrentIndex(FROM_TO)
            self.low.setValue(posts.at_least)
            self.high.setValue(posts.at_most)
        elif posts.at_most is not None:
            self.mode.setCurrentIndex(AT_MOST)
            self.low.setValue(posts.at_most)
        else:
            self.mode.setCurrentIndex(AT_LEAST)
            self.low.setValue(posts.at_least or 0)
        self._show_fields()
        self.blockSignals(False)


class PartEditor(QStackedWidget):
    """Edits the part of the current row: a group (page 0) or a condition (page 1)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group: GroupPart | None = None
        self._condition: ConditionPart | None = None
        self._loading = False
        #: The server lists posts and trust levels: the kind list offers them.
        self.member_activity = False

        group_page = QWidget()
        self.combine = QComboBox()
        self.combine.addItem(self.tr("All of these (AND)"))
        self.combine.addItem(self.tr("Any of these (OR)"))
        self.group_not = QCheckBox(self.tr("N&ot: the opposite of this group"))
        group_form = QFormLayout(group_page)
        combine_label = QLabel(self.tr("&Join with:"))
        combine_label.setBuddy(self.combine)
        group_form.addRow(combine_label, self.combine)
        group_form.addRow("", self.group_not)
        self.addWidget(group_page)

        condition_page = QWidget()
        self.kind = QComboBox()
        self._fill_kinds(None)
        self.condition_not = QCheckBox(self.tr("No&t: members this condition does not select"))
        self.when = SpanEditor(self.tr("When"))
        self.statuses: dict[MemberStatus, QCheckBox] = {}
        status_row = QWidget()
        status_layout = QHBoxLayout(status_row)
        status_layout.setContentsMargins(0, 0, 0, 0)
        for status in (MemberStatus.ACTIVE, MemberStatus.SUSPENDED, MemberStatus.DELETED):
            box = QCheckBox(status_name(status).replace("&", "&&"))
            self.statuses[status] = box
            status_layout.addWidget(box)
        status_layout.addStretch(1)
        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName(self.tr("Group"))
        shows_data(self.group_combo)  # the community's group names
        make_searchable(self.group_combo)
        self.badge_combo = QComboBox()
        self.badge_combo.setObjectName("ruleBadge")
        self.badge_combo.setAccessibleName(self.tr("Badge"))
        shows_data(self.badge_combo)  # the community's badge titles
        make_searchable(self.badge_combo)
        self.awarded = SpanEditor(self.tr("Awarded"))
        self.posts = PostsEditor()
        self.trust_levels: dict[TrustLevel, QCheckBox] = {}
        trust_row = QWidget()
        trust_layout = QHBoxLayout(trust_row)
        trust_layout.setContentsMargins(0, 0, 0, 0)
        for level in TrustLevel:
            box = QCheckBox(trust_level_choice(level))
            self.trust_levels[level] = box
            trust_layout.addWidget(box)
        trust_layout.addStretch(1)
        self.text_edit = QLineEdit()
        self.text_edit.setAccessibleName(self.tr("Words to find"))
        self.text_edit.setPlaceholderText(self.tr("Words the name, username or email start with"))

        form = QFormLayout(condition_page)
        kind_label = QLabel(self.tr("Con&dition:"))
        kind_label.setBuddy(self.kind)
        form.addRow(kind_label, self.kind)
        form.addRow("", self.condition_not)
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        for key, text, widget in (
            ("when", self.tr("&When:"), self.when.mode),
            ("status", self.tr("St&atus:"), self.statuses[MemberStatus.ACTIVE]),
            ("group", self.tr("&Group:"), self.group_combo),
            ("badge", self.tr("&Badge:"), self.badge_combo),
            ("awarded", self.tr("Awarded:"), self.awarded.mode),
            ("posts", self.tr("Number o&f posts:"), self.posts.mode),
            ("trust", self.tr("Trust level:"), self.trust_levels[TrustLevel.NEW_USER]),
            ("text", self.tr("Te&xt:"), self.text_edit),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            field_widget = {
                "when": self.when,
                "status": status_row,
                "awarded": self.awarded,
                "posts": self.posts,
                "trust": trust_row,
            }.get(key, widget)
            form.addRow(label, field_widget)
            self.rows[key] = (label, field_widget)
        self.addWidget(condition_page)
        self._form = form

        self.combine.currentIndexChanged.connect(self._edited)
        self.group_not.toggled.connect(self._edited)
        self.kind.currentIndexChanged.connect(self._edited)
        self.condition_not.toggled.connect(self._edited)
        self.when.changed.connect(self._edited)
        self.awarded.changed.connect(self._edited)
        self.posts.changed.connect(self._edited)
        for box in (*self.statuses.values(), *self.trust_levels.values()):
            box.toggled.connect(self._edited)
        self.group_combo.currentIndexChanged.connect(self._edited)
        self.badge_combo.currentIndexChanged.connect(self._edited)
        self.text_edit.textChanged.connect(self._edited)

    # --- choices ----------------------------------------------------------------

    def set_choices(self, badges: Sequence[Badge], groups: Sequence[GroupRef]) -> None:
        """The badges (every state: a rule may look for a discontinued badge) and groups to offer."""
        self._loading = True
        for combo in (self.badge_combo, self.group_combo):
            combo.clear()
        for badge in sorted(badges, key=lambda b: b.title.casefold()):
            if badge.state is BadgeState.PUBLISHED:
                title = badge.title
            else:
                title = self.tr("{badge} ({state})").format(
                    badge=badge.title, state=_badge_state(badge.state)
                )
            self.badge_combo.addItem(title, BadgeRef(badge.id, badge.title))
        for group in groups:
            self.group_combo.addItem(group.name, group)
        self._loading = False
        self._show_values()

    def set_member_activity(self, capabilities: Capabilities | None) -> None:
        """Offer posts and trust level only where the session's server lists them."""
        self.member_activity = capabilities is not None and capabilities.member_activity
        self._loading = True
        self._fill_kinds(None if self._condition is None else self._condition.kind)
        self._loading = False

    def _fill_kinds(self, shown: Kind | None) -> None:
        """The kinds offered, and ``shown`` among them even where not offered (a saved rule's)."""
        wanted = [k for k in Kind if k is shown or self.member_activity or not k.member_activity]
        if [self.kind.itemData(i) for i in range(self.kind.count())] != wanted:
            self.kind.clear()
            for kind in wanted:
                self.kind.addItem(kind_name(kind), kind)
        if shown is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(shown)))

    # --- the part edited ------------------------------------------------------------

    def edit_group(self, part: GroupPart) -> None:
        self._group, self._condition = part, None
        self._loading = True
        self.combine.setCurrentIndex(1 if part.any_of else 0)
        self.group_not.setChecked(part.negated)
        self._loading = False
        self.setCurrentIndex(0)

    def edit_condition(self, part: ConditionPart) -> None:
        self._group, self._condition = None, part
        self.setCurrentIndex(1)
        self._show_values()

    def _show_values(self) -> None:
        part = self._condition
        if part is None:
            return
        self._loading = True
        self._fill_kinds(part.kind)  # a kind this server lacks only while a condition has it
        self.condition_not.setChecked(part.negated)
        self.when.set_span(part.span)
        self.awarded.set_span(part.span)
        for status, box in self.statuses.items():
            box.setChecked(status in part.statuses)
        self._select(self.group_combo, part.group)
        self._select(self.badge_combo, part.badge)
        self.text_edit.setText(part.text)
        self.posts.set_posts(part.posts)
        for level, box in self.trust_levels.items():
            box.setChecked(level in part.trust_levels)
        self._loading = False
        self._show_rows(part.kind)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        if value is None:
            combo.setCurrentIndex(-1 if combo.count() == 0 else combo.currentIndex())
            return
        index = next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)
        if index < 0 and isinstance(value, BadgeRef | GroupRef):
            # By id: the name stored with the rule may be an older one.
            index = next(
                (i for i in range(combo.count()) if getattr(combo.itemData(i), "id", None) == value.id), -1
            )
        combo.setCurrentIndex(index)

    def _show_rows(self, kind: Kind) -> None:
        shown = {
            Kind.JOINED: {"when"},
            Kind.LAST_SEEN: {"when"},
            Kind.NEVER_SEEN: set(),
            Kind.STATUS: {"status"},
            Kind.IN_GROUP: {"group"},
            Kind.HOLDS_BADGE: {"badge", "awarded"},
            Kind.POSTS: {"posts"},
            Kind.TRUST_LEVEL: {"trust"},
            Kind.TEXT: {"text"},
        }[kind]
        for key, (label, widget) in self.rows.items():
            label.setVisible(key in shown)
            widget.setVisible(key in shown)

    def _edited(self) -> None:
        if self._loading:
            return
        if self._group is not None:
            self._group.any_of = self.combine.currentIndex() == 1
            self._group.negated = self.group_not.isChecked()
        elif self._condition is not None:
            part = self._condition
            kind = Kind(self.kind.currentData())
            if kind is not part.kind:
                part.kind = kind
                # A new kind starts from its usual question, not the last one's dates.
                part.span = (
                    within_last(90, Unit.DAYS) if kind in (Kind.JOINED, Kind.LAST_SEEN) else DateSpan()
                )
                self._show_values()
            else:
                part.span = self.awarded.span() if kind is Kind.HOLDS_BADGE else self.when.span()
            part.negated = self.condition_not.isChecked()
            part.statuses = frozenset(s for s, box in self.statuses.items() if box.isChecked())
            group = self.group_combo.currentData()
            part.group = group if isinstance(group, GroupRef) else None
            badge = self.badge_combo.currentData()
            part.badge = badge if isinstance(badge, BadgeRef) else None
            part.text = self.text_edit.text()
            part.posts = self.posts.posts()
            part.trust_levels = frozenset(t for t, box in self.trust_levels.items() if box.isChecked())
        self.changed.emit()
