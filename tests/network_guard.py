"""A tripwire for tests that must not reach any host: name resolution and connections fail.

Import the ``no_network`` fixture into a test module; it lists what was
attempted (URLs and addresses), so a test can also assert that nothing was.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    attempts: list[str] = []

    def refuse(*args: Any, **_kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise OSError("this test must not touch the network")

    def refuse_request(_transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        attempts.append(str(request.url))
        raise httpx.ConnectError("this test must not touch the network", request=request)

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse_request)
    yield attempts
