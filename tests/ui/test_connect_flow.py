"""Connecting the app: ``--server`` without enough to connect opens the connect dialog, what the
user chose is remembered per profile (never the key), and File → Connect to a server… leaves one
community for another. Against a forum speaking Discourse on loopback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop import settings as settings_store
from desktop.sandbox.process import SandboxProcess
from desktop.secrets import TokenStore
from desktop.settings import ConnectionChoice, Settings
from tests.ui.conftest import community_of, session_of, wait_idle_after_sync, window_of
from ui.connect.connect_dialog import ConnectForm, Connection
from ui.shell.controller import AppController

CLOSED = "http://127.0.0.1:9"


def never(*_args: object) -> None:
    raise AssertionError("nothing should have been asked")


def test_server_alone_asks_in_the_dialog_then_connects_the_same_way_next_time(
    qtbot: QtBot, make_controller: Callable[..., AppController], discourse_forum: SandboxProcess
) -> None:
    url = discourse_forum.url
    key, admin = discourse_forum.tokens["admin"], discourse_forum.usernames["admin"]
    forms: list[ConnectForm] = []

    def ask(_parent: object, form: ConnectForm) -> Connection:
        forms.append(form)
        return Connection(url, ConnectionChoice("discourse", admin, ""), key)

    settings = Settings()
    # ``badgedesk --server URL``: no kind given, none remembered.
    first = make_controller(settings, server=url, server_kind=None, ask_connection=ask, ask_token=never)
    wait_idle_after_sync(qtbot, first)
    [form] = forms
    assert form.url == url and form.url_fixed and not form.key_stored
    assert "the kind of server" in form.message
    endpoint = community_of(first).endpoint
    assert endpoint is not None and (endpoint.kind, endpoint.username) == ("discourse", admin)
    # The key went to the keyring once the forum accepted it; the rest to the settings.
    qtbot.waitUntil(lambda: TokenStore().get(url) == key, timeout=10_000)
    assert settings.connection(url) == ConnectionChoice("discourse", admin, "")
    settings_store.save(settings)
    assert key not in settings_store.settings_path().read_text()
    first.shutdown()

    # The next run, ``--server URL`` alone: nothing asked, the same way in.
    second = make_controller(
        settings_store.load(), server=url, server_kind=None, ask_connection=never, ask_token=never
    )
    wait_idle_after_sync(qtbot, second)
    endpoint = community_of(second).endpoint
    assert endpoint is not None
    assert (endpoint.kind, endpoint.username, endpoint.token) == ("discourse", admin, key)
    assert session_of(second).capabilities is not None
    assert window_of(second).status.online.text() == "● Online"


def test_flags_win_over_what_was_remembered(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    settings = Settings()
    settings.remember_connection(CLOSED, ConnectionChoice("discourse", "mod_alice", "badge-requests"))
    asked: list[str] = []

    def ask_token(_parent: object, message: str) -> None:
        asked.append(message)

    controller = make_controller(
        settings, server=CLOSED, server_kind=None, username="mod_bob", ask_token=ask_token
    )
    assert (controller.server_kind, controller.username, controller.request_category) == (
        "discourse",
        "mod_bob",
        "badge-requests",
    )
    # Only the key is missing: asked for at the prompt, which says which key to create.
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert "Admin → Advanced → API keys" in asked[0] and CLOSED in asked[0]
    assert "No token given" in window_of(controller).status.message.text()


def test_a_remembered_choice_of_another_kind_is_not_used(
    make_controller: Callable[..., AppController],
) -> None:
    settings = Settings()
    settings.remember_connection(CLOSED, ConnectionChoice("discourse", "mod_alice", "badge-requests"))
    controller = make_controller(
        settings, server=CLOSED, server_kind="badgedesk-v1", ask_token=lambda *_: None
    )
    assert (controller.username, controller.request_category) == ("", "")


def test_discourse_without_a_username_opens_the_dialog_and_a_stored_key_is_kept(
    qtbot: QtBot, make_controller: Callable[..., AppController], discourse_forum: SandboxProcess
) -> None:
    url = discourse_forum.url
    key, admin = discourse_forum.tokens["admin"], discourse_forum.usernames["admin"]
    TokenStore().set(url, key)
    forms: list[ConnectForm] = []

    def ask(_parent: object, form: ConnectForm) -> Connection:
        forms.append(form)
        return Connection(url, ConnectionChoice("discourse", admin, ""), "")

    controller = make_controller(server=url, server_kind="discourse", ask_connection=ask, ask_token=never)
    wait_idle_after_sync(qtbot, controller)
    [form] = forms
    assert form.key_stored and form.choice is not None and form.choice.kind == "discourse"
    assert "the username the API key acts as" in form.message
    endpoint = community_of(controller).endpoint
    assert endpoint is not None and (endpoint.username, endpoint.token) == (admin, key)


def test_a_cancelled_dialog_leaves_the_app_offline_on_the_cache(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(server=CLOSED, server_kind=None, ask_connection=lambda *_: None)
    status = window_of(controller).status
    qtbot.waitUntil(lambda: "Not connected" in status.message.text(), timeout=10_000)
    assert community_of(controller).endpoint is None


def test_the_menu_leaves_the_demo_for_a_forum(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    discourse_forum: SandboxProcess,
    artifacts: Path,
) -> None:
    url = discourse_forum.url
    key, admin = discourse_forum.tokens["admin"], discourse_forum.usernames["admin"]
    forms: list[ConnectForm] = []

    def ask(_parent: object, form: ConnectForm) -> Connection:
        forms.append(form)
        return Connection(url, ConnectionChoice("discourse", admin, ""), key)

    controller = make_controller(demo_members=100, ask_connection=ask, ask_token=never)
    wait_idle_after_sync(qtbot, controller)
    demo_window = window_of(controller)
    demo_window.connect_action.trigger()
    [form] = forms
    assert form.url == "" and not form.url_fixed and form.choice is None
    qtbot.waitUntil(lambda: controller.window not in (None, demo_window), timeout=30_000)
    new_window = window_of(controller)
    qtbot.addWidget(new_window)
    wait_idle_after_sync(qtbot, controller)
    assert controller.profile == url and controller.sandbox is None
    assert not demo_window.isVisible() and new_window.isVisible()
    endpoint = community_of(controller).endpoint
    assert endpoint is not None and (endpoint.kind, endpoint.username) == ("discourse", admin)
    qtbot.waitUntil(lambda: TokenStore().get(url) == key, timeout=10_000)
    assert controller.settings.connection(url) == ConnectionChoice("discourse", admin, "")
    assert community_of(controller).cache.counts().members > 0
    # Discourse keeps requests in a category: the Settings menu offers to choose it.
    assert new_window.request_category_action.isVisible()
    new_window.grab().save(str(artifacts / "connected-to-forum.png"))


def test_the_menu_on_the_same_server_reconnects_with_the_new_choice_and_the_key_in_use(
    qtbot: QtBot, make_controller: Callable[..., AppController], discourse_forum: SandboxProcess
) -> None:
    url = discourse_forum.url
    key, admin = discourse_forum.tokens["admin"], discourse_forum.usernames["admin"]
    answers = [Connection(url, ConnectionChoice("discourse", admin, "badge-requests"), "")]
    forms: list[ConnectForm] = []

    def ask(_parent: object, form: ConnectForm) -> Connection:
        forms.append(form)
        return answers.pop(0)

    TokenStore().set(url, key)
    controller = make_controller(
        server=url, server_kind="discourse", username=admin, ask_connection=ask, ask_token=never
    )
    wait_idle_after_sync(qtbot, controller)
    window = window_of(controller)
    synced_before = session_of(controller).last_sync
    window.connect_action.trigger()
    [form] = forms
    assert form.url == url and form.key_stored and form.choice == ConnectionChoice("discourse", admin, "")
    # The same cache and window: only the way in changed.
    assert window_of(controller) is window
    qtbot.waitUntil(lambda: session_of(controller).last_sync != synced_before, timeout=30_000)
    wait_idle_after_sync(qtbot, controller)
    endpoint = community_of(controller).endpoint
    assert endpoint is not None and (endpoint.request_category, endpoint.token) == ("badge-requests", key)
    assert controller.settings.connection(url) == ConnectionChoice("discourse", admin, "badge-requests")


def test_without_a_keyring_the_dialog_says_so_and_the_key_stays_in_memory(
    qtbot: QtBot, make_controller: Callable[..., AppController], isolated_dirs: Path
) -> None:
    import keyring

    from tests.core.test_settings_and_secrets import FailingKeyring

    keyring.set_keyring(FailingKeyring())
    forms: list[ConnectForm] = []

    def ask(_parent: object, form: ConnectForm) -> Connection:
        forms.append(form)
        return Connection(CLOSED, ConnectionChoice("discourse", "mod_alice", ""), "memory-only-key")

    settings = Settings()
    controller = make_controller(settings, server=CLOSED, server_kind=None, ask_connection=ask)
    qtbot.waitUntil(lambda: bool(forms), timeout=10_000)
    assert "No system keyring" in forms[0].keyring_note
    qtbot.waitUntil(lambda: community_of(controller).endpoint is not None, timeout=10_000)
    endpoint = community_of(controller).endpoint
    assert endpoint is not None and endpoint.token == "memory-only-key"
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
    settings_store.save(settings)
    for path in isolated_dirs.rglob("*"):
        if path.is_file():
            assert b"memory-only-key" not in path.read_bytes(), path
