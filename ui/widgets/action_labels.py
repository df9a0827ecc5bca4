"""How the outbox's and the audit log's tables show an action: the label of its kind, its warning colour."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.domain import ActionKind

#: The labels in English, as marked for translation (context "ActionLabels").
_ENGLISH: dict[ActionKind, str] = {
    ActionKind.AWARD: str(QT_TRANSLATE_NOOP("ActionLabels", "Award")),
    ActionKind.REVOKE: str(QT_TRANSLATE_NOOP("ActionLabels", "Revoke")),
    ActionKind.DECIDE: str(QT_TRANSLATE_NOOP("ActionLabels", "Decision")),
    ActionKind.BADGE_SAVE: str(QT_TRANSLATE_NOOP("ActionLabels", "Badge edit")),
    ActionKind.BADGE_STATE: str(QT_TRANSLATE_NOOP("ActionLabels", "Badge state")),
    ActionKind.MESSAGE: str(QT_TRANSLATE_NOOP("ActionLabels", "Message")),
    ActionKind.MASS_AWARD: str(QT_TRANSLATE_NOOP("ActionLabels", "Mass award")),
    ActionKind.GROUP_MEMBERS: str(QT_TRANSLATE_NOOP("ActionLabels", "Group members")),
    ActionKind.HANDOVER: str(QT_TRANSLATE_NOOP("ActionLabels", "Hand-over")),
}


def kind_label(kind: ActionKind) -> str:
    """The label of an action's kind, in the user's language."""
    return QCoreApplication.translate("ActionLabels", _ENGLISH[kind])


class _KindLabels(Mapping[ActionKind, str]):
    """Each kind's label, translated when read (the language is chosen after this module loads)."""

    def __getitem__(self, kind: ActionKind) -> str:
        return kind_label(kind)

    def __iter__(self) -> Iterator[ActionKind]:
        return iter(_ENGLISH)

    def __len__(self) -> int:
        return len(_ENGLISH)


#: Each kind's label as shown (``KIND_LABELS[kind]``, ``KIND_LABELS.get(kind, default)``).
KIND_LABELS: Mapping[ActionKind, str] = _KindLabels()
