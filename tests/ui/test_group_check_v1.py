"""The group check on the v1 demo (BadgeDesk's own server): the group side is enabled there too.

Badges pane → the badge → Group check… (Ctrl+G) → the demo's "speakers" group → "Add the N
holders to the group" → yes → one outbox action sent to the server → the holders are in the
server's group, and after the next sync the check still agrees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain import Action, ActionState, BadgeState
from desktop.group_check import check_group
from desktop.sandbox.process import SandboxProcess
from tests.ui.conftest import community_of, session_of, wait_idle_after_sync, window_of
from tests.ui.test_group_check import _state
from ui.groupcheck.group_check_dialog import GroupCheckDialog
from ui.shell.controller import AppController

GROUP = "speakers"


def _server(sandbox: SandboxProcess, path: str, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {sandbox.tokens['moderator2']}"}
    answer = httpx.get(f"{sandbox.url}/api/v1{path}", params=params, headers=headers, timeout=15)
    answer.raise_for_status()
    return answer.json()


def test_the_group_side_of_a_v1_group_is_fixed_from_the_dialog(
    qtbot: QtBot, make_controller: Any, artifacts: Path
) -> None:
    controller: AppController = make_controller(demo_members=300)
    wait_idle_after_sync(qtbot, controller)
    sandbox = controller.sandbox
    assert sandbox is not None
    window = window_of(controller)
    cache = community_of(controller).cache
    [group] = [g for g in _server(sandbox, "/groups")["items"] if g["name"] == GROUP]
    on_server = {m["id"] for m in _server(sandbox, f"/groups/{group['id']}/members", limit=5000)["items"]}
    # A badge some holders of which are not speakers.
    badge = next(
        b
        for b in sorted(cache.badges(), key=lambda b: b.id)
        if b.state is BadgeState.PUBLISHED and 1 < len(check_group(cache, b.id, GROUP).holders_outside) < 40
    )
    outside = set(check_group(cache, badge.id, GROUP).holders_outside)
    assert not outside & on_server

    window.tabs.setCurrentWidget(window.badges)
    view = window.badges
    qtbot.waitUntil(lambda: view.model.row_of(badge.id) is not None, timeout=10_000)
    row = view.model.row_of(badge.id)
    assert row is not None
    view.table.selectRow(row)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = window.group_check_dialog
    assert isinstance(dialog, GroupCheckDialog)
    qtbot.waitUntil(lambda: dialog.group_combo.count() > 1, timeout=10_000)
    dialog.group_combo.setCurrentIndex(dialog.group_combo.findData(GROUP))
    qtbot.waitUntil(lambda: dialog._check is not None and dialog._check.group == GROUP, timeout=10_000)
    check = dialog._check
    assert check is not None and check.group_id == group["id"]
    assert dialog.outside_list.count() == len(outside)
    # v1 takes group changes now: no note, and both group buttons are there.
    assert not dialog.group_side_label.isVisibleTo(dialog)
    assert dialog.add_button.isVisibleTo(dialog) and dialog.add_button.isEnabled()
    assert dialog.add_button.text() == f"A&dd the {len(outside)} holders to the group"
    dialog.grab().save(str(artifacts / "group_check_v1.png"))

    dialog.confirm = lambda _title, _text: True
    changes: list[Action] = []
    dialog.group_change_queued.connect(changes.append)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(changes), timeout=10_000)
    outbox = community_of(controller).outbox
    qtbot.waitUntil(lambda: _state(outbox, changes[0].id) is ActionState.DONE, timeout=60_000)
    qtbot.waitUntil(lambda: dialog.outside_list.count() == 0 and dialog._check is not None, timeout=10_000)
    after = {m["id"] for m in _server(sandbox, f"/groups/{group['id']}/members", limit=5000)["items"]}
    assert after == on_server | outside

    # The next sync (the changes feed) agrees.
    session = session_of(controller)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
    before = session.last_sync
    session.sync()
    qtbot.waitUntil(lambda: session.last_sync != before, timeout=60_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
    assert check_group(cache, badge.id, GROUP).holders_outside == ()
    dialog.close()
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
