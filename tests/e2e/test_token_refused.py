"""A token revoked while sending: the outbox pauses, a new token resumes it, nothing twice (item 7).

Against a real sandbox over loopback HTTP: its token endpoints issue a second
token and revoke the first, as a moderator would from another device.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.domain import ActionState
from desktop.net.errors import AuthError
from desktop.outbox import PauseReason
from desktop.sandbox.process import SandboxProcess


def new_token(sandbox: SandboxProcess, token: str) -> str:
    answer = httpx.post(
        f"{sandbox.url}/api/v1/me/tokens", headers={"Authorization": f"Bearer {token}"}, timeout=15
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["name"] == "Alice Moderator" and body["role"] == "moderator"
    issued: str = body["token"]
    return issued


def revoke(sandbox: SandboxProcess, token: str) -> None:
    answer = httpx.delete(
        f"{sandbox.url}/api/v1/me/token", headers={"Authorization": f"Bearer {token}"}, timeout=15
    )
    assert answer.status_code == 204, answer.text


def whoami_status(sandbox: SandboxProcess, token: str) -> int:
    return httpx.get(
        f"{sandbox.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=15
    ).status_code


def test_sandbox_issues_and_revokes_tokens(sandbox: SandboxProcess) -> None:
    first = sandbox.tokens["moderator"]
    second = new_token(sandbox, first)
    assert second != first
    assert whoami_status(sandbox, second) == 200
    revoke(sandbox, first)
    assert whoami_status(sandbox, first) == 401
    assert whoami_status(sandbox, second) == 200
    # Bob's token is his own: revoking Alice's left it alone.
    assert whoami_status(sandbox, sandbox.tokens["moderator2"]) == 200


class KeyRecorder(httpx.BaseTransport):
    """Real HTTP; records the idempotency keys of every batch request and its status."""

    def __init__(self, after_first_batch: Callable[[], None] | None = None) -> None:
        self.inner = httpx.HTTPTransport()
        self.sent: list[tuple[int, list[str]]] = []
        self.after_first_batch = after_first_batch
        # Batches go several at a time (v1): the others reach the server once the first was
        # answered and ``after_first_batch`` ran.
        self._first = threading.Lock()
        self._first_done = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        keys: list[str] = []
        if request.url.path.endswith("/awards/batch"):
            keys = [item["idempotency_key"] for item in json.loads(request.content)["items"]]
        if not keys:
            return self.inner.handle_request(request)
        if self._first.acquire(blocking=False):
            response = self.inner.handle_request(request)
            self.sent.append((response.status_code, keys))
            if self.after_first_batch is not None:
                self.after_first_batch()
            self._first_done.set()
            return response
        self._first_done.wait(30)
        response = self.inner.handle_request(request)
        self.sent.append((response.status_code, keys))
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.fixture()
def community_on(tmp_path: Path) -> Iterator[Callable[[SandboxProcess, str, httpx.BaseTransport], Community]]:
    made: list[Community] = []

    def make(sandbox: SandboxProcess, token: str, transport: httpx.BaseTransport) -> Community:
        community = Community(
            sandbox.url,
            Endpoint(sandbox.url, token),
            Cache(tmp_path / f"cache{len(made)}.sqlite3"),
            transport=transport,
        )
        made.append(community)
        return community

    yield make
    for community in made:
        community.close()


def test_a_token_revoked_while_sending_pauses_and_a_new_token_resumes_with_the_same_keys(
    sandbox: SandboxProcess, community_on: Callable[[SandboxProcess, str, httpx.BaseTransport], Community]
) -> None:
    first = sandbox.tokens["moderator"]
    second = new_token(sandbox, first)
    # Revoked on the server right after the first chunk was accepted.
    transport = KeyRecorder(after_first_batch=lambda: revoke(sandbox, first))
    community = community_on(sandbox, first, transport)
    community.sync()
    badge = next(b for b in community.cache.badges() if b.state == "published")
    # Active members without the badge: nothing is held back, every award is sent.
    with community.cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id FROM members WHERE status = 'active' AND id NOT IN"
            " (SELECT member_id FROM awards WHERE badge_id = ?) ORDER BY id LIMIT 120",
            (badge.id,),
        )
        members = [m for (m,) in rows]
    queued = community.outbox.queue_awards(members, badge.id, reason="token test")
    keys = {a.id: a.idempotency_key for a in queued}

    with pytest.raises(AuthError) as refused:
        community.send_outbox()
    assert refused.value.status == 401
    outbox = community.outbox
    assert outbox.paused()
    assert outbox.pause_reason() is PauseReason.TOKEN_REFUSED
    counts = outbox.counts()
    assert counts.get(ActionState.DONE, 0) == 50
    assert counts.get(ActionState.FAILED, 0) == 0
    assert outbox.pending_count() == 70
    # Paused: another send does nothing, even with a good token.
    community.endpoint = Endpoint(sandbox.url, second)
    assert community.send_outbox().done == 0

    assert community.use_token(second) is True
    assert not outbox.paused()
    report = community.send_outbox()
    assert report.done == 70 and report.failed == 0
    actions = outbox.actions()
    assert all(a.state is ActionState.DONE for a in actions)
    assert {a.id: a.idempotency_key for a in actions} == keys

    # Each key was accepted by the server exactly once; the refused chunk went
    # again with the keys it had.
    accepted = Counter(k for status, chunk in transport.sent if status == 200 for k in chunk)
    refused_keys = [k for status, chunk in transport.sent if status == 401 for k in chunk]
    assert set(accepted) == set(keys.values())
    assert set(accepted.values()) == {1}
    assert refused_keys and set(refused_keys) <= set(accepted)
    assert {status for status, _ in transport.sent} == {200, 401}
