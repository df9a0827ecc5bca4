"""The due programs strip: above the panes, the programs whose period has ended and not been run.

After the app opens a community, and after each sync, the programs due on the
user's day are read off the GUI thread (:meth:`desktop.programs.store.ProgramStore.due`).
If any, a strip says so ("2 programs are due: Top contributor (2026-W49), Ten Year
Club (2026-11)") with a button per program that opens its run dialog, which makes
the dry run at once. *Dismiss* puts the strip away until a program falls due that
was not shown; ``Ctrl+Shift+D`` moves the keyboard to its first button.

GUI thread only.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QMenu, QPushButton, QWidget

from desktop.domain import utc_now
from desktop.failure_logs import log_failure
from desktop.programs.periods import today_in
from desktop.programs.store import DueProgram, ProgramStore
from ui.operations import LatestOnly
from ui.programs.run_dialog import ProgramRunDialog, open_run_dialog
from ui.programs.run_reading import user_zone
from ui.session.app_session import AppSession
from ui.widgets.text import plain_label

log = logging.getLogger(__name__)

#: The key that moves the keyboard to the strip's first program.
FOCUS_KEY = "Ctrl+Shift+D"
#: Programs with a button of their own; the others are in the "More" button's menu.
BUTTONS = 4


def due_text(due: list[DueProgram]) -> str:
    """ "2 programs are due: Top contributor (2026-W49), Ten Year Club (2026-11)"."""
    shown = [
        QCoreApplication.translate("DueProgramsStrip", "{program} ({period})").format(
            program=d.program.name, period=d.period.key
        )
        for d in due
    ]
    count = len(due)  # lupdate skips a count computed inside the call
    return QCoreApplication.translate(
        "DueProgramsStrip", "%n program(s) (is|are) due: {programs}", "", count
    ).format(programs=", ".join(shown))


class DueProgramsStrip(QDockWidget):
    """The strip; it reads the due programs itself (at once, and after each sync)."""

    #: A run dialog was opened from the strip.
    dialog_opened = Signal(object)

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("duePrograms")
        self.setWindowTitle(self.tr("Due programs"))
        # No title bar (its buttons are for the mouse only): Dismiss puts it away.
        self.setTitleBarWidget(QWidget())
        self.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        body = QWidget()
        self.row = QHBoxLayout(body)
        self.row.setContentsMargins(8, 4, 8, 4)
        self.text = plain_label(name="dueProgramsText", wrap=True)
        self.row.addWidget(self.text, 1)
        self.buttons: list[QPushButton] = []
        self.more_button = QPushButton(self.tr("More…"))
        self.more_button.setObjectName("dueProgramsMore")
        self.more_button.setToolTip(self.tr("The other due programs"))
        self.more_menu = QMenu(self.more_button)
        self.more_button.setMenu(self.more_menu)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setObjectName("dueProgramsDismiss")
        self.dismiss_button.setToolTip(
            self.tr("Put this away until another program is due (the programs stay due)")
        )
        self.dismiss_button.clicked.connect(self.dismiss)
        self.row.addWidget(self.more_button)
        self.row.addWidget(self.dismiss_button)
        self.setWidget(body)
        self.hide()
        self.due: list[DueProgram] = []
        #: (program, period) the user put away: they do not bring the strip back.
        self._dismissed: set[tuple[int, str]] = set()
        self._latest = LatestOnly(self)
        QShortcut(QKeySequence(FOCUS_KEY), self.parentWidget() or self, self.focus_first)
        session.sync_finished.connect(lambda _result: self.check())
        self.check()

    def check(self) -> None:
        """Read the due programs again (in the background) and show them."""
        cache = self.session.community.cache
        today = today_in(user_zone(), utc_now())
        self.session.tasks.start(
            "due programs",
            lambda _c, _p: ProgramStore(cache).due(today),
            on_success=self._latest.next(self._got),
            on_failure=lambda error: log_failure(log, "Due programs not read", error, level=logging.INFO),
        )

    def _got(self, due: list[DueProgram]) -> None:
        self.due = due
        fresh = [d for d in due if (d.program.id, d.period.key) not in self._dismissed]
        if not fresh:
            self.hide()
            return
        self.text.setText(due_text(due))
        for button in self.buttons:
            self.row.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        self.more_menu.clear()
        for number, entry in enumerate(due):
            label = self.tr("Run {program} ({period})…").format(
                program=entry.program.name, period=entry.period.key
            )
            if number < BUTTONS:
                button = QPushButton(label)
                button.setObjectName(f"dueProgram{number}")
                button.setToolTip(self.tr("Its dry run, for the period that ended"))
                button.clicked.connect(lambda _checked=False, e=entry: self.run(e))
                self.row.insertWidget(1 + number, button)
                self.buttons.append(button)
            else:
                action = self.more_menu.addAction(label)
                action.triggered.connect(lambda _checked=False, e=entry: self.run(e))
        self.more_button.setVisible(len(due) > BUTTONS)
        self.show()

    def run(self, entry: DueProgram) -> None:
        """Open the program's run dialog for its due period (it reads the dry run at once)."""
        open_run_dialog(self.parentWidget(), self.session, entry.program.id, entry.period, self._opened)

    def _opened(self, dialog: ProgramRunDialog) -> None:
        # A run recorded (queued or nothing new): the program is no longer due.
        dialog.queued.connect(lambda _run: self.check())
        self.dialog_opened.emit(dialog)

    def dismiss(self) -> None:
        self._dismissed |= {(d.program.id, d.period.key) for d in self.due}
        self.hide()

    def focus_first(self) -> None:
        if self.isVisible() and self.buttons:
            self.buttons[0].setFocus(Qt.FocusReason.ShortcutFocusReason)
