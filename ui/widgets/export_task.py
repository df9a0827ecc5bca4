"""One file export at a time behind its button, like the audit log's export.

While the export runs the button reads "Cancel export" and cancels it; the
status bar hears where it is ("Exporting members… 4,000 of 20,000") and how it
ended; a cancelled export writes no file (the exporters write a ``.part`` file
and move it into place only when complete).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton, QWidget

from desktop import failures
from ui.operations import Operation, Work, while_alive
from ui.session.app_session import AppSession


class ExportTask:
    """Runs exports for ``owner`` on the session's workers; GUI thread only.

    ``what`` names what is exported ("members") in the messages, translated by the
    caller ("An export of {what} is already running.").
    """

    def __init__(
        self, owner: QWidget, session: AppSession, button: QPushButton, what: str, tell: Callable[[str], None]
    ) -> None:
        self.owner = owner
        self.session = session
        self.button = button
        #: What is exported, for messages: "members", "batch results".
        self.what = what
        self.tell = tell
        self.operation: Operation | None = None
        #: Called when an export ends, however (views set what their button may do then).
        self.ended: Callable[[], None] = lambda: None
        self._idle_text = button.text()
        self._idle_tip = button.toolTip()

    @property
    def running(self) -> bool:
        return self.operation is not None

    def cancel(self) -> None:
        if self.operation is not None:
            self.operation.cancel()

    def start(
        self, path: Path, work: Work, *, progress_text: Callable[[Any], str], done_text: Callable[[int], str]
    ) -> bool:
        """Run ``work`` (it writes ``path``); False when another export of this kind still runs."""
        if self.operation is not None:
            self.tell(
                QCoreApplication.translate("ExportTask", "An export of {what} is already running.").format(
                    what=self.what
                )
            )
            return False
        owner = self.owner
        cancelled_text = QCoreApplication.translate("ExportTask", "Export cancelled; no file was written.")
        cancelled = while_alive(owner, lambda _: self.tell(cancelled_text))
        finished = while_alive(owner, lambda _: self._set_running(None))
        op = self.session.tasks.start(
            f"export {self.what}",
            work,
            on_success=while_alive(owner, lambda count: self.tell(done_text(count))),
            on_failure=while_alive(owner, self._failed),
            on_progress=while_alive(owner, lambda p: self.tell(self._progress(progress_text(p)))),
            on_cancel=lambda: cancelled(None),
            on_finished=lambda: finished(None),
        )
        if op is None:
            return False
        self._set_running(op)
        self.tell(
            QCoreApplication.translate("ExportTask", "Exporting {what} to {path}…").format(
                what=self.what, path=path
            )
        )
        return True

    def _progress(self, where: str) -> str:
        return QCoreApplication.translate("ExportTask", "Exporting {what}… {progress}").format(
            what=self.what, progress=where
        )

    def _failed(self, error: Exception) -> None:
        self.tell(self.session.describe(error, failures.file_task("export")).message)

    def _set_running(self, op: Operation | None) -> None:
        self.operation = op
        if op is None:
            self.button.setText(self._idle_text)
            self.button.setToolTip(self._idle_tip)
            self.ended()
        else:
            self.button.setEnabled(True)
            self.button.setText(QCoreApplication.translate("ExportTask", "Cancel export"))
            self.button.setToolTip(
                QCoreApplication.translate("ExportTask", "Stop the export; no file is written")
            )
