"""The Review queue pane: pending badge requests, oldest first."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.domain import ChangeSet
from ui.models.requests import RequestRow, RequestTableModel
from ui.session import AppSession
from ui.table_pane import TablePane


class ReviewQueueView(TablePane):
    """Lives on the GUI thread."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        self.model = RequestTableModel()
        super().__init__(session, self.model, name="requestTable", loading="Loading requests…", parent=parent)
        self.set_column_widths({0: 130, 1: 240, 2: 200}, stretch=3)

    def on_changed(self, changes: ChangeSet) -> None:
        if changes.reset or changes.requests:
            self.reload()

    def reload(self) -> None:
        cache = self.session.community.cache

        def load(_cancel: object, _report: object) -> list[RequestRow]:
            requests = cache.requests()
            members = cache.members_by_ids(sorted({r.member_id for r in requests}))
            badges = {b.id: b for b in cache.badges()}
            return [RequestRow(r, members.get(r.member_id), badges.get(r.badge_id)) for r in requests]

        self.session.tasks.start("list requests", load, on_success=self.latest.next(self._got_rows))

    def _got_rows(self, rows: list[RequestRow]) -> None:
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows):,} pending requests" if rows else "No pending requests.")
