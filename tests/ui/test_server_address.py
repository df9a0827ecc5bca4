"""The app refuses plain http to a host that is not loopback, or says loudly that it allows it (item 10)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.secrets import TokenStore
from tests.ui.conftest import window_of
from ui.shell.controller import AppController

#: The ``no_network`` fixture: fails anything that resolves a name or connects.
pytest_plugins = ("tests.network_guard",)

SERVER = "http://community.example.org"


def test_plain_http_server_is_refused_before_a_token_is_asked_or_sent(
    qtbot: QtBot, make_controller: Callable[..., AppController], no_network: list[str]
) -> None:
    TokenStore().set(SERVER, "secret-token")
    asked: list[str] = []

    def ask(_parent: QWidget | None, message: str) -> str | None:
        asked.append(message)
        return "typed-token"

    controller = make_controller(server=SERVER, ask_token=ask)
    status = window_of(controller).status
    qtbot.waitUntil(lambda: "use https" in status.message.text(), timeout=10_000)
    assert "loopback address for a local server" in status.message.text()
    qtbot.wait(200)
    assert controller.tasks.active == 0
    assert asked == []
    assert controller.community is not None and controller.community.endpoint is None
    assert not status.insecure.isVisible()
    assert no_network == []


def test_insecure_http_is_shown_in_the_title_and_the_status_bar(
    qtbot: QtBot, make_controller: Callable[..., AppController], no_network: list[str]
) -> None:
    # No token given: the window opens on the cache and nothing is sent anywhere.
    controller = make_controller(server=SERVER, insecure_http=True, ask_token=lambda *_: None)
    window = window_of(controller)
    qtbot.waitUntil(lambda: "No token given" in window.status.message.text(), timeout=10_000)
    assert "INSECURE HTTP" in window.windowTitle()
    assert window.status.insecure.isVisible()
    assert "unencrypted" in window.status.insecure.toolTip()
    # The community's name arrives with a sync; the warning stays in the title.
    window._named("Example Community")
    assert window.windowTitle().startswith("Example Community")
    assert "INSECURE HTTP" in window.windowTitle()
    assert no_network == []


def test_loopback_http_is_not_labelled_insecure(
    qtbot: QtBot, make_controller: Callable[..., AppController], no_network: list[str]
) -> None:
    controller = make_controller(server="http://127.0.0.1:9", insecure_http=True, ask_token=lambda *_: None)
    window = window_of(controller)
    qtbot.waitUntil(lambda: "No token given" in window.status.message.text(), timeout=10_000)
    assert "INSECURE" not in window.windowTitle()
    assert not window.status.insecure.isVisible()
