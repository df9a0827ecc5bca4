"""The "?" overlay: every shortcut of a key map, by group, over the pane that binds them."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.shortcuts.keymap import ShortcutMap, ShortcutSpec


class ShortcutHelpOverlay(QWidget):
    """A translucent panel over ``parent`` listing every shortcut of a map, by group.

    Hidden until :meth:`toggle`; while shown it has the focus, swallows plain
    letters (so "A" does not approve behind it) and closes on Esc, "?", the key
    of ``toggle_id`` or a click, giving the focus back. GUI thread only.
    """

    #: More lines than this (shortcuts plus group headings) are shown in two columns.
    TWO_COLUMNS_AFTER = 14

    def __init__(self, shortcut_map: ShortcutMap, parent: QWidget, toggle_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutHelp")
        self._map = shortcut_map
        self._toggle_id = toggle_id
        self._return_focus: QWidget | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.panel = QFrame(self)
        self.panel.setObjectName("shortcutHelpPanel")
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel.setAutoFillBackground(True)
        self.panel.setBackgroundRole(QPalette.ColorRole.Window)
        self._panel_layout = QVBoxLayout(self.panel)
        self._panel_layout.setContentsMargins(20, 16, 20, 16)
        title = QLabel(self.tr("Keyboard shortcuts"))
        title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = QFont(title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title.setFont(title_font)
        hint = QLabel(self.tr("Esc or ? closes this help."))
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setEnabled(False)
        self._panel_layout.addWidget(title)
        self._columns: QWidget | None = None
        self._key_labels: dict[str, QLabel] = {}
        self._text_labels: dict[str, QLabel] = {}
        self._panel_layout.addWidget(hint)
        # In a scroll area: a pane shorter than the list (a small screen, the window's own strips)
        # scrolls it instead of squeezing its lines; a taller one shows it centred.
        holder = QWidget()
        centred = QGridLayout(holder)
        centred.addWidget(self.panel, 0, 0, Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("shortcutHelpScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(holder)
        # The dimmed pane shows through around the panel (paintEvent).
        self.scroll_area.viewport().setAutoFillBackground(False)
        holder.setAutoFillBackground(False)
        outer = QGridLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area, 0, 0)
        self.hide()
        self._rebuild()
        shortcut_map.changed.connect(self._rebuild)
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())

    def toggle(self) -> None:
        if self.isVisible():
            self.close_help()
        else:
            self.open_help()

    def open_help(self) -> None:
        focus = QApplication.focusWidget()
        self._return_focus = focus if focus is not None and focus is not self else None
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_help(self) -> None:
        had_focus = self.hasFocus()
        # Taken first: hiding moves the focus on, and focusOutEvent forgets it.
        previous, self._return_focus = self._return_focus, None
        self.hide()
        if had_focus and previous is not None and shiboken6.isValid(previous) and previous.isVisible():
            previous.setFocus(Qt.FocusReason.OtherFocusReason)

    def entries(self) -> list[tuple[str, str, str]]:
        """What the panel shows: (group, key text, label) per shortcut, as displayed."""
        return [
            (spec.group_title, self._key_labels[spec.id].text(), self._text_labels[spec.id].text())
            for spec in self._map.specs()
        ]

    @Slot()
    def _rebuild(self) -> None:
        groups: dict[str, list[ShortcutSpec]] = {}
        for spec in self._map.specs():
            groups.setdefault(spec.group, []).append(spec)
        lines = sum(len(specs) + 1 for specs in groups.values())
        # Whole groups per column, the first column filled to about half.
        columns: list[list[str]] = [[]]
        filled = 0
        for group, specs in groups.items():
            if lines > self.TWO_COLUMNS_AFTER and len(columns) == 1 and filled and filled >= lines / 2:
                columns.append([])
            columns[-1].append(group)
            filled += len(specs) + 1

        if self._columns is not None:
            self._panel_layout.removeWidget(self._columns)
            self._columns.hide()
            self._columns.deleteLater()
        self._key_labels = {}
        self._text_labels = {}
        self._columns = QWidget(self.panel)
        row_layout = QHBoxLayout(self._columns)
        row_layout.setContentsMargins(0, 8, 0, 8)
        row_layout.setSpacing(32)
        for column in columns:
            grid = QGridLayout()
            grid.setHorizontalSpacing(16)
            row = 0
            for group in column:
                heading = self._label(groups[group][0].group_title)
                heading_font = QFont(heading.font())
                heading_font.setBold(True)
                heading.setFont(heading_font)
                grid.addWidget(heading, row, 0, 1, 2)
                row += 1
                for spec in groups[group]:
                    key = self._label(self._map.text(spec.id) or "—")
                    key.setObjectName(f"key:{spec.id}")
                    key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    label = self._label(spec.title)
                    label.setObjectName(f"label:{spec.id}")
                    self._key_labels[spec.id] = key
                    self._text_labels[spec.id] = label
                    grid.addWidget(key, row, 0)
                    grid.addWidget(label, row, 1)
                    row += 1
            grid.setRowStretch(row, 1)
            row_layout.addLayout(grid)
        self._panel_layout.insertWidget(1, self._columns)

    def _label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            assert isinstance(watched, QWidget)
            self.setGeometry(watched.rect())
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            plain = not event.modifiers() & ~(
                Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
            )
            if self._closes(event) or (plain and event.text().isprintable() and event.text()):
                # Claimed here: the key comes to keyPressEvent instead of triggering a shortcut.
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._closes(event):
            self.close_help()
        event.accept()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # Tabbing or clicking away closes the help; a window losing activation does not.
        if event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.MouseFocusReason,
        ):
            self._return_focus = None
            self.hide()
        super().focusOutEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.close_help()
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 110))

    def _closes(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Question) or event.text() == "?":
            return True
        if self._toggle_id is None:
            return False
        toggle = self._map.key(self._toggle_id)
        return not toggle.isEmpty() and toggle == QKeySequence(event.keyCombination())
