"""What the audit log and the award history share: a long newest-first list read a page at a time.

Each read runs on the session's reader pool, counted so that :attr:`PagedLog.idle`
says when none is waiting or running (tests wait on it). Typing in a filter
waits for a pause, and changes come in bursts (a sync stores page after page),
so both are debounced before the list is read again; a change while the pane is
hidden reads it again when it is next shown. The "Load N more" button pages on,
disabled while a read runs.

A subclass says which changes concern it (:meth:`PagedLog.wants`), reads
(:meth:`PagedLog.reload`, :meth:`PagedLog.load_more`) through
:meth:`PagedLog.start_read`, and sets :attr:`PagedLog.total` when a count arrives.

GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QPushButton, QWidget

from desktop.domain import ChangeSet
from ui.operations import LatestOnly
from ui.session.app_session import AppSession
from ui.widgets.table_model import NewestFirstModel

#: Typing in a filter waits this long before the list is read again.
TYPING_DEBOUNCE_MS = 250
#: Changes come in bursts (a sync stores page after page): read once.
CHANGE_DEBOUNCE_MS = 400


class PagedLog(QWidget):
    """A pane whose table shows the newest rows of a long list and pages on to older ones."""

    #: The rows shown (the subclass makes it).
    model: NewestFirstModel

    def __init__(self, session: AppSession, parent: QWidget | None, *, page_size: int) -> None:
        super().__init__(parent)
        self.session = session
        self.page_size = page_size
        self._results = LatestOnly(self)
        #: Binds handlers to the newest reload: a page asked for before a reload is dropped.
        self._bind = self._results.begin()
        self._reading = 0
        #: How many rows match the filters shown (the last count read).
        self.total = 0
        #: Something changed while the pane was hidden: read again when shown.
        self._stale = True

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_DEBOUNCE_MS)
        self._typing.timeout.connect(self.reload)
        self._changes = QTimer(self)
        self._changes.setSingleShot(True)
        self._changes.setInterval(CHANGE_DEBOUNCE_MS)
        self._changes.timeout.connect(self.refresh)

        # Translated here, in the base's own context: self.tr would look the text up under each
        # subclass's name.
        self.more_button = QPushButton(QCoreApplication.translate("PagedLog", "Load more"))
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        session.changed.connect(self.on_changed)

    @property
    def idle(self) -> bool:
        """No read waiting or running (tests wait on this)."""
        return not self._typing.isActive() and not self._changes.isActive() and self._reading == 0

    # --- to be said by the subclass ------------------------------------------------------

    def wants(self, changes: ChangeSet) -> bool:
        """Whether ``changes`` may change the rows shown."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read the newest page again with the filters shown."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Read again after a change (the subclass may keep more of what is shown)."""
        self.reload()

    def load_more(self) -> None:
        """Append the next page of older rows."""
        raise NotImplementedError

    # --- reading --------------------------------------------------------------------------

    def on_changed(self, changes: ChangeSet) -> None:
        if not self.wants(changes):
            return
        if self.isVisible():
            self._changes.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def begin_reload(self) -> None:
        """A reload starts: pending debounced reads are dropped, and results of earlier reads."""
        self._typing.stop()
        self._changes.stop()
        self._stale = False
        self._bind = self._results.begin()

    def start_read(self, name: str, work: Any, **handlers: Any) -> None:
        """Start a read on the session's pool, counted for :attr:`idle`; handlers as ``tasks.start``."""
        if self.session.tasks.start(name, work, on_finished=self._read_finished, **handlers) is not None:
            self._reading += 1
            self.update_paging()

    def _read_finished(self) -> None:
        self._reading -= 1
        self.update_paging()

    @property
    def reading(self) -> bool:
        return self._reading > 0

    def update_paging(self) -> None:
        """The "Load N more" button: shown while rows are left, enabled while nothing is read."""
        left = self.total - self.model.rowCount()
        self.more_button.setVisible(left > 0)
        more = min(left, self.page_size)
        self.more_button.setText(QCoreApplication.translate("PagedLog", "Load %Ln more", "", more))
        self.more_button.setEnabled(self._reading == 0)
