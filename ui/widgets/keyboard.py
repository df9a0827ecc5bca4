"""Keyboard conventions every view shares (issue 19): Tab always moves on, Esc closes a window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def no_tab_trap(view: QAbstractItemView) -> QAbstractItemView:
    """Tab and Shift+Tab leave the view instead of walking its cells (arrows still move within)."""
    view.setTabKeyNavigation(False)
    return view


class EscapeToWindow(QObject):
    """Lets Esc in a text field reach the window's own Esc shortcut (text fields claim it)."""

    @classmethod
    def install(cls, window: QWidget) -> EscapeToWindow:
        """Filter every text field of ``window`` (those there now)."""
        watcher = cls(window)
        for widget in window.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
                widget.installEventFilter(watcher)
        return watcher

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            # Not accepted: the key goes on to the window's shortcut.
            event.ignore()
            return True
        return False
