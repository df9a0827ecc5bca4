"""The batch builder's dry-run report: the count of every kind of row, and the rows that cannot be used."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPlainTextEdit, QWidget

from desktop.batches import DryRun
from desktop.domain import ActionKind
from desktop.grants import grant_label
from ui.widgets.text import plain_label

#: (object name, label) of the dry-run counts, in the order the report reads.
COUNT_LABELS = (
    ("rows", "Rows read"),
    ("blank", "Blank, skipped"),
    ("duplicates", "Duplicates merged"),
    ("invalid", "Invalid"),
    ("not_found", "Not found"),
    ("inactive", "Suspended or deleted"),
    ("already", "Already hold the badge"),
    ("to_send", "To send"),
)


class DryRunCounts(QGroupBox):
    """Counts shown as "—" until a dry run reports; the problem rows below them. GUI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Dry run", parent)
        grid = QGridLayout(self)
        self.count_values: dict[str, QLabel] = {}
        self.count_titles: dict[str, QLabel] = {}
        for i, (key, title) in enumerate(COUNT_LABELS):
            label = QLabel(title)
            value = QLabel("—")
            value.setObjectName(f"count_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(label, i // 4 * 2, i % 4)
            grid.addWidget(value, i // 4 * 2 + 1, i % 4)
            self.count_values[key] = value
            self.count_titles[key] = label
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("batchProblems")
        self.problems.setAccessibleName("Problems found in the dry run")
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(110)
        self.problems.setPlaceholderText("Rows that could not be used are listed here with their numbers.")
        grid.addWidget(self.problems, 4, 0, 1, 4)
        # Revoking a badge some members hold several times: which grant each loses.
        self.grant_rule = plain_label(name="batchGrantRule", wrap=True)
        self.grant_rule.hide()
        grid.addWidget(self.grant_rule, 5, 0, 1, 4)
        self._badge_titles: dict[int, str] = {}

    def set_kind(self, kind: ActionKind) -> None:
        """Awards skip members who hold the badge; revokes those who do not."""
        self.count_titles["already"].setText(
            "Already hold the badge" if kind is ActionKind.AWARD else "Do not hold the badge"
        )

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
            self.count_values[key].setText(f"{value:,}")
        lines = [f"Row {row}: {raw!r} — {problem}" for row, raw, problem in plan.invalid_rows]
        lines += [
            f"Row {row}: {raw!r} — no member with this email or username" for row, raw in plan.not_found_rows
        ]
        shown = len(plan.invalid_rows) + len(plan.not_found_rows)
        hidden = plan.invalid + plan.not_found - shown
        if hidden > 0:
            lines.append(f"… and {hidden:,} more")
        lines += [
            f"{row.username} holds it ×{row.count}: {grant_label(row.award)} is revoked"
            for row in plan.several_rows
        ]
        if plan.held_several > len(plan.several_rows):
            lines.append(
                f"… and {plan.held_several - len(plan.several_rows):,} more holding it several times"
            )
        self.problems.setPlainText("\n".join(lines))
        if plan.held_several:
            title = self._badge_titles.get(plan.badge_id, "the badge")
            who = "1 member holds" if plan.held_several == 1 else f"{plan.held_several:,} members hold"
            self.grant_rule.setText(f"{who} {title} several times: {plan.grant_rule}, as listed above.")
        self.grant_rule.setVisible(bool(plan.held_several))
