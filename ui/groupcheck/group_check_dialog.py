"""The group check of a badge: its holders against the group that should hold it.

The Badges pane opens it for the selected badge (*Group check…*). The group
is the pairing the user set (kept in the work file by
:class:`~desktop.group_check.GroupPairings`), else the one suggested by the
titles; the user changes it, or says "no group". The two lists (holders not in
the group, group members without the badge) are read in the background
(:func:`~desktop.group_check.check_group`). Each fix makes one batch of the
badge side: its dry run (:func:`~desktop.group_check.plan_fix`) is shown with
the usual counts, then queued (:func:`~desktop.group_check.queue_fix`) with a
reason that names the group check. Where the server lets group members be
changed (``Capabilities.group_editing``: Discourse, v1), the group side is fixed
too: the holders outside the group added to it, or the members without the
badge removed, each as one outbox action
(:func:`~desktop.group_check.queue_group_fix`), after a yes. Elsewhere the
dialog says why it cannot. The lists are read again after each send.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.cache.database import Cache
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Action, ActionKind, Badge
from desktop.group_check import (
    FixSide,
    GroupCheck,
    GroupCheckError,
    GroupFix,
    GroupPairing,
    GroupPairings,
    GroupSide,
    check_group,
    group_side_note,
    plan_fix,
    queue_fix,
    queue_group_fix,
)
from desktop.outbox import Batch, Outbox, OutboxError
from ui.i18n import shows_data
from ui.operations import LatestOnly, Operation
from ui.outbox.dry_run_counts import DryRunCounts
from ui.session.app_session import AppSession
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.text import confirm, plain_label

#: The group combo's "no group" entry (its data).
NO_GROUP = ""


def _names(cache: Cache, ids: Sequence[int]) -> list[str]:
    """The members as the lists show them, in the check's order ("Display Name (username)")."""
    members = cache.members_by_ids(list(ids))
    shown: list[str] = []
    for member_id in ids:
        member = members.get(member_id)
        if member is None:
            continue
        name = member.display_name or member.username
        shown.append(name if name == member.username else f"{name} ({member.username})")
    return shown


