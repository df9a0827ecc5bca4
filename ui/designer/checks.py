"""The designer's checks: contrast and banner fit as a checklist beside the previews.

The findings come from the core (:func:`desktop.designer.checks.design_findings`);
:func:`finding_label` draws one line of a checklist, here and in the family dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop.designer.checks import Finding
from ui.designer.controls import muted, plain
from ui.widgets.colours import set_status_style, text_style


def finding_label(finding: Finding, name: str = "") -> QLabel:
    """One checklist line: ✓ in green or ⚠ in amber, then the text (plain, wrapped)."""
    label = QLabel(f"{'✓' if finding.ok else '⚠'}  {finding.text}")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    set_status_style(label, text_style("success" if finding.ok else "warning"))
    label.setProperty("ok", finding.ok)
    if name:
        label.setObjectName(name)
    return label


class ChecksPanel(QGroupBox):
    """The checklist of the design as last drawn; its title counts what to look at. GUI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Checks"))
        self.setObjectName("designerChecks")
        self.checks_layout = QVBoxLayout(self)
        self.checks_layout.setSpacing(4)
        self.finding_labels: list[QLabel] = []
        self._findings: list[Finding] | None = None

    def show_findings(self, findings: list[Finding]) -> None:
        # Redrawn on every change of the design: the labels are remade only when the list differs.
        if findings == self._findings:
            return
        self._findings = findings
        for label in self.finding_labels:
            self.checks_layout.removeWidget(label)
            label.deleteLater()
        if findings:
            self.finding_labels = [finding_label(f, f"finding{n}") for n, f in enumerate(findings)]
        else:
            self.finding_labels = [muted(plain(self.tr("Nothing to check: no banner text or glyph.")))]
        for label in self.finding_labels:
            self.checks_layout.addWidget(label)
        warnings = sum(not f.ok for f in findings)
        self.setTitle(self.tr("Checks — %n to look at", "", warnings) if warnings else self.tr("Checks"))

    def findings(self) -> list[Finding]:
        """The checklist as last drawn."""
        return list(self._findings or [])
