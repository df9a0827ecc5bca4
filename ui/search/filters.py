"""The Members pane's filters: the "Add filter" menu, which asks for a value, and the chips of a query."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import QDate
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

from desktop.domain import Badge, MemberStatus
from desktop.member_search import MemberQuery

#: Takes one filter off a query: the query shown when its chip is clicked, not when it was made.
Remove = Callable[[MemberQuery], MemberQuery]


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
        or pasted
    )


def _drop_held(badge_id: int, query: MemberQuery) -> MemberQuery:
    return replace(query, holds=query.holds - {badge_id})


def _drop_lacked(badge_id: int, query: MemberQuery) -> MemberQuery:
    return replace(query, lacks=query.lacks - {badge_id})


def query_chips(query: MemberQuery, badge_title: Callable[[int], str]) -> list[tuple[str, Remove]]:
    """One (text, remove) per filter of ``query``, in the order the chips are shown."""
    chips: list[tuple[str, Remove]] = []
    for badge_id in sorted(query.holds):
        chips.append((f"Holds: {badge_title(badge_id)}", partial(_drop_held, badge_id)))
    for badge_id in sorted(query.lacks):
        chips.append((f"Lacks: {badge_title(badge_id)}", partial(_drop_lacked, badge_id)))
    if query.status is not None:
        chips.append((f"Status: {query.status.value}", lambda q: replace(q, status=None)))
    if query.joined_after is not None:
        chips.append((f"Joined after {query.joined_after:%Y-%m-%d}", lambda q: replace(q, joined_after=None)))
    if query.joined_before is not None:
        chips.append(
            (f"Joined before {query.joined_before:%Y-%m-%d}", lambda q: replace(q, joined_before=None))
        )
    if query.seen_within_days is not None:
        chips.append(
            (f"Seen within {query.seen_within_days} days", lambda q: replace(q, seen_within_days=None))
        )
    if query.group:
        chips.append((f"Group: {query.group}", lambda q: replace(q, group=None)))
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
        self.addAction("Holds badge…", lambda: self._pick_badge(holds=True))
        self.addAction("Lacks badge…", lambda: self._pick_badge(holds=False))
        status = self.addMenu("Status")
        for value in (MemberStatus.ACTIVE, MemberStatus.SUSPENDED, MemberStatus.DELETED):
            status.addAction(value.value.capitalize(), partial(add_filter, status=value))
        self.addAction("Joined after…", lambda: self._pick_date("joined_after", "Joined on or after"))
        self.addAction("Joined before…", lambda: self._pick_date("joined_before", "Joined before"))
        self.addAction("Last seen within…", self._pick_seen_within)
        self.addAction("Group…", self._pick_group)
        if select_group is not None:
            self.addSeparator()
            everyone = self.addAction("Everyone in a group…", lambda: self._pick_group(select_group))
            everyone.setToolTip("Show a group's members and select them all, ready for “Award badge…”")

    def _pick_badge(self, *, holds: bool) -> None:
        badges = sorted(self._badges(), key=lambda b: b.title.casefold())
        if not badges:
            return
        titles = [f"{b.title} ({b.state.value})" for b in badges]
        title, ok = QInputDialog.getItem(
            self._owner, "Holds badge" if holds else "Lacks badge", "Badge:", titles, 0, False
        )
        if ok:
            badge = badges[titles.index(title)]
            self._add_filter(**{"holds" if holds else "lacks": badge.id})

    def _pick_date(self, field: str, label: str) -> None:
        dialog = QDialog(self._owner)
        dialog.setWindowTitle(label)
        edit = QDateEdit(QDate.currentDate().addYears(-1))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(label + ":"))
        layout.addWidget(edit)
        layout.addWidget(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            day = edit.date()
            self._add_filter(**{field: datetime(day.year(), day.month(), day.day(), tzinfo=UTC)})

    def _pick_seen_within(self) -> None:
        days, ok = QInputDialog.getInt(self._owner, "Last seen within", "Days:", 30, 1, 36500)
        if ok:
            self._add_filter(seen_within_days=days)

    def _pick_group(self, chosen: Callable[[str], None] | None = None) -> None:
        """Ask for a group, then filter by it (or hand it to ``chosen``)."""
        groups = self._groups()
        if not groups:
            self._say("No member belongs to a group.")
            return
        group, ok = QInputDialog.getItem(self._owner, "Group", "Group:", groups, 0, False)
        if not ok:
            return
        if chosen is None:
            self._add_filter(group=group)
        else:
            chosen(group)
