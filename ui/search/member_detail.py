"""The member detail panel: profile, every badge held, request history.

A badge held several times (Discourse's ``multiple_grant``) is one row with
its count ("Helpful ×3") over one row per grant (date, granter, reason). The
selected grant can be revoked: the revoke names that grant; a badge row held
several times asks which grant first.

Everything here is member- or moderator-provided text and is shown as plain
text (labels with ``Qt.PlainText``, tree items), never as HTML.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import Award, RequestState
from desktop.grants import grant_label
from desktop.member_search import HeldBadge, MemberDetail
from ui.i18n import DATA_PROPERTY, format_date, format_datetime, format_number, shows_data
from ui.search.model import status_name
from ui.search.rules.rule_parts import trust_level_name
from ui.widgets.keyboard import no_tab_trap
from ui.widgets.text import confirm, make_plain, plain_label

#: On a badge row: the member's grants of it (newest first); on a grant row: that grant.
GrantsRole = Qt.ItemDataRole.UserRole + 1

#: A request's state as the requests list names it.
_REQUEST_STATES: dict[RequestState, str] = {
    RequestState.PENDING: str(QT_TRANSLATE_NOOP("MemberDetailPanel", "pending")),
    RequestState.APPROVED: str(QT_TRANSLATE_NOOP("MemberDetailPanel", "approved")),
    RequestState.DENIED: str(QT_TRANSLATE_NOOP("MemberDetailPanel", "denied")),
    RequestState.RETURNED: str(QT_TRANSLATE_NOOP("MemberDetailPanel", "returned")),
    RequestState.WITHDRAWN: str(QT_TRANSLATE_NOOP("MemberDetailPanel", "withdrawn")),
}


def _plain_label(text: str = "") -> QLabel:
    return plain_label(text, wrap=True, selectable=True)


def _translate(text: str) -> str:
    return QCoreApplication.translate("MemberDetailPanel", text)


def _when(award: Award) -> str:
    """A grant's date and time: grants of one badge are often made the same day."""
    return format_datetime(award.granted_at)


def _badge_fallback(badge_id: int) -> str:
    """A badge the cache no longer has, by its id."""
    return QCoreApplication.translate("MemberDetailPanel", "badge #{id}").format(id=badge_id)


def _grant_choice(award: Award) -> str:
    who = award.granted_by or QCoreApplication.translate("MemberDetailPanel", "unknown")
    if award.reason:
        text = QCoreApplication.translate("MemberDetailPanel", "{when} by {who} — {reason}")
        return text.format(when=_when(award), who=who, reason=award.reason)
    return QCoreApplication.translate("MemberDetailPanel", "{when} by {who}").format(
        when=_when(award), who=who
    )


def _grouped(held: list[HeldBadge]) -> list[tuple[str, list[Award]]]:
    """(badge title, its grants newest first) in the order of each badge's newest grant."""
    groups: dict[int, tuple[str, list[Award]]] = {}
    for item in held:
        title = item.badge.title if item.badge else _badge_fallback(item.award.badge_id)
        groups.setdefault(item.award.badge_id, (title, []))[1].append(item.award)
    for _title, awards in groups.values():
        awards.sort(key=lambda a: (a.granted_at, a.id), reverse=True)
    return sorted(groups.values(), key=lambda group: (group[1][0].granted_at, group[1][0].id), reverse=True)


