"""The Review queue pane: pending badge requests, oldest first."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.domain import ChangeSet
from ui.models.requests import RequestRow, RequestTableModel
from ui.operations import LatestOnly
from ui.session import AppSession


class ReviewQueueView(QWidget):
    """Lives on the GUI thread."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = RequestTableModel(self)
        self.count_label = QLabel("Loading requests…")
        self.table = QTableView()
        self.table.setObjectName("requestTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (1, 240), (2, 200)):
            header.resizeSection(column, width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table)
        self._latest = LatestOnly(self)
        session.changed.connect(self.on_changed)

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

        self.session.tasks.start("list requests", load, on_success=self._latest.next(self._got_rows))

    def _got_rows(self, rows: list[RequestRow]) -> None:
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows):,} pending requests" if rows else "No pending requests.")
