"""Running a program: its dry run for a period, the moderator's decisions, then its batch queued.

The dialog reads the program's source for the chosen period off the GUI thread
(:func:`desktop.programs.reading.read_source`: a list file, the cache, or the
server's activity through the session's :class:`~desktop.dialects.activity.ActivityReader`),
makes the dry run (:func:`desktop.programs.dry_run.program_dry_run`) and shows it:
every candidate with its standing, why it was picked and the reason its award
carries (a link where the server keeps only links), the rows that matched no
member, the source's notes, who qualifies soon, the award message and what
sending costs at the server's rate limit. Tied members are ticked by the
moderator; members gone from a list lose the badge only when asked, with a
reason. *Queue* commits the run (:func:`desktop.programs.runs.queue_run`, once per
period) on the session's writer before the dialog says it is queued; the outbox
then sends it as any batch. The dry run is then made again: it finds nothing new.

Open it with :func:`open_run_dialog`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.domain import utc_now
from desktop.outbox import Outbox
from desktop.programs.model import Program
from desktop.programs.periods import Cadence, Period
from desktop.programs.reading import reads_server
from desktop.programs.runs import QueuedRun, queue_run
from desktop.programs.store import ProgramStore
from ui.i18n import DATA_PROPERTY, format_date, shows_data
from ui.operations import LatestOnly, Operation
from ui.programs.run_model import REASON, WHY, ProgramRunModel
from ui.programs.run_parts import GoneRevoke, boxed
from ui.programs.run_reading import (
    LoadedRun,
    badge_text,
    cost_text,
    describe_failure,
    load_dry_run,
    periods_offered,
    program_gone_text,
    queued_text,
    summary_text,
    user_zone,
)
from ui.session.app_session import AppSession
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.text import plain_label


class ProgramRunDialog(QDialog):
    """Lives on the GUI thread; reads on the session's pools, queues through its writer."""

    #: The run was committed (a :class:`~desktop.programs.runs.QueuedRun`).
    queued = Signal(object)

    def __init__(
        self,
        session: AppSession,
        program: Program,
        period: Period | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.program = program
        self.setObjectName("programRun")
        self.setWindowTitle(self.tr("Run {program}").format(program=program.name))
        self.resize(900, 680)
        self.latest = LatestOnly(self)
        self.loaded: LoadedRun | None = None
        self._reading: Operation | None = None
        self._queueing = False

        title = plain_label(program.name, name="programRunName")
        shows_data(title)
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("programRunPeriod")
        self.period_combo.setAccessibleName(self.tr("Period"))
        shows_data(self.period_combo)
        self.periods = periods_offered(program, datetime.now().astimezone(), period)
        for each in self.periods:
            self.period_combo.addItem(each.key, each.key)
        if period is not None:
            self.period_combo.setCurrentIndex(self.period_combo.findData(period.key))
        self.period_combo.setEnabled(program.cadence is not Cadence.ONE_OFF)
        self.period_combo.currentIndexChanged.connect(lambda _i: self.read())
        period_label = QLabel(self.tr("&Period:"))
        period_label.setBuddy(self.period_combo)
        title_font = QFont(title.font())
        title_font.setBold(True)
        title.setFont(title_font)
        # The period's days and the badge it gives, beside the combo: what the run is about.
        self.days_label = plain_label(name="programRunDays")
        period_row = QHBoxLayout()
        period_row.addWidget(self.period_combo)
        period_row.addWidget(self.days_label, 1)
        self.badge_label = plain_label(name="programRunBadge", wrap=True)
        shows_data(self.badge_label)
        form = QFormLayout()
        form.addRow(title)
        form.addRow(period_label, period_row)
        form.addRow(self.badge_label)
        self.period_combo.currentIndexChanged.connect(lambda _i: self._show_days())
        self._show_days()

        self.progress = QProgressBar()
        self.progress.setObjectName("programRunProgress")
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.progress_label = plain_label(name="programRunReading")
        self.cancel_button = QPushButton(self.tr("&Stop reading"))
        self.cancel_button.setObjectName("programRunCancel")
        self.cancel_button.setToolTip(self.tr("Stop reading the source (Esc)"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_read)
        reading_row = QHBoxLayout()
        reading_row.addWidget(self.progress_label)
        reading_row.addWidget(self.progress, 1)
        reading_row.addWidget(self.cancel_button)

        self.model = ProgramRunModel(self)
        self.table = QTableView()
        self.table.setObjectName("programRunTable")
        self.table.setAccessibleName(self.tr("Candidates"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        table_label = QLabel(self.tr("Ca&ndidates:"))
        table_label.setBuddy(self.table)
        self.model.dataChanged.connect(lambda *_a: self._update_choice())

        self.summary_label = plain_label(name="programRunSummary", wrap=True)
        self.notes_label = plain_label(name="programRunNotes", wrap=True)
        shows_data(self.notes_label)  # the source's sentences, translated where made
        set_status_style(self.notes_label, text_style("info"))

        self.unmatched_list = QListWidget()
        self.unmatched_list.setObjectName("programRunUnmatched")
        self.unmatched_list.setAccessibleName(self.tr("Rows that match no member"))
        shows_data(self.unmatched_list)
        self.unmatched_box = boxed(self.unmatched_list)
        self.soon_list = QListWidget()
        self.soon_list.setObjectName("programRunSoon")
        self.soon_list.setAccessibleName(self.tr("Members who qualify in the next 30 days"))
        shows_data(self.soon_list)
        self.soon_box = boxed(self.soon_list)
        side_lists = QHBoxLayout()
        side_lists.addWidget(self.unmatched_box)
        side_lists.addWidget(self.soon_box)

        self.revoke_area = GoneRevoke()
        self.revoke_check = self.revoke_area.check
        self.revoke_reason = self.revoke_area.reason
        self.revoke_reason_label = self.revoke_area.label
        self.revoke_check.toggled.connect(lambda _on: self._update_choice())
        self.revoke_reason.textChanged.connect(lambda _t: self._update_choice())

        self.message_label = plain_label(name="programRunMessage", wrap=True, selectable=True)
        self.cost_label = plain_label(name="programRunCost", wrap=True)
        message_box = QGroupBox(self.tr("Award message"))
        QVBoxLayout(message_box).addWidget(self.message_label)
        cost_box = QGroupBox(self.tr("Sending"))
        QVBoxLayout(cost_box).addWidget(self.cost_label)
        details = QHBoxLayout()
        details.addWidget(message_box, 1)
        details.addWidget(cost_box, 1)

        self.status_label = plain_label(name="programRunStatus", wrap=True)
        set_status_style(self.status_label, text_style("success"))
        self.error_label = plain_label(name="programRunError", wrap=True)
        set_status_style(self.error_label, text_style("error"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.again_button = self.buttons.addButton(
            self.tr("Read &again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.again_button.setObjectName("programRunAgain")
        self.again_button.setToolTip(self.tr("Read the source again and make the dry run again (F5)"))
        self.again_button.clicked.connect(self.read)
        self.queue_button = self.buttons.addButton(self.tr("&Queue"), QDialogButtonBox.ButtonRole.ActionRole)
        self.queue_button.setObjectName("programRunQueue")
        self.queue_button.setEnabled(False)
        self.queue_button.clicked.connect(self.queue)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(reading_row)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.notes_label)
        layout.addLayout(side_lists)
        layout.addWidget(self.revoke_area)
        layout.addLayout(details)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.read)
        self._show(None)
        self.read()

    @property
    def period(self) -> Period:
        return self.periods[max(0, self.period_combo.currentIndex())]

    def _show_days(self) -> None:
        period = self.period
        if period.first is None or period.last is None:
            self.days_label.setText("")
            return
        self.days_label.setText(
            self.tr("{first} to {last}").format(
                first=format_date(period.first), last=format_date(period.last)
            )
        )

    # --- reading ------------------------------------------------------------------------------

    def read(self) -> None:
        """Read the source for the chosen period and make the dry run (in the background)."""
        if self._queueing:
            return
        if self._reading is not None:
            self._reading.cancel()
        self._show(None)
        self.error_label.setText("")
        community = self.session.community
        program_id, period, tz = self.program.id, self.period, user_zone()
        now = utc_now()
        bind = self.latest.begin()
        # The server's activity, or a list matched by external id: read from the server.
        activity = reads_server(self.program.spec.source)
        if activity:
            self.progress_label.setText(self.tr("Reading the server's activity…"))
        else:
            self.progress_label.setText(self.tr("Reading the source…"))
        op = self.session.tasks.start(
            "program dry run",
            lambda cancel, _p: load_dry_run(community, program_id, period, now=now, tz=tz, cancel=cancel),
            pool="network" if activity else "readers",
            on_success=bind(self._loaded),
            on_failure=bind(self._read_failed),
            on_cancel=lambda: self._read_cancelled(op),
            on_finished=lambda: self._read_done(op),
        )
        self._busy(op)

    def cancel_read(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            self.progress_label.setText(self.tr("Stopping…"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc while reading stops the read; once read, it closes the dialog.
        if event.key() == Qt.Key.Key_Escape and self._reading is not None:
            self.cancel_read()
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        # Closed while reading: the read is of no use any more.
        if self._reading is not None:
            self._reading.cancel()
        super().reject()

    def _read_done(self, op: Operation | None) -> None:
        if op is not None and op is self._reading:
            self._busy(None)

    def _busy(self, op: Operation | None) -> None:
        self._reading = op
        running = op is not None
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if not running:
            self.progress_label.setText("")
        self.again_button.setEnabled(not running and not self._queueing)
        self._update_choice()

    def _loaded(self, loaded: LoadedRun) -> None:
        self._busy(None)
        self._show(loaded)

    def _read_cancelled(self, op: Operation | None) -> None:
        if op is None or op is not self._reading:
            return  # superseded by a newer read
        self._busy(None)
        self.summary_label.setText(self.tr("Stopped: nothing was read. Read again when you are ready."))

    def _read_failed(self, error: Exception) -> None:
        self._busy(None)
        self.error_label.setText(describe_failure(self.session, error, reading=True))

    # --- showing the dry run --------------------------------------------------------------------

    def _show(self, loaded: LoadedRun | None) -> None:
        self.loaded = loaded
        plan = None if loaded is None else loaded.plan
        self.model.set_plan(plan)
        self.unmatched_list.clear()
        self.soon_list.clear()
        if loaded is None or plan is None:
            self.summary_label.setText("")
            self.notes_label.setText("")
            self.unmatched_box.setVisible(False)
            self.soon_box.setVisible(False)
            self.revoke_area.setVisible(False)
            self.message_label.setText("")
            self.cost_label.setText("")
            self._update_choice()
            return
        self.badge_label.setText(badge_text(loaded))
        self.table.resizeColumnsToContents()
        for column in (WHY, REASON):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 320))
        self.notes_label.setText("\n".join(plan.notes))
        self.notes_label.setVisible(bool(plan.notes))
        for unmatched in plan.unmatched:
            self.unmatched_list.addItem(self.tr("{row}: {why}").format(row=unmatched.row, why=unmatched.why))
        self.unmatched_box.setTitle(self.tr("Not matched (%Ln)", "", len(plan.unmatched)))
        self.unmatched_box.setVisible(bool(plan.unmatched))
        for soon in plan.upcoming:
            who = loaded.soon.get(soon.member_id) or self.tr("member #{id}").format(id=soon.member_id)
            self.soon_list.addItem(self.tr("{member}: {why}").format(member=who, why=soon.why))
        self.soon_box.setTitle(self.tr("Qualify in the next 30 days (%Ln)", "", len(plan.upcoming)))
        self.soon_box.setVisible(bool(plan.upcoming))
        gone = len(plan.to_revoke)
        self.revoke_check.setText(
            self.tr("Re&voke the badge of the %n member(s) gone from the list", "", gone)
        )
        self.revoke_check.setChecked(False)
        self.revoke_area.setVisible(gone > 0)
        message = plan.program.spec.message
        self.message_label.setText(message or self.tr("None: the awards carry no message."))
        # The program's message is the user's text; "None: …" is ours.
        self.message_label.setProperty(DATA_PROPERTY, bool(message))
        self._update_choice()

    @property
    def chosen_ties(self) -> frozenset[int]:
        return self.model.chosen_ties

    @property
    def revoke_reason_text(self) -> str | None:
        """The reason the members gone from the list lose the badge (None: they keep it)."""
        if not self.revoke_check.isChecked() or self.loaded is None or not self.loaded.plan.to_revoke:
            return None
        return self.revoke_reason.text().strip()

    def _update_choice(self) -> None:
        """The summary, the cost and the queue button, for the ties ticked and the revokes asked."""
        loaded = self.loaded
        self.revoke_reason.setEnabled(self.revoke_check.isChecked())
        self.revoke_reason_label.setEnabled(self.revoke_check.isChecked())
        if loaded is None:
            self.queue_button.setText(self.tr("&Queue"))
            self.queue_button.setEnabled(False)
            return
        plan = loaded.plan
        awards = len(self.model.chosen)
        revoking = self.revoke_reason_text is not None
        revokes = len(plan.to_revoke) if revoking else 0
        self.summary_label.setText(summary_text(plan, awards, len(self.chosen_ties)))
        self.cost_label.setText(cost_text(loaded, awards, revoking))
        if awards or revokes:
            if plan.title is not None:
                # One holder at a time: one hand-over (alumni badge, badge, old grant revoked).
                self.queue_button.setText(self.tr("&Queue the hand-over"))
            elif revokes:
                self.queue_button.setText(self.tr("&Queue %n award(s) and the revokes", "", awards))
            else:
                self.queue_button.setText(self.tr("&Queue %Ln award(s)", "", awards))
            ready = not revoking or bool(self.revoke_reason_text)
            self.queue_button.setEnabled(self._can_queue(loaded))
            self.queue_button.setToolTip("" if ready else self.tr("Say why they lose the badge first"))
        else:
            # Nothing to send: the run is recorded (the program is no longer due), once.
            self.queue_button.setText(self.tr("Record the r&un"))
            self.queue_button.setEnabled(self._can_queue(loaded))
            self.queue_button.setToolTip(
                self.tr("Nothing to award: record that the period was run, so it is no longer due")
            )

    def _can_queue(self, loaded: LoadedRun) -> bool:
        """Idle, with something to send (a reason given for the revokes asked), or a period never
        run to record: what the queue button offers."""
        if self._queueing or self._reading is not None:
            return False
        revoking = self.revoke_reason_text is not None
        if revoking and not self.revoke_reason_text:
            return False
        if self.model.chosen or revoking:
            return True
        return not loaded.ran_before

    # --- queueing ---------------------------------------------------------------------------------

    def queue(self) -> None:
        """Commit the run (its batch, the revokes asked, the run's record) on the writer."""
        loaded = self.loaded
        if loaded is None or not self._can_queue(loaded):
            return
        plan, keep = loaded.plan, loaded.read.keep
        picked = sorted(self.model.chosen)
        reason = self.revoke_reason_text

        def commit(outbox: Outbox) -> QueuedRun:
            return queue_run(outbox, plan, picked=picked, kept=keep, revoke_gone=reason)

        self._queueing = True
        self.error_label.setText("")
        self.status_label.setText("")
        self._update_choice()
        self.again_button.setEnabled(False)
        self.session.change_outbox(
            "queue program run", commit, on_done=self._queued, on_failure=self._queue_failed
        )

    def _queued(self, run: QueuedRun) -> None:
        self._queueing = False
        self.status_label.setText(queued_text(run, self.loaded.plan if self.loaded is not None else None))
        self.queued.emit(run)
        # What the run changed (claims, a list's kept rows): the dry run again finds nothing new.
        self.read()

    def _queue_failed(self, error: Exception) -> None:
        # Nothing was committed (one transaction): the dry run stays, to queue again.
        self._queueing = False
        self.error_label.setText(describe_failure(self.session, error, reading=False))
        self.again_button.setEnabled(self._reading is None)
        self._update_choice()


def open_run_dialog(
    parent: QWidget | None,
    session: AppSession,
    program_id: int,
    period: Period | None = None,
    on_open: Callable[[ProgramRunDialog], None] | None = None,
) -> None:
    """Open the run dialog of the program (its latest ended period unless ``period``), which reads
    its dry run at once; ``on_open`` gets the dialog. A program that no longer exists is said in the
    session's status instead."""
    cache = session.community.cache

    def opened(program: Program | None) -> None:
        if program is None or program.deleted_at is not None:
            session.error.emit(program_gone_text())
            return
        if parent is not None and not shiboken6.isValid(parent):
            return
        dialog = ProgramRunDialog(session, program, period, parent)
        dialog.show()
        if on_open is not None:
            on_open(dialog)

    # The program is read on a reader (never the GUI thread), then its dry run starts at once.
    session.tasks.start(
        "read program",
        lambda _c, _p: ProgramStore(cache).get(program_id),
        on_success=opened,
        on_failure=lambda error: session.error.emit(
            session.describe(
                error, failures.loading(QCoreApplication.translate("ProgramRunDialog", "the program"))
            ).message
        ),
    )


__all__ = ["ProgramRunDialog", "load_dry_run", "open_run_dialog"]
