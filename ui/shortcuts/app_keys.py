"""The window's own rebindable commands (beside the panes' ones): ids, labels and default keys.

In :data:`~ui.shortcuts.keymap.GLOBAL_GROUP`: they work anywhere in the window, so a pane's key
on the same keys is a conflict. Labels are marked for translation in the "Shortcuts" context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.shortcuts.keymap import GLOBAL_GROUP, ShortcutSpec

if TYPE_CHECKING:

    def QT_TRANSLATE_NOOP(context: str, message: str, /) -> str:  # PySide's stub returns object
        ...

else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

#: File ▸ Community ▸ Switch community… (:mod:`ui.shell.profile_switch`).
SWITCH_COMMUNITY = "community.switch"

APP_SHORTCUTS: tuple[ShortcutSpec, ...] = (
    ShortcutSpec(
        SWITCH_COMMUNITY, QT_TRANSLATE_NOOP("Shortcuts", "Switch community"), "Ctrl+Shift+K", GLOBAL_GROUP
    ),
)
