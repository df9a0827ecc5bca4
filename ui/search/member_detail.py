"""The member detail panel: profile, every badge held, request history.

Everything here is member- or moderator-provided text and is shown as plain
text (labels with ``Qt.PlainText``, tree items), never as HTML.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.member_search import MemberDetail
from ui.widgets.text import plain_label


def _plain_label(text: str = "") -> QLabel:
    return plain_label(text, wrap=True, selectable=True)


def _date(value: object) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")  # type: ignore[attr-defined]


class MemberDetailPanel(QWidget):
    """Shows one :class:`MemberDetail`. GUI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _plain_label("Select a member to see their badges.")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.fields = {
            name: _plain_label() for name in ("Username", "Email", "Joined", "Last seen", "Status", "Groups")
        }
        form = QFormLayout()
        for name, label in self.fields.items():
            form.addRow(name + ":", label)
        self.badges = QTreeWidget()
        self.badges.setObjectName("memberBadges")
        self.badges.setHeaderLabels(["Badge", "Granted", "By", "Reason"])
        self.badges.setRootIsDecorated(False)
        self.requests = QTreeWidget()
        self.requests.setObjectName("memberRequests")
        self.requests.setHeaderLabels(["Badge", "Requested", "State", "Note"])
        self.requests.setRootIsDecorated(False)
        self.badges_label = QLabel("Badges")
        self.requests_label = QLabel("Requests")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.badges_label)
        layout.addWidget(self.badges, 2)
        layout.addWidget(self.requests_label)
        layout.addWidget(self.requests, 1)
        self.detail: MemberDetail | None = None

    def show_detail(self, detail: MemberDetail | None) -> None:
        self.detail = detail
        self.badges.clear()
        self.requests.clear()
        if detail is None:
            self.title.setText("Select a member to see their badges.")
            for label in self.fields.values():
                label.setText("")
            return
        member = detail.member
        self.title.setText(member.display_name)
        values = {
            "Username": member.username,
            "Email": member.email,
            "Joined": _date(member.joined_at),
            "Last seen": _date(member.last_seen_at) or "never",
            "Status": member.status.value.capitalize(),
            "Groups": ", ".join(detail.groups) or "—",
        }
        for name, value in values.items():
            self.fields[name].setText(value)
        self.badges_label.setText(f"Badges ({len(detail.badges)})")
        for held in detail.badges:
            title = held.badge.title if held.badge else f"badge #{held.award.badge_id}"
            award = held.award
            self.badges.addTopLevelItem(
                QTreeWidgetItem([title, _date(award.granted_at), award.granted_by, award.reason])
            )
        self.requests_label.setText(f"Requests ({len(detail.requests)})")
        for item in detail.requests:
            request = item.request
            title = item.badge.title if item.badge else f"badge #{request.badge_id}"
            note = " ".join(request.note.split())
            self.requests.addTopLevelItem(
                QTreeWidgetItem([title, _date(request.created_at), request.state.value, note])
            )
        for tree in (self.badges, self.requests):
            tree.resizeColumnToContents(0)
            tree.resizeColumnToContents(1)
