"""Batch history as a starting point: a batch of 40 → revoke 37 of them → another badge for the 37.

On the demo: both corrections are ordinary batches (dry run, sent exactly once)
that record the batch they correct; the audit log shows 37 + 37 entries with
their reasons and the corrected batch's name, and the History pane lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.award_history import EventKind, EventSource, award_history
from desktop.domain import ActionKind, BadgeState, MemberStatus
from desktop.outbox import Batch
from tests.ui.test_main_window import wait_synced
from ui.outbox.batch_dialog import BatchDialog
from ui.outbox.correct_batch import CorrectBatchDialog
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow


def open_correction(qtbot: QtBot, window: MainWindow) -> CorrectBatchDialog:
    """A batch of three members queued (not necessarily sent), its correction opened (for the walk tests)."""
    community = window.session.community
    badge = next(b for b in community.cache.badges() if b.state is BadgeState.PUBLISHED)
    members = sorted(community.cache.member_ids())[:3]
    batch = community.outbox.queue_batch(ActionKind.AWARD, badge.id, members, reason="walk")
    dialog = window.outbox.correct_batch(batch.id)
    qtbot.waitUntil(lambda: dialog.loaded and dialog.members.count() == 3, timeout=10_000)
    return dialog


def open_revoke_from_batch(qtbot: QtBot, window: MainWindow) -> BatchDialog:
    """The batch builder as a correction opens it: a revoke for the checked members."""
    dialog = open_correction(qtbot, window).open_batch(ActionKind.REVOKE)
    assert dialog is not None
    return dialog


def _queue(qtbot: QtBot, dialog: BatchDialog, reason: str, message: str | None = None) -> Batch:
    dialog.reason_edit.setText(reason)
    if message is not None:
        dialog.message_edit.setPlainText(message)
    qtbot.mouseClick(dialog.dry_run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    queued: list[Batch] = []
    dialog.queued.connect(queued.append)
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(queued), timeout=10_000)
    return queued[0]


def test_a_batch_of_40_corrected_for_37_from_its_history(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = make_controller(demo_members=600)
    wait_synced(qtbot, controller)
    window, session = controller.window, controller.session
    assert window is not None and session is not None
    cache = session.community.cache
    outbox = session.community.outbox
    published = [b for b in cache.badges() if b.state is BadgeState.PUBLISHED]
    with cache.read() as connection:
        held = {(r[0], r[1]) for r in connection.exec_driver_sql("SELECT member_id, badge_id FROM awards")}
    first_badge, other_badge = published[0], published[1]
    members = [
        m.id
        for m in sorted(cache.members_by_ids(cache.member_ids()).values(), key=lambda m: m.id)
        if m.status is MemberStatus.ACTIVE
        and (m.id, first_badge.id) not in held
        and (m.id, other_badge.id) not in held
    ][:40]
    assert len(members) == 40

    # The batch to correct: 40 members, sent.
    dialog = window.new_batch(members, ActionKind.AWARD)
    qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0)
    dialog.select_badge(first_badge.id)
    dialog.notify_check.setChecked(False)
    original = _queue(qtbot, dialog, "Contest winners")
    qtbot.waitUntil(lambda: outbox.batch_summary(original.id).finished, timeout=30_000)
    assert outbox.batch_summary(original.id).applied == 40

    # From the Outbox's batch table: Correct… lists its 40 members, all checked.
    view = window.outbox
    window.tabs.setCurrentWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.batch_model.row_of(original.id) >= 0, timeout=10_000)
    view.select_batch(original.id)
    qtbot.waitUntil(view.correct_button.isEnabled)
    qtbot.mouseClick(view.correct_button, Qt.MouseButton.LeftButton)
    correct = view.correct_dialog
    assert correct is not None
    qtbot.waitUntil(lambda: correct.loaded and correct.members.count() == 40, timeout=10_000)
    assert correct.checked_ids() == members
    assert original.title in correct.batch_label.text()
    # Three were right after all.
    chosen = members[3:]
    correct.members.item(0).setCheckState(Qt.CheckState.Unchecked)
    correct.set_checked(set(chosen))
    assert correct.checked_ids() == chosen
    assert correct.count_label.text() == "37 of 40 members checked"
    correct.grab().save(str(artifacts / "correct_batch.png"))

    # Revoke from the 37, with a reason.
    qtbot.mouseClick(correct.revoke_button, Qt.MouseButton.LeftButton)
    revoke_dialog = correct.batch_dialog
    assert revoke_dialog is not None and revoke_dialog.kind is ActionKind.REVOKE
    qtbot.waitUntil(lambda: revoke_dialog.badge_id == first_badge.id, timeout=10_000)
    assert original.title in revoke_dialog.windowTitle()
    revoke = _queue(qtbot, revoke_dialog, "Wrong list: not contest winners")
    assert revoke.corrects == original.id and revoke_dialog.plan is not None
    assert revoke_dialog.plan.to_send == 37
    qtbot.waitUntil(lambda: outbox.batch_summary(revoke.id).finished, timeout=30_000)
    assert outbox.batch_summary(revoke.id).applied == 37

    # Award another badge to the same 37, with one message.
    qtbot.waitUntil(lambda: correct.award_button.isEnabled())
    assert correct.checked_ids() == chosen
    qtbot.mouseClick(correct.award_button, Qt.MouseButton.LeftButton)
    award_dialog = correct.batch_dialog
    assert award_dialog is not None and award_dialog.kind is ActionKind.AWARD
    qtbot.waitUntil(lambda: award_dialog.badge_combo.count() > 0, timeout=10_000)
    assert award_dialog.badge_id != first_badge.id  # another badge than the batch's
    award_dialog.select_badge(other_badge.id)
    award = _queue(qtbot, award_dialog, "The badge they earned", "Sorry for the mix-up: this one is yours!")
    assert award.corrects == original.id
    qtbot.waitUntil(lambda: outbox.batch_summary(award.id).finished, timeout=30_000)
    assert outbox.batch_summary(award.id).applied == 37
    sent = outbox.actions(batch_id=award.id)
    assert {a.payload["message"] for a in sent} == {"Sorry for the mix-up: this one is yours!"}
    assert {a.member_id for a in sent} == set(chosen)

    # The audit log: 37 + 37 entries naming the corrected batch, with their reasons.
    audit = window.audit
    window.tabs.setCurrentWidget(audit)
    audit.reload()
    qtbot.waitUntil(lambda: audit.idle and audit.model.rowCount() > 0, timeout=10_000)
    correcting = [e for e in audit.model.entries if e.corrects_id == original.id]
    assert len(correcting) == 74
    by_reason: dict[str, int] = {}
    for entry in correcting:
        by_reason[entry.reason] = by_reason.get(entry.reason, 0) + 1
        assert f"corrects {original.title}" in entry.detail
    assert by_reason == {"Wrong list: not contest winners": 37, "The badge they earned": 37}
    # The link (a double click on the entry) shows the corrected batch.
    row = audit.model.row_of(correcting[0].id)
    audit.table.doubleClicked.emit(audit.model.index(row, 0))
    qtbot.waitUntil(lambda: audit.idle, timeout=10_000)
    assert {e.batch_id for e in audit.model.entries} == {original.id}
    assert audit.model.rowCount() == 40

    # The History pane lists them: 37 revokes from here, 37 awards of the other badge.
    history = window.history
    window.tabs.setCurrentWidget(history)
    qtbot.waitUntil(lambda: history.idle and history.model.rowCount() > 0, timeout=20_000)
    history.text_box.setText("Wrong list")
    qtbot.waitUntil(
        lambda: history.idle and history.shown_query is not None and history.shown_query.text == "Wrong list",
        timeout=20_000,
    )
    revokes = history.model.events
    assert len(revokes) == 37
    assert {e.kind for e in revokes} == {EventKind.REVOKE}
    assert {e.batch for e in revokes} == {revoke.title}
    assert history.count_label.text() == "37 events"
    # Edit ▸ Copy copies the History's selected rows.
    history.table.selectAll()
    window.edit_menu.copy_rows()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert len(copied) == 37 and all("Wrong list: not contest winners" in line for line in copied)
    history.text_box.setText("The badge they earned")
    qtbot.waitUntil(
        lambda: (
            history.idle
            and history.shown_query is not None
            and history.shown_query.text == "The badge they earned"
        ),
        timeout=20_000,
    )
    awards = history.model.events
    assert len(awards) == 37 and {e.badge for e in awards} == {other_badge.title}
    assert {e.kind for e in awards} == {EventKind.AWARD}
    # Sent from here; after the next sync the server's grants join them.
    assert {e.source for e in awards} <= {EventSource.LOCAL, EventSource.BOTH}
    assert {e.batch for e in awards} == {award.title}
    # A row with a batch starts a correction of it.
    history.table.selectRow(0)
    assert history.correct_button.isEnabled()
    opened: list[str] = []
    history.correct_batch.connect(opened.append)
    qtbot.mouseClick(history.correct_button, Qt.MouseButton.LeftButton)
    assert opened == [award.id]
    qtbot.waitUntil(lambda: view.correct_dialog is not None and view.correct_dialog.loaded, timeout=10_000)
    assert view.correct_dialog is not None and view.correct_dialog.members.count() == 37
    view.correct_dialog.close()
    correct.close()

    history.text_box.setText("")
    qtbot.waitUntil(
        lambda: history.idle and history.shown_query is not None and history.shown_query.text == "",
        timeout=20_000,
    )
    assert history.model.rowCount() > 74
    assert len(award_history(cache, limit=10_000)) >= 40 + 37 + 37
    window.resize(1400, 800)
    history.grab().save(str(artifacts / "history_pane.png"))
