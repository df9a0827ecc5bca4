"""The Review queue's rebindable commands: ids, labels and default keys.

The labels and the group are shown to the user (the buttons' tooltips, the "?"
overlay, Settings ▸ Keyboard shortcuts): marked for translation here, in the
"Shortcuts" context, and looked up by :func:`review_shortcuts`. Ids and keys
are identifiers and stay as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ui.shortcuts.keymap import ShortcutSpec

if TYPE_CHECKING:

    def QT_TRANSLATE_NOOP(context: str, message: str, /) -> str:  # PySide's stub returns object
        ...

else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

REVIEW_GROUP = QT_TRANSLATE_NOOP("Shortcuts", "Review queue")

#: The Review queue pane's commands.
REVIEW_SHORTCUTS: tuple[ShortcutSpec, ...] = (
    ShortcutSpec("review.approve", QT_TRANSLATE_NOOP("Shortcuts", "Approve"), "A", REVIEW_GROUP),
    ShortcutSpec("review.deny", QT_TRANSLATE_NOOP("Shortcuts", "Deny"), "D", REVIEW_GROUP),
    ShortcutSpec("review.return", QT_TRANSLATE_NOOP("Shortcuts", "Return to the member"), "R", REVIEW_GROUP),
    ShortcutSpec("review.skip", QT_TRANSLATE_NOOP("Shortcuts", "Skip"), "S", REVIEW_GROUP),
    ShortcutSpec("review.undo", QT_TRANSLATE_NOOP("Shortcuts", "Undo the last decision"), "U", REVIEW_GROUP),
    ShortcutSpec("review.next", QT_TRANSLATE_NOOP("Shortcuts", "Next request"), "J", REVIEW_GROUP),
    ShortcutSpec("review.previous", QT_TRANSLATE_NOOP("Shortcuts", "Previous request"), "K", REVIEW_GROUP),
    ShortcutSpec(
        "review.bulk_approve",
        QT_TRANSLATE_NOOP("Shortcuts", "Approve the selection"),
        "Shift+A",
        REVIEW_GROUP,
    ),
    ShortcutSpec(
        "review.bulk_deny", QT_TRANSLATE_NOOP("Shortcuts", "Deny the selection"), "Shift+D", REVIEW_GROUP
    ),
    ShortcutSpec(
        "review.help", QT_TRANSLATE_NOOP("Shortcuts", "Show or hide the shortcuts"), "?", REVIEW_GROUP
    ),
)


def command_title(spec: ShortcutSpec) -> str:
    """A command's label as the user reads it (translated in the context it was marked in)."""
    return QCoreApplication.translate("Shortcuts", spec.label)
