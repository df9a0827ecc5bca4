"""Revokes that tell the members: the batch dialog's "Notify the members", where the server can.

On the v1 demo a revoke batch from a batch's history, with the switch on, sends
each revoke with ``notify`` and the sandbox records one message per member; on
Discourse the switch is off and disabled, and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.domain import ActionKind, MemberStatus
from tests.e2e.server_witness import server_db
from tests.ui.test_batch_history import _queue, open_correction
from tests.ui.test_main_window import wait_synced
from ui.shell.controller import AppController


def test_a_revoke_from_a_batch_notifies_the_members_when_asked(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = make_controller(demo_members=200)
    wait_synced(qtbot, controller)
    window, session = controller.window, controller.session
    assert window is not None and session is not None and controller.sandbox is not None
    assert session.capabilities is not None and session.capabilities.revoke_messages
    outbox = session.community.outbox
    correction = open_correction(qtbot, window)
    original = correction.batch
    assert original is not None
    # The batch is sent first: its awards are what the revoke takes back.
    session.send_outbox()
    qtbot.waitUntil(lambda: outbox.batch_summary(original.id).finished, timeout=30_000)
    members = correction.checked_ids()
    statuses = session.community.cache.members_by_ids(members)
    assert all(m.status is MemberStatus.ACTIVE for m in statuses.values())
    dialog = correction.open_batch(ActionKind.REVOKE)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.badge_id == original.badge_id, timeout=10_000)
    check = dialog.revoke_notify_check
    # The award switch gives way to the revoke's, enabled here and off until chosen.
    assert check.isVisibleTo(dialog) and not dialog.notify_check.isVisibleTo(dialog)
    assert check.text() == "&Notify the members" and check.isEnabled() and not check.isChecked()
    assert not dialog.message_edit.isEnabled()
    check.setChecked(True)
    dialog.grab().save(str(artifacts / "revoke_notify.png"))
    with server_db(controller.sandbox) as db:
        before = {
            m: db.execute("SELECT count(*) FROM messages WHERE member_id = ?", (m,)).fetchone()[0]
            for m in members
        }
    revoke = _queue(qtbot, dialog, "Wrong list")
    assert revoke.notify and revoke.corrects == original.id
    assert {a.payload.get("notify") for a in outbox.actions(batch_id=revoke.id)} == {True}
    qtbot.waitUntil(lambda: outbox.batch_summary(revoke.id).finished, timeout=30_000)
    assert outbox.batch_summary(revoke.id).applied == len(members)
    with server_db(controller.sandbox) as db:
        for m in members:
            bodies = [
                r[0] for r in db.execute("SELECT body FROM messages WHERE member_id = ? ORDER BY id", (m,))
            ]
            assert len(bodies) == before[m] + 1
            assert bodies[-1].endswith("was revoked. Reason: Wrong list")


def test_on_discourse_the_revoke_switch_is_disabled_with_a_reason(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    window, session = discourse_demo.window, discourse_demo.session
    assert window is not None and session is not None
    assert session.capabilities is not None and not session.capabilities.revoke_messages
    correction = open_correction(qtbot, window)
    dialog = correction.open_batch(ActionKind.REVOKE)
    assert dialog is not None
    check = dialog.revoke_notify_check
    assert check.isVisibleTo(dialog) and not check.isEnabled() and not check.isChecked()
    assert check.toolTip() == "This server cannot tell a member that their badge was revoked"
    # Switching to an award brings back the award message's switch.
    dialog.kind_combo.setEnabled(True)
    dialog.kind_combo.setCurrentIndex(0)
    assert dialog.notify_check.isVisibleTo(dialog) and not check.isVisibleTo(dialog)
