"""The batch builder's plan: how the batch would be sent, its requests and time, and the path.

A thin view over :class:`desktop.batch_plan.BatchPlan`: it shows the plan's
lines and, where the server offers a mass award, a switch to use it (on by
default above the threshold). The dialog makes the plan again whenever the
messages switch or the mass-award switch changes.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from desktop.batch_plan import BatchPlan, SendPath
from ui.widgets.text import plain_label


class BatchPlanView(QGroupBox):
    """GUI thread only."""

    #: The moderator switched the mass award on or off.
    mass_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Plan"))
        self.text = plain_label(name="batchPlanText", wrap=True, selectable=True)
        self.mass_check = QCheckBox(
            self.tr("Use the server's mass award (one upload, then a check of every member)")
        )
        self.mass_check.setObjectName("batchMassAward")
        self.mass_check.setVisible(False)
        self.mass_check.toggled.connect(self.mass_toggled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.mass_check)
        #: Whether the last plan shown offers the mass award.
        self._offered = False
        self.clear()

    def clear(self) -> None:
        self.text.setText("—")
        self._offer(False)

    def show_unknown(self) -> None:
        self.text.setText(
            self.tr("The plan is known once the community has been synced (what the server can do).")
        )
        self._offer(False)

    def _offer(self, offered: bool) -> None:
        self._offered = offered
        self.mass_check.setVisible(offered)

    def show_plan(self, plan: BatchPlan, *, first: bool) -> None:
        """Show ``plan``; ``first``: a new dry run, so the switch takes the plan's own path."""
        self.text.setText("\n".join(plan.lines()))
        self._offer(plan.mass is not None)
        if first:
            self.mass_check.blockSignals(True)
            self.mass_check.setChecked(plan.path is SendPath.MASS_AWARD)
            self.mass_check.blockSignals(False)

    @property
    def use_mass_award(self) -> bool:
        return self._offered and self.mass_check.isChecked()
