"""The Badges pane: the community's badges with icon, state and holders."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.domain import ChangeSet
from ui.models.badges import ICON_SIZE, BadgeRow, BadgeTableModel, render_badge_image
from ui.session import AppSession
from ui.table_pane import TablePane


class BadgeListView(TablePane):
    """Lives on the GUI thread."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        self.model = BadgeTableModel()
        super().__init__(session, self.model, name="badgeTable", loading="Loading badges…", parent=parent)
        self.table.setIconSize(ICON_SIZE)
        self.table.verticalHeader().setDefaultSectionSize(ICON_SIZE.height() + 8)
        self.set_column_widths({}, stretch=0)

    def on_changed(self, changes: ChangeSet) -> None:
        if changes.reset or changes.badges or changes.awards:
            self.reload()

    def reload(self) -> None:
        cache = self.session.community.cache

        def load(_cancel: object, _report: object) -> list[BadgeRow]:
            holders = cache.badge_holder_counts()
            return [BadgeRow(b, holders.get(b.id, 0), render_badge_image(b)) for b in cache.badges()]

        self.session.tasks.start("list badges", load, on_success=self.latest.next(self._got_rows))

    def _got_rows(self, rows: list[BadgeRow]) -> None:
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows):,} badges" if rows else "No badges cached yet.")
