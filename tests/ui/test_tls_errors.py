"""The app says plainly that a certificate could not be verified: not "Offline", no retry loop (item 11)."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from desktop.community import Community
from desktop.secrets import TokenStore
from tests.tls_server import TlsServer
from tests.ui.conftest import window_of
from ui.shell.controller import AppController


def test_an_untrusted_certificate_is_shown_as_such_and_not_retried(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    with TlsServer("self-signed") as server:
        # Work prepared earlier, waiting to be sent.
        community = Community(server.url, None)
        community.outbox.queue_awards([1, 2, 3], 1)
        community.close()

        controller = make_controller(server=server.url, ask_token=lambda *_: "typed-token")
        session = controller.session
        status = window_of(controller).status
        assert session is not None
        qtbot.waitUntil(lambda: "certificate could not be verified" in status.message.text(), timeout=30_000)
        assert "self-signed certificate" in status.message.text()
        assert "Offline" not in status.message.text()
        assert "Certificate" in status.online.text() and "Offline" not in status.online.text()
        assert session.online is not False
        # Nothing is retried behind the user's back, and nothing is lost.
        assert not session._retry_timer.isActive()
        qtbot.wait(1500)
        assert server.connections == 1
        qtbot.waitUntil(lambda: status.pending.text() == "Pending actions: 3")
        # The typed token never reached the server: it is not stored as if accepted.
        assert TokenStore().get(server.url) is None

        # Asking again tries once more, and says the same.
        with qtbot.waitSignal(session.sync_finished, timeout=30_000):
            session.sync()
        assert server.connections == 2
        assert "certificate could not be verified" in status.message.text()
        assert status.pending.text() == "Pending actions: 3"
        controller.shutdown()
