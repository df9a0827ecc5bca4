"""A refused token pauses sending until a new one is given; a user's own pause is left alone (item 7)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.net.errors import AuthError
from desktop.outbox import PauseReason

URL = "http://127.0.0.1:9"


def _server(status: int) -> httpx.MockTransport:
    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": "unauthorized", "message": "Unknown token."})

    return httpx.MockTransport(answer)


def _community(tmp_path: Path, status: int) -> Community:
    return Community(URL, Endpoint(URL, "old"), Cache(tmp_path / "cache.sqlite3"), transport=_server(status))


def test_a_401_on_sync_or_send_pauses_and_a_new_token_resumes(tmp_path: Path) -> None:
    community = _community(tmp_path, 401)
    try:
        queued = community.outbox.queue_awards([1, 2], 3)
        with pytest.raises(AuthError):
            community.sync()
        assert community.outbox.pause_reason() is PauseReason.TOKEN_REFUSED
        # Paused: sending does not even ask the server.
        assert community.send_outbox().paused
        assert community.use_token("new") is True
        assert community.endpoint == Endpoint(URL, "new")
        assert not community.outbox.paused()
        with pytest.raises(AuthError):
            community.send_outbox()
        assert community.outbox.pause_reason() is PauseReason.TOKEN_REFUSED
        assert [a.idempotency_key for a in community.outbox.actions()] == [a.idempotency_key for a in queued]
    finally:
        community.close()


def test_the_pause_outlives_a_restart(tmp_path: Path) -> None:
    community = _community(tmp_path, 401)
    with pytest.raises(AuthError):
        community.sync()
    community.close()
    again = _community(tmp_path, 200)
    try:
        assert again.outbox.pause_reason() is PauseReason.TOKEN_REFUSED
        assert again.use_token("new")
    finally:
        again.close()


def test_a_user_pause_is_not_lifted_by_a_new_token(tmp_path: Path) -> None:
    community = _community(tmp_path, 401)
    try:
        community.outbox.set_paused(True)
        with pytest.raises(AuthError):
            community.sync()
        assert community.outbox.pause_reason() is PauseReason.USER
        assert community.use_token("new") is False
        assert community.outbox.paused()
    finally:
        community.close()


def test_a_403_does_not_pause(tmp_path: Path) -> None:
    community = _community(tmp_path, 403)
    try:
        with pytest.raises(AuthError):
            community.sync()
        assert not community.outbox.paused()
    finally:
        community.close()