class MemberDetailPanel(QWidget):
    """Shows one :class:`MemberDetail`. GUI thread only."""

    #: The grant (an Award) the moderator chose to revoke, confirmed.
    revoke_requested = Signal(object)
    #: "Open on the server" was pressed for the member shown (a Member).
    profile_requested = Signal(object)
    #: Another member (or none) is shown.
    detail_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _plain_label(self.tr("Select a member to see their badges."))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        #: The profile's values by field (English keys: the tests read them).
        self.fields = {
            name: _plain_label()
            for name in (
                "Username",
                "Email",
                "Joined",
                "Last seen",
                "Status",
                "Trust level",
                "Posts",
                "Groups",
            )
        }
        for name in ("Username", "Email", "Groups"):
            shows_data(self.fields[name])
        titles = {
            "Username": self.tr("Username:"),
            "Email": self.tr("Email:"),
            "Joined": self.tr("Joined:"),
            "Last seen": self.tr("Last seen:"),
            "Status": self.tr("Status:"),
            "Trust level": self.tr("Trust level:"),
            "Posts": self.tr("Posts:"),
            "Groups": self.tr("Groups:"),
        }
        # Where the server lists them (Discourse), as the last sync that read the member found them.
        for name in ("Trust level", "Posts"):
            self.fields[name].setToolTip(self.tr("As of the last sync"))
        form = QFormLayout()
        self._form = form
        for name, label in self.fields.items():
            form.addRow(titles[name], label)
        self.profile_button = QPushButton(self.tr("Open on the server"))
        self.profile_button.setObjectName("openProfile")
        self.profile_button.setEnabled(False)
        self.profile_button.clicked.connect(self._profile_clicked)
        self.badges = QTreeWidget()
        self.badges.setObjectName("memberBadges")
        no_tab_trap(self.badges)
        self.badges.setAccessibleName(self.tr("Badges of this member"))
        self.badges.setHeaderLabels([self.tr("Badge"), self.tr("Granted"), self.tr("By"), self.tr("Reason")])
        self.badges.setRootIsDecorated(False)
        self.badges.currentItemChanged.connect(lambda *_items: self._update_revoke())
        self.revoke_button = QPushButton(self.tr("Revoke grant…"))
        self.revoke_button.setObjectName("revokeGrant")
        self.revoke_button.setToolTip(
            self.tr("Revoke the selected grant of a badge (asks which, for a badge held several times)")
        )
        self.revoke_button.setEnabled(False)
        self.revoke_button.clicked.connect(self.revoke_selected)
        #: Hooks the tests replace: which of several grants, and "really revoke?".
        self.choose_grant: Callable[[list[Award]], Award | None] = self._ask_which_grant
        self.confirm_revoke: Callable[[str], bool] = lambda text: confirm(
            self, self.tr("Revoke a grant"), text
        )
        self.requests = QTreeWidget()
        self.requests.setObjectName("memberRequests")
        no_tab_trap(self.requests)
        self.requests.setAccessibleName(self.tr("Requests of this member"))
        self.requests.setHeaderLabels(
            [self.tr("Badge"), self.tr("Requested"), self.tr("State"), self.tr("Note")]
        )
        self.requests.setRootIsDecorated(False)
        self.badges_label = QLabel(self.tr("Badges"))
        self.requests_label = QLabel(self.tr("Requests"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_button)
        profile_row.addStretch(1)
        layout.addLayout(profile_row)
        layout.addWidget(self.badges_label)
        layout.addWidget(self.badges, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revoke_button)
        layout.addLayout(buttons)
        layout.addWidget(self.requests_label)
        layout.addWidget(self.requests, 1)
        self.detail: MemberDetail | None = None

    def show_detail(self, detail: MemberDetail | None) -> None:
        self.detail = detail
        self.badges.clear()
        self._update_revoke()
        self.requests.clear()
        if detail is None:
            # Our text, until a member's name replaces it.
            self.title.setProperty(DATA_PROPERTY, False)
            self.title.setText(self.tr("Select a member to see their badges."))
            for label in self.fields.values():
                label.setText("")
            self._show_activity(None, None)
            self.detail_changed.emit()
            return
        member = detail.member
        shows_data(self.title)
        self.title.setText(member.display_name)
        values = {
            "Username": member.username,
            "Email": member.email,
            "Joined": format_date(member.joined_at),
            "Last seen": format_date(member.last_seen_at) or self.tr("never"),
            "Status": status_name(member.status),
            "Groups": ", ".join(detail.groups) or "—",
        }
        for name, value in values.items():
            self.fields[name].setText(value)
        self._show_activity(member.trust_level, member.post_count)
        groups = _grouped(detail.badges)
        held = len(groups)
        grants = len(detail.badges)
        if grants != held:
            text = self.tr("Badges ({badges}, %Ln grant(s))", "", grants).format(badges=format_number(held))
        else:
            text = self.tr("Badges (%Ln)", "", held)
        self.badges_label.setText(text)
        several = grants != held
        # A tree only where a badge is held several times: a plain list otherwise.
        self.badges.setRootIsDecorated(several)
        for title, awards in groups:
            if len(awards) == 1:
                (award,) = awards
                if award.id in detail.revoking:
                    title = self.tr("{badge} (revoke queued)").format(badge=title)
                row = QTreeWidgetItem([title, format_date(award.granted_at), award.granted_by, award.reason])
                row.setData(0, GrantsRole, award)
                self.badges.addTopLevelItem(row)
                continue
            # The grants below say when, by whom and why; the badge row only counts them.
            count = len(awards)
            held_several = self.tr("{badge} ×{count}").format(badge=title, count=format_number(count))
            row = QTreeWidgetItem([held_several, self.tr("%Ln grant(s)", "", count), "", ""])
            row.setData(0, GrantsRole, awards)
            for award in awards:
                queued = self.tr("revoke queued") if award.id in detail.revoking else ""
                child = QTreeWidgetItem([queued, _when(award), award.granted_by, award.reason])
                child.setToolTip(0, self.tr("Grant #{id}").format(id=award.id))
                child.setData(0, GrantsRole, award)
                row.addChild(child)
            self.badges.addTopLevelItem(row)
            row.setExpanded(True)
        self._update_revoke()
        requests = len(detail.requests)
        self.requests_label.setText(self.tr("Requests (%Ln)", "", requests))
        for item in detail.requests:
            request = item.request
            title = item.badge.title if item.badge else _badge_fallback(request.badge_id)
            note = " ".join(request.note.split())
            state = _translate(_REQUEST_STATES[request.state])
            self.requests.addTopLevelItem(
                QTreeWidgetItem([title, format_date(request.created_at), state, note])
            )
        for tree in (self.badges, self.requests):
            tree.resizeColumnToContents(0)
            tree.resizeColumnToContents(1)
        self.detail_changed.emit()

    # --- the member's profile on the server ----------------------------------------

    def set_profile_link(self, why_not: str, key: str) -> None:
        """Offer "Open on the server" (``why_not`` empty) or say why it is off."""
        self.profile_button.setEnabled(not why_not)
        tip = self.tr("Open this member's profile on the server in the browser ({key})").format(key=key)
        self.profile_button.setToolTip(why_not or tip)

    def _profile_clicked(self) -> None:
        if self.detail is not None:
            self.profile_requested.emit(self.detail.member)

    # --- revoking one grant -------------------------------------------------------

    def _show_activity(self, trust_level: int | None, posts: int | None) -> None:
        """Trust level and posts, each row only where the server says (None: hidden)."""
        trust = self.fields["Trust level"]
        trust.setText(
            ""
            if trust_level is None
            else self.tr("{name} ({level})").format(name=trust_level_name(trust_level), level=trust_level)
        )
        self.fields["Posts"].setText("" if posts is None else format_number(posts))
        self._form.setRowVisible(trust, trust_level is not None)
        self._form.setRowVisible(self.fields["Posts"], posts is not None)

    def _selected_grants(self) -> list[Award] | Award | None:
        item = self.badges.currentItem()
        if item is None:
            return None
        value = item.data(0, GrantsRole)
        return value if isinstance(value, (Award, list)) else None

    def _update_revoke(self) -> None:
        selected = self._selected_grants()
        revoking = self.detail.revoking if self.detail is not None else frozenset()
        # A grant whose revoke is queued is not revoked twice; a badge row asks among the others.
        if isinstance(selected, list):
            selected = [a for a in selected if a.id not in revoking] or None
        elif selected is not None and selected.id in revoking:
            selected = None
        self.revoke_button.setEnabled(selected is not None)

    def revoke_selected(self) -> None:
        """Revoke the selected grant (or the one chosen among the badge's grants), once confirmed."""
        selected = self._selected_grants()
        if selected is None or self.detail is None:
            return
        if isinstance(selected, list):
            left = [a for a in selected if a.id not in self.detail.revoking]
            award = (left[0] if len(left) == 1 else self.choose_grant(left)) if left else None
        else:
            award = selected
        if award is None:
            return
        member = self.detail.member
        title = self._badge_title(award.badge_id)
        text = self.tr("Revoke {badge} from {member} (@{username}): {grant}?").format(
            badge=title, member=member.display_name, username=member.username, grant=grant_label(award)
        )
        if award.reason:
            text += "\n" + self.tr("Its reason: {reason}").format(reason=award.reason)
        if self.confirm_revoke(text):
            self.revoke_requested.emit(award)

    def _badge_title(self, badge_id: int) -> str:
        held = (
            next((h for h in self.detail.badges if h.award.badge_id == badge_id), None)
            if self.detail
            else None
        )
        return held.badge.title if held is not None and held.badge is not None else _badge_fallback(badge_id)

    def _ask_which_grant(self, grants: list[Award]) -> Award | None:
        """A list of the grants, newest first; None when cancelled."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Which grant?"))
        times = len(grants)
        dialog.setLabelText(
            self.tr("{badge} is held %Ln time(s). Revoke the grant of:", "", times).format(
                badge=self._badge_title(grants[0].badge_id)
            )
        )
        # Numbered: two grants on one day by one moderator would read alike.
        choices = [f"{n}. {_grant_choice(a)}" for n, a in enumerate(grants, 1)]
        dialog.setComboBoxItems(choices)
        dialog.setComboBoxEditable(False)
        make_plain(*dialog.findChildren(QLabel))
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return grants[choices.index(dialog.textValue())]
        finally:
            dialog.deleteLater()
