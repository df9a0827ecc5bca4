"""*Hand over…*: a badge held by one member at a time, from its holder to the next one.

The Badges pane opens it for a badge marked one holder at a time (Ctrl+Shift+H).
It shows the holder as the local copy knows them (and since when), a member
picker for the new holder, the alumni badge the previous holder keeps, the
reason, and the steps in the order the outbox takes them (alumni badge to the
previous holder, the badge to the new one, the previous grant revoked). *Hand
over* queues one action (:func:`~desktop.programs.titles.queue_handover`) on the
writer: the dialog says "queued" once it is committed; the outbox sends it and
reads the server before each step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.cache.database import Cache
from desktop.cache.rows import from_epoch
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Action, Badge, Member
from desktop.programs.titles import HandoverError, OneHolder, OneHolderBadges, queue_handover
from ui.badges.member_picker import MemberPicker, suggestion_text
from ui.i18n import format_datetime, shows_data
from ui.session.app_session import AppSession
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.text import plain_label


@dataclass(frozen=True, slots=True)
class Holder:
    """A holder of the badge as the cache knows them."""

    member_id: int
    #: "@username (Display Name)", or "member #id" where the cache does not know them.
    name: str
    since: datetime


@dataclass(frozen=True, slots=True)
class TitleState:
    """What the dialog shows of a badge: its marking, its alumni badge's title, its holders (newest first)."""

    marking: OneHolder | None
    alumni_title: str
    holders: list[Holder]


def load_title(cache: Cache, badge_id: int) -> TitleState:
    """The badge's marking and holders from the cache; on a worker."""
    marking = OneHolderBadges(cache).marking(badge_id)
    with cache.read() as connection:
        grants = connection.exec_driver_sql(
            "SELECT member_id, MIN(granted_at) FROM awards WHERE badge_id = ? GROUP BY member_id"
            " ORDER BY MIN(granted_at) DESC",
            (badge_id,),
        ).fetchall()
    alumni = ""
    if marking is not None and marking.alumni_badge_id is not None:
        found = {b.id: b for b in cache.badges()}.get(marking.alumni_badge_id)
        alumni = found.title if found is not None else f"#{marking.alumni_badge_id}"
    members = cache.members_by_ids([int(g[0]) for g in grants])
    holders = [
        Holder(
            int(member_id),
            suggestion_text(members[member_id]) if member_id in members else f"#{member_id}",
            from_epoch(int(granted_at)),
        )
        for member_id, granted_at in grants
    ]
    return TitleState(marking, alumni, holders)


