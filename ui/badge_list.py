"""The Badges pane: the community's badges with icon, state and holders."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.domain import ChangeSet
from ui.models.badges import ICON_SIZE, BadgeRow, BadgeTableModel, render_badge_image
from ui.operations import LatestOnly
from ui.session import AppSession


class BadgeListView(QWidget):
    """Lives on the GUI thread."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = BadgeTableModel(self)
        self.count_label = QLabel("Loading badges…")
        self.table = QTableView()
        self.table.setObjectName("badgeTable")
        self.table.setModel(self.model)
        self.table.setIconSize(ICON_SIZE)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ICON_SIZE.height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table)
        self._latest = LatestOnly(self)
        session.changed.connect(self.on_changed)

    def on_changed(self, changes: ChangeSet) -> None:
        if changes.reset or changes.badges or changes.awards:
            self.reload()

    def reload(self) -> None:
        cache = self.session.community.cache

        def load(_cancel: object, _report: object) -> list[BadgeRow]:
            holders = cache.badge_holder_counts()
            return [BadgeRow(b, holders.get(b.id, 0), render_badge_image(b)) for b in cache.badges()]

        self.session.tasks.start("list badges", load, on_success=self._latest.next(self._got_rows))

    def _got_rows(self, rows: list[BadgeRow]) -> None:
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows):,} badges" if rows else "No badges cached yet.")
