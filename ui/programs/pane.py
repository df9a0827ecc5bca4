"""The Programs pane: the community's recognition programs, and the selected one's runs and winners.

The list (name, source in words, cadence, badge, last run, whether a period is
due) is read on a worker (:func:`desktop.programs.history.program_rows`); the
latest read wins. New… and Edit… open the program editor
(:class:`ui.programs.editor.ProgramEditorDialog`); Duplicate and Delete (after
asking: the program's runs stay readable, as the store keeps them) write on the
writer's thread. Run… only says which program to run (:attr:`ProgramsPane.run_requested`):
the run dialog takes it from there. The history below follows the selection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.cancellation import CancelToken
from desktop.domain import ChangeSet
from desktop.programs.history import ProgramRow, program_rows
from desktop.programs.model import Program, ProgramError
from desktop.programs.store import ProgramStore
from desktop.settings import Settings
from ui.operations import LatestOnly, while_alive
from ui.programs.editor import ProgramEditorDialog
from ui.programs.history import ProgramHistoryPanel
from ui.programs.model import ROW_ROLE, ProgramTableModel
from ui.session.app_session import AppSession
from ui.widgets.load_failure import LoadFailure, not_loaded
from ui.widgets.table_pane import row_table
from ui.widgets.text import confirm, plain_label

#: Changes come in bursts (a sync stores page after page, a send confirms action after action).
CHANGE_DEBOUNCE_MS = 500


class ProgramsPane(QWidget):
    """Lives on the GUI thread."""

    #: A user-facing sentence for the status bar.
    message = Signal(str)
    #: The user asked to run this program (its id): the run dialog's to open.
    run_requested = Signal(int)
    #: (batch id, batch name): show a run's batch.
    show_batch = Signal(str, str)

    def __init__(
        self, session: AppSession, settings: Settings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or Settings()
        self.rows: list[ProgramRow] = []
        self.editor: ProgramEditorDialog | None = None
        self._results = LatestOnly(self)
        self._loading = 0
        self._writing = 0
        self._stale = True
        self._loaded = False
        #: The program to select once the list is read again (a new or duplicated one).
        self._select_after: int | None = None
        #: The user's day, for what is due (tests replace it).
        self.today: Callable[[], date] = date.today
        #: Asks yes or no (tests replace it).
        self.confirm: Callable[[QWidget | None, str, str], bool] = confirm
        self._changes = QTimer(self)
        self._changes.setSingleShot(True)
        self._changes.setInterval(CHANGE_DEBOUNCE_MS)
        self._changes.timeout.connect(self.reload)

        self.new_button = QPushButton(self.tr("&New…"))
        self.edit_button = QPushButton(self.tr("Edi&t…"))
        self.duplicate_button = QPushButton(self.tr("Du&plicate"))
        self.delete_button = QPushButton(self.tr("De&lete"))
        self.run_button = QPushButton(self.tr("R&un…"))
        self.new_action = self._action(self.tr("New program"), "Ctrl+N", self.new_program)
        self.edit_action = self._action(self.tr("Edit the program"), "Ctrl+E", self.edit_program)
        self.duplicate_action = self._action(
            self.tr("Duplicate the program"), "Ctrl+D", self.duplicate_program
        )
        self.run_action = self._action(self.tr("Run the program"), "Ctrl+Return", self.run_program)
        for button, action, name in (
            (self.new_button, self.new_action, "programNew"),
            (self.edit_button, self.edit_action, "programEdit"),
            (self.duplicate_button, self.duplicate_action, "programDuplicate"),
            (self.delete_button, None, "programDelete"),
            (self.run_button, self.run_action, "programRun"),
        ):
            button.setObjectName(name)
            if action is not None:
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                button.setToolTip(self.tr("{what} ({keys})").format(what=action.text(), keys=keys))
                button.clicked.connect(action.trigger)
        self.delete_button.setToolTip(self.tr("Delete the program; its runs stay in the history (Delete)"))
        self.delete_button.clicked.connect(self.delete_program)
        # Not Ctrl+R: some platforms' Refresh key (the window's Sync now).
        run_keys = self.run_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.run_button.setToolTip(
            self.tr("Run the program: its dry run first, then a batch ({keys})").format(keys=run_keys)
        )
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)

        self.model = ProgramTableModel(self)
        self.table = row_table("programTable", self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAccessibleName(self.tr("Programs"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.edit_program())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        delete = QAction(self.tr("Delete the program"), self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_program)
        self.table.addAction(delete)
        table_label = QLabel(self.tr("Pro&grams:"))
        table_label.setBuddy(self.table)
        self.summary = plain_label(name="programSummary", wrap=True)
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self.reload)
        self.history = ProgramHistoryPanel(session, self)
        self.history.show_batch.connect(self.show_batch)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(table_label)
        top_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("programsSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.history)
        self.splitter.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.failure)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self._update_buttons()
        session.changed.connect(self.on_changed)

    def _action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # --- state ------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """Nothing read or written in the background (tests wait on this)."""
        return (
            self._loading == 0 and self._writing == 0 and not self._changes.isActive() and self.history.idle
        )

    @property
    def loaded(self) -> bool:
        return self._loaded

    def selected(self) -> Program | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].data(ROW_ROLE)
        return row.program if isinstance(row, ProgramRow) else None

    def select_program(self, program_id: int) -> bool:
        for number, row in enumerate(self.rows):
            if row.program.id == program_id:
                self.table.selectRow(number)
                return True
        return False

    def _update_buttons(self) -> None:
        chosen = self.selected()
        for widget in (self.edit_button, self.duplicate_button, self.delete_button):
            widget.setEnabled(chosen is not None)
        self.edit_action.setEnabled(chosen is not None)
        self.duplicate_action.setEnabled(chosen is not None)
        runnable = chosen is not None and not chosen.problem
        self.run_button.setEnabled(runnable)
        self.run_action.setEnabled(runnable)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()
        chosen = self.selected()
        self.history.show_program(None if chosen is None else chosen.id)

    # --- reading ----------------------------------------------------------------------

    def on_changed(self, changes: ChangeSet) -> None:
        """A run's awards change state as they are sent; badges may be renamed by a sync."""
        if not (changes.reset or changes.outbox or changes.badges or changes.awards):
            return
        if self.isVisible():
            self._changes.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Read the programs again on a worker; the selection stays on the same program."""
        self._changes.stop()
        self._stale = False
        store = ProgramStore(self.session.community.cache)
        today = self.today()

        def work(_cancel: CancelToken, _progress: object) -> list[ProgramRow]:
            return program_rows(store, today)

        bind = self._results.begin()
        op = self.session.tasks.start(
            "list programs",
            work,
            on_success=bind(self._show),
            on_failure=bind(self._failed),
            on_finished=self._finished_loading,
        )
        if op is not None:
            self._loading += 1

    def _finished_loading(self) -> None:
        self._loading -= 1

    def _show(self, rows: list[ProgramRow]) -> None:
        self.failure.clear()
        chosen = self.selected()
        wanted = self._select_after if self._select_after is not None else (chosen.id if chosen else None)
        self._select_after = None
        self.rows = rows
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self._loaded = True
        due = sum(1 for row in rows if row.due is not None and not row.program.problem)
        count = self.tr("%Ln program(s)", "", len(rows))
        if due:
            self.summary.setText(self.tr("{programs}; %n due to run.", "", due).format(programs=count))
        elif rows:
            self.summary.setText(self.tr("{programs}.").format(programs=count))
        else:
            self.summary.setText(
                self.tr("No programs yet. New… makes one: a source of candidates, a badge and a cadence.")
            )
        if wanted is None or not self.select_program(wanted):
            self.history.show_program(None)
        else:
            self.history.reload()
        self._update_buttons()

    def _failed(self, error: Exception) -> None:
        self.summary.setText(not_loaded())
        self.failure.show_failure(
            self.session.describe(error, failures.loading(self.tr("the programs"))).message
        )

    # --- changing ---------------------------------------------------------------------

    def new_program(self) -> ProgramEditorDialog:
        return self._open_editor(None)

    def edit_program(self) -> ProgramEditorDialog | None:
        chosen = self.selected()
        return None if chosen is None else self._open_editor(chosen)

    def _open_editor(self, program: Program | None) -> ProgramEditorDialog:
        if self.editor is not None:
            self.editor.close()
        dialog = ProgramEditorDialog(self.session, self.settings, program, parent=self)
        dialog.saved.connect(self._saved)
        dialog.finished.connect(lambda _result: self._editor_closed(dialog))
        self.editor = dialog
        dialog.open()
        return dialog

    def _editor_closed(self, dialog: ProgramEditorDialog) -> None:
        if self.editor is dialog:
            self.editor = None
        dialog.deleteLater()

    def _saved(self, program: Program, created: bool) -> None:
        text = self.tr("Program “{name}” created.") if created else self.tr("Program “{name}” saved.")
        self.message.emit(text.format(name=program.name))
        self._select_after = program.id
        self.reload()

    def duplicate_program(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        store = ProgramStore(self.session.community.cache)
        self._write(
            "duplicate program",
            lambda: store.duplicate(chosen.id),
            lambda copy: self.tr("Program “{name}” duplicated as “{copy}”.").format(
                name=chosen.name, copy=copy.name if isinstance(copy, Program) else ""
            ),
        )

    def delete_program(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        question = self.tr(
            "Delete the program “{name}”? It no longer runs and its name is free; its runs and"
            " the batches they queued stay in the history and the audit log."
        ).format(name=chosen.name)
        if not self.confirm(self, self.tr("Delete the program"), question):
            return
        store = ProgramStore(self.session.community.cache)

        def deleted(_result: object) -> str:
            return self.tr("Program “{name}” deleted.").format(name=chosen.name)

        self._write("delete program", lambda: store.delete(chosen.id), deleted)

    def _write(self, name: str, change: Callable[[], object], said: Callable[[object], str]) -> None:
        def done(result: object) -> None:
            self.message.emit(said(result))
            if isinstance(result, Program):
                self._select_after = result.id
            self.reload()

        def failed(error: Exception) -> None:
            if isinstance(error, ProgramError):  # a sentence for the user ("no longer exists")
                self.message.emit(str(error))
            else:
                task = failures.changing(self.tr("changing the programs"))
                self.message.emit(self.session.describe(error, task).message)
            self.reload()

        def finished() -> None:
            self._writing -= 1

        op = self.session.tasks.start(
            name,
            lambda _cancel, _progress: change(),
            pool="writer",
            on_success=while_alive(self, done),
            on_failure=while_alive(self, failed),
            on_finished=finished,
        )
        if op is not None:
            self._writing += 1

    def run_program(self) -> None:
        chosen = self.selected()
        if chosen is not None and not chosen.problem:
            self.run_requested.emit(chosen.id)
