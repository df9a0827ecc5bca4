"""A certificate that cannot be verified is its own error, never "offline", never retried (item 11).

Against a real https server on 127.0.0.1 with trustme certificates.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop import cli
from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.domain import ActionState
from desktop.net.errors import ApiError, ServerUnreachable, TlsError
from desktop.outbox import Outbox, RetryPolicy
from desktop.secrets import TokenStore
from tests.tls_server import CertKind, TlsServer


@pytest.fixture()
def tls_server(request: pytest.FixtureRequest) -> Iterator[TlsServer]:
    kind: CertKind = request.param
    with TlsServer(kind) as server:
        yield server


def _connector(server: TlsServer, *, trust_ca: bool) -> CommunityApiConnector:
    # Trusting the test CA leaves only the certificate's own flaw to fail on.
    transport = httpx.HTTPTransport(verify=server.client_context()) if trust_ca else None
    return CommunityApiConnector(server.url, "secret-token", transport=transport, max_attempts=6)


@pytest.mark.parametrize("tls_server", ["valid"], indirect=True)
def test_a_valid_certificate_connects(tls_server: TlsServer) -> None:
    with _connector(tls_server, trust_ca=True) as connector:
        assert connector.whoami().name == "Alice Moderator"


@pytest.mark.parametrize(
    ("tls_server", "trust_ca", "reason"),
    [
        ("self-signed", False, "self-signed certificate"),
        ("expired", True, "certificate has expired"),
        ("wrong-host", True, "certificate is not valid for '127.0.0.1'"),
    ],
    indirect=["tls_server"],
)
def test_an_unverifiable_certificate_is_its_own_error_and_not_retried(
    tls_server: TlsServer, trust_ca: bool, reason: str
) -> None:
    with _connector(tls_server, trust_ca=trust_ca) as connector, pytest.raises(ApiError) as raised:
        connector.whoami()
    error = raised.value
    assert not isinstance(error, ServerUnreachable)
    assert "ConnectError" not in str(error) and "nreachable" not in str(error)
    assert "certificate could not be verified" in str(error)
    assert reason in str(error)
    assert "\n" not in str(error)
    # One handshake: a certificate does not get better by asking again.
    assert tls_server.connections == 1


@pytest.mark.parametrize("tls_server", ["self-signed", "expired"], indirect=True)
def test_the_outbox_stops_at_once_and_keeps_every_action(tls_server: TlsServer, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    try:
        outbox = Outbox(cache, actor="Alice Moderator")
        queued = outbox.queue_awards(range(1, 8), 3, reason="tls test")
        with _connector(tls_server, trust_ca=True) as connector, pytest.raises(ApiError) as raised:
            outbox.send_pending(
                connector, batch_cap=50, retry=RetryPolicy(attempts=4, first_delay=0.01, max_delay=0.01)
            )
        assert "certificate could not be verified" in str(raised.value)
        assert tls_server.connections == 1
        counts = outbox.counts()
        # Nothing failed (the request never left): all still to send, with their keys.
        assert counts.get(ActionState.FAILED, 0) == 0
        assert outbox.pending_count() == len(queued)
    finally:
        cache.close()


@pytest.mark.parametrize("tls_server", ["self-signed"], indirect=True)
def test_sync_command_says_the_certificate_could_not_be_verified(
    tls_server: TlsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    TokenStore().set(tls_server.url, "secret-token")
    assert cli.main(["sync", "--server", tls_server.url]) == 1
    err = capsys.readouterr().err
    assert "certificate could not be verified (self-signed certificate)" in err
    assert "Offline" not in err and "unreachable" not in err and "ConnectError" not in err
    assert tls_server.connections == 1


def test_https_to_a_plain_http_server_is_a_tls_error_too() -> None:
    import http.server
    import threading

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}"
        with CommunityApiConnector(url, "secret-token") as connector, pytest.raises(TlsError) as raised:
            connector.whoami()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert not raised.value.certificate
    assert "No secure connection could be made to 127.0.0.1" in str(raised.value)
