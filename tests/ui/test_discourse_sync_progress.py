"""Syncing the demo community over the sandbox's Discourse face in the app, offscreen.

Discourse counts neither members nor badge requests: the status bar says
which page it is on, how many requests are left (a floor until the members
and the badge requests are read) and how long they take at the forum's rate
limit. Discourse has no
changes feed: "Read everything again" runs the full pass now, and a pass that
would delete most of a kind asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.domain import ChangeSet
from desktop.sync import SyncResult
from desktop.sync.snapshot import WithheldSweep
from tests.ui.conftest import session_of, window_of
from ui.shell.controller import AppController

DEMO_MEMBERS = 300


def test_the_status_bar_tells_pages_requests_left_and_their_time(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS, demo_dialect="discourse")
    session = session_of(controller)
    status = window_of(controller).status
    shown: list[str] = []
    session.sync_progress.connect(lambda _p: shown.append(status.message.text()))
    qtbot.waitUntil(lambda: session.last_sync is not None, timeout=120_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)

    members = [text for text in shown if text.startswith("Syncing members page ")]
    assert members, shown
    assert "+ requests left · " in members[0] and members[0].endswith(" requests/min")
    # Discourse counts no groups and no requests either: on a first sync the requests left stay a
    # floor until both are read (the requests last), then what is left is exact.
    assert any(text.startswith("Syncing awards page ") and "+ requests left · " in text for text in shown), (
        shown
    )
    assert any(text.startswith("Syncing groups page ") and "+ request" in text for text in shown), shown
    assert shown[-1].startswith("Syncing requests page ") and " · ~0 requests left · " in shown[-1]


def test_a_withheld_sweep_is_confirmed_by_the_user_before_anything_is_deleted(
    qtbot: QtBot, make_controller: Callable[..., AppController], monkeypatch: pytest.MonkeyPatch
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS, demo_dialect="discourse")
    session = session_of(controller)
    qtbot.waitUntil(lambda: session.last_sync is not None, timeout=120_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)
    window = window_of(controller)
    assert window.full_pass_action.isVisible()  # Discourse has no changes feed
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(session, "sync", lambda **options: started.append(options))
    asked: list[str] = []
    answers = [False, True]

    def confirm(_parent: QWidget | None, _title: str, text: str) -> bool:
        asked.append(text)
        return answers.pop(0)

    window.confirm = confirm
    kept = SyncResult(
        full=True,
        changes=ChangeSet(),
        items=10,
        seconds=1.0,
        community="Demo",
        snapshot=True,
        withheld=[WithheldSweep("members", 200, 232)],
    )

    session.sync_finished.emit(kept)  # declined: nothing runs
    session.sync_finished.emit(kept)  # confirmed: a pass that may delete them

    assert len(asked) == 2 and "200 of the 232 members" in asked[0] and asked[0].endswith("Delete them now?")
    assert started == [{"snapshot": True, "confirm_sweep": True}]
    session.sync_finished.emit(
        SyncResult(full=False, changes=ChangeSet(), items=0, seconds=0.1, community="D")
    )
    assert len(asked) == 2

    window.full_pass_action.trigger()
    assert started[-1] == {"snapshot": True}
