"""Building a batch: members from a selection, a file (open or drop) or pasted text.

The dialog reads the list, lets the user pick the column, runs the dry run
(exact counts of every kind of row, the problem rows with their numbers) and
only then queues the batch. Reading, the dry run and queueing all run in
background operations; the dialog shows their progress and can cancel them.
The list is :mod:`ui.outbox.member_list_box`, the report
:mod:`ui.outbox.dry_run_counts`, the plan (requests, time, one by one or a
mass award) :mod:`ui.outbox.batch_plan_view`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.batch_plan import plan_batch
from desktop.batches import DryRun, dry_run, queue_batch
from desktop.domain import ActionKind, Badge, BadgeState
from desktop.outbox import Batch, Outbox
from ui.i18n import shows_data, translated
from ui.operations import LatestOnly, Operation
from ui.outbox.batch_plan_view import BatchPlanView
from ui.outbox.dry_run_counts import DryRunCounts
from ui.outbox.member_list_box import MemberListBox
from ui.session.app_session import AppSession
from ui.widgets.badge_picker import make_searchable, start_empty
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.small_screens import side_by_side, size_for_screen
from ui.widgets.text import plain_label

#: A badge that cannot be awarded, as the revoke's badge list shows it.
_NOT_PUBLISHED = cast(
    dict[BadgeState, str],
    {
        BadgeState.DRAFT: QT_TRANSLATE_NOOP("BatchDialog", "{badge} (draft)"),
        BadgeState.DISABLED: QT_TRANSLATE_NOOP("BatchDialog", "{badge} (disabled)"),
        BadgeState.DISCONTINUED: QT_TRANSLATE_NOOP("BatchDialog", "{badge} (discontinued)"),
    },
)


class BatchDialog(QDialog):
    """Lives on the GUI thread; queues through the session's writer."""

    #: The batch was committed to the outbox.
    queued = Signal(object)

    def __init__(
        self,
        session: AppSession,
        *,
        member_ids: Sequence[int] = (),
        kind: ActionKind = ActionKind.AWARD,
        corrects: Batch | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        #: The batch this one corrects (its members, started from its history), or None.
        self.corrects = corrects
        if corrects is None:
            self.setWindowTitle(self.tr("New batch"))
        elif kind is ActionKind.REVOKE:
            self.setWindowTitle(self.tr("Revoke from {batch}").format(batch=corrects.title))
        else:
            self.setWindowTitle(
                self.tr("Award another badge to members of {batch}").format(batch=corrects.title)
            )
        self.setAcceptDrops(True)
        # The whole form where the screen has room for it; else as much as it has (the form scrolls).
        size_for_screen(self, 1240, 860)
        # A dry run: each newer request wins.
        self.latest_plan = LatestOnly(self)
        self._badges: list[Badge] = []
        self._plan: DryRun | None = None
        self._running: Operation | None = None

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("batchKind")
        self.kind_combo.setAccessibleName(self.tr("Batch action"))
        self.kind_combo.addItem(self.tr("Award a badge"), ActionKind.AWARD)
        self.kind_combo.addItem(self.tr("Revoke a badge"), ActionKind.REVOKE)
        self.kind_combo.setCurrentIndex(0 if kind is ActionKind.AWARD else 1)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        # A correction is a revoke or another award: chosen before the dialog opened.
        self.kind_combo.setEnabled(corrects is None)
        self.badge_combo = QComboBox()
        self.badge_combo.setObjectName("batchBadge")
        self.badge_combo.setAccessibleName(self.tr("Badge"))
        # The community's badge titles, filtered as the user types.
        shows_data(self.badge_combo)
        make_searchable(self.badge_combo)
        # No badge is chosen for the user: awarding or revoking the first of a list by mistake.
        start_empty(self.badge_combo, self.tr("Choose a badge (type to filter)"))
        self.badge_combo.currentIndexChanged.connect(self._invalidate)

        self.members = MemberListBox(session, member_ids)
        self.members.changed.connect(self._invalidate)
        self.members.error.connect(self._set_error)
        # The form as one: callers and tests read these from the dialog.
        self.source_label = self.members.source_label
        self.column_combo = self.members.column_combo
        self.header_check = self.members.header_check
        self.format_label = self.members.format_label
        self.load_file = self.members.load_file

        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("batchReason")
        # A revoke takes something from members: it is queued only with a reason (the hint says so).
        self.reason_edit.textChanged.connect(self._update_queue_button)
        self.reason_hint = plain_label(name="batchReasonHint", wrap=True)
        self.reason_hint.setText(self.tr("A revoke needs a reason: type why the badge is taken back."))
        set_status_style(self.reason_hint, text_style("warning"))
        self.notify_check = QCheckBox(self.tr("Send the badge's award message to each member"))
        self.notify_check.setObjectName("batchNotify")
        self.notify_check.setChecked(True)
        self.message_edit = QPlainTextEdit()
        self.message_edit.setObjectName("batchMessage")
        self.message_edit.setAccessibleName(self.tr("Message for this batch"))
        self.message_edit.setTabChangesFocus(True)
        self.message_edit.setPlaceholderText(
            self.tr("Optional: a message for this batch instead of the badge's own")
        )
        self.message_edit.setMaximumHeight(60)
        self.notify_check.toggled.connect(self.message_edit.setEnabled)
        # Messages sent apart from the awards cost a request each: the plan follows the switch.
        self.notify_check.toggled.connect(lambda _on: self._show_plan())
        self.message_edit.textChanged.connect(self._show_plan)
        # Revokes tell the members only where the server can (Capabilities.revoke_messages);
        # off by default, as a revoke told no one before.
        self.revoke_notify_check = QCheckBox(self.tr("&Notify the members"))
        self.revoke_notify_check.setObjectName("batchRevokeNotify")
        self.form = form = QFormLayout()
        form.addRow(self.tr("Action:"), self.kind_combo)
        form.addRow(self.tr("Badge:"), self.badge_combo)
        form.addRow(self.tr("Reason:"), self.reason_edit)
        form.addRow("", self.reason_hint)
        form.addRow("", self.notify_check)
        form.addRow("", self.revoke_notify_check)
        form.addRow(self.tr("Message:"), self.message_edit)

        self.dry_run_button = QPushButton(self.tr("&Dry run"))
        self.dry_run_button.setObjectName("batchDryRun")
        self.dry_run_button.setToolTip(self.tr("Count exactly what would be sent; nothing is queued"))
        self.dry_run_button.clicked.connect(self.start_dry_run)
        self.progress = QProgressBar()
        self.progress.setObjectName("batchProgress")
        self.progress.setVisible(False)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setVisible(False)
        self.stop_button.clicked.connect(self._stop)
        run_row = QHBoxLayout()
        run_row.addWidget(self.dry_run_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.stop_button)

        self.counts = DryRunCounts()
        self.count_values = self.counts.count_values
        self.problems = self.counts.problems
        self.plan_view = BatchPlanView()
        self.plan_view.mass_toggled.connect(lambda _on: self._show_plan())

        self.error_label = plain_label(name="batchError", wrap=True)
        set_status_style(self.error_label, text_style("error"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.queue_button = self.buttons.addButton(
            self.tr("&Queue batch"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.queue_button.setObjectName("batchQueue")
        self.queue_button.setEnabled(False)
        self.queue_button.clicked.connect(self.queue)
        self.buttons.rejected.connect(self.reject)

        what = QWidget()
        layout = QVBoxLayout(what)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.members, 1)
        outcome = QWidget()
        layout = QVBoxLayout(outcome)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(run_row)
        layout.addWidget(self.counts)
        layout.addWidget(self.plan_view)
        layout.addStretch(1)
        # What to send beside its dry run where the screen is wide enough, else above it; taller
        # than a small screen, the form scrolls, the error and the buttons stay in view.
        outer = QVBoxLayout(self)
        outer.addWidget(side_by_side(what, outcome, "batchForm"), 1)
        outer.addWidget(self.error_label)
        outer.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+O"), self, self.members.open_file)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start_dry_run)

        self._load_badges()
        self.members.show_source()
        # Opened as a revoke (the member list's "Revoke badge…"): the counts and the
        # message follow the kind from the start, not only when it is changed.
        self.counts.set_kind(self.kind)
        self._show_notify()

    # --- badges -----------------------------------------------------------------

    @property
    def kind(self) -> ActionKind:
        return ActionKind(self.kind_combo.currentData())

    def _load_badges(self) -> None:
        cache = self.session.community.cache
        self.session.tasks.start(
            "list badges",
            lambda _c, _p: cache.badges(),
            on_success=self._got_badges,
            on_failure=lambda error: self._set_error(
                self.session.describe(error, self._loading_badges()).message
            ),
        )

    def _loading_badges(self) -> failures.Task:
        again = self.tr("close this window and open it again")
        return failures.Task(self.tr("Loading the badges"), after_space=again, again=again)

    def _got_badges(self, badges: list[Badge]) -> None:
        self._badges = sorted(badges, key=lambda b: b.title.casefold())
        self.counts.set_badge_titles({b.id: b.title for b in badges})
        self._fill_badges()
        corrects = self.corrects
        if corrects is not None and self.kind is ActionKind.REVOKE:
            # Revoking from a batch: its badge first (another can still be chosen).
            self.select_badge(corrects.badge_id)
        # Another badge than the one a batch awarded: the user picks it (none is preselected).

    def _fill_badges(self) -> None:
        current = self.badge_id
        self.badge_combo.blockSignals(True)
        self.badge_combo.clear()
        for badge in self._badges:
            # Only published badges can be awarded; any held badge can be revoked.
            if self.kind is ActionKind.AWARD and badge.state is not BadgeState.PUBLISHED:
                continue
            shown = _NOT_PUBLISHED.get(badge.state)
            title = translated("BatchDialog", shown).format(badge=badge.title) if shown else badge.title
            self.badge_combo.addItem(title, badge.id)
        # The badge chosen stays chosen (where the new kind lists it); else none is.
        self.badge_combo.setCurrentIndex(self.badge_combo.findData(current) if current is not None else -1)
        self.badge_combo.blockSignals(False)
        self._invalidate()

    @property
    def badge_id(self) -> int | None:
        value = self.badge_combo.currentData()
        return int(value) if value is not None else None

    def select_badge(self, badge_id: int) -> None:
        index = self.badge_combo.findData(badge_id)
        if index >= 0:
            self.badge_combo.setCurrentIndex(index)

    def _kind_changed(self) -> None:
        self._fill_badges()
        self.counts.set_kind(self.kind)
        self._show_notify()

    def _show_notify(self) -> None:
        """The switches that fit the kind: the award message, or telling the members of a revoke."""
        award = self.kind is ActionKind.AWARD
        self.notify_check.setEnabled(award)
        self.notify_check.setVisible(award)
        self.message_edit.setEnabled(award and self.notify_check.isChecked())
        # A revoke's message is the server's own (with the reason): no message of the batch's.
        self.form.setRowVisible(self.message_edit, award)
        self.revoke_notify_check.setVisible(not award)
        self.reason_edit.setPlaceholderText(
            self.tr("Why (shown to moderators in the audit log)")
            if award
            else self.tr("Why the badge is taken back (required: kept in the audit log)")
        )
        self._update_queue_button()
        capabilities = self.session.capabilities
        if capabilities is None:
            why = self.tr("Connect to the server first: it is not known yet whether it can tell the members")
        elif not capabilities.revoke_messages:
            why = self.tr("This server cannot tell a member that their badge was revoked")
        else:
            why = self.tr("Each member is told that their badge was revoked, and why")
        can = capabilities is not None and capabilities.revoke_messages
        self.revoke_notify_check.setEnabled(can)
        if not can:
            self.revoke_notify_check.setChecked(False)
        self.revoke_notify_check.setToolTip(why)
        self.revoke_notify_check.setAccessibleDescription(why)

    # --- dropping a file ----------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.members.load_file(Path(urls[0].toLocalFile()))

    # --- dry run and queueing ---------------------------------------------------------

    def _invalidate(self) -> None:
        """Any change of input: the counts shown no longer apply, nor does a dry run still going."""
        self.latest_plan.begin()
        if self._running is not None:
            self._running.cancel()
            self._busy(None, "")
        self._plan = None
        self._update_queue_button()
        self.queue_button.setText(self.tr("&Queue batch"))
        self.counts.clear()
        self.plan_view.clear()
        self.dry_run_button.setEnabled(self.members.source is not None and self.badge_id is not None)

    def _set_error(self, text: str) -> None:
        self.error_label.setText(text)

    def _busy(self, op: Operation | None, text: str) -> None:
        self._running = op
        running = op is not None
        self.progress.setVisible(running)
        self.stop_button.setVisible(running)
        self.progress.setRange(0, 0)
        self.progress.setFormat(text)
        self.dry_run_button.setEnabled(not running and self.members.source is not None)
        self._update_queue_button()

    def _set_inputs_enabled(self, enabled: bool) -> None:
        """While queueing, the form cannot change under the batch being committed."""
        for widget in (self.badge_combo, self.reason_edit):
            widget.setEnabled(enabled)
        # A correction's kind was chosen before the dialog opened: it stays fixed.
        self.kind_combo.setEnabled(enabled and self.corrects is None)
        self.members.set_inputs_enabled(enabled)
        self.dry_run_button.setEnabled(enabled)
        self.setAcceptDrops(enabled)

    def _matches_form(self, plan: DryRun) -> bool:
        return (
            plan.kind is self.kind and plan.badge_id == self.badge_id and plan.source == self.members.source
        )

    def _stop(self) -> None:
        if self._running is not None:
            self._running.cancel()

    def start_dry_run(self) -> None:
        source, badge_id = self.members.source, self.badge_id
        if source is None or badge_id is None or self._running is not None:
            return
        self._invalidate()
        self._set_error("")
        cache = self.session.community.cache
        kind = self.kind
        bind = self.latest_plan.begin()
        finished = bind(lambda _none: self._busy(None, ""))
        op = self.session.tasks.start(
            "dry run",
            lambda cancel, report: dry_run(cache, source, kind, badge_id, cancel=cancel, progress=report),
            on_success=bind(self._got_plan),
            on_failure=bind(lambda error: self.members.list_failed(source.name, error)),
            on_progress=bind(lambda rows: self.progress.setFormat(self.tr("%Ln row(s) read…", "", rows))),
            on_finished=lambda: finished(None),
        )
        self._busy(op, self.tr("Reading…"))

    def _got_plan(self, plan: DryRun) -> None:
        if not self._matches_form(plan):
            return  # the form changed while it ran
        self._plan = plan
        self.counts.show_plan(plan)
        self._show_plan(first=True)
        if plan.kind is ActionKind.AWARD:
            self.queue_button.setText(self.tr("&Queue %Ln award(s)", "", plan.to_send))
        else:
            self.queue_button.setText(self.tr("&Queue %Ln revoke(s)", "", plan.to_send))
        self._update_queue_button()

    @property
    def missing_reason(self) -> bool:
        """A revoke without a reason: it cannot be queued yet."""
        return self.kind is ActionKind.REVOKE and not self.reason_edit.text().strip()

    def _update_queue_button(self) -> None:
        """Queue only a dry run that found something to send, and a revoke only with its reason."""
        self.reason_hint.setVisible(self.missing_reason)
        plan = self._plan
        self.queue_button.setEnabled(
            plan is not None and plan.to_send > 0 and self._running is None and not self.missing_reason
        )

    def _show_plan(self, first: bool = False) -> None:
        """How the batch would be sent: requests, time, path (from what the server can do)."""
        plan = self._plan
        if plan is None:
            return
        capabilities = self.session.capabilities
        if capabilities is None:
            self.plan_view.show_unknown()
            return
        badge = next((b for b in self._badges if b.id == plan.badge_id), None)
        custom = self.message_edit.toPlainText().strip()
        has_message = bool(custom or (badge is not None and badge.award_message.strip()))
        sending = plan_batch(
            plan.kind,
            plan.to_send,
            capabilities,
            messages=self.notify_check.isChecked() and has_message,
            budget=self.session.community.rate_budget(),
            allow_mass=first or self.plan_view.mass_check.isChecked(),
        )
        self.plan_view.show_plan(sending, first=first)

    @property
    def plan(self) -> DryRun | None:
        return self._plan

    def queue(self) -> None:
        plan = self._plan
        if plan is None or self._running is not None or not self._matches_form(plan) or self.missing_reason:
            return
        reason = self.reason_edit.text().strip()
        if plan.kind is ActionKind.AWARD:
            notify = self.notify_check.isChecked()
        else:
            notify = self.revoke_notify_check.isEnabled() and self.revoke_notify_check.isChecked()
        message = (
            self.message_edit.toPlainText().strip() or None
            if notify and plan.kind is ActionKind.AWARD
            else None
        )
        mass_award = self.plan_view.use_mass_award and plan.kind is ActionKind.AWARD
        corrects = None if self.corrects is None else self.corrects.id

        def commit(outbox: Outbox) -> Batch:
            return queue_batch(
                outbox,
                plan,
                reason=reason,
                notify=notify,
                message=message,
                mass_award=mass_award,
                corrects=corrects,
            )

        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Queueing…"))
        self.queue_button.setEnabled(False)
        self._set_inputs_enabled(False)
        self.session.change_outbox("queue batch", commit, on_done=self._queued, on_failure=self._queue_failed)

    def _queued(self, batch: Batch) -> None:
        # Committed to SQLite: only now is it shown as queued.
        self.progress.setVisible(False)
        self.queued.emit(batch)
        self.accept()

    def _queue_failed(self, error: Exception) -> None:
        self._set_inputs_enabled(True)
        self.progress.setVisible(False)
        self._set_error(
            self.session.describe(error, failures.changing(self.tr("queueing the batch"))).message
        )
        self._invalidate()
