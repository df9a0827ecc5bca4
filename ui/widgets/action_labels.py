"""How the outbox's and the audit log's tables show an action: the label of its kind, its warning colour."""

from __future__ import annotations

from desktop.domain import ActionKind

KIND_LABELS = {
    ActionKind.AWARD: "Award",
    ActionKind.REVOKE: "Revoke",
    ActionKind.DECIDE: "Decision",
    ActionKind.BADGE_SAVE: "Badge edit",
    ActionKind.BADGE_STATE: "Badge state",
    ActionKind.MESSAGE: "Message",
    ActionKind.MASS_AWARD: "Mass award",
}
