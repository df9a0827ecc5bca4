"""*Holders by period…*: who held a one-holder badge in each week, month, quarter or year.

The Badges pane opens it for the selected badge (Ctrl+Shift+Y). The rows come
from :func:`~desktop.programs.titles.holders_by_period` (the hand-overs this
computer saw finished, and the badge's grant in the local copy), read on the
session's readers: period, holder, since, until, and who handed it over. A
holder's tenure spans every period it touches, so a period handed over in its
middle lists both holders. Newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.cache.database import Cache
from desktop.domain import Badge
from desktop.programs.periods import Cadence, local_zone
from desktop.programs.titles import holders_by_period
from ui.badges.member_picker import suggestion_text
from ui.i18n import format_datetime
from ui.session.app_session import AppSession
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.keyboard import no_tab_trap
from ui.widgets.text import plain_label

#: The cadences offered, in the combo's order (a one-off has no periods to list).
CADENCES = (Cadence.WEEKLY, Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.YEARLY)


@dataclass(frozen=True, slots=True)
class HolderRow:
    """One period and who held the badge in it."""

    period: str
    holder: str
    since: datetime
    until: datetime | None
    by: str


def load_holder_rows(cache: Cache, badge_id: int, cadence: Cadence, tz: tzinfo) -> list[HolderRow]:
    """The rows, newest period first (the current holder first within a period); on a worker."""
    tenures = holders_by_period(cache, badge_id, cadence, tz)
    members = cache.members_by_ids([t.member_id for t in tenures])
    rows: list[HolderRow] = []
    for tenure in tenures:
        member = members.get(tenure.member_id)
        name = suggestion_text(member) if member is not None else f"#{tenure.member_id}"
        for period in tenure.periods:
            rows.append(HolderRow(period.key, name, tenure.since, tenure.until, tenure.by))
    rows.reverse()
    return rows


class TitleHoldersDialog(QDialog):
    """Lives on the GUI thread; reads on the session's readers."""

    def __init__(self, session: AppSession, badge: Badge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.badge = badge
        self.rows: list[HolderRow] | None = None
        self.setObjectName("titleHoldersDialog")
        self.setWindowTitle(self.tr("Holders by period: {badge}").format(badge=badge.title))
        self.resize(720, 420)
        self.cadence_combo = QComboBox()
        self.cadence_combo.setObjectName("titleHoldersCadence")
        self.cadence_combo.setAccessibleName(self.tr("Periods"))
        names = {
            Cadence.WEEKLY: self.tr("Weeks"),
            Cadence.MONTHLY: self.tr("Months"),
            Cadence.QUARTERLY: self.tr("Quarters"),
            Cadence.YEARLY: self.tr("Years"),
        }
        for cadence in CADENCES:
            self.cadence_combo.addItem(names[cadence], cadence.value)
        self.cadence_combo.setCurrentIndex(CADENCES.index(Cadence.QUARTERLY))
        self.cadence_combo.currentIndexChanged.connect(lambda _i: self.reload())
        periods_label = QLabel(self.tr("&Periods:"))
        periods_label.setBuddy(self.cadence_combo)
        form = QFormLayout()
        form.addRow(periods_label, self.cadence_combo)

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("titleHoldersTable")
        self.table.setAccessibleName(self.tr("Holders by period"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Period"),
                self.tr("Holder"),
                self.tr("Since"),
                self.tr("Until"),
                self.tr("Handed over by"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        no_tab_trap(self.table)
        self.note_label = plain_label(
            self.tr(
                "From the hand-overs sent from this computer and the badge's grants as last synced"
                " (a title handed over elsewhere shows its holder since their grant)."
            ),
            wrap=True,
        )
        self.status_label = plain_label(name="titleHoldersStatus", wrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note_label)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.reload()

    @property
    def cadence(self) -> Cadence:
        return Cadence(self.cadence_combo.currentData())

    def reload(self) -> None:
        cache = self.session.community.cache
        badge_id, cadence = self.badge.id, self.cadence
        tz = local_zone()
        self.rows = None
        self.status_label.setText(self.tr("Reading…"))
        set_status_style(self.status_label, None)
        self.session.tasks.start(
            "read holders by period",
            lambda _c, _p: load_holder_rows(cache, badge_id, cadence, tz),
            on_success=self._loaded,
            on_failure=self._failed,
        )

    def _loaded(self, rows: list[HolderRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            until = format_datetime(row.until) if row.until is not None else self.tr("holds it now")
            texts = (row.period, row.holder, format_datetime(row.since), until, row.by or "—")
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column in (2, 3):
                    # The raw time, should anyone sort by it.
                    item.setData(Qt.ItemDataRole.UserRole, row.since if column == 2 else row.until)
                self.table.setItem(number, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.status_label.setText("" if rows else self.tr("Nobody has held this badge yet."))

    def _failed(self, error: Exception) -> None:
        self.rows = []
        failure = self.session.describe(error, failures.loading(self.tr("the holders by period")))
        self.status_label.setText(failure.message)
        set_status_style(self.status_label, text_style("error"))


__all__ = ["HolderRow", "TitleHoldersDialog", "load_holder_rows"]
