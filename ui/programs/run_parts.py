"""Parts of the run dialog (:mod:`ui.programs.run_dialog`): the revoke of members gone from a list,
and the small boxed side lists.

Thread safety: the GUI thread's.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


class GoneRevoke(QWidget):
    """ "Revoke the badge of the members gone from the list", with the reason. Lives on the GUI thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox()
        self.check.setObjectName("programRunRevokeGone")
        self.reason = QLineEdit()
        self.reason.setObjectName("programRunRevokeReason")
        self.reason.setAccessibleName(self.tr("Why they lose the badge"))
        self.reason.setPlaceholderText(self.tr("For example: certification expired"))
        self.label = QLabel(self.tr("Revoke &reason:"))
        self.label.setBuddy(self.reason)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.label)
        row.addWidget(self.reason, 1)
        self.setVisible(False)


def boxed(widget: QWidget) -> QGroupBox:
    """``widget`` in a group box beside the candidates, not instead of them: a few lines, then it scrolls."""
    box = QGroupBox()
    widget.setMaximumHeight(widget.fontMetrics().height() * 6)
    inner = QVBoxLayout(box)
    inner.addWidget(widget)
    box.setVisible(False)
    return box
