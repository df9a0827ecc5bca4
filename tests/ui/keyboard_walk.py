"""Walk a window the way a keyboard and screen-reader user meets it.

Three checks, each returning what is wrong (empty: all is well) so a test can
show every problem of a window at once:

- :func:`unreachable_by_tab`: focusable controls that Tab never reaches from
  the first one (a table that keeps Tab for its cells traps the walk);
- :func:`unnamed_controls`: focusable controls whose accessible name (what a
  screen reader says, buddies and button texts included) is empty or only the
  control's current value;
- :func:`mouse_only_controls`: controls Tab skips that no key reaches either
  (a mnemonic, a shortcut, or a ``keyboard`` property saying which key does);
- :func:`labels_without_buddy`: a field's label ("Title:") that does not
  name its field for a screen reader nor jump to it;
- :func:`mnemonic_clashes`: an Alt+letter used by two visible controls, tab
  titles or menu titles of one window.
"""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QRadioButton,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

_MNEMONIC = re.compile(r"&([^&\s])")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def describe(widget: QWidget) -> str:
    """A widget as a failure message names it: class, object name, text."""
    text = ""
    if isinstance(widget, QAbstractButton):
        text = widget.text()
    return f"{type(widget).__name__}({widget.objectName() or '?'}{', ' + repr(text) if text else ''})"


def focusable_controls(window: QWidget) -> list[QWidget]:
    """What Tab should visit: shown, enabled controls that accept Tab focus.

    A widget whose focus goes to another (a spin box's line edit) is the other.
    """
    found: list[QWidget] = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisibleTo(window) or not widget.isEnabled():
            continue
        if widget.focusProxy() is not None:
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        found.append(widget)
    return found


def unreachable_by_tab(window: QWidget, presses: int = 300) -> list[str]:
    """Controls Tab never reaches, starting from the first control and pressing Tab ``presses`` times."""
    controls = focusable_controls(window)
    if not controls:
        return []
    window.activateWindow()
    controls[0].setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    seen: set[int] = set()
    for _ in range(presses):
        current = QApplication.focusWidget()
        if current is None:
            break
        seen.add(id(current))
        # Tab enters a group of radio buttons once; arrows move within it.
        seen.update(id(button) for button in _radio_group(current))
        QTest.keyClick(current, Qt.Key.Key_Tab)
    return [describe(w) for w in controls if id(w) not in seen]


def _radio_group(widget: QWidget) -> list[QWidget]:
    if not isinstance(widget, QRadioButton):
        return []
    group = widget.group()
    if group is not None:
        return list(group.buttons())
    parent = widget.parentWidget()
    if parent is None or not widget.autoExclusive():
        return []
    return [b for b in parent.findChildren(QRadioButton) if b.parentWidget() is parent and b.autoExclusive()]


def _has_key(widget: QWidget) -> bool:
    """Whether a key other than Tab reaches the control (the ``keyboard`` property names one)."""
    if widget.property("keyboard"):
        return True
    if isinstance(widget, QToolButton) and widget.defaultAction() is not None:
        action = widget.defaultAction()
        return not action.shortcut().isEmpty() or _mnemonic(action.text()) is not None
    if isinstance(widget, QAbstractButton):
        return not widget.shortcut().isEmpty() or _mnemonic(widget.text()) is not None
    return False


def mouse_only_controls(window: QWidget) -> list[str]:
    """Shown, enabled controls that Tab skips and no key reaches: only a mouse can use them."""
    kinds = (QAbstractButton, QComboBox, QAbstractSlider, QAbstractSpinBox, QLineEdit)
    problems = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or widget.window() is not window:
            continue
        if not widget.isVisibleTo(window) or not widget.isEnabled() or widget.focusProxy() is not None:
            continue
        if isinstance(widget, QScrollBar):
            continue  # the view it scrolls takes the keys
        if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox | QLineEdit | QAbstractItemView):
            continue  # a control's own parts (arrows, clear button, a table's corner)
        if any(b is not widget and b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in _radio_group(widget)):
            continue  # Tab enters the group, arrows choose within it
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus or _has_key(widget):
            continue
        problems.append(describe(widget))
    return problems


def _current_value(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractSlider):
        return str(widget.value())
    if isinstance(widget, QAbstractButton) and _COLOUR.fullmatch(widget.text().strip()):
        return widget.text()  # a colour button shows the colour it holds
    return ""


def accessible_name(widget: QWidget) -> str:
    """What a screen reader calls the control: its own accessible name, else its label, else Qt's guess.

    The label (a buddy) comes before Qt's guess because on Linux Qt names a combo box by its
    current text and announces the label through a relation.
    """
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget and label.text().strip():
            return label.text().replace("&&", "\0").replace("&", "").replace("\0", "&").strip()
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed_controls(window: QWidget) -> list[str]:
    """Focusable controls with no accessible name, or named only by their value."""
    problems = []
    for widget in focusable_controls(window):
        name = accessible_name(widget)
        value = _current_value(widget).strip()
        if not name:
            problems.append(f"{describe(widget)}: no accessible name")
        elif value and name == value:
            problems.append(f"{describe(widget)}: named only by its value {value!r}")
    return problems


def labels_without_buddy(window: QWidget) -> list[str]:
    """Shown labels that name a field (their text ends with a colon) without a buddy."""
    return [
        f"label {label.text()!r}"
        for label in window.findChildren(QLabel)
        if label.window() is window
        and label.isVisibleTo(window)
        and label.text().strip().endswith(":")
        and label.buddy() is None
    ]


def _mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def mnemonic_clashes(window: QWidget) -> list[str]:
    """Letters used by two of: visible buttons, buddied labels, group boxes, tab titles, menu titles."""
    users: dict[str, list[str]] = defaultdict(list)

    def add(text: str, what: str) -> None:
        letter = _mnemonic(text)
        if letter is not None:
            users[letter].append(what)

    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QAbstractButton):
            add(widget.text(), f"button {widget.text()!r}")
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), f"label {widget.text()!r}")
        elif isinstance(widget, QGroupBox):
            add(widget.title(), f"group {widget.title()!r}")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabVisible(index):
                    add(widget.tabText(index), f"tab {widget.tabText(index)!r}")
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible():
                add(action.text(), f"menu {action.text()!r}")
    return [f"Alt+{letter.upper()}: {', '.join(what)}" for letter, what in users.items() if len(what) > 1]


def menu_mnemonic_problems(menu: QMenu) -> list[str]:
    """Entries of a context menu (and its submenus) that no letter reaches, or whose letter another has."""
    found: list[str] = []
    users: dict[str, list[str]] = defaultdict(list)
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        text = action.text().split("\t")[0]
        letter = _mnemonic(text)
        if letter is None:
            found.append(f"no Alt letter: {text!r}")
        else:
            users[letter].append(repr(text))
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found += [f"{text!r} ▸ {problem}" for problem in menu_mnemonic_problems(submenu)]
    found += [f"{letter.upper()}: {', '.join(what)}" for letter, what in users.items() if len(what) > 1]
    return found
