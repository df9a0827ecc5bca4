"""A tiny https server on 127.0.0.1 with a certificate made by trustme, for TLS failure tests.

It counts the TCP connections it accepts (each one is a TLS handshake
attempt), so a test can tell whether the client retried. Every request that
gets through the handshake is answered like ``GET /api/v1/me`` of the sandbox.
"""

from __future__ import annotations

import datetime
import http.server
import json
import socket
import ssl
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Literal

import trustme

CertKind = Literal["valid", "self-signed", "expired", "wrong-host"]


class _Handler(http.server.BaseHTTPRequestHandler):
    # A client that keeps its connection open does not hold the test up for long.
    timeout = 5
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = json.dumps({"name": "Alice Moderator", "role": "moderator", "member_id": None}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    # Handler threads are joined on close, so no test leaves one running.
    daemon_threads = False
    block_on_close = True

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.context = context
        self.connections = 0
        self.handshake_errors: list[str] = []

    def get_request(self) -> tuple[socket.socket, tuple[str, int]]:
        raw, address = self.socket.accept()
        self.connections += 1
        try:
            return self.context.wrap_socket(raw, server_side=True), address
        except (ssl.SSLError, OSError) as error:
            self.handshake_errors.append(str(error))
            raw.close()
            raise

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class TlsServer:
    """``with TlsServer("expired") as server:`` → ``server.url``, ``server.connections``."""

    def __init__(self, kind: CertKind) -> None:
        self.kind = kind
        self.ca = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        if kind == "self-signed":
            # The CA's own certificate as the server's: signed by itself, trusted by nobody.
            self._key_dir = tempfile.TemporaryDirectory()
            cert = Path(self._key_dir.name) / "cert.pem"
            key = Path(self._key_dir.name) / "key.pem"
            cert.write_bytes(self.ca.cert_pem.bytes())
            key.write_bytes(self.ca.private_key_pem.bytes())
            context.load_cert_chain(cert, key)
        elif kind == "expired":
            past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
            leaf = self.ca.issue_cert(
                "127.0.0.1", not_before=past - datetime.timedelta(days=365), not_after=past
            )
            leaf.configure_cert(context)
        elif kind == "wrong-host":
            self.ca.issue_cert("community.example.org").configure_cert(context)
        else:
            self.ca.issue_cert("127.0.0.1").configure_cert(context)
        self._server = _Server(context)
        self._thread = threading.Thread(target=self._server.serve_forever, name="tls-server", daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def connections(self) -> int:
        return self._server.connections

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's CA (so only the certificate's own flaw shows)."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    def __enter__(self) -> TlsServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        if self.kind == "self-signed":
            self._key_dir.cleanup()
