"""The window on the Discourse demo: "award everyone in a group" from the Members pane to the forum.

Add filter → Everyone in a group… → the group → Space on "Award badge…" → the batch dialog with
the group's members → dry run → queue; read back from the forum over loopback as an admin would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMenu
from pytestqt.qtbot import QtBot

from desktop.domain import BadgeState
from desktop.outbox import Batch
from tests.ui.conftest import community_of, window_of
from tests.ui.test_discourse_demo_flows import forum_badge_ids, forum_get
from ui.shell.controller import AppController


def test_everyone_in_a_forum_group_is_awarded_in_a_few_keys(
    qtbot: QtBot, discourse_demo: AppController, monkeypatch: pytest.MonkeyPatch, artifacts: Path
) -> None:
    controller = discourse_demo
    sandbox = controller.sandbox
    assert sandbox is not None
    window = window_of(controller)
    view = window.members
    cache = community_of(controller).cache
    # The demo forum's own groups (the automatic ones are not synced).
    listed = [
        g for g in forum_get(sandbox, "/groups.json")["groups"] if not g["automatic"] and g["user_count"]
    ]
    assert listed, "the demo forum has a group with members"
    name = listed[0]["name"]
    on_forum = {m["id"] for m in forum_get(sandbox, f"/groups/{name}/members.json", limit=1000)["members"]}
    qtbot.waitUntil(lambda: name in view.groups, timeout=10_000)

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *_args: (name, True)))
    menu = view.bar.filter_button.menu()
    assert isinstance(menu, QMenu)
    next(a for a in menu.actions() if a.text() == "Everyone in a group…").trigger()
    qtbot.waitUntil(lambda: view.idle and set(view.selected_ids()) == on_forum, timeout=10_000)
    qtbot.waitUntil(view.award_button.hasFocus, timeout=5_000)
    qtbot.keyClick(view.award_button, Qt.Key.Key_Space)
    dialog = window.batch_dialog
    assert dialog is not None

    badge = next(
        b
        for b in cache.badges()
        if b.state is BadgeState.PUBLISHED
        and not b.multiple_grant
        and all(
            b.id not in forum_badge_ids(sandbox, m.username)
            for m in cache.members_by_ids(list(on_forum)).values()
        )
    )
    qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0, timeout=10_000)
    dialog.select_badge(badge.id)
    qtbot.mouseClick(dialog.dry_run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert dialog.count_values["to_send"].text() == str(len(on_forum))
    dialog.notify_check.setChecked(False)
    dialog.grab().save(str(artifacts / "discourse-demo-group-batch.png"))
    queued: list[Batch] = []
    dialog.queued.connect(queued.append)
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(queued), timeout=10_000)
    outbox = community_of(controller).outbox
    qtbot.waitUntil(lambda: outbox.batch_summary(queued[0].id).finished, timeout=60_000)
    assert outbox.batch_summary(queued[0].id).applied == len(on_forum)

    # On the forum: every member of the group holds the badge, once.
    for member in cache.members_by_ids(list(on_forum)).values():
        assert forum_badge_ids(sandbox, member.username).count(badge.id) == 1
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
