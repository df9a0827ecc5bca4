"""The Members pane's filters: the "Add filter" menu, which asks for a value, and the chips of a query."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import Badge, BadgeState, MemberStatus
from desktop.member_search import MemberQuery
from desktop.rules import Rule
from ui.i18n import format_date
from ui.search.model import status_name
from ui.widgets.badge_picker import ask_choice

#: Takes one filter off a query: the query shown when its chip is clicked, not when it was made.
Remove = Callable[[MemberQuery], MemberQuery]

#: The chip of the status filter, one whole text per status.
_STATUS_CHIPS: dict[MemberStatus, str] = {
    MemberStatus.ACTIVE: str(QT_TRANSLATE_NOOP("QueryChips", "Status: active")),
    MemberStatus.SUSPENDED: str(QT_TRANSLATE_NOOP("QueryChips", "Status: suspended")),
    MemberStatus.DELETED: str(QT_TRANSLATE_NOOP("QueryChips", "Status: deleted")),
}
#: A badge's state as the badge picker names it ("MVP (published)").
_BADGE_STATES: dict[BadgeState, str] = {
    BadgeState.DRAFT: str(QT_TRANSLATE_NOOP("FilterMenu", "draft")),
    BadgeState.PUBLISHED: str(QT_TRANSLATE_NOOP("FilterMenu", "published")),
    BadgeState.DISABLED: str(QT_TRANSLATE_NOOP("FilterMenu", "disabled")),
    BadgeState.DISCONTINUED: str(QT_TRANSLATE_NOOP("FilterMenu", "discontinued")),
}


def _badge_state(state: BadgeState) -> str:
    name = _BADGE_STATES[state]
    return QCoreApplication.translate("FilterMenu", name)


def date_edit_format() -> str:
    """The locale's short date for a date editor, with four-digit years ("M/d/yyyy"): "yy" would mean 19yy."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def has_filters(query: MemberQuery, *, pasted: bool) -> bool:
    """Whether anything besides the typed text narrows the results (a pasted list too)."""
    return bool(
        query.holds
        or query.lacks
        or query.status
        or query.joined_after
        or query.joined_before
        or query.seen_within_days is not None
        or query.group
        or query.rule is not None
        or pasted
    )


def count_text(total: int, *, more: bool, filtered: bool, selected: int) -> str:
    """The Members pane's count: "12 matches", "1,000+ members, counting…", "… · 3 selected".

    ``more``: at least ``total`` match; the exact count comes with the complete list.
    """

    if more:
        if filtered:
            text = QCoreApplication.translate(
                "MemberSearchView", "%Ln+ (match|matches), counting…", "", total
            )
        else:
            text = QCoreApplication.translate("MemberSearchView", "%Ln+ members, counting…", "", total)
    elif total == 0:
        if filtered:
            text = QCoreApplication.translate("MemberSearchView", "No members match.")
        else:
            text = QCoreApplication.translate("MemberSearchView", "No members cached yet.")
    elif filtered:
        text = QCoreApplication.translate("MemberSearchView", "%Ln (match|matches)", "", total)
    else:
        text = QCoreApplication.translate("MemberSearchView", "%Ln member(s)", "", total)
    if selected:
        text = QCoreApplication.translate("MemberSearchView", "{count} · %Ln selected", "", selected).format(
            count=text
        )
    return text


def _drop_held(badge_id: int, query: MemberQuery) -> MemberQuery:
    return replace(query, holds=query.holds - {badge_id})


def _drop_lacked(badge_id: int, query: MemberQuery) -> MemberQuery:
    return replace(query, lacks=query.lacks - {badge_id})


def query_chips(
    query: MemberQuery, badge_title: Callable[[int], str], rule_title: Callable[[Rule], str] | None = None
) -> list[tuple[str, Remove]]:
    """One (text, remove) per filter of ``query``, in the order the chips are shown."""
    translate = QCoreApplication.translate
    chips: list[tuple[str, Remove]] = []
    if query.rule is not None and rule_title is not None:
        chips.append((rule_title(query.rule), lambda q: replace(q, rule=None)))
    for badge_id in sorted(query.holds):
        text = translate("QueryChips", "Holds: {badge}").format(badge=badge_title(badge_id))
        chips.append((text, partial(_drop_held, badge_id)))
    for badge_id in sorted(query.lacks):
        text = translate("QueryChips", "Lacks: {badge}").format(badge=badge_title(badge_id))
        chips.append((text, partial(_drop_lacked, badge_id)))
    if query.status is not None:
        text = translate("QueryChips", _STATUS_CHIPS[query.status])
        chips.append((text, lambda q: replace(q, status=None)))
    # The filters' days are UTC midnights of the day chosen: that day, not its local time.
    if query.joined_after is not None:
        text = translate("QueryChips", "Joined after {date}").format(
            date=format_date(query.joined_after.date())
        )
        chips.append((text, lambda q: replace(q, joined_after=None)))
    if query.joined_before is not None:
        day = format_date(query.joined_before.date())
        chips.append(
            (
                translate("QueryChips", "Joined before {date}").format(date=day),
                lambda q: replace(q, joined_before=None),
            )
        )
    if query.seen_within_days is not None:
        days = query.seen_within_days  # lupdate drops a translate() counting an attribute
        text = translate("QueryChips", "Seen within %Ln day(s)", "", days)
        chips.append((text, lambda q: replace(q, seen_within_days=None)))
    if query.group:
        text = translate("QueryChips", "Group: {group}").format(group=query.group)
        chips.append((text, lambda q: replace(q, group=None)))
    return chips


