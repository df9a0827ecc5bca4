"""Read a window under the pseudo-translation: what is still English, what no longer fits.

Under ``--language pseudo`` every message of the views' template (and the core's
gettext messages) shows bracketed and 30 % longer: ``[Åpplý~~]``. What a window
still shows outside brackets was never wrapped, or wrapped where lupdate cannot
read it, so a real translation would leave it English too. The user's own data
(a member's name) is not ours to translate: widgets that show it are marked with
:func:`ui.i18n.shows_data`; numbers and punctuation pass.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)

from desktop.i18n import PSEUDO_CLOSE, PSEUDO_OPEN
from ui.i18n import DATA_PROPERTY, OUR_CHOICES_PROPERTY, SHOWS_DATA_ROLE

_BRACKETED = re.compile(
    re.escape(PSEUDO_OPEN) + r"[^" + re.escape(PSEUDO_OPEN + PSEUDO_CLOSE) + r"]*" + re.escape(PSEUDO_CLOSE)
)
# Markup, a template's {fields}, colours as values (#2F6FDB) and addresses are not words.
_MARKUP = re.compile(r"<[^<>]*>|&[a-z]+;|&#\d+;|\{\w+\}|#[0-9A-Fa-f]{6}\b|https?://\S+")
_WORD = re.compile(r"[A-Za-z]{2,}")
#: Names that stay as they are in every language.
PROPER_NAMES = (
    "BadgeDesk Community API",
    "BadgeDesk",
    "Discourse",
    "CSV",
    "PNG",
    "SVG",
    "URL",
    "API",
    "HTTP",
    "HTTPS",
    "Qt",
    "PySide6",
    "PySide",
    "CPython",
    "Python",
)


def english_left(text: str) -> str:
    """What of ``text`` is outside every pseudo-translated part: words there are untranslated."""
    plain = _MARKUP.sub(" ", text)
    while True:
        reduced = _BRACKETED.sub(" ", plain)
        if reduced == plain:
            break
        plain = reduced
    for name in PROPER_NAMES:
        plain = plain.replace(name, " ")
    return " ".join(_WORD.findall(plain))


def _is_data(widget: QWidget) -> bool:
    """Marked by :func:`ui.i18n.shows_data`, itself or a container it is in (a combo: its choices)."""
    current: QWidget | None = widget.parentWidget() if isinstance(widget, QComboBox) else widget
    while current is not None:
        if current.property(DATA_PROPERTY):
            return True
        current = current.parentWidget()
    return False


def _texts_of(widget: QWidget) -> list[tuple[str, str]]:
    """(what, text) pairs a user reads on ``widget`` itself."""
    found: list[tuple[str, str]] = []
    if widget.isWindow():
        found.append(("window title", widget.windowTitle()))
    found.append(("tooltip", widget.toolTip()))
    found.append(("accessible name", widget.accessibleName()))
    found.append(("accessible description", widget.accessibleDescription()))
    if isinstance(widget, QLabel):
        found.append(("label", widget.text()))
    elif isinstance(widget, QAbstractButton):
        found.append(("button", widget.text()))
    elif isinstance(widget, QGroupBox):
        found.append(("group title", widget.title()))
    elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        found.append(("placeholder", widget.placeholderText()))
    elif isinstance(widget, QTabWidget):
        found += [("tab", widget.tabText(index)) for index in range(widget.count())]
        found += [("tab tooltip", widget.tabToolTip(index)) for index in range(widget.count())]
    elif isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
        model = widget.model()
        header = Qt.Orientation.Horizontal
        found += [
            ("column header", str(model.headerData(column, header, Qt.ItemDataRole.DisplayRole) or ""))
            for column in range(model.columnCount(QModelIndex()))
            if not model.headerData(column, header, SHOWS_DATA_ROLE)  # a badge's name, as a column
        ]
    elif isinstance(widget, QComboBox):
        # A combo of the user's data (badge names, categories) has our text only in its first
        # choices ("All categories"), if any.
        choices = widget.property(OUR_CHOICES_PROPERTY) if widget.property(DATA_PROPERTY) else widget.count()
        found += [("choice", widget.itemText(index)) for index in range(min(choices, widget.count()))]
    if isinstance(widget, QSpinBox):
        found += [("suffix", widget.suffix()), ("prefix", widget.prefix())]
    if isinstance(widget, QAbstractSpinBox):
        found.append(("special value", widget.specialValueText()))
    return found


def _actions_of(window: QWidget) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    menus: list[QMenu] = []
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            found.append(("menu", action.text()))
            if action.menu() is not None:
                menus.append(action.menu())  # type: ignore[arg-type]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            if action.isSeparator():
                continue
            found += [("menu entry", action.text()), ("status tip", action.statusTip())]
            if action.menu() is not None:
                menus.append(action.menu())  # type: ignore[arg-type]
    for action in window.findChildren(QAction):
        found += [("action", action.text()), ("action tooltip", action.toolTip())]
    return found


def untranslated(window: QWidget) -> list[str]:
    """Every text ``window`` shows (visible widgets, its menus and actions) with English left in it."""
    problems: list[str] = []
    widgets = [window, *window.findChildren(QWidget)]
    pairs: list[tuple[str, str, QWidget]] = []
    for widget in widgets:
        if not widget.isVisibleTo(window) and widget is not window:
            continue
        if _is_data(widget):
            continue
        pairs += [(what, text, widget) for what, text in _texts_of(widget)]
    pairs += [(what, text, window) for what, text in _actions_of(window)]
    seen: set[tuple[str, str]] = set()
    for what, text, widget in pairs:
        left = english_left(text)
        if left and (what, text) not in seen:
            seen.add((what, text))
            problems.append(f"{what} of {type(widget).__name__}({widget.objectName() or '?'}): {text!r}")
    return problems


def _shown(text: str) -> str:
    """A button's or label's text as drawn: mnemonic marks gone, ``&&`` one ampersand."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def clipped(window: QWidget) -> list[str]:
    """Buttons and one-line labels narrower than their text (a longer language would be cut)."""
    problems: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QAbstractButton):
            room = widget.width() - (widget.iconSize().width() if not widget.icon().isNull() else 0)
        elif (
            isinstance(widget, QLabel)
            and not widget.wordWrap()
            and widget.textFormat() != Qt.TextFormat.RichText
        ):
            if "<" in widget.text():  # markup: its drawn width is not the text's
                continue
            room = widget.contentsRect().width()
        else:
            continue
        lines = _shown(widget.text()).splitlines() or [""]
        need = max(widget.fontMetrics().horizontalAdvance(line) for line in lines)
        if need and room < need:
            problems.append(f"{type(widget).__name__} {widget.text()!r} shows {room} of its {need} px")
    return problems
