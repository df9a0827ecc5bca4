"""The selected program's history: its runs (when, period, how many awarded, the batch) and its
winners by period (period, member, reason, and whether the server has confirmed the award).

Read on a worker (:func:`desktop.programs.history.program_history`); the latest
request wins. Enter or a double-click on a run with a batch asks to show that batch
(the main window opens it in the audit log). GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from desktop import failures
from desktop.cancellation import CancelToken
from desktop.programs.history import ProgramHistory, RunRow, program_history
from ui.operations import LatestOnly
from ui.programs.model import ROW_ROLE, RunTableModel, WinnerTableModel
from ui.session.app_session import AppSession
from ui.widgets.load_failure import LoadFailure
from ui.widgets.table_pane import row_table
from ui.widgets.text import plain_label


class ProgramHistoryPanel(QWidget):
    """Lives on the GUI thread."""

    #: (batch id, batch name): show this batch.
    show_batch = Signal(str, str)

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.program_id: int | None = None
        self.history: ProgramHistory | None = None
        self._results = LatestOnly(self)
        self._loading = 0

        self.runs_model = RunTableModel(self)
        self.runs = row_table("programRuns", self.runs_model, self)
        self.runs.setAccessibleName(self.tr("Runs of the program"))
        self.runs.setToolTip(self.tr("Enter or double-click: show the run's batch in the audit log"))
        self.runs.activated.connect(self._run_activated)
        self.winners_model = WinnerTableModel(self)
        self.winners = row_table("programWinners", self.winners_model, self)
        self.winners.setAccessibleName(self.tr("Winners by period"))
        self.winners.horizontalHeader().setStretchLastSection(True)
        self.runs.horizontalHeader().setStretchLastSection(True)

        runs_label = QLabel(self.tr("Run histor&y:"))
        runs_label.setBuddy(self.runs)
        winners_label = QLabel(self.tr("&Winners by period:"))
        winners_label.setBuddy(self.winners)
        self.summary = plain_label(name="programHistorySummary", wrap=True)
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self.reload)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("programHistorySplitter")
        self.splitter.addWidget(_titled(runs_label, self.runs))
        self.splitter.addWidget(_titled(winners_label, self.winners))
        self.splitter.setSizes([450, 550])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.failure)
        layout.addWidget(self.splitter, 1)
        self.show_program(None)

    @property
    def idle(self) -> bool:
        return self._loading == 0

    def show_program(self, program_id: int | None) -> None:
        """Show ``program_id``'s history (None: no program selected)."""
        self.program_id = program_id
        if program_id is None:
            self._results.begin()
            self.history = None
            self.runs_model.set_rows([])
            self.winners_model.set_rows([])
            self.summary.setText(self.tr("Choose a program to see its runs and winners."))
            return
        self.reload()

    def reload(self) -> None:
        program_id = self.program_id
        if program_id is None:
            return
        cache = self.session.community.cache

        def work(_cancel: CancelToken, _progress: object) -> ProgramHistory:
            return program_history(cache, program_id)

        bind = self._results.begin()
        op = self.session.tasks.start(
            "program history",
            work,
            on_success=bind(self._show),
            on_failure=bind(self._failed),
            on_finished=self._finished,
        )
        if op is not None:
            self._loading += 1

    def _finished(self) -> None:
        self._loading -= 1

    def _show(self, history: ProgramHistory) -> None:
        self.failure.clear()
        self.history = history
        self.runs_model.set_rows(history.runs)
        self.winners_model.set_rows(history.winners)
        for table in (self.runs, self.winners):
            table.resizeColumnsToContents()
        runs = self.tr("%Ln run(s)", "", len(history.runs))
        winners = self.tr("%Ln winner(s)", "", len(history.winners))
        self.summary.setText(self.tr("{runs}, {winners}.").format(runs=runs, winners=winners))

    def _failed(self, error: Exception) -> None:
        self.failure.show_failure(
            self.session.describe(error, failures.loading(self.tr("the program's history"))).message
        )

    def _run_activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, RunRow):
            return
        # The revokes' batch from its own column, or where the run queued no awards.
        if row.run.revoke_batch_id is not None and (
            index.column() == RunTableModel.REVOKED or row.run.batch_id is None
        ):
            self.show_batch.emit(row.run.revoke_batch_id, row.revoke_batch_name)
        elif row.run.batch_id is not None:
            self.show_batch.emit(row.run.batch_id, row.batch_name)


def _titled(label: QLabel, table: QTableView) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(label)
    layout.addWidget(table, 1)
    return box