class FilterMenu(QMenu):
    """The "Add filter" menu: each entry asks for its value, then calls ``add_filter`` with it.

    ``add_filter`` takes the change as keywords (``holds=badge_id``,
    ``status=…``); the badges and groups to choose from are read when asked
    for, so the menu always offers what the cache has now. GUI thread only.
    """

    def __init__(
        self,
        owner: QWidget,
        *,
        add_filter: Callable[..., None],
        badges: Callable[[], Iterable[Badge]],
        groups: Callable[[], list[str]],
        say: Callable[[str], None],
        select_group: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(owner)
        #: The pane: the parent of the dialogs that ask for a value.
        self._owner = owner
        self._add_filter = add_filter
        self._badges = badges
        self._groups = groups
        self._say = say
        self.addAction(self.tr("Holds badge…"), lambda: self._pick_badge(holds=True))
        self.addAction(self.tr("Lacks badge…"), lambda: self._pick_badge(holds=False))
        status = self.addMenu(self.tr("Status"))
        for value in (MemberStatus.ACTIVE, MemberStatus.SUSPENDED, MemberStatus.DELETED):
            # "&" would mark a keyboard accelerator in a menu.
            status.addAction(status_name(value).replace("&", "&&"), partial(add_filter, status=value))
        after = (self.tr("Joined on or after"), self.tr("Joined on or after:"))
        before = (self.tr("Joined before"), self.tr("Joined before:"))
        self.addAction(self.tr("Joined after…"), lambda: self._pick_date("joined_after", *after))
        self.addAction(self.tr("Joined before…"), lambda: self._pick_date("joined_before", *before))
        self.addAction(self.tr("Last seen within…"), self._pick_seen_within)
        self.addAction(self.tr("Group…"), self._pick_group)
        if select_group is not None:
            self.addSeparator()
            everyone = self.addAction(self.tr("Everyone in a group…"), lambda: self._pick_group(select_group))
            everyone.setToolTip(
                self.tr("Show a group's members and select them all, ready for “Award badge…”")
            )

    def _pick_badge(self, *, holds: bool) -> None:
        badges = sorted(self._badges(), key=lambda b: b.title.casefold())
        if not badges:
            return
        choice = self.tr("{badge} ({state})")
        titles = [choice.format(badge=b.title, state=_badge_state(b.state)) for b in badges]
        heading = self.tr("Holds badge") if holds else self.tr("Lacks badge")
        index = ask_choice(self._owner, heading, titles)
        if index is not None:
            self._add_filter(**{"holds" if holds else "lacks": badges[index].id})

    def _pick_date(self, field: str, title: str, label: str) -> None:
        dialog = QDialog(self._owner)
        dialog.setWindowTitle(title)
        edit = QDateEdit(QDate.currentDate().addYears(-1))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_edit_format())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(label))
        layout.addWidget(edit)
        layout.addWidget(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            day = edit.date()
            self._add_filter(**{field: datetime(day.year(), day.month(), day.day(), tzinfo=UTC)})

    def _pick_seen_within(self) -> None:
        days, ok = QInputDialog.getInt(
            self._owner, self.tr("Last seen within"), self.tr("Days:"), 30, 1, 36500
        )
        if ok:
            self._add_filter(seen_within_days=days)

    def _pick_group(self, chosen: Callable[[str], None] | None = None) -> None:
        """Ask for a group, then filter by it (or hand it to ``chosen``)."""
        groups = self._groups()
        if not groups:
            self._say(self.tr("No member belongs to a group."))
            return
        group, ok = QInputDialog.getItem(self._owner, self.tr("Group"), self.tr("Group:"), groups, 0, False)
        if not ok:
            return
        if chosen is None:
            self._add_filter(group=group)
        else:
            chosen(group)
