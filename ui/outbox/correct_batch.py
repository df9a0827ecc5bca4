"""Correcting a batch from its history: some or all of its members → revoke, or award another badge.

The batch's members are listed checked (a correction is usually for most of
them); the chosen ones go to the batch builder (:class:`ui.outbox.batch_dialog.BatchDialog`)
as a revoke or as an award of another badge: an ordinary batch (dry run,
exactly once, progress) that records the batch it corrects. The dialog stays
open after one, so the same selection can get the other.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.domain import ActionKind
from desktop.outbox import Batch
from ui.i18n import format_number, shows_data
from ui.outbox.batch_dialog import BatchDialog
from ui.session.app_session import AppSession
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.text import plain_label

MemberIdRole = Qt.ItemDataRole.UserRole + 1


class CorrectBatchDialog(QDialog):
    """Lives on the GUI thread; reads the batch on a worker, queues through the batch builder."""

    #: A correction was queued (the new batch).
    queued = Signal(object)

    def __init__(self, session: AppSession, batch_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.batch_id = batch_id
        self.batch: Batch | None = None
        self.batch_dialog: BatchDialog | None = None
        self.setWindowTitle(self.tr("Correct a batch"))
        self.resize(560, 560)

        self.batch_label = plain_label(self.tr("Reading the batch…"), name="correctBatchName", wrap=True)
        self.members = QListWidget()
        self.members.setObjectName("correctMembers")
        self.members.setAccessibleName(self.tr("The batch's members"))
        shows_data(self.members)  # members' names
        self.members.itemChanged.connect(lambda _item: self._update())
        self.all_button = QPushButton(self.tr("Check &all"))
        self.all_button.clicked.connect(lambda: self.check_all(True))
        self.none_button = QPushButton(self.tr("Check &none"))
        self.none_button.clicked.connect(lambda: self.check_all(False))
        self.count_label = plain_label(name="correctCount")
        checks = QHBoxLayout()
        checks.addWidget(self.all_button)
        checks.addWidget(self.none_button)
        checks.addWidget(self.count_label, 1)
        self.error_label = plain_label(name="correctError", wrap=True)
        set_status_style(self.error_label, text_style("error"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.revoke_button = QPushButton(self.tr("&Revoke…"))
        self.revoke_button.setObjectName("correctRevoke")
        self.revoke_button.setToolTip(
            self.tr("Revoke the batch's badge from the checked members, with a reason")
        )
        self.revoke_button.clicked.connect(lambda: self.open_batch(ActionKind.REVOKE))
        self.award_button = QPushButton(self.tr("A&ward another badge…"))
        self.award_button.setObjectName("correctAward")
        self.award_button.setToolTip(self.tr("Award another badge to the checked members, with one message"))
        self.award_button.clicked.connect(lambda: self.open_batch(ActionKind.AWARD))
        self.buttons.addButton(self.revoke_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.award_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.batch_label)
        layout.addWidget(self.members, 1)
        layout.addLayout(checks)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._update()
        self._load()

    # --- reading ---------------------------------------------------------------------

    def _load(self) -> None:
        outbox = self.session.community.outbox
        batch_id = self.batch_id

        def work(_cancel: object, _report: object) -> tuple[Batch | None, list[tuple[int, str]]]:
            return outbox.batch(batch_id), outbox.batch_members(batch_id)

        self.session.tasks.start(
            "read batch members",
            work,
            on_success=self._loaded,
            on_failure=lambda error: self.error_label.setText(
                self.session.describe(error, failures.loading(self.tr("the batch's members"))).message
            ),
        )

    @property
    def loaded(self) -> bool:
        return self.batch is not None

    def _loaded(self, found: tuple[Batch | None, list[tuple[int, str]]]) -> None:
        batch, members = found
        if batch is None:
            self.batch_label.setText(self.tr("This batch is no longer in the outbox."))
            return
        self.batch = batch
        self.batch_label.setText(self.tr("Correct {batch}").format(batch=batch.title))
        self.members.blockSignals(True)
        for member_id, name in members:
            item = QListWidgetItem(name)
            item.setData(MemberIdRole, member_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.members.addItem(item)
        self.members.blockSignals(False)
        self._update()

    # --- choosing --------------------------------------------------------------------

    def check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.members.blockSignals(True)
        for row in range(self.members.count()):
            self.members.item(row).setCheckState(state)
        self.members.blockSignals(False)
        self._update()

    def set_checked(self, member_ids: set[int]) -> None:
        """Check exactly these members (tests, and callers that know the selection)."""
        self.members.blockSignals(True)
        for row in range(self.members.count()):
            item = self.members.item(row)
            checked = item.data(MemberIdRole) in member_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.members.blockSignals(False)
        self._update()

    def checked_ids(self) -> list[int]:
        return [
            int(self.members.item(row).data(MemberIdRole))
            for row in range(self.members.count())
            if self.members.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _update(self) -> None:
        total = self.members.count()
        chosen = len(self.checked_ids())
        text = self.tr("{chosen} of %Ln member(s) checked", "", total)
        self.count_label.setText(text.format(chosen=format_number(chosen)))
        ready = self.batch is not None and chosen > 0
        self.revoke_button.setEnabled(ready)
        self.award_button.setEnabled(ready)

    # --- the correction ----------------------------------------------------------------

    def open_batch(self, kind: ActionKind) -> BatchDialog | None:
        """The batch builder for the checked members: a revoke, or an award of another badge."""
        batch, chosen = self.batch, self.checked_ids()
        if batch is None or not chosen:
            return None
        if self.batch_dialog is not None:
            self.batch_dialog.close()
        dialog = BatchDialog(self.session, member_ids=chosen, kind=kind, corrects=batch, parent=self)
        dialog.queued.connect(self.queued.emit)
        dialog.finished.connect(lambda _result: setattr(self, "batch_dialog", None))
        self.batch_dialog = dialog
        dialog.show()
        return dialog