class HandoverDialog(QDialog):
    """Lives on the GUI thread; reads on the session's readers, queues through its writer."""

    #: The hand-over was committed to the outbox (the :class:`~desktop.domain.Action`).
    queued = Signal(object)

    def __init__(
        self,
        session: AppSession,
        badge: Badge,
        capabilities: Capabilities | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.badge = badge
        self.state: TitleState | None = None
        self.action: Action | None = None
        self._queueing = False
        self.setObjectName("handoverDialog")
        self.setWindowTitle(self.tr("Hand over: {badge}").format(badge=badge.title))
        self.resize(560, 440)

        self.holder_label = plain_label(self.tr("Reading…"), name="handoverHolder", wrap=True)
        self.picker = MemberPicker(session)
        self.picker.picked.connect(lambda _member: self._update())
        new_label = QLabel(self.tr("&New holder:"))
        new_label.setBuddy(self.picker.line)
        self.alumni_label = plain_label(name="handoverAlumni", wrap=True)
        shows_data(self.alumni_label)  # the alumni badge's title (or our "None: …")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("handoverReason")
        self.reason_edit.setAccessibleName(self.tr("Reason"))
        links = capabilities is not None and capabilities.link_reasons
        if links:
            self.reason_edit.setPlaceholderText(self.tr("A link to a topic or post of the forum"))
            self.reason_edit.setToolTip(
                self.tr(
                    "The server keeps only a link to a topic or post as a grant's reason; "
                    "other text stays in BadgeDesk's audit log."
                )
            )
        else:
            self.reason_edit.setPlaceholderText(self.tr("Why the title moves (kept with the grant)"))
        reason_label = QLabel(self.tr("&Reason:"))
        reason_label.setBuddy(self.reason_edit)
        form = QFormLayout()
        form.addRow(self.tr("Holds it now:"), self.holder_label)
        form.addRow(new_label, self.picker)
        form.addRow(self.tr("Alumni badge:"), self.alumni_label)
        form.addRow(reason_label, self.reason_edit)

        # A heading, not a group box: wrapped labels inside a box were squeezed to one line.
        self.steps_heading = QLabel(self.tr("What happens, in this order"))
        heading_font = QFont(self.steps_heading.font())
        heading_font.setBold(True)
        self.steps_heading.setFont(heading_font)
        self.steps_label = plain_label(name="handoverSteps", wrap=True)
        self.steps_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = plain_label(
            self.tr(
                "Before each step the server is read again: if it shows another holder, "
                "nothing is revoked and the outbox shows who holds it."
            ),
            wrap=True,
        )
        self.status_label = plain_label(name="handoverStatus", wrap=True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.handover_button = QPushButton(self.tr("&Hand over"))
        self.handover_button.setObjectName("handoverButton")
        self.handover_button.setDefault(True)
        self.handover_button.clicked.connect(self.hand_over)
        self.buttons.addButton(self.handover_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.steps_heading)
        layout.addWidget(self.steps_label)
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.picker.setFocus()
        self._update()
        self.reload()

    # --- reading ----------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self.state is None

    def reload(self) -> None:
        cache = self.session.community.cache
        badge_id = self.badge.id
        self.session.tasks.start(
            "read the title's holder",
            lambda _c, _p: load_title(cache, badge_id),
            on_success=self._loaded,
            on_failure=self._load_failed,
        )

    def _loaded(self, state: TitleState) -> None:
        self.state = state
        if not state.holders:
            self.holder_label.setText(self.tr("Nobody, as this computer knows it."))
        elif len(state.holders) == 1:
            holder = state.holders[0]
            self.holder_label.setText(
                self.tr("{member}, since {when}").format(
                    member=holder.name, when=format_datetime(holder.since)
                )
            )
        else:
            self.holder_label.setText(
                self.tr(
                    "%n member(s) (holds|hold) it: {members}. A title is handed over from one holder: "
                    "revoke the others first.",
                    "",
                    len(state.holders),
                ).format(members=", ".join(h.name for h in state.holders))
            )
        if state.marking is None:
            self.alumni_label.setText("")
        elif state.alumni_title:
            self.alumni_label.setText(state.alumni_title)
        else:
            self.alumni_label.setText(self.tr("None: the previous holder keeps nothing."))
        self._update()

    def _load_failed(self, error: Exception) -> None:
        self.holder_label.setText("")
        failure = self.session.describe(error, failures.loading(self.tr("the title's holder")))
        self._say(failure.message, "error")

    # --- the steps --------------------------------------------------------------------------------

    def steps(self) -> list[str]:
        """The steps as the dialog lists them, for the member picked (or "the new holder")."""
        state = self.state
        if state is None:
            return []
        new = self.picker.member
        new_name = suggestion_text(new) if new is not None else self.tr("the new holder")
        badge = self.badge.title
        previous = state.holders[0].name if len(state.holders) == 1 else None
        steps: list[str] = []
        if previous is not None and state.alumni_title:
            steps.append(
                self.tr("“{alumni}” is granted to {member}.").format(
                    alumni=state.alumni_title, member=previous
                )
            )
        steps.append(self.tr("“{badge}” is granted to {member}.").format(badge=badge, member=new_name))
        if previous is not None:
            steps.append(self.tr("{member}'s “{badge}” is revoked.").format(member=previous, badge=badge))
        return [f"{number}. {text}" for number, text in enumerate(steps, start=1)]

    def _update(self) -> None:
        self.steps_label.setText("\n".join(self.steps()))
        state = self.state
        new = self.picker.member
        why = ""
        if state is not None and state.marking is None:
            why = self.tr("“{badge}” is not marked one holder at a time.").format(badge=self.badge.title)
        elif state is not None and new is not None and any(h.member_id == new.id for h in state.holders):
            why = self.tr("{member} holds it already.").format(member=suggestion_text(new))
        if why:
            self._say(why, "warning")
        elif self.action is None and not self._queueing:
            self._say("", None)
        self.handover_button.setEnabled(
            state is not None
            and state.marking is not None
            and len(state.holders) <= 1
            and new is not None
            and not why
            and self.action is None
            and not self._queueing
        )

    def _say(self, text: str, style: str | None) -> None:
        self.status_label.setText(text)
        set_status_style(self.status_label, text_style(style) if style else None)

    # --- handing over -----------------------------------------------------------------------------

    def hand_over(self) -> None:
        member = self.picker.member
        if member is None or not self.handover_button.isEnabled():
            return
        badge_id = self.badge.id
        reason = self.reason_edit.text().strip()
        self._queueing = True
        self._update()
        self._say(self.tr("Queueing…"), None)
        self.session.change_outbox(
            "hand over a title",
            lambda outbox: queue_handover(outbox, badge_id, member.id, reason=reason),
            on_done=lambda action: self._queued(action, member),
            on_failure=self._failed,
        )

    def _queued(self, action: Action, member: Member) -> None:
        self._queueing = False
        self.action = action
        self._update()
        self._say(
            self.tr("Queued: the outbox hands “{badge}” over to {member} in the background.").format(
                badge=self.badge.title, member=suggestion_text(member)
            ),
            "success",
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.queued.emit(action)

    def _failed(self, error: Exception) -> None:
        self._queueing = False
        self._update()
        if isinstance(error, HandoverError):
            self._say(str(error), "error")
        else:
            failure = self.session.describe(error, failures.changing(self.tr("queueing the hand-over")))
            self._say(failure.message, "error")


__all__ = ["HandoverDialog", "Holder", "TitleState", "load_title"]
