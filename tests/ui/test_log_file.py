"""The app's log after a session on the Discourse demo: written, and never with a token in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop import logs
from tests.ui.conftest import DISCOURSE_MEMBERS, wait_idle_after_sync
from ui.shell.controller import AppController


@pytest.fixture()
def debug_log() -> Iterator[None]:
    # As ``badgedesk --debug`` sets it up before the controller starts.
    logs.setup_logging(debug=True)
    yield
    logs.stop_logging()


def test_a_debug_session_on_the_discourse_demo_logs_no_token(
    qtbot: QtBot, make_controller: Callable[..., AppController], debug_log: None
) -> None:
    controller = make_controller(demo_members=DISCOURSE_MEMBERS, demo_dialect="discourse")
    wait_idle_after_sync(qtbot, controller)
    assert controller.sandbox is not None
    tokens = dict(controller.sandbox.tokens)
    text = logs.log_file().read_text(encoding="utf-8")
    assert " DEBUG " in text
    assert "INFO desktop.community: full sync of demo-discourse: " in text
    assert tokens and all(token not in text for token in tokens.values())
