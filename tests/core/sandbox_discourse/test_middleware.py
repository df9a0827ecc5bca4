"""The Discourse face's plumbing: ``.json`` and trailing slashes stripped before routing, the
acting user's header, and injected faults (a 503 before anything is done, or the work done and
the answer cut off)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from desktop.sandbox.discourse.middleware import DiscourseConventions, normalise_path


def test_paths_lose_json_and_a_trailing_slash() -> None:
    assert normalise_path("/admin/badges.json") == "/admin/badges"
    assert normalise_path("/u/john.smith.json") == "/u/john.smith"
    assert normalise_path("/u/john.smith") == "/u/john.smith"
    assert normalise_path("/admin/badges/") == "/admin/badges"
    assert normalise_path("/") == "/"


class Recorder:
    """An inner app that records what it saw and answers 200 with a JSON body."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.paths.append(scope["path"])
        scope["state"]["discourse_username"] = "alice"
        body = json.dumps({"ok": True, "padding": "x" * 100}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", b"%d" % len(body))],
            }
        )
        await send({"type": "http.response.body", "body": body})


def call(app: DiscourseConventions, path: str) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {"type": "http", "path": path, "raw_path": path.encode(), "headers": []}
    asyncio.run(app(scope, receive, send))
    return sent


def test_the_route_sees_the_bare_path_and_the_answer_names_the_user() -> None:
    inner = Recorder()
    sent = call(DiscourseConventions(inner), "/admin/users/list/active.json")
    assert inner.paths == ["/admin/users/list/active"]
    assert (b"x-discourse-username", b"alice") in sent[0]["headers"]


def test_injected_faults_refuse_before_the_work_or_lose_the_answer_after_it() -> None:
    inner = Recorder()
    app = DiscourseConventions(inner, fail_rate=1.0, fault_seed=7)
    refused = dropped = 0
    for _ in range(40):
        calls_before = len(inner.paths)
        start, body = call(app, "/user_badges.json")
        if start["status"] == 503:
            refused += 1
            assert len(inner.paths) == calls_before, "a 503 means nothing was done"
            assert json.loads(body["body"])["error_type"] == "read_only"
            assert (b"content-type", b"application/json; charset=utf-8") in start["headers"]
        else:
            dropped += 1
            assert len(inner.paths) == calls_before + 1, "the work was done"
            declared = int(dict(start["headers"])[b"content-length"])
            assert body["more_body"] is True and len(body["body"]) < declared
    assert refused and dropped
