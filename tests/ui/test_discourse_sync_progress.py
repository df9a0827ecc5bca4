"""The status bar while the app syncs the demo community over the sandbox's Discourse face, offscreen.

Discourse counts neither members nor requests left: the bar says which page
it is on, how many requests are left (a floor while the members are read)
and how long they take at the forum's rate limit.
"""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

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
    assert any(text.startswith("Syncing awards page ") and " · ~" in text for text in shown)
