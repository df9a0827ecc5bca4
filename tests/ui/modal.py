"""Read a dialog that runs its own event loop (``exec()``, QInputDialog.getText, …), then cancel it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog


def inspect_modal(opener: Callable[[], object], inspect: Callable[[QDialog], None]) -> None:
    """Call ``opener``; when its dialog is up, ``inspect`` it and cancel it. Fails if none opened."""
    seen: list[QDialog] = []

    def inspect_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(20, inspect_and_cancel)
            return
        seen.append(dialog)
        try:
            inspect(dialog)
        finally:
            dialog.reject()

    QTimer.singleShot(20, inspect_and_cancel)
    opener()
    assert seen, "no dialog opened"