class GroupCheckDialog(QDialog):
    """Lives on the GUI thread; reads on the session's readers, queues through its writer."""

    #: A fix's batch was committed to the outbox.
    queued = Signal(object)
    #: A change of the group's members was committed to the outbox (the action).
    group_change_queued = Signal(object)

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
        self.setObjectName("groupCheck")
        self.setWindowTitle(self.tr("Group check: {badge}").format(badge=badge.title))
        self.resize(760, 640)
        self.latest_check = LatestOnly(self)
        self.latest_plan = LatestOnly(self)
        self._check: GroupCheck | None = None
        #: The server takes group member changes from here.
        self.group_editing = capabilities is not None and capabilities.group_editing
        #: Asks yes or no (tests replace it): (title, text) → yes?
        self.confirm: Callable[[str, str], bool] = lambda t, x: confirm(self, t, x)
        self._fix: GroupFix | None = None
        self._running: Operation | None = None
        #: Set once the pairing and the groups are read: until then a change is not the user's.
        self._ready = False

        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupCheckGroup")
        self.group_combo.setAccessibleName(self.tr("Group that should hold the badge"))
        shows_data(self.group_combo, our_choices=1)  # the server's group names
        self.group_combo.addItem(self.tr("No group"), NO_GROUP)
        self.group_combo.currentIndexChanged.connect(lambda _i: self._group_changed())
        self.pairing_label = plain_label(name="groupCheckPairing", wrap=True)
        group_label = QLabel(self.tr("&Group:"))
        group_label.setBuddy(self.group_combo)
        form = QFormLayout()
        form.addRow(group_label, self.group_combo)
        form.addRow("", self.pairing_label)

        self.outside_title = QLabel()
        self.outside_list = QListWidget()
        self.outside_list.setObjectName("groupCheckHoldersOutside")
        self.outside_list.setAccessibleName(self.tr("Holders not in the group"))
        shows_data(self.outside_list)
        self.outside_title.setBuddy(self.outside_list)
        self.without_title = QLabel()
        self.without_list = QListWidget()
        self.without_list.setObjectName("groupCheckMembersWithout")
        self.without_list.setAccessibleName(self.tr("Group members without the badge"))
        shows_data(self.without_list)
        self.without_title.setBuddy(self.without_list)
        self.award_button = QPushButton()
        self.award_button.setObjectName("groupCheckAward")
        self.award_button.clicked.connect(lambda: self.plan(FixSide.AWARD_MEMBERS))
        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("groupCheckRevoke")
        self.revoke_button.clicked.connect(lambda: self.plan(FixSide.REVOKE_OUTSIDERS))
        self.add_button = QPushButton()
        self.add_button.setObjectName("groupCheckAddHolders")
        self.add_button.clicked.connect(lambda: self.change_group(GroupSide.ADD_HOLDERS))
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("groupCheckRemoveMembers")
        self.remove_button.clicked.connect(lambda: self.change_group(GroupSide.REMOVE_MEMBERS))
        for button in (self.add_button, self.remove_button):
            button.setVisible(self.group_editing)
        lists = QGridLayout()
        lists.addWidget(self.without_title, 0, 0)
        lists.addWidget(self.outside_title, 0, 1)
        lists.addWidget(self.without_list, 1, 0)
        lists.addWidget(self.outside_list, 1, 1)
        lists.addWidget(self.award_button, 2, 0)
        lists.addWidget(self.revoke_button, 2, 1)
        lists.addWidget(self.remove_button, 3, 0)
        lists.addWidget(self.add_button, 3, 1)

        self.summary_label = plain_label(name="groupCheckSummary", wrap=True)
        note = group_side_note(capabilities) if capabilities is not None else None
        self.group_side_label = plain_label(note or "", name="groupCheckGroupSide", wrap=True)
        self.group_side_label.setVisible(bool(note))
        set_status_style(self.group_side_label, text_style("quiet"))

        self.counts = DryRunCounts()
        self.count_values = self.counts.count_values
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("groupCheckReason")
        self.reason_edit.setAccessibleName(self.tr("Reason"))
        self.notify_check = QCheckBox(self.tr("Send the badge's award message to each member"))
        self.notify_check.setObjectName("groupCheckNotify")
        self.notify_check.setChecked(True)
        reason_label = QLabel(self.tr("&Reason:"))
        reason_label.setBuddy(self.reason_edit)
        fix_form = QFormLayout()
        fix_form.addRow(reason_label, self.reason_edit)
        fix_form.addRow("", self.notify_check)

        self.progress = QProgressBar()
        self.progress.setObjectName("groupCheckProgress")
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setVisible(False)
        self.stop_button.clicked.connect(self._stop)
        run_row = QHBoxLayout()
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.stop_button)

        self.error_label = plain_label(name="groupCheckError", wrap=True)
        set_status_style(self.error_label, text_style("error"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = self.buttons.addButton(
            self.tr("Chec&k again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.check_button.setObjectName("groupCheckAgain")
        self.check_button.clicked.connect(self.check)
        self.queue_button = self.buttons.addButton(
            self.tr("&Queue batch"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.queue_button.setObjectName("groupCheckQueue")
        self.queue_button.setEnabled(False)
        self.queue_button.clicked.connect(self.queue)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(lists, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.group_side_label)
        layout.addWidget(self.counts)
        layout.addLayout(fix_form)
        layout.addLayout(run_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.check)

        self._show_check(None)
        self._load_groups()
        # What was sent may have changed either list.
        session.send_finished.connect(lambda _report: self._sent())

    # --- the group ----------------------------------------------------------------------------

    @property
    def group(self) -> str | None:
        """The group chosen (None: "no group")."""
        value = self.group_combo.currentData()
        return str(value) if value else None

    def _load_groups(self) -> None:
        cache = self.session.community.cache
        badge_id = self.badge.id

        def load(_c: object, _p: object) -> tuple[list[str], GroupPairing | None]:
            return cache.groups(), GroupPairings(cache).pairing(badge_id)

        self._busy(
            self.session.tasks.start(
                "list groups",
                load,
                on_success=self._got_groups,
                on_failure=lambda error: self._failed(error, self.tr("Reading the groups")),
                on_finished=lambda: self._busy(None),
            )
        )

    def _got_groups(self, result: tuple[list[str], GroupPairing | None]) -> None:
        groups, pairing = result
        self.group_combo.blockSignals(True)
        for name in groups:
            self.group_combo.addItem(name, name)
        if pairing is not None and pairing.group is not None:
            if self.group_combo.findData(pairing.group) < 0:
                self.group_combo.addItem(pairing.group, pairing.group)
            self.group_combo.setCurrentIndex(self.group_combo.findData(pairing.group))
        self.group_combo.blockSignals(False)
        if pairing is None:
            self.pairing_label.setText(self.tr("No group has the badge's name: choose one."))
        elif pairing.suggested:
            self.pairing_label.setText(
                self.tr("Suggested: the group has the badge's name. Choose another if it is not the one.")
            )
        else:
            self.pairing_label.setText("")
        self._ready = True
        self.check()

    def _group_changed(self) -> None:
        if not self._ready:
            return
        self.pairing_label.setText("")
        cache = self.session.community.cache
        badge_id, group = self.badge.id, self.group
        # The pairing is the user's: kept in the work file for the next check.
        self.session.tasks.start(
            "pair badge with group",
            lambda _c, _p: GroupPairings(cache).set(badge_id, group),
            pool="writer",
            on_failure=lambda error: self._failed(error, self.tr("Saving the badge's group")),
        )
        self.check()

    # --- the check ----------------------------------------------------------------------------

    def check(self) -> None:
        """Read the two lists again (in the background); the latest check wins."""
        self._clear_fix()
        group = self.group
        bind = self.latest_check.begin()
        if group is None:
            self._show_check(None)
            return
        cache = self.session.community.cache
        badge_id = self.badge.id

        def work(_c: object, _p: object) -> tuple[GroupCheck, list[str], list[str]]:
            result = check_group(cache, badge_id, group)
            return result, _names(cache, result.holders_outside), _names(cache, result.members_without)

        self.summary_label.setText(self.tr("Checking…"))
        self.session.tasks.start(
            "group check",
            work,
            on_success=bind(self._got_check),
            on_failure=bind(lambda error: self._failed(error, self.tr("Checking the group"))),
        )

    def _got_check(self, result: tuple[GroupCheck, list[str], list[str]]) -> None:
        check, outside, without = result
        if check.group != self.group:
            return
        self.error_label.setText("")
        self.outside_list.clear()
        self.outside_list.addItems(outside)
        self.without_list.clear()
        self.without_list.addItems(without)
        self._show_check(check)

    def _show_check(self, check: GroupCheck | None) -> None:
        self._check = check
        if check is None:
            self.outside_list.clear()
            self.without_list.clear()
        outside = 0 if check is None else len(check.holders_outside)
        without = 0 if check is None else len(check.members_without)
        self.outside_title.setText(self.tr("&Holders not in the group (%Ln)", "", outside))
        self.without_title.setText(self.tr("Group &members without the badge (%Ln)", "", without))
        to_award = 0 if check is None else self._to_award(check)
        to_revoke = 0 if check is None else self._to_revoke(check)
        self.add_button.setText(self.tr("A&dd the %Ln holder(s) to the group", "", outside))
        self.remove_button.setText(self.tr("R&emove the %Ln member(s) from the group", "", without))
        self.award_button.setText(self.tr("&Award the badge to the %Ln member(s)", "", to_award))
        self.revoke_button.setText(self.tr("Re&voke it from the %Ln holder(s)", "", to_revoke))
        self._update_buttons()
        if check is None:
            self.summary_label.setText(
                self.tr("The badge goes with no group: there is nothing to check.") if self._ready else ""
            )
        elif not check.group_known:
            self.summary_label.setText(
                self.tr("The group “{group}” is not in the local copy of the community.").format(
                    group=check.group
                )
            )
        elif check.consistent:
            self.summary_label.setText(
                self.tr("The holders of the badge and the members of “{group}” are the same.").format(
                    group=check.group
                )
            )
        else:
            waiting = len(check.awards_waiting) + len(check.revokes_waiting)
            self.summary_label.setText(
                self.tr("%Ln member(s) of the two lists wait in the outbox already.", "", waiting)
                if waiting
                else ""
            )

    # --- a fix ----------------------------------------------------------------------------------

    def plan(self, side: FixSide) -> None:
        """The dry run of the batch that fixes one side (in the background; nothing is queued)."""
        check = self._check
        if check is None or self._running is not None:
            return
        self._clear_fix()
        cache = self.session.community.cache
        bind = self.latest_plan.begin()
        self._busy(
            self.session.tasks.start(
                "group check dry run",
                lambda cancel, _p: plan_fix(cache, check, side, cancel=cancel),
                on_success=bind(self._got_fix),
                on_failure=bind(lambda error: self._failed(error, self.tr("Preparing the batch"))),
                on_finished=lambda: self._busy(None),
            )
        )

    def _got_fix(self, fix: GroupFix) -> None:
        if fix.check is not self._check:
            return
        self._fix = fix
        self.counts.set_kind(fix.plan.kind)
        self.counts.show_plan(fix.plan)
        self.reason_edit.setText(fix.reason)
        award = fix.plan.kind is ActionKind.AWARD
        self.notify_check.setEnabled(award)
        if award:
            self.queue_button.setText(self.tr("&Queue %Ln award(s)", "", fix.plan.to_send))
        else:
            self.queue_button.setText(self.tr("&Queue %Ln revoke(s)", "", fix.plan.to_send))
        self.queue_button.setEnabled(fix.plan.to_send > 0)

    @property
    def fix(self) -> GroupFix | None:
        return self._fix

    def _clear_fix(self) -> None:
        self.latest_plan.begin()
        self._fix = None
        self.counts.clear()
        self.reason_edit.clear()
        self.queue_button.setEnabled(False)
        self.queue_button.setText(self.tr("&Queue batch"))

    def queue(self) -> None:
        fix = self._fix
        if fix is None or self._running is not None:
            return
        reason = self.reason_edit.text().strip() or None
        notify = self.notify_check.isChecked() and fix.plan.kind is ActionKind.AWARD

        def commit(outbox: Outbox) -> Batch:
            return queue_fix(outbox, fix, reason=reason, notify=notify)

        self.queue_button.setEnabled(False)
        self.progress.setVisible(True)
        self.session.change_outbox(
            "queue group check batch",
            commit,
            on_done=self._queued,
            on_failure=lambda error: self._failed(error, None),
        )

    def _queued(self, batch: Batch) -> None:
        self.progress.setVisible(False)
        self.queued.emit(batch)
        self.check()

    # --- the group side ------------------------------------------------------------------------

    def change_group(self, side: GroupSide) -> None:
        """After a yes: queue the change of the group's members that fixes ``side`` (one action)."""
        check = self._check
        if check is None or check.group_id is None or self._running is not None:
            return
        if side is GroupSide.ADD_HOLDERS:
            count = len(check.holders_outside)
            title = self.tr("Add to the group")
            text = self.tr("Add %Ln holder(s) of “{badge}” to the group “{group}” on the server?", "", count)
        else:
            count = len(check.members_without)
            title = self.tr("Remove from the group")
            text = self.tr(
                "Remove %Ln member(s) without “{badge}” from the group “{group}” on the server?", "", count
            )
        if not self.confirm(title, text.format(badge=self.badge.title, group=check.group)):
            return
        self.error_label.setText("")
        self.add_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self.session.change_outbox(
            "queue group change",
            lambda outbox: queue_group_fix(outbox, check, side),
            on_done=self._group_change_queued,
            on_failure=lambda error: self._failed(error, None),
        )

    def _group_change_queued(self, action: Action) -> None:
        self.group_change_queued.emit(action)
        self.summary_label.setText(
            self.tr("The change of the group is queued; it is sent in the background.")
        )

    def _sent(self) -> None:
        # Not under a dry run being read: its plan stays until queued or changed.
        if self._ready and self._running is None and self._fix is None and self.isVisible():
            self.check()

    # --- progress and failures ------------------------------------------------------------------

    def _busy(self, op: Operation | None) -> None:
        self._running = op
        running = op is not None
        self.progress.setVisible(running)
        self.stop_button.setVisible(running)
        self._update_buttons()

    def _update_buttons(self) -> None:
        check, idle = self._check, self._running is None
        self.award_button.setEnabled(idle and check is not None and self._to_award(check) > 0)
        self.revoke_button.setEnabled(idle and check is not None and self._to_revoke(check) > 0)
        listed = check is not None and check.group_id is not None
        self.add_button.setEnabled(idle and listed and check is not None and bool(check.holders_outside))
        self.remove_button.setEnabled(idle and listed and check is not None and bool(check.members_without))

    @staticmethod
    def _to_award(check: GroupCheck) -> int:
        return len(set(check.members_without) - check.awards_waiting)

    @staticmethod
    def _to_revoke(check: GroupCheck) -> int:
        return len(set(check.holders_outside) - check.revokes_waiting)

    def _stop(self) -> None:
        if self._running is not None:
            self._running.cancel()

    def _failed(self, error: Exception, doing: str | None) -> None:
        self.progress.setVisible(False)
        if isinstance(error, (GroupCheckError, OutboxError)):
            # Said for the user already (a group not in the cache; members queued since the check).
            self.error_label.setText(str(error))
            return
        if doing is None:
            task = failures.changing(self.tr("queueing the batch"))
        else:
            again = self.tr("close this window and open it again")
            task = failures.Task(doing, after_space=again, again=again)
        self.error_label.setText(self.session.describe(error, task).message)


__all__ = ["GroupCheckDialog"]
