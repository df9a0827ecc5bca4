"""Lay a window out as on a real screen and list what does not fit (issue 17, "Fit on real screens").

The offscreen platform has one 800×800 screen; a window is instead given the
room a real screen leaves: the main window fills it (maximised), a dialog keeps
its own size where that fits and is clamped to the screen where it does not, as
a window manager would. What a user could not read or reach is then a problem:

- the window needs more than the screen (its minimum size is larger);
- a widget sticks out of its parent (or off the screen), except the content of
  a scroll area, which scrolls;
- a scroll area that never scrolls sideways holds content wider than itself;
- a label, button or check box is narrower (or lower) than its text needs, its
  ``minimumSizeHint``; a wrapped label is lower than its lines need. An
  :class:`~ui.widgets.elided_label.ElidedLabel` may be narrower: it elides and
  puts the whole text in its tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QWidget,
)

from ui.i18n import DATA_PROPERTY
from ui.widgets.elided_label import ElidedLabel

#: The room a 1366×768 laptop leaves a window (less a 28 px panel), and a 1024×700 one.
SCREENS = {"1366": QSize(1366, 740), "1024": QSize(1024, 700)}


def place_on_screen(window: QWidget, screen: QSize) -> None:
    """Size ``window`` as on a screen with ``screen`` available: a main window maximised, a dialog clamped."""
    if isinstance(window, QMainWindow):
        window.resize(screen)
    else:
        window.resize(window.size().boundedTo(screen))
    window.move(0, 0)
    QApplication.processEvents()  # the layouts follow the new size


def _describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QLabel, QAbstractButton)):
        text = widget.text()
    elif isinstance(widget, QGroupBox):
        text = widget.title()
    name = widget.objectName() or widget.accessibleName() or "?"
    return f"{type(widget).__name__}({name}, {text[:40]!r})" if text else f"{type(widget).__name__}({name})"


def _in_scrolled_content(widget: QWidget) -> bool:
    """The widget is what a scroll area (or an item view) scrolls: it may be larger than its viewport."""
    parent = widget.parentWidget()
    holder = parent.parentWidget() if parent is not None else None
    return isinstance(holder, QAbstractScrollArea) and holder.viewport() is parent


def _shown_at(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _text_cut(widget: QWidget) -> str | None:
    """How the widget's text is cut, or None where it fits."""
    if isinstance(widget, ElidedLabel):
        return None  # elides, with the whole text in its tooltip
    size, hint = widget.size(), widget.minimumSizeHint()
    if isinstance(widget, QLabel):
        if not widget.text():
            return None
        if widget.wordWrap():
            need = widget.heightForWidth(widget.width())
            return f"{size.height()} px high, its lines need {need}" if size.height() < need else None
    elif isinstance(widget, QPushButton):
        if not widget.text():
            return None
        # Its hint is at least the style's least button width (80 px): a "?" button may be narrower.
        lines = _shown(widget.text()).splitlines() or [""]
        text = max(widget.fontMetrics().horizontalAdvance(line) for line in lines)
        icon = widget.iconSize().width() + 4 if not widget.icon().isNull() else 0
        margin = widget.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, widget)
        hint = QSize(min(hint.width(), text + icon + margin), hint.height())
    elif isinstance(widget, QAbstractButton):
        if not widget.text():
            return None  # an icon only (a line edit's clear button)
    elif isinstance(widget, QLineEdit):
        return _placeholder_cut(widget)
    elif isinstance(widget, QComboBox):
        return _choice_cut(widget)
    elif not isinstance(widget, QGroupBox):
        return None
    if size.width() < hint.width() or size.height() < hint.height():
        return f"{size.width()}×{size.height()} px, its text needs {hint.width()}×{hint.height()}"
    return None


def _placeholder_cut(edit: QLineEdit) -> str | None:
    """An empty field's placeholder (what to type there) cut short."""
    if edit.text() or not edit.placeholderText() or not edit.isEnabled():
        return None
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    width = room.width() - margins.left() - margins.right() - 4  # the text's own margin (2 px a side)
    if edit.isClearButtonEnabled():
        width -= edit.height()  # the clear button's place, kept even while it is hidden
    need = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    return f"its placeholder shows {max(width, 0)} of its {need} px" if width < need else None


def _choice_cut(combo: QComboBox) -> str | None:
    """A combo box's current choice cut short (not the user's own data: a long badge title may be)."""
    if combo.isEditable() or not combo.currentText() or _shows_data(combo):
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    room = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    icon = combo.iconSize().width() + 4 if not combo.itemIcon(combo.currentIndex()).isNull() else 0
    need = combo.fontMetrics().horizontalAdvance(combo.currentText()) + icon
    return f"its choice shows {room.width()} of its {need} px" if room.width() < need else None


def _shows_data(widget: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if current.property(DATA_PROPERTY):
            return True
        current = current.parentWidget()
    return False


def _shown(text: str) -> str:
    """A button's text as drawn: mnemonic marks gone, ``&&`` one ampersand."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def unfit(window: QWidget, screen: QSize) -> list[str]:
    """What of ``window`` (placed by :func:`place_on_screen`) cannot be read or reached on ``screen``."""
    problems: list[str] = []
    if window.width() > screen.width() or window.height() > screen.height():
        need = window.minimumSize().expandedTo(window.minimumSizeHint())
        problems.append(
            f"the window is {window.width()}×{window.height()}"
            f" (needs at least {need.width()}×{need.height()}),"
            f" more than the {screen.width()}×{screen.height()} screen"
        )
    on_screen = QRect(QPoint(0, 0), screen)
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        parent = widget.parentWidget()
        assert parent is not None
        if not _in_scrolled_content(widget):
            if not parent.rect().contains(widget.geometry()):
                problems.append(f"{_describe(widget)} sticks out of its parent {_describe(parent)}")
            elif not on_screen.contains(_shown_at(widget, window)) and (
                parent is window or on_screen.contains(_shown_at(parent, window))
            ):  # said once, for the outermost widget off the screen
                problems.append(f"{_describe(widget)} is off the screen")
        content = widget.widget() if isinstance(widget, QScrollArea) else None
        if (
            isinstance(widget, QScrollArea)
            and content is not None
            and widget.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            and content.width() > widget.viewport().width()
        ):
            problems.append(f"{_describe(widget)} cuts its content's right side (it never scrolls sideways)")
        cut = _text_cut(widget)
        if cut is not None:
            problems.append(f"{_describe(widget)} is cut: {cut}")
    return problems
