"""The batch builder's dry-run report: the count of every kind of row, and the rows that cannot be used."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPlainTextEdit, QWidget

from desktop.batches import DryRun
from desktop.domain import ActionKind
from desktop.grants import grant_label
from ui.i18n import format_number, translated
from ui.widgets.text import plain_label

#: (object name, label) of the dry-run counts, in the order the report reads.
COUNT_LABELS = cast(
    tuple[tuple[str, str], ...],
    (
        ("rows", QT_TRANSLATE_NOOP("DryRunCounts", "Rows read")),
        ("blank", QT_TRANSLATE_NOOP("DryRunCounts", "Blank, skipped")),
        ("duplicates", QT_TRANSLATE_NOOP("DryRunCounts", "Duplicates merged")),
        ("invalid", QT_TRANSLATE_NOOP("DryRunCounts", "Invalid")),
        ("not_found", QT_TRANSLATE_NOOP("DryRunCounts", "Not found")),
        ("inactive", QT_TRANSLATE_NOOP("DryRunCounts", "Suspended or deleted")),
        ("already", QT_TRANSLATE_NOOP("DryRunCounts", "Already hold the badge")),
        ("to_send", QT_TRANSLATE_NOOP("DryRunCounts", "To send")),
    ),
)


class DryRunCounts(QGroupBox):
    """Counts shown as "—" until a dry run reports; the problem rows below them. GUI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Dry run"))
        grid = QGridLayout(self)
        self.count_values: dict[str, QLabel] = {}
        self.count_titles: dict[str, QLabel] = {}
        for i, (key, title) in enumerate(COUNT_LABELS):
            label = QLabel(translated("DryRunCounts", title))
            value = QLabel("—")
            value.setObjectName(f"count_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(label, i // 4 * 2, i % 4)
            grid.addWidget(value, i // 4 * 2 + 1, i % 4)
            self.count_values[key] = value
            self.count_titles[key] = label
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("batchProblems")
        self.problems.setAccessibleName(self.tr("Problems found in the dry run"))
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(110)
        self.problems.setPlaceholderText(
            self.tr("Rows that could not be used are listed here with their numbers.")
        )
        grid.addWidget(self.problems, 4, 0, 1, 4)
        # Revoking a badge some members hold several times: which grant each loses.
        self.grant_rule = plain_label(name="batchGrantRule", wrap=True)
        self.grant_rule.hide()
        grid.addWidget(self.grant_rule, 5, 0, 1, 4)
        self._badge_titles: dict[int, str] = {}

    def set_kind(self, kind: ActionKind) -> None:
        """Awards skip members who hold the badge; revokes those who do not, and revoke the rest."""
        award = kind is ActionKind.AWARD
        self.count_titles["already"].setText(
            self.tr("Already hold the badge") if award else self.tr("Do not hold it: skipped")
        )
        self.count_titles["to_send"].setText(self.tr("To send") if award else self.tr("To revoke"))

    def set_badge_titles(self, titles: dict[int, str]) -> None:
        self._badge_titles = titles

    def clear(self) -> None:
        for value in self.count_values.values():
            value.setText("—")
        self.problems.clear()
        self.grant_rule.clear()
        self.grant_rule.hide()

    def show_plan(self, plan: DryRun) -> None:
        for key, value in plan.counts().items():
            self.count_values[key].setText(format_number(value))
        row_problem = self.tr("Row {row}: {input} — {problem}")
        lines = [
            row_problem.format(row=row, input=repr(raw), problem=problem)
            for row, raw, problem in plan.invalid_rows
        ]
        not_found = self.tr("Row {row}: {input} — no member with this email or username")
        lines += [not_found.format(row=row, input=repr(raw)) for row, raw in plan.not_found_rows]
        shown = len(plan.invalid_rows) + len(plan.not_found_rows)
        hidden = plan.invalid + plan.not_found - shown
        if hidden > 0:
            lines.append(self.tr("… and %Ln more", "", hidden))
        loses = self.tr("{member} holds it ×{count}: {grant} is revoked")
        lines += [
            loses.format(member=row.username, count=row.count, grant=grant_label(row.award))
            for row in plan.several_rows
        ]
        if plan.held_several > len(plan.several_rows):
            more = plan.held_several - len(plan.several_rows)
            lines.append(self.tr("… and %Ln more holding it several times", "", more))
        self.problems.setPlainText("\n".join(lines))
        if plan.held_several:
            title = self._badge_titles.get(plan.badge_id)
            if title is None:
                rule = self.tr(
                    "%Ln member(s) (holds|hold) the badge several times: {rule}, as listed above.",
                    "",
                    plan.held_several,
                )
            else:
                rule = self.tr(
                    "%Ln member(s) (holds|hold) {badge} several times: {rule}, as listed above.",
                    "",
                    plan.held_several,
                )
            self.grant_rule.setText(rule.format(badge=title, rule=plan.grant_rule))
        self.grant_rule.setVisible(bool(plan.held_several))
