"""The Members pane: every cached member, loaded lazily."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.domain import ChangeSet
from ui.models.members import MemberTableModel
from ui.operations import LatestOnly
from ui.session import AppSession


class MemberSearchView(QWidget):
    """Lives on the GUI thread."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = MemberTableModel(session.community, session.tasks, self)
        self.count_label = QLabel("Loading members…")
        self.table = QTableView()
        self.table.setObjectName("memberTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never asks every row for its size.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((220, 160, 260, 100, 100)):
            header.resizeSection(column, width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table)
        self._latest = LatestOnly(self)
        session.changed.connect(self.on_changed)

    def on_changed(self, changes: ChangeSet) -> None:
        if changes.reset:
            self.reload()
        elif changes.members:
            if changes.members <= set(self.model.ids):
                # Only known members changed: keep the list, scroll and selection.
                self.model.invalidate(changes.members)
            else:
                self.reload()

    def reload(self) -> None:
        self.session.tasks.start(
            "list members",
            lambda _c, _p: self.session.community.cache.member_ids(),
            on_success=self._latest.next(self._got_ids),
        )

    def _got_ids(self, ids: list[int]) -> None:
        self.model.set_ids(ids)
        self.count_label.setText(f"{len(ids):,} members" if ids else "No members cached yet.")
