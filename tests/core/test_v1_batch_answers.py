"""The v1 connector's batch answers, from a fake server behind ``httpx.MockTransport``: read
as the pydantic models read them, and a malformed one refused with one clear error naming the
fault, before anything is stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from desktop.dialects.badgedesk_v1 import wire
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.badgedesk_v1.mapping import award_from_wire
from desktop.dialects.base import AwardItem, ItemResult
from desktop.domain import AwardOutcome, Drift
from desktop.net.errors import MalformedResponse

BASE_URL = "http://127.0.0.1:9"
KEYS = ["key-0001", "key-0002", "key-0003"]


def _award(i: int, **changes: Any) -> dict[str, Any]:
    return {
        "id": 100 + i,
        "member_id": i,
        "badge_id": 7,
        "granted_at": "2024-01-01T10:00:00Z",
        "granted_by": "Alice",
        "reason": "helpful",
        "revoked_at": None,
        **changes,
    }


def _answer() -> dict[str, Any]:
    return {
        "results": [
            {"idempotency_key": KEYS[0], "outcome": "awarded", "award": _award(1), "replayed": False},
            {
                "idempotency_key": KEYS[1],
                "outcome": "already_held",
                "award": _award(2, granted_at="2023-05-06T07:08:09.123456+02:00", extra="ignored"),
                "replayed": True,
                "condition": "already_held",
            },
            {
                "idempotency_key": KEYS[2],
                "outcome": "member_suspended",
                "award": None,
                "replayed": False,
                "condition": "member_suspended",
            },
        ]
    }


def _send(answer: Callable[[], bytes]) -> list[ItemResult]:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/community"):
            caps = {"requests": False, "changes_feed": True, "batch_awards": True, "batch_cap": 10}
            body = {
                "name": "Fake",
                "api_version": "1",
                "capabilities": caps,
                "counts": {"members": 3, "badges": 1, "awards": 0, "requests": 0},
                "changes_cursor": "1",
                "server_time": "2024-01-01T10:00:00Z",
            }
            return httpx.Response(200, content=json.dumps(body).encode())
        return httpx.Response(200, content=answer(), headers={"Content-Type": "application/json"})

    transport = httpx.MockTransport(handle)
    with CommunityApiConnector(BASE_URL, "token", transport=transport, max_attempts=1) as connector:
        return connector.award_batch([AwardItem(key, i + 1, 7) for i, key in enumerate(KEYS)])


def _as_the_models_read(content: bytes) -> list[ItemResult]:
    parsed = wire.BatchResultOut.model_validate_json(content)
    return [
        ItemResult(
            r.idempotency_key,
            r.outcome,
            None if r.award is None else award_from_wire(r.award),
            r.replayed,
            r.condition,
        )
        for r in parsed.results
    ]


def test_an_answer_is_read_as_the_models_read_it() -> None:
    content = json.dumps(_answer()).encode()
    results = _send(lambda: content)
    assert results == _as_the_models_read(content)
    assert [r.outcome for r in results] == [
        AwardOutcome.AWARDED,
        AwardOutcome.ALREADY_HELD,
        AwardOutcome.MEMBER_SUSPENDED,
    ]
    assert [r.condition for r in results] == [None, Drift.ALREADY_HELD, Drift.MEMBER_SUSPENDED]
    assert results[1].award is not None and results[1].award.granted_at.utcoffset() is not None
    assert results[1].award.granted_at.isoformat() == "2023-05-06T07:08:09.123456+02:00"


def test_an_escaped_emoji_and_a_timestamp_with_a_space_are_taken() -> None:
    # An emoji escaped as a surrogate pair (json.dumps' default), and a timestamp
    # with a space instead of the "T": both valid for the models.
    answer = _answer()
    answer["results"][0]["award"]["reason"] = "🎉 thanks"
    answer["results"][2]["award"] = _award(3, granted_at="2024-01-01 10:00:00Z")
    content = json.dumps(answer).encode()
    assert b"\\ud83c" in content
    results = _send(lambda: content)
    assert results == _as_the_models_read(content)
    assert results[0].award is not None and results[0].award.reason == "🎉 thanks"


def _broken(path: tuple[str | int, ...], value: Any) -> Callable[[], bytes]:
    def answer() -> bytes:
        body: Any = _answer()
        target = body
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return json.dumps(body).encode()

    return answer


@pytest.mark.parametrize(
    ("answer", "fault"),
    [
        (lambda: b"{oops", "not valid JSON"),
        (lambda: b'{"results": {}}', "results"),
        (lambda: b"[]", "the answer"),
        (_broken(("results", 0, "outcome"), "given"), "outcome"),
        (_broken(("results", 0, "outcome"), ["awarded"]), "outcome"),
        (_broken(("results", 0, "replayed"), 0), "replayed"),
        (_broken(("results", 2, "condition"), "weather"), "condition"),
        (_broken(("results", 2, "condition"), {"a": 1}), "condition"),
        (_broken(("results", 0, "idempotency_key"), 5), "idempotency_key"),
        (_broken(("results", 0, "award", "id"), 0), "award.id"),
        (_broken(("results", 0, "award", "id"), "101"), "award.id"),
        (_broken(("results", 0, "award", "id"), True), "award.id"),
        (_broken(("results", 0, "award", "member_id"), 2**63), "award.member_id"),
        (_broken(("results", 0, "award", "badge_id"), 7.0), "award.badge_id"),
        (_broken(("results", 0, "award", "granted_at"), "2024-01-01T10:00:00"), "award.granted_at"),
        (_broken(("results", 0, "award", "granted_at"), "2300-01-01T10:00:00Z"), "award.granted_at"),
        (_broken(("results", 0, "award", "granted_at"), "2024-02-30T10:00:00Z"), "award.granted_at"),
        (_broken(("results", 0, "award", "revoked_at"), "yesterday"), "award.revoked_at"),
        (_broken(("results", 0, "award", "granted_by"), "x" * (wire.MAX_NAME + 1)), "award.granted_by"),
        (_broken(("results", 0, "award", "reason"), None), "award.reason"),
        (_broken(("results", 0, "award"), [1]), "award"),
        (lambda: json.dumps(_answer()).replace("Alice", "\\ud800").encode(), "JSON"),
    ],
)
def test_a_malformed_answer_is_refused_with_the_models_error(answer: Callable[[], bytes], fault: str) -> None:
    content = answer()
    with pytest.raises(MalformedResponse, match="Malformed response from POST /awards/batch") as caught:
        _send(lambda: content)
    assert fault in str(caught.value)
    with pytest.raises(ValueError):  # the models refuse it too
        _as_the_models_read(content)


def test_an_award_without_its_field_is_refused() -> None:
    def answer() -> bytes:
        body = _answer()
        del body["results"][0]["award"]
        return json.dumps(body).encode()

    with pytest.raises(MalformedResponse, match="award"):
        _send(answer)
