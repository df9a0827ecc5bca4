"""The Review queue's card: the current request's member, note, evidence, badge and what was decided."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.domain import ActionState, Badge, BadgeState, MemberStatus
from desktop.review import RequestGroup
from desktop.review_score import age_text
from desktop.review_status import Again, Reversal
from ui.i18n import format_date, format_datetime, shows_data
from ui.review.model import SAVING, SKIPPED
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.rendering import render_badge_image
from ui.widgets.text import plain_label

ICON = QSize(112, 112)


def _plain(text: str = "", *, name: str = "", wrap: bool = True, selectable: bool = False) -> QLabel:
    return plain_label(text, name=name, wrap=wrap, selectable=selectable)


class RequestCard(QFrame):
    """The current request: member, held badges, note, evidence, the badge, and what was decided.

    Member-provided text (note, names) is shown as plain text only. GUI thread only.
    """

    open_evidence = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.group: RequestGroup | None = None
        self._icons: dict[tuple[int, int, float], QPixmap] = {}
        self.member = _plain(name="cardMember", selectable=True)
        big = QFont(self.member.font())
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        self.member.setFont(big)
        self.flag = _plain(name="cardFlag", wrap=False)
        set_status_style(
            self.flag,
            lambda colours: (
                f"color: {colours.flag_text}; background: {colours.flag_background};"
                " padding: 2px 6px; border-radius: 3px;"
            ),
        )
        self.member_info = _plain(name="cardMemberInfo", selectable=True)
        self.held = _plain(name="cardHeld", selectable=True)
        self.requests = _plain(name="cardRequests", selectable=True)
        self.note = _plain(name="cardNote", selectable=True)
        self.note.setFrameShape(QFrame.Shape.StyledPanel)
        self.note.setMargin(8)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.evidence = _plain(name="cardEvidence", selectable=True)
        self.evidence_button = QPushButton(self.tr("Open evidence &link"))
        self.evidence_button.setObjectName("openEvidence")
        self.evidence_button.clicked.connect(self._open_evidence)
        self.score = _plain(name="cardScore", selectable=True)
        self.status = _plain(name="cardStatus", selectable=True)
        self.problem = _plain(name="cardProblem")
        set_status_style(self.problem, text_style("warning"))
        self.icon = QLabel()
        self.icon.setObjectName("cardBadgeIcon")
        self.icon.setFixedSize(ICON)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge_title = _plain(name="cardBadgeTitle")
        title_font = QFont(self.badge_title.font())
        title_font.setBold(True)
        self.badge_title.setFont(title_font)
        self.criteria = _plain(name="cardCriteria", selectable=True)
        self.criteria.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The member's name, their notes and the badge's criteria are the community's words, not ours.
        for label in (self.member, self.note, self.criteria):
            shows_data(label)

        head = QHBoxLayout()
        head.addWidget(self.member, 1)
        head.addWidget(self.flag)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence, 1)
        evidence_row.addWidget(self.evidence_button)
        left = QVBoxLayout()
        left.addLayout(head)
        left.addWidget(self.member_info)
        left.addWidget(self.held)
        left.addSpacing(6)
        left.addWidget(self.requests)
        left.addWidget(self.note)
        left.addLayout(evidence_row)
        left.addWidget(self.score)
        left.addStretch(1)
        badge_box = QFrame()
        badge_box.setObjectName("cardBadge")
        badge_box.setFrameShape(QFrame.Shape.StyledPanel)
        badge_box.setFixedWidth(260)
        right = QVBoxLayout(badge_box)
        right.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addWidget(self.badge_title)
        right.addWidget(_plain(self.tr("Criteria"), wrap=False))
        right.addWidget(self.criteria, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(badge_box)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.status)
        self.show_group(None)

    def show_group(self, group: RequestGroup | None, mark: str | None = None) -> None:
        self.group = group
        if group is None:
            for label in (self.member_info, self.held, self.requests, self.note, self.evidence, self.score):
                label.clear()
            self.member.setText(self.tr("No request selected"))
            self.flag.hide()
            self.problem.clear()
            self.status.clear()
            self.badge_title.clear()
            self.criteria.clear()
            self.icon.clear()
            self.evidence_button.hide()
            return
        member = group.member
        self.member.setText(member.display_name if member else group.member_text)
        self.flag.setVisible(group.suspended)
        self.flag.setText(self.tr("Suspended"))
        if member is not None:
            joined = member.joined_at
            days = max(0, (group.created_at - joined).days)
            self.member_info.setText(
                self.tr("@{username} · member since {date} ({age} before asking) · {status}").format(
                    username=member.username,
                    date=format_date(joined),
                    age=age_text(days),
                    status=self._member_status(member.status),
                )
            )
        else:
            self.member_info.setText(self.tr("This member is not in the cache."))
        count = len(group.held_badges)
        if count > 12:
            self.held.setText(
                self.tr("Holds %n badge(s): {badges}, and {more} more", "", count).format(
                    badges=", ".join(group.held_badges[:12]), more=count - 12
                )
            )
        elif count:
            self.held.setText(
                self.tr("Holds %n badge(s): {badges}", "", count).format(badges=", ".join(group.held_badges))
            )
        else:
            self.held.setText(self.tr("Holds no badges yet."))
        first = group.primary
        if group.duplicates:
            head = self.tr(
                "Request #{id} for {badge}, {when} — and %n duplicate(s) (one decision settles all)",
                "",
                len(group.duplicates),
            )
        else:
            head = self.tr("Request #{id} for {badge}, {when}")
        lines = [head.format(id=first.id, badge=group.badge_text, when=format_datetime(first.created_at))]
        lines.extend(f"  #{r.id}, {format_datetime(r.created_at)}" for r in group.duplicates)
        self.requests.setText("\n".join(lines))
        notes = []
        for request in group.requests:
            text = request.note.strip() or self.tr("(no note)")
            notes.append(text if not group.duplicates else f"#{request.id}: {text}")
        self.note.setText("\n\n".join(notes))
        url = group.evidence_url
        self.evidence.setText(
            self.tr("Evidence: {url}").format(url=url) if url else self.tr("No evidence link.")
        )
        set_status_style(self.evidence, None if url else text_style("warning"))
        self.evidence_button.setVisible(bool(url))
        parts = " · ".join(f"{p.points:+d} {p.label} ({p.detail})" for p in group.score.parts)
        self.score.setText(self.tr("Score {total}: {parts}").format(total=group.score.total, parts=parts))
        self.badge_title.setText(self._badge_title(group))
        self.criteria.setText(
            group.badge.criteria if group.badge and group.badge.criteria else self.tr("No criteria given.")
        )
        self.icon.setPixmap(self._icon(group.badge))
        problem = group.approval_problem() if group.pending else None
        self.problem.setText(problem or "")
        self.show_status(group, mark)

    def show_status(self, group: RequestGroup, mark: str | None) -> None:
        decision = group.decision
        if mark == SAVING:
            text, colour = self.tr("Saving the decision…"), ""
        elif decision is not None:
            text = decision.status_text
            if decision.reason and decision.state is not ActionState.CONFLICT:
                text += "\n" + self.tr("Reason: {reason}").format(reason=decision.reason)
            if group.reverted:
                text += "\n" + self.tr("Approve again (A) to award the badge after all.")
            refused = decision.reversal is Reversal.REFUSED or decision.again is Again.REFUSED
            failed = decision.state in (ActionState.CONFLICT, ActionState.FAILED)
            colour = "error" if failed or refused else ""
        elif mark == SKIPPED:
            text, colour = self.tr("Skipped for now; still pending."), ""
        else:
            text, colour = self.tr("Pending: A approve · D deny · R return · S skip"), ""
        self.status.setText(text)
        set_status_style(self.status, text_style(colour) if colour else None)

    def _member_status(self, status: MemberStatus) -> str:
        """A member's status as the user reads it (the stored value is the identifier)."""
        names = {
            MemberStatus.ACTIVE: self.tr("active"),
            MemberStatus.SUSPENDED: self.tr("suspended"),
            MemberStatus.DELETED: self.tr("deleted"),
        }
        return names.get(status, status.value)

    def _badge_title(self, group: RequestGroup) -> str:
        """The badge's title, and its state where the cache has the badge."""
        badge = group.badge
        if badge is None:
            return group.badge_text
        titles = {
            BadgeState.DRAFT: self.tr("{badge} (draft)"),
            BadgeState.PUBLISHED: self.tr("{badge} (published)"),
            BadgeState.DISABLED: self.tr("{badge} (disabled)"),
            BadgeState.DISCONTINUED: self.tr("{badge} (discontinued)"),
        }
        return titles.get(badge.state, f"{{badge}} ({badge.state.value})").format(badge=group.badge_text)

    def _icon(self, badge: Badge | None) -> QPixmap:
        if badge is None:
            return QPixmap()
        ratio = self.devicePixelRatioF()  # sharp on HiDPI screens, not a 1× picture stretched
        key = (badge.id, badge.version, ratio)
        pixmap = self._icons.get(key)
        if pixmap is None:
            image = render_badge_image(badge, ICON, ratio)
            pixmap = QPixmap.fromImage(image) if image is not None else QPixmap()
            self._icons[key] = pixmap
        return pixmap

    def _open_evidence(self) -> None:
        if self.group is not None and self.group.evidence_url:
            self.open_evidence.emit(self.group.evidence_url)
