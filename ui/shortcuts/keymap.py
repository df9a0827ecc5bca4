"""Rebindable keyboard shortcuts: the commands, their keys and the actions bound to them.

A pane declares its shortcuts as :class:`ShortcutSpec` s, the app keeps one
:class:`ShortcutMap` built from every spec and the user's rebindings
(``Settings.shortcuts``), and each pane binds its ``QAction`` s to ids with
:meth:`ShortcutMap.bind` or :meth:`ShortcutMap.shortcut_for`; a rebinding in
:class:`~ui.shortcuts.settings_dialog.ShortcutSettingsDialog` reaches every
bound action at once.

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

Translation: a spec's label and group are English source texts, marked where the
specs are declared with ``QT_TRANSLATE_NOOP("Shortcuts", "Approve")`` (the
context is the spec's ``context``, :data:`SHORTCUTS_CONTEXT` unless given) and
translated where shown (:attr:`ShortcutSpec.title`, :attr:`ShortcutSpec.group_title`).
The untranslated group stays the identifier conflicts are checked by; key names
are Qt's (``QKeySequence``), never ours to translate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QKeyCombination, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.i18n import translated

log = logging.getLogger(__name__)

PORTABLE = QKeySequence.SequenceFormat.PortableText
NATIVE = QKeySequence.SequenceFormat.NativeText

#: The translation context of shortcut labels and groups, unless a spec names its own.
SHORTCUTS_CONTEXT = "Shortcuts"

#: Shortcuts of this group clash with those of every other group. Other groups are scopes: the
#: actions of two groups live on different panes (``WidgetWithChildrenShortcut``), so they may
#: share a key.
GLOBAL_GROUP = str(QT_TRANSLATE_NOOP("Shortcuts", "Global"))


@dataclass(frozen=True, slots=True)
class ShortcutSpec:
    """One rebindable command.

    ``default`` is portable key text (``QKeySequence.SequenceFormat.PortableText``):
    "A", "Shift+A", "Ctrl+B", "?"; "" means unbound by default. ``label`` and
    ``group`` are English source texts marked with ``QT_TRANSLATE_NOOP(context, …)``.
    """

    id: str
    label: str
    default: str
    group: str
    #: The translation context ``label`` and ``group`` were marked in.
    context: str = SHORTCUTS_CONTEXT

    @property
    def title(self) -> str:
        """The label as the user reads it (translated)."""
        return translated(self.context, self.label)

    @property
    def group_title(self) -> str:
        """The group's name as the user reads it (translated)."""
        return translated(self.context, self.group)


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
        action = QAction(self._specs[id_].title, parent)
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
        if text:
            tooltip = QCoreApplication.translate("ShortcutMap", "{action} ({key})").format(
                action=self._base_tooltip, key=text
            )
        else:
            tooltip = self._base_tooltip
        self._action.setToolTip(tooltip)
