"""Rebindable keyboard shortcuts: the bindings, a help overlay and a settings dialog.

A pane declares its shortcuts as :class:`ShortcutSpec` s, the app keeps one
:class:`ShortcutMap` built from every spec and the user's rebindings
(``Settings.shortcuts``), and each pane binds its ``QAction`` s to ids with
:meth:`ShortcutMap.bind` or :meth:`ShortcutMap.shortcut_for`; a rebinding in
:class:`ShortcutSettingsDialog` reaches every bound action at once.

Letters and text fields: single-letter shortcuts ("A", "Shift+A", "?") do not
steal keys from a text field that has focus, with no code here. Before a key
becomes a shortcut Qt offers it to the focus widget as a ``ShortcutOverride``
event, and QLineEdit, QPlainTextEdit, QTextEdit, spin boxes and
QKeySequenceEdit claim every printable key typed without Ctrl, Alt or Meta. So
a pane may hold a filter box or a reason field next to its table: while it has
focus, "a" types an "a"; elsewhere in the pane it approves. (Ctrl+… shortcuts
still fire from a text field, except those the field uses itself, such as
Ctrl+C.) Dialogs are separate windows, which a ``WidgetWithChildrenShortcut``
on a pane never reaches anyway.

Two actions bound to the same key in the same window and context trigger
neither (Qt emits ``activatedAmbiguously``); :meth:`ShortcutMap.conflicts`
finds such bindings and the dialog refuses to save them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QKeyCombination, QObject, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
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
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

PORTABLE = QKeySequence.SequenceFormat.PortableText
NATIVE = QKeySequence.SequenceFormat.NativeText

#: Shortcuts of this group clash with those of every other group. Other groups are scopes: the
#: actions of two groups live on different panes (``WidgetWithChildrenShortcut``), so they may
#: share a key.
GLOBAL_GROUP = "Global"


@dataclass(frozen=True, slots=True)
class ShortcutSpec:
    """One rebindable command.

    ``default`` is portable key text (``QKeySequence.SequenceFormat.PortableText``):
    "A", "Shift+A", "Ctrl+B", "?"; "" means unbound by default.
    """

    id: str
    label: str
    default: str
    group: str


REVIEW_GROUP = "Review queue"

#: The Review queue pane's commands.
REVIEW_SHORTCUTS: tuple[ShortcutSpec, ...] = (
    ShortcutSpec("review.approve", "Approve", "A", REVIEW_GROUP),
    ShortcutSpec("review.deny", "Deny", "D", REVIEW_GROUP),
    ShortcutSpec("review.return", "Return to the member", "R", REVIEW_GROUP),
    ShortcutSpec("review.skip", "Skip", "S", REVIEW_GROUP),
    ShortcutSpec("review.undo", "Undo the last decision", "U", REVIEW_GROUP),
    ShortcutSpec("review.next", "Next request", "J", REVIEW_GROUP),
    ShortcutSpec("review.previous", "Previous request", "K", REVIEW_GROUP),
    ShortcutSpec("review.bulk_approve", "Approve the selection", "Shift+A", REVIEW_GROUP),
    ShortcutSpec("review.bulk_deny", "Deny the selection", "Shift+D", REVIEW_GROUP),
    ShortcutSpec("review.help", "Show or hide the shortcuts", "?", REVIEW_GROUP),
)


def parse_key(text: str) -> QKeySequence | None:
    """Portable key text as a sequence; "" is the empty (unbound) sequence, None: not a key."""
    sequence = QKeySequence.fromString(text, PORTABLE)
    if text.strip() and sequence.isEmpty():
        return None
    if any(chord.key() == Qt.Key.Key_unknown for chord in _chords(sequence)):
        return None
    return sequence


def _chords(sequence: QKeySequence) -> list[QKeyCombination]:
    # The stubs lack QKeySequence.__getitem__.
    return [sequence[i] for i in range(sequence.count())]  # type: ignore[index]


def find_conflicts(
    specs: Iterable[ShortcutSpec], keys: Mapping[str, QKeySequence]
) -> list[tuple[str, str, QKeySequence]]:
    """Pairs of ids bound to the same non-empty key, in spec order.

    Two ids clash when they share a group, or when either is in :data:`GLOBAL_GROUP`.
    """
    specs = list(specs)
    by_key: dict[str, list[ShortcutSpec]] = {}
    for spec in specs:
        key = keys.get(spec.id, QKeySequence())
        if not key.isEmpty():
            by_key.setdefault(key.toString(PORTABLE), []).append(spec)
    conflicts: list[tuple[str, str, QKeySequence]] = []
    for text, bound in by_key.items():
        for i, first in enumerate(bound):
            for second in bound[i + 1 :]:
                if first.group == second.group or GLOBAL_GROUP in (first.group, second.group):
                    conflicts.append((first.id, second.id, QKeySequence.fromString(text, PORTABLE)))
    order = {spec.id: n for n, spec in enumerate(specs)}
    conflicts.sort(key=lambda c: (order[c[0]], order[c[1]]))
    return conflicts


class ShortcutMap(QObject):
    """The current key of every shortcut id: defaults plus the user's rebindings.

    GUI thread only. ``changed`` is emitted after any binding changed.
    """

    changed = Signal()

    def __init__(
        self,
        specs: Sequence[ShortcutSpec],
        overrides: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._specs: dict[str, ShortcutSpec] = {}
        self._defaults: dict[str, QKeySequence] = {}
        for spec in specs:
            default = parse_key(spec.default)
            if spec.id in self._specs:
                raise ValueError(f"shortcut id {spec.id!r} is declared twice")
            if default is None:
                raise ValueError(f"shortcut {spec.id!r} has an unreadable default key {spec.default!r}")
            self._specs[spec.id] = spec
            self._defaults[spec.id] = default
        self._keys: dict[str, QKeySequence] = dict(self._defaults)
        for id_, text in (overrides or {}).items():
            # Settings come from a file a newer (or older) BadgeDesk wrote: skip what we cannot use.
            if id_ not in self._specs:
                log.warning("Ignoring the key for unknown shortcut %r", id_)
                continue
            key = parse_key(text) if isinstance(text, str) else None
            if key is None:
                log.warning("Ignoring the unreadable key %r for shortcut %r", text, id_)
                continue
            self._keys[id_] = key

    def specs(self) -> list[ShortcutSpec]:
        return list(self._specs.values())

    def spec(self, id_: str) -> ShortcutSpec:
        return self._specs[id_]

    def key(self, id_: str) -> QKeySequence:
        """The current key; empty when unbound. Raises KeyError for an unknown id."""
        return QKeySequence(self._keys[id_])

    def default_key(self, id_: str) -> QKeySequence:
        return QKeySequence(self._defaults[id_])

    def text(self, id_: str) -> str:
        """The current key as the platform shows it ("Shift+A"; "⇧A" on macOS); "" when unbound."""
        return self._keys[id_].toString(NATIVE)

    def set_key(self, id_: str, key: QKeySequence | str) -> None:
        """Bind ``id_`` to ``key`` (portable text or a sequence; "" unbinds).

        Raises KeyError for an unknown id, ValueError for unreadable text.
        """
        self.set_keys({id_: key})

    def set_keys(self, keys: Mapping[str, QKeySequence | str]) -> None:
        """Several bindings at once, with a single ``changed``; nothing changes if one is invalid."""
        parsed: dict[str, QKeySequence] = {}
        for id_, key in keys.items():
            if id_ not in self._specs:
                raise KeyError(id_)
            sequence = parse_key(key) if isinstance(key, str) else QKeySequence(key)
            if sequence is None:
                raise ValueError(f"not a key: {key!r}")
            parsed[id_] = sequence
        self._replace(parsed)

    def reset(self, id_: str) -> None:
        self._replace({id_: self._defaults[id_]})

    def reset_all(self) -> None:
        self._replace(self._defaults)

    def overrides(self) -> dict[str, str]:
        """Bindings that differ from the defaults, as portable text ("" for unbound).

        Fit for ``Settings.shortcuts``.
        """
        return {id_: key.toString(PORTABLE) for id_, key in self._keys.items() if key != self._defaults[id_]}

    def conflicts(self) -> list[tuple[str, str, QKeySequence]]:
        """Pairs of ids bound to the same key that would clash (see :func:`find_conflicts`)."""
        return find_conflicts(self._specs.values(), self._keys)

    def bind(self, id_: str, action: QAction) -> QAction:
        """Give ``action`` the key of ``id_`` now and after every change.

        The key is appended to the action's tooltip ("Approve (A)"); the tooltip
        the action has now is kept as the base, so set it before binding. The
        binding lives as long as the action.
        """
        if id_ not in self._specs:
            raise KeyError(id_)
        _ActionBinding(self, id_, action)
        return action

    def shortcut_for(
        self,
        id_: str,
        parent: QWidget,
        slot: Callable[[], object],
        context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
    ) -> QAction:
        """A bound action on ``parent`` that calls ``slot``, active without any menu or toolbar."""
        action = QAction(self._specs[id_].label, parent)
        action.setObjectName(id_)
        action.setShortcutContext(context)
        self.bind(id_, action)
        # triggered(bool) would pass "checked" on; the slots take nothing.
        action.triggered.connect(lambda _checked=False: slot())
        parent.addAction(action)
        return action

    def _replace(self, keys: Mapping[str, QKeySequence]) -> None:
        changed = False
        for id_, key in keys.items():
            if self._keys[id_] != key:
                self._keys[id_] = QKeySequence(key)
                changed = True
        if changed:
            self.changed.emit()


class _ActionBinding(QObject):
    """Keeps one action's shortcut and tooltip in step with a ShortcutMap.

    A child of the action, so the connection to ``changed`` dies with it.
    """

    def __init__(self, shortcut_map: ShortcutMap, id_: str, action: QAction) -> None:
        super().__init__(action)
        self._map = shortcut_map
        self._id = id_
        self._action = action
        self._base_tooltip = action.toolTip()
        shortcut_map.changed.connect(self.update)
        self.update()

    @Slot()
    def update(self) -> None:
        self._action.setShortcut(self._map.key(self._id))
        text = self._map.text(self._id)
        self._action.setToolTip(f"{self._base_tooltip} ({text})" if text else self._base_tooltip)


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
        title = QLabel("Keyboard shortcuts")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = QFont(title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title.setFont(title_font)
        hint = QLabel("Esc or ? closes this help.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setEnabled(False)
        self._panel_layout.addWidget(title)
        self._columns: QWidget | None = None
        self._key_labels: dict[str, QLabel] = {}
        self._text_labels: dict[str, QLabel] = {}
        self._panel_layout.addWidget(hint)
        outer = QGridLayout(self)
        outer.addWidget(self.panel, 0, 0, Qt.AlignmentFlag.AlignCenter)
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
            (spec.group, self._key_labels[spec.id].text(), self._text_labels[spec.id].text())
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
                heading = self._label(group)
                heading_font = QFont(heading.font())
                heading_font.setBold(True)
                heading.setFont(heading_font)
                grid.addWidget(heading, row, 0, 1, 2)
                row += 1
                for spec in groups[group]:
                    key = self._label(self._map.text(spec.id) or "—")
                    key.setObjectName(f"key:{spec.id}")
                    key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    label = self._label(spec.label)
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


class ShortcutSettingsDialog(QDialog):
    """Rebind the shortcuts of a map: pick a row, press the new key.

    Edits a copy; OK applies it to the map (so bound actions change at once)
    and is disabled while two commands share a key. GUI thread only.
    """

    GROUP, ACTION, KEY = range(3)

    def __init__(self, shortcut_map: ShortcutMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSettings")
        self.setWindowTitle("Keyboard shortcuts")
        self._map = shortcut_map
        self._specs = shortcut_map.specs()
        self._keys: dict[str, QKeySequence] = {spec.id: shortcut_map.key(spec.id) for spec in self._specs}
        self._syncing = False

        self.table = QTableWidget(len(self._specs), 3, self)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(["Group", "Action", "Key"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(self.ACTION, QHeaderView.ResizeMode.Stretch)
        for row, spec in enumerate(self._specs):
            for column, text in ((self.GROUP, spec.group), (self.ACTION, spec.label)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
            key_item = QTableWidgetItem()
            key_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, self.KEY, key_item)
            self._show_key(row)
        self.table.resizeColumnToContents(self.GROUP)

        self.key_edit = QKeySequenceEdit(self)
        self.key_edit.setObjectName("keyEdit")
        # One key, taken as soon as it is pressed (no wait for a second chord); Tab leaves the field.
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setClearButtonEnabled(True)
        self.key_edit.setToolTip("Press the new key for the selected action")
        key_label = QLabel("&Key:")
        key_label.setBuddy(self.key_edit)
        self.clear_button = QPushButton("&Clear")
        self.clear_button.setToolTip("Leave the selected action without a key")
        self.reset_button = QPushButton("&Reset")
        self.reset_button.setToolTip("Give the selected action its default key")
        self.reset_all_button = QPushButton("Reset &all")
        self.reset_all_button.setToolTip("Give every action its default key")
        for button in (self.clear_button, self.reset_button, self.reset_all_button):
            button.setAutoDefault(False)

        self.warning = QLabel()
        self.warning.setObjectName("conflictWarning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        warning_palette = self.warning.palette()
        warning_palette.setColor(self.warning.foregroundRole(), QColor(176, 32, 32))
        self.warning.setPalette(warning_palette)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok_button is not None
        self.ok_button = ok_button

        editor = QHBoxLayout()
        editor.addWidget(key_label)
        editor.addWidget(self.key_edit, 1)
        editor.addWidget(self.clear_button)
        editor.addWidget(self.reset_button)
        editor.addStretch(1)
        editor.addWidget(self.reset_all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(editor)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.resize(560, 460)

        selection = self.table.selectionModel()
        assert selection is not None
        selection.currentRowChanged.connect(lambda _current, _previous: self._row_changed())
        # Double-click a row, or press Enter or F2 on it: go press its new key.
        self.table.activated.connect(lambda _index: self._edit_current())
        self.table.installEventFilter(self)
        self.key_edit.installEventFilter(self)
        self.key_edit.keySequenceChanged.connect(self._key_edited)
        self.clear_button.clicked.connect(lambda: self._set_current(QKeySequence()))
        self.reset_button.clicked.connect(self._reset_current)
        self.reset_all_button.clicked.connect(self.reset_all)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        if self._specs:
            self.select(self._specs[0].id)
        self._row_changed()
        self._update_conflicts()

    def select(self, id_: str) -> None:
        row = self._row(id_)
        self.table.setCurrentCell(
            row,
            self.ACTION,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    def current_id(self) -> str | None:
        row = self.table.currentRow()
        return self._specs[row].id if 0 <= row < len(self._specs) else None

    def pending_key(self, id_: str) -> QKeySequence:
        """The key ``id_`` gets if the dialog is accepted now."""
        return QKeySequence(self._keys[id_])

    def set_pending_key(self, id_: str, key: QKeySequence | str) -> None:
        sequence = parse_key(key) if isinstance(key, str) else key
        if sequence is None:
            raise ValueError(f"not a key: {key!r}")
        self.select(id_)
        self._set_current(sequence)

    def reset_all(self) -> None:
        for spec in self._specs:
            self._keys[spec.id] = self._map.default_key(spec.id)
            self._show_key(self._row(spec.id))
        self._row_changed()
        self._update_conflicts()

    def accept(self) -> None:
        if find_conflicts(self._specs, self._keys):
            return
        self._map.set_keys(self._keys)
        super().accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2)
            and self.current_id() is not None
        ):
            self._edit_current()
            return True
        if (
            watched is self.key_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.keyCombination() == QKeyCombination(Qt.Key.Key_Escape)
        ):
            # Esc cancels the dialog as everywhere else; it is never recorded as a key.
            self.reject()
            return True
        return super().eventFilter(watched, event)

    def _edit_current(self) -> None:
        self.key_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _row(self, id_: str) -> int:
        return next(n for n, spec in enumerate(self._specs) if spec.id == id_)

    def _row_changed(self) -> None:
        id_ = self.current_id()
        for widget in (self.key_edit, self.clear_button, self.reset_button):
            widget.setEnabled(id_ is not None)
        self._syncing = True
        try:
            self.key_edit.setKeySequence(self._keys[id_] if id_ is not None else QKeySequence())
        finally:
            self._syncing = False

    @Slot(QKeySequence)
    def _key_edited(self, key: QKeySequence) -> None:
        if not self._syncing:
            self._set_current(key)

    def _reset_current(self) -> None:
        id_ = self.current_id()
        if id_ is not None:
            self._set_current(self._map.default_key(id_))

    def _set_current(self, key: QKeySequence) -> None:
        id_ = self.current_id()
        if id_ is None:
            return
        self._keys[id_] = QKeySequence(key)
        self._show_key(self._row(id_))
        if self.key_edit.keySequence() != key:
            self._syncing = True
            try:
                self.key_edit.setKeySequence(key)
            finally:
                self._syncing = False
        self._update_conflicts()

    def _show_key(self, row: int) -> None:
        item = self.table.item(row, self.KEY)
        if item is not None:
            item.setText(self._keys[self._specs[row].id].toString(NATIVE))

    def _update_conflicts(self) -> None:
        labels = {spec.id: spec.label for spec in self._specs}
        lines = [
            f"{labels[first]} and {labels[second]} are both bound to {key.toString(NATIVE)}."
            for first, second, key in find_conflicts(self._specs, self._keys)
        ]
        self.warning.setText("\n".join(lines))
        self.warning.setVisible(bool(lines))
        self.ok_button.setEnabled(not lines)
