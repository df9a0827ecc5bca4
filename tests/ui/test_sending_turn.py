"""The window and a headless run of the same profile send in turns (desktop.outbox.sending_turn):
while another process holds the profile's sending turn the window sends nothing and says no
failure, then sends once the turn is free, each award once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.community import Community, Endpoint
from desktop.domain import ActionKind, ActionState
from desktop.sandbox.process import SandboxProcess
from tests.core.test_cli_headless import held_elsewhere, release
from tests.e2e.server_witness import award_rows
from tests.e2e.test_exactly_once import plan_trials
from tests.ui.test_failure_messages import dispose, tasks  # noqa: F401 - the fixture
from ui.operations import TaskManager
from ui.session import app_session
from ui.session.app_session import AppSession


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[SandboxProcess]:
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=200, seed=5) as process:
        yield process


def test_the_window_sends_after_a_headless_run_holding_the_profile(
    qtbot: QtBot,
    server: SandboxProcess,
    tasks: TaskManager,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app_session, "TURN_RETRY_MS", 200)
    community = Community(server.url, Endpoint(server.url, server.tokens["moderator"]))
    community.sync()
    [(badge_id, members)] = plan_trials(community.cache, 1, 5)
    community.outbox.queue_batch(ActionKind.AWARD, badge_id, members, reason="in turn")
    session = AppSession(community, tasks)
    try:
        said: list[str] = []
        session.error.connect(said.append)
        with held_elsewhere(community.cache.directory) as holder:
            with qtbot.waitSignal(session.send_finished, timeout=30_000) as finished:
                session.send_outbox()
            assert finished.args == [None]
            qtbot.wait(600)  # it looked again, and again found the turn taken
            assert session.last_error == ""
            # Said once in the status bar, not at each look.
            assert said == [
                "A scheduled run is sending this community's actions: this window sends after it."
            ]
            assert community.outbox.pending_count() == len(members)
            assert not set(award_rows(server, badge_id)) & set(members)
            release(holder)
            qtbot.waitUntil(
                lambda: community.outbox.counts() == {ActionState.DONE: len(members)}, timeout=30_000
            )
        qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
        rows = award_rows(server, badge_id)
        assert all(rows[m] == 1 for m in members)
        assert not session.waiting_for_turn
    finally:
        tasks.shutdown()
        community.close()
        dispose(session)
