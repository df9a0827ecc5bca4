"""The Review queue's rebindable commands: ids, labels and default keys."""

from __future__ import annotations

from ui.shortcuts.keymap import ShortcutSpec

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
