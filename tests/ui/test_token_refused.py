"""A token revoked while sending: paused, said so, a new token asked for, sending resumed (item 7)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.domain import ActionState
from desktop.sandbox.process import SandboxProcess
from desktop.secrets import TokenStore
from tests.e2e.test_token_refused import new_token, revoke
from tests.ui.conftest import community_of, window_of
from ui.shell.controller import AppController


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[SandboxProcess]:
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=200, seed=2) as process:
        yield process


def _synced(qtbot: QtBot, controller: AppController) -> None:
    qtbot.waitUntil(
        lambda: controller.session is not None and controller.session.last_sync is not None, timeout=60_000
    )
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)


def _queue_awards(controller: AppController, count: int) -> list[set[str]]:
    """Queue awards of a published badge to active members without it.

    The change runs on the writer: the list gets their keys (one set) once it is done.
    """
    assert controller.community is not None
    cache = controller.community.cache
    badge = next(b for b in cache.badges() if b.state == "published")
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id FROM members WHERE status = 'active' AND id NOT IN"
            " (SELECT member_id FROM awards WHERE badge_id = ?) ORDER BY id LIMIT ?",
            (badge.id, count),
        )
        members = [m for (m,) in rows]
    assert controller.session is not None
    queued: list[set[str]] = []
    controller.session.change_outbox(
        "queue awards",
        lambda outbox: {a.idempotency_key for a in outbox.queue_awards(members, badge.id, reason="ui")},
        on_done=queued.append,
    )
    return queued


def test_a_revoked_token_pauses_sending_asks_for_a_new_one_and_resumes(
    qtbot: QtBot, make_controller: Callable[..., AppController], sandbox: SandboxProcess
) -> None:
    first = sandbox.tokens["moderator"]
    TokenStore().set(sandbox.url, first)
    seen: list[tuple[str, str, bool, str]] = []
    second: list[str] = []

    def ask(_parent: QWidget | None, message: str) -> str | None:
        assert controller.session is not None
        status = window_of(controller).status
        seen.append((status.online.text(), status.message.text(), controller.session.paused, message))
        return second[0]

    controller = make_controller(server=sandbox.url, ask_token=ask)
    _synced(qtbot, controller)
    session = controller.session
    assert session is not None and controller.community is not None
    status = window_of(controller).status
    assert status.online.text() == "● Online"

    # Revoked on the server (from another device, say), with a new one issued.
    second.append(new_token(sandbox, first))
    revoke(sandbox, first)
    queued = _queue_awards(controller, 60)

    qtbot.waitUntil(lambda: len(seen) == 1, timeout=30_000)
    online, message, paused, asked = seen[0]
    assert online == "⚠ Token refused"
    assert "token was refused" in message and "paused" in message
    assert paused
    assert "refused" in asked
    # The new token is used, sending resumes, and it goes to the keyring once accepted.
    qtbot.waitUntil(lambda: status.pending.text() == "Pending actions: 0", timeout=60_000)
    qtbot.waitUntil(lambda: TokenStore().get(sandbox.url) == second[0], timeout=10_000)
    assert status.online.text() == "● Online"
    community = community_of(controller)
    assert not session.paused and not community.outbox.paused()
    assert len(seen) == 1
    keys = set().union(*queued)
    done = {a.idempotency_key for a in community.outbox.actions([ActionState.DONE])}
    assert keys and keys <= done


def test_declining_to_give_a_new_token_keeps_sending_paused(
    qtbot: QtBot, make_controller: Callable[..., AppController], sandbox: SandboxProcess
) -> None:
    first = sandbox.tokens["moderator"]
    TokenStore().set(sandbox.url, first)
    asked: list[str] = []

    def ask(_parent: QWidget | None, message: str) -> str | None:
        asked.append(message)
        return None

    controller = make_controller(server=sandbox.url, ask_token=ask)
    _synced(qtbot, controller)
    revoke(sandbox, first)
    _queue_awards(controller, 5)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=30_000)
    window = window_of(controller)
    status = window.status
    qtbot.waitUntil(lambda: "Resume sending" in status.message.text(), timeout=10_000)
    assert status.online.text() == "⚠ Token refused"
    assert controller.session is not None and controller.session.paused
    assert status.pending.text() == "Pending actions: 5"
    assert window.outbox.pause_button.text() == "Resume sendin&g"
    # A sync (the periodic one, say) is refused too, but does not ask again.
    session = controller.session
    with qtbot.waitSignal(session.sync_finished, timeout=30_000):
        session.sync()
    qtbot.wait(300)
    assert len(asked) == 1
    # Resume sending asks again.
    session.set_paused(False)
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=30_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
    assert session.paused
