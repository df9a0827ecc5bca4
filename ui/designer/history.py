"""One undo history for the whole designer, text fields included.

Text fields keep Ctrl+Z for their own undo; here the Undo / Redo keys are
passed on to the window's actions instead, and leaving a field ends its typing
as one undo step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget


class HistoryKeys(QObject):
    """An event filter on the designer's editable fields. GUI thread only.

    The document's history covers the text fields too (typing in one field is
    one step), so one Ctrl+Z means the same everywhere in the designer.
    """

    def __init__(
        self, parent: QObject, actions: Sequence[QAction], end_text_gesture: Callable[[], None]
    ) -> None:
        super().__init__(parent)
        self._actions = actions
        self._end_text_gesture = end_text_gesture

    def watch(self, window: QWidget, *, unless: QWidget) -> None:
        """Filter every editable field of ``window`` except ``unless`` (which keeps its own Ctrl+Z)."""
        for widget in window.findChildren(QWidget):
            editable = isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox | QComboBox)
            if editable and widget is not unless:
                widget.installEventFilter(self)

    def is_history_key(self, event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination())
        return any(pressed == shortcut for action in self._actions for shortcut in action.shortcuts())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self.is_history_key(event):
                # Not accepted: the key goes to the window's Undo / Redo shortcut.
                event.ignore()
                return True
        elif event.type() == QEvent.Type.FocusOut:
            self._end_text_gesture()
        return False
