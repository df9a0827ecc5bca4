"""The main window on a real demo community, offscreen."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.secrets import TokenStore
from tests.core.test_cache import badge, member
from tests.ui.conftest import EVERY_PANE, community_of, window_of
from ui.shell.controller import AppController

DEMO_MEMBERS = 600


def wait_synced(qtbot: QtBot, controller: AppController, timeout: int = 60_000) -> None:
    qtbot.waitUntil(
        lambda: controller.session is not None and controller.session.last_sync is not None, timeout=timeout
    )
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=timeout)


def test_first_launch_shows_the_synced_demo_community(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS)
    # The demo server is still starting (seeding): the sync has not begun.
    assert controller.session is not None and controller.sandbox is None
    shown: list[tuple[int, int, str]] = []
    bar = window_of(controller).status.progress
    controller.session.sync_progress.connect(
        lambda _p: shown.append((bar.value(), bar.maximum(), bar.format()))
    )
    wait_synced(qtbot, controller)
    window = controller.window
    assert window is not None and controller.sandbox is not None
    sandbox_process = controller.sandbox

    # The panes, with data from the cache.
    titles = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert titles == EVERY_PANE
    assert window.members.model.rowCount() == DEMO_MEMBERS
    assert window.members.count_label.text() == f"{DEMO_MEMBERS} members"
    qtbot.waitUntil(lambda: window.badges.model.rowCount() >= 50)
    qtbot.waitUntil(lambda: window.queue.model.rowCount() > 0)
    # Rows are loaded lazily, off the GUI thread: a visible row fills in.
    first = window.members.model.index(0, 0)
    window.members.model.data(first)
    qtbot.waitUntil(lambda: window.members.model.data(first) not in ("…", None))

    # The status bar tells the sync state.
    status = window.status
    assert status.online.text() == "● Online"
    assert status.last_sync.text() == "Last sync: just now"
    assert status.pending.text() == "Pending actions: 0"
    assert "Full sync done" in status.message.text()
    assert not status.progress.isVisible()
    # Progress was shown as it went, and reached the end.
    assert len(shown) > 3
    assert shown[-1][0] == shown[-1][1] > 0
    assert any(text.startswith("Syncing members") for _v, _m, text in shown)
    assert "BadgeDesk" in window.windowTitle()

    window.resize(1200, 760)
    for index, name in enumerate(("members", "badges", "queue")):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(50)
        window.grab().save(str(artifacts / f"main_window_{name}.png"))
    window.tabs.setCurrentIndex(0)
    window.grab().save(str(artifacts / "main_window.png"))

    controller.shutdown()
    # Closing the app stops the sandbox it started.
    assert not sandbox_process.running
    with pytest.raises(ProcessLookupError):
        os.kill(sandbox_process.pid, 0)


def test_second_sync_is_incremental_and_shows_pending_actions(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS)
    wait_synced(qtbot, controller)
    session = controller.session
    assert session is not None
    badge = next(b for b in session.community.cache.badges() if b.state == "published")
    session.community.outbox.queue_awards([1, 2, 3], badge.id, reason="ui test")
    session.refresh_pending()
    status = window_of(controller).status
    qtbot.waitUntil(lambda: status.pending.text() == "Pending actions: 3")
    with qtbot.waitSignal(session.sync_finished, timeout=30_000) as finished:
        session.sync()
    assert finished.args[0] is not None and not finished.args[0].full
    # The outbox was sent with the sync; the count follows.
    qtbot.waitUntil(lambda: status.pending.text() == "Pending actions: 0")


def test_unreachable_server_means_offline_mode_on_the_cache(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    url = "http://127.0.0.1:9"
    TokenStore().set(url, "some-token")
    # Something cached from an earlier session, and an action prepared offline.
    community = Community(url, None)
    community.outbox.queue_awards([1], 1)
    community.close()

    controller = make_controller(server=url)
    qtbot.waitUntil(
        lambda: controller.session is not None and controller.session.online is False, timeout=30_000
    )
    status = window_of(controller).status
    assert status.online.text() == "○ Offline"
    assert "Offline" in status.message.text()
    qtbot.waitUntil(lambda: status.pending.text() == "Pending actions: 1")


class _Liar(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"name": "Liar", "api_version": "1", "capabilities": "yes"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def sandbox_url_and_tokens(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    from desktop.sandbox.process import SandboxProcess

    with SandboxProcess(data_dir=tmp_path / "sandbox", members=100, seed=2) as process:
        yield process.url, process.tokens


@pytest.fixture()
def liar_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Liar)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_malformed_server_response_is_reported_and_cache_untouched(
    qtbot: QtBot, make_controller: Callable[..., AppController], liar_server: str
) -> None:
    TokenStore().set(liar_server, "token")
    controller = make_controller(server=liar_server)
    status = window_of(controller).status
    qtbot.waitUntil(lambda: "Malformed response" in status.message.text(), timeout=30_000)
    assert "cache was left as it was" in status.message.text()
    assert controller.community is not None
    assert controller.community.cache.counts().members == 0
    assert controller.community.cache.sync_state() == {}


def test_token_is_asked_once_and_kept_in_the_keyring(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    sandbox_url_and_tokens: tuple[str, dict[str, str]],
) -> None:
    url, tokens = sandbox_url_and_tokens
    asked: list[str] = []

    def ask(_parent: object, message: str) -> str:
        asked.append(message)
        return tokens["moderator"]

    first = make_controller(server=url, ask_token=ask)
    # Kept once the server answered without refusing it.
    qtbot.waitUntil(lambda: TokenStore().get(url) == tokens["moderator"], timeout=30_000)
    assert len(asked) == 1
    first.shutdown()

    second = make_controller(server=url, ask_token=ask)
    qtbot.waitUntil(
        lambda: second.community is not None and second.community.endpoint is not None, timeout=10_000
    )
    endpoint = community_of(second).endpoint
    assert endpoint is not None and endpoint.token == tokens["moderator"]
    assert len(asked) == 1


def test_an_answer_that_cannot_be_read_does_not_vouch_for_a_typed_token(
    qtbot: QtBot, make_controller: Callable[..., AppController], liar_server: str
) -> None:
    """A proxy's or a login page's answer says nothing of the token: it is not stored."""
    controller = make_controller(server=liar_server, ask_token=lambda _p, _m: "typed-token")
    status = window_of(controller).status
    qtbot.waitUntil(lambda: "Malformed response" in status.message.text(), timeout=30_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=10_000)
    assert TokenStore().get(liar_server) is None


def test_a_refused_token_is_not_stored(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    sandbox_url_and_tokens: tuple[str, dict[str, str]],
) -> None:
    url, _tokens = sandbox_url_and_tokens
    controller = make_controller(server=url, ask_token=lambda _p, _m: "wrong-token")
    status = window_of(controller).status
    qtbot.waitUntil(lambda: "token was refused" in status.message.text(), timeout=30_000)
    assert TokenStore().get(url) is None


def test_without_a_keyring_the_token_is_asked_each_session_and_never_stored(
    qtbot: QtBot, make_controller: Callable[..., AppController], liar_server: str, isolated_dirs: Path
) -> None:
    import keyring

    from tests.core.test_settings_and_secrets import FailingKeyring

    keyring.set_keyring(FailingKeyring())
    asked: list[str] = []

    def ask(_parent: object, message: str) -> str:
        asked.append(message)
        return "session-only-token"

    first = make_controller(server=liar_server, ask_token=ask)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10_000)
    assert "No system keyring" in asked[0]
    qtbot.waitUntil(lambda: first.community is not None and first.community.endpoint is not None)
    endpoint = community_of(first).endpoint
    assert endpoint is not None and endpoint.token == "session-only-token"
    first.shutdown()

    make_controller(server=liar_server, ask_token=ask)
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=10_000)
    # The token is nowhere on disk.
    for path in isolated_dirs.rglob("*"):
        if path.is_file():
            assert b"session-only-token" not in path.read_bytes(), path


def test_hidden_panes_load_after_the_members_list_without_being_shown(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    url = "http://127.0.0.1:9"
    TokenStore().set(url, "some-token")
    community = Community(url, None)
    with community.cache.write() as connection:
        Cache.upsert_members(connection, [member(i, f"Member {i}") for i in range(1, 31)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
    community.close()

    controller = make_controller(server=url)
    qtbot.waitUntil(lambda: controller.session is not None and controller.tasks.active == 0, timeout=30_000)
    window = window_of(controller)
    assert window.tabs.currentWidget() is window.members
    assert window.members.model.rowCount() == 30
    # Loaded in the background, never shown: the badges, the filter choices.
    assert window.badges.model.rowCount() == 2
    assert set(window.members.badges) == {1, 2}
    assert window.members.groups == ["staff"]


def test_showing_another_tab_starts_the_loads_held_behind_the_members(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    url = "http://127.0.0.1:9"
    TokenStore().set(url, "some-token")
    controller = make_controller(server=url)
    qtbot.waitUntil(lambda: controller.session is not None and controller.tasks.active == 0, timeout=30_000)
    window = window_of(controller)
    gate = threading.Event()
    loaded: list[str] = []
    controller.tasks.start("a long members read", lambda _c, _r: gate.wait(10))
    controller.tasks.start("hidden pane", lambda _c, _r: "loaded", on_success=loaded.append, background=True)
    qtbot.wait(50)
    assert loaded == []
    window.tabs.setCurrentWidget(window.badges)
    qtbot.waitUntil(lambda: loaded == ["loaded"], timeout=1000)
    gate.set()
