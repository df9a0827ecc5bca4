"""A one-line label that gives way on a small screen: its text elided (…), the whole of it in the tooltip.

For a line whose end can be spared when room is short (a badge's title over a
card, a file's path, a status line); a label the user must read whole wraps
instead. The label's text stays whole (``text()``), only its drawing is
elided, so what reads the label (tests, screen readers) reads all of it.

GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ui.widgets.text import plain_tooltip

#: The least room the label asks for, in average characters (then it elides).
MINIMUM_CHARACTERS = 6


class ElidedLabel(QLabel):
    """A plain-text, one-line label that elides where it is narrower than its text."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._mode = mode
        #: A tooltip of the label's own, shown when its text is not elided.
        self._own_tooltip = ""
        self._elided = False
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._follow_room()

    def setToolTip(self, tooltip: str) -> None:
        self._own_tooltip = tooltip
        self._show_tooltip()

    def is_elided(self) -> bool:
        """Whether the text is drawn shortened now."""
        return self._elided

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        width = metrics.averageCharWidth() * MINIMUM_CHARACTERS + margins.left() + margins.right()
        return QSize(min(width, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._follow_room()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ContentsRectChange):
            self._follow_room()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._elided:
            super().paintEvent(event)
            return
        room = self._room()
        shown = self.fontMetrics().elidedText(self.text(), self._mode, room.width())
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            room,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )
        painter.end()

    def _room(self) -> QRect:
        room = self.contentsRect()
        margin = self.margin()
        return room.adjusted(margin, margin, -margin, -margin)

    def _follow_room(self) -> None:
        lines = self.text().splitlines() or [""]
        need = max(self.fontMetrics().horizontalAdvance(line) for line in lines)
        elided = need > self._room().width()
        if elided != self._elided:
            self._elided = elided
            self.update()
        self._show_tooltip()

    def _show_tooltip(self) -> None:
        tooltip = plain_tooltip(self.text()) if self._elided else self._own_tooltip
        if tooltip != super().toolTip():
            super().setToolTip(tooltip)
