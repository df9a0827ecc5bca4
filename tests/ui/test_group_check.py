"""The group check on the Discourse demo: a badge against a forum group, fixed in one batch.

Badges pane → the badge → Group check… (Ctrl+G) → the group → the two lists →
"Award the badge to the N members" → the dry run → queue → sent to the forum →
after the sync both lists agree.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain import Action, ActionKind, ActionState, BadgeState
from desktop.group_check import GroupPairings
from desktop.outbox import Batch, Outbox
from tests.ui.conftest import community_of, session_of, window_of
from tests.ui.test_discourse_demo_flows import forum_badge_ids, forum_get, holders_of
from ui.groupcheck.group_check_dialog import GroupCheckDialog
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow


def test_a_badge_and_its_forum_group_are_fixed_in_one_batch(
    qtbot: QtBot, discourse_demo: AppController, artifacts: Path
) -> None:
    controller = discourse_demo
    sandbox = controller.sandbox
    assert sandbox is not None
    window = window_of(controller)
    cache = community_of(controller).cache
    listed = [
        g for g in forum_get(sandbox, "/groups.json")["groups"] if not g["automatic"] and g["user_count"]
    ]
    assert listed, "the demo forum has a group with members"
    name = listed[0]["name"]
    on_forum = {m["id"] for m in forum_get(sandbox, f"/groups/{name}/members.json", limit=1000)["members"]}
    # A badge some of the group lack and some outside the group hold.
    badge = next(
        b
        for b in sorted(cache.badges(), key=lambda b: b.id)
        if b.state is BadgeState.PUBLISHED
        and not b.multiple_grant
        and holders_of(controller, b.id) - on_forum
        and on_forum - holders_of(controller, b.id)
    )
    holders = holders_of(controller, badge.id)
    outside, without = holders - on_forum, on_forum - holders

    window.tabs.setCurrentWidget(window.badges)
    view = window.badges
    qtbot.waitUntil(lambda: view.model.row_of(badge.id) is not None, timeout=10_000)
    row = view.model.row_of(badge.id)
    assert row is not None
    view.table.selectRow(row)
    view.table.setFocus()
    assert view.group_check_action.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = window.group_check_dialog
    assert isinstance(dialog, GroupCheckDialog)
    assert dialog.windowTitle() == f"Group check: {badge.title}"

    qtbot.waitUntil(lambda: dialog.group_combo.count() > 1, timeout=10_000)
    dialog.group_combo.setCurrentIndex(dialog.group_combo.findData(name))
    qtbot.waitUntil(lambda: dialog._check is not None and dialog._check.group == name, timeout=10_000)
    # The pairing is kept for the next check.
    qtbot.waitUntil(lambda: GroupPairings(cache).stored().get(badge.id) == name, timeout=10_000)
    assert dialog.outside_list.count() == len(outside)
    assert dialog.without_list.count() == len(without)
    assert dialog.outside_title.text() == f"&Holders not in the group ({len(outside)})"
    members = "member" if len(without) == 1 else "members"
    assert dialog.award_button.text() == f"&Award the badge to the {len(without)} {members}"
    assert dialog.award_button.isEnabled() and dialog.revoke_button.isEnabled()
    # Discourse takes group changes from BadgeDesk: both sides can be fixed.
    assert not dialog.group_side_label.isVisibleTo(dialog)
    assert dialog.add_button.isVisibleTo(dialog) and dialog.add_button.isEnabled()
    assert dialog.add_button.text() == f"A&dd the {len(outside)} holders to the group"

    qtbot.mouseClick(dialog.award_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.fix is not None, timeout=10_000)
    fix = dialog.fix
    assert fix is not None and fix.plan.kind is ActionKind.AWARD
    assert dialog.count_values["to_send"].text() == str(len(without))
    assert dialog.reason_edit.text() == f"Group check: a member of the group “{name}”"
    dialog.notify_check.setChecked(False)
    dialog.grab().save(str(artifacts / "group_check.png"))

    queued: list[Batch] = []
    dialog.queued.connect(queued.append)
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(queued), timeout=10_000)
    outbox = community_of(controller).outbox
    qtbot.waitUntil(lambda: outbox.batch_summary(queued[0].id).finished, timeout=60_000)
    assert outbox.batch_summary(queued[0].id).applied == len(without)
    for member in cache.members_by_ids(list(without)).values():
        assert forum_badge_ids(sandbox, member.username).count(badge.id) == 1

    session = session_of(controller)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
    before = session.last_sync
    session.sync()
    qtbot.waitUntil(lambda: session.last_sync != before, timeout=60_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
    dialog.check()
    qtbot.waitUntil(lambda: dialog.without_list.count() == 0 and dialog._check is not None, timeout=10_000)
    assert dialog.award_button.text() == "&Award the badge to the 0 members"
    assert not dialog.award_button.isEnabled()
    # The other side is untouched: the holders outside the group are still listed.
    assert dialog.outside_list.count() == len(outside)

    # The group side: the holders outside are added to the forum's group, in one outbox action.
    asked: list[str] = []

    def yes(_title: str, text: str) -> bool:
        asked.append(text)
        return True

    dialog.confirm = yes
    changes: list[Action] = []
    dialog.group_change_queued.connect(changes.append)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert asked == [f"Add {len(outside)} holders of “{badge.title}” to the group “{name}” on the server?"]
    qtbot.waitUntil(lambda: bool(changes), timeout=10_000)
    qtbot.waitUntil(lambda: _state(outbox, changes[0].id) is ActionState.DONE, timeout=60_000)
    # Read again after the send: the mirror follows the server's answer.
    qtbot.waitUntil(lambda: dialog.outside_list.count() == 0 and dialog._check is not None, timeout=10_000)
    group = forum_get(sandbox, f"/groups/{name}/members.json", limit=1000)
    assert {m["id"] for m in group["members"]} == on_forum | outside
    dialog.grab().save(str(artifacts / "group_check_group_side.png"))
    dialog.close()
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)


def _state(outbox: Outbox, action_id: int) -> ActionState | None:
    return next((a.state for a in outbox.actions() if a.id == action_id), None)


def open_group_check(qtbot: QtBot, window: MainWindow) -> GroupCheckDialog:
    """The group check of the first badge, its groups read (for the keyboard and translation walks)."""
    view = window.badges
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    view.table.selectRow(0)
    view.group_check()
    dialog = window.group_check_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.group_combo.count() > 1, timeout=10_000)
    return dialog
