"""The Members pane: every cached member, loaded lazily."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QWidget

from desktop.domain import ChangeSet
from ui.models.members import MemberTableModel
from ui.session import AppSession
from ui.table_pane import TablePane


class MemberSearchView(TablePane):
    """Lives on the GUI thread. (Search and filters arrive with the member search issue.)"""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        self.model = MemberTableModel(session.community, session.tasks)
        super().__init__(session, self.model, name="memberTable", loading="Loading members…", parent=parent)
        self.model.setParent(self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.set_column_widths({0: 220, 1: 160, 2: 260, 3: 100, 4: 100})

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
            on_success=self.latest.next(self._got_ids),
        )

    def _got_ids(self, ids: list[int]) -> None:
        self.model.set_ids(ids)
        self.count_label.setText(f"{len(ids):,} members" if ids else "No members cached yet.")
