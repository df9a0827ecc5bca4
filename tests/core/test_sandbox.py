"""The sandbox server, over real HTTP against a child process, plus its pure parts."""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import httpx
import pytest

from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.badgedesk_v1.wire import BatchAwardItem
from desktop.dialects.base import AwardItem
from desktop.domain import AwardOutcome
from desktop.sandbox.middleware import RateLimiter, TokenBucket
from desktop.sandbox.process import SandboxProcess, SandboxStartError
from desktop.sandbox.seed import seed_database
from desktop.sandbox.server import DATABASE_NAME
from desktop.sandbox.store import SandboxStore
from desktop.sandbox.store.schema import table_digest

MEMBERS = 300


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with SandboxProcess(data_dir=tmp_path_factory.mktemp("sandbox"), members=MEMBERS, seed=1) as process:
        yield process


def _client(sandbox: SandboxProcess, token_key: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {sandbox.tokens[token_key]}"} if token_key else {}
    return httpx.Client(base_url=sandbox.url, headers=headers, timeout=15)


@pytest.fixture(scope="module")
def mod(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with _client(sandbox, "moderator") as client:
        yield client


@pytest.fixture(scope="module")
def mod2(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with _client(sandbox, "moderator2") as client:
        yield client


@pytest.fixture(scope="module")
def member(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with _client(sandbox, "member") as client:
        yield client


@pytest.fixture(scope="module")
def all_members(mod: httpx.Client) -> list[dict[str, Any]]:
    return list(mod.get("/api/v1/members", params={"limit": 5000}).json()["items"])


@pytest.fixture(scope="module")
def all_badges(mod: httpx.Client) -> list[dict[str, Any]]:
    return list(mod.get("/api/v1/badges", params={"limit": 500}).json()["items"])


class Pool:
    """Hands each test its own active members, so tests do not disturb each other."""

    def __init__(self, members: list[dict[str, Any]]) -> None:
        self._free = [m["id"] for m in members if m["status"] == "active" and not m["groups"]][5:]

    def take(self) -> int:
        return int(self._free.pop())


@pytest.fixture(scope="module")
def pool(all_members: list[dict[str, Any]]) -> Pool:
    return Pool(all_members)


def held(client: httpx.Client, member_id: int) -> set[int]:
    page = client.get("/api/v1/awards", params={"member_id": member_id, "limit": 5000}).json()
    return {a["badge_id"] for a in page["items"]}


def unheld_published(client: httpx.Client, badges: list[dict[str, Any]], member_id: int) -> int:
    holding = held(client, member_id)
    return int(next(b["id"] for b in badges if b["state"] == "published" and b["id"] not in holding))


def award(client: httpx.Client, *items: dict[str, Any]) -> httpx.Response:
    return client.post("/api/v1/awards/batch", json={"items": list(items)})


# --- basics ----------------------------------------------------------------------


def test_openapi_is_public_and_lists_the_paths(sandbox: SandboxProcess) -> None:
    with _client(sandbox, None) as anonymous:
        spec = anonymous.get("/openapi.json").json()
    assert spec["info"] == {**spec["info"], "title": "BadgeDesk Community API", "version": "1"}
    for path in (
        "/api/v1/community",
        "/api/v1/members",
        "/api/v1/awards/batch",
        "/api/v1/requests/{request_id}/decision",
        "/api/v1/changes",
    ):
        assert path in spec["paths"]
    assert "MemberOut" in spec["components"]["schemas"]


def test_auth_401_and_403(sandbox: SandboxProcess, member: httpx.Client, mod: httpx.Client) -> None:
    with _client(sandbox, None) as anonymous:
        missing = anonymous.get("/api/v1/community")
        unknown = anonymous.get("/api/v1/community", headers={"Authorization": "Bearer nope"})
    for response in (missing, unknown):
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    forbidden = member.get("/api/v1/members")
    assert forbidden.status_code == 403
    assert forbidden.json()["error"] == "forbidden"
    assert mod.post("/api/v1/requests", json={"badge_id": 1}).status_code == 403
    assert member.get("/api/v1/me").json()["role"] == "member"
    assert mod.get("/api/v1/me").json() == {"name": "Alice Moderator", "role": "moderator", "member_id": None}


def test_community_info(mod: httpx.Client) -> None:
    info = mod.get("/api/v1/community").json()
    assert info["api_version"] == "1"
    capabilities = {
        "requests": True,
        "changes_feed": True,
        "batch_awards": True,
        "batch_cap": 50,
        "revoke_messages": True,
        "groups": True,
        "activity": True,
    }
    assert info["capabilities"] == capabilities
    assert info["counts"]["members"] == MEMBERS
    assert info["counts"]["badges"] >= 60
    assert int(info["changes_cursor"]) > MEMBERS


# --- members and badges ---------------------------------------------------------------


def test_member_pagination_covers_everyone_once(mod: httpx.Client) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 37}
        if cursor:
            params["cursor"] = cursor
        page = mod.get("/api/v1/members", params=params).json()
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(set(seen))
    assert len(seen) == MEMBERS
    bad = mod.get("/api/v1/members", params={"cursor": "x!"})
    assert (bad.status_code, bad.json()["error"]) == (400, "bad_cursor")
    assert mod.get("/api/v1/members", params={"limit": 0}).json()["error"] == "invalid"


def test_member_search_is_case_insensitive_prefix(
    mod: httpx.Client, all_members: list[dict[str, Any]]
) -> None:
    target = next(m for m in all_members if not m["display_name"].isascii())
    prefix = target["display_name"][:3].upper()
    found = mod.get("/api/v1/members", params={"q": prefix}).json()["items"]
    assert target["id"] in {m["id"] for m in found}
    for m in found:
        fields = (m["username"], m["display_name"], m["email"])
        assert any(value.casefold().startswith(prefix.casefold()) for value in fields)
    assert mod.get("/api/v1/members", params={"q": "zzzzqq"}).json()["items"] == []
    maria = mod.get("/api/v1/members", params={"q": "maria garcia"}).json()["items"]
    assert len(maria) >= 3


def test_member_and_badge_404(mod: httpx.Client) -> None:
    for path in ("/api/v1/members/999999", "/api/v1/badges/999999"):
        response = mod.get(path)
        assert (response.status_code, response.json()["error"]) == (404, "not_found")
    assert mod.get("/api/v1/members/1").json()["id"] == 1


def test_badges_carry_svg_images(all_badges: list[dict[str, Any]]) -> None:
    assert len(all_badges) >= 60
    states = {b["state"] for b in all_badges}
    assert {"published", "disabled", "discontinued", "draft"} <= states
    image = all_badges[0]["image"]
    assert image["media_type"] == "image/svg+xml"
    assert base64.b64decode(image["data_base64"]).startswith(b"<svg")


def test_badge_create_update_and_state(mod: httpx.Client, member: httpx.Client) -> None:
    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>').decode()
    body = {
        "slug": "test-badge",
        "title": "Test",
        "description": "A test.",
        "image": {"media_type": "image/svg+xml", "data_base64": svg},
    }
    assert member.post("/api/v1/badges", json=body).status_code == 403
    created = mod.post("/api/v1/badges", json=body)
    assert created.status_code == 201, created.text
    badge = created.json()
    assert (badge["state"], badge["version"]) == ("draft", 1)
    assert mod.post("/api/v1/badges", json=body).status_code == 409
    path = f"/api/v1/badges/{badge['id']}"
    stale = mod.patch(path, json={"title": "Renamed"}, headers={"If-Match": "7"})
    assert (stale.status_code, stale.json()["error"]) == (409, "conflict")
    renamed = mod.patch(path, json={"title": "Renamed"}, headers={"If-Match": "1"}).json()
    assert (renamed["title"], renamed["version"]) == ("Renamed", 2)
    bad_png = {"image": {"media_type": "image/png", "data_base64": base64.b64encode(b"GIF89a").decode()}}
    assert mod.patch(path, json=bad_png).json()["error"] == "invalid_image"
    bad_svg = {"image": {"media_type": "image/svg+xml", "data_base64": base64.b64encode(b"<html/>").decode()}}
    assert mod.patch(path, json=bad_svg).status_code == 422
    published = mod.post(f"{path}/state", json={"state": "published"}).json()
    assert (published["state"], published["version"]) == ("published", 3)
    unknown_field = mod.patch(path, json={"titel": "typo"})
    assert (unknown_field.status_code, unknown_field.json()["error"]) == (422, "invalid")


# --- awards ---------------------------------------------------------------------------


def test_batch_award_is_idempotent(mod: httpx.Client, all_badges: list[dict[str, Any]], pool: Pool) -> None:
    member_id = pool.take()
    badge_id = unheld_published(mod, all_badges, member_id)
    item = {"idempotency_key": key(), "member_id": member_id, "badge_id": badge_id, "reason": "test"}
    before = mod.get("/api/v1/community").json()["counts"]["awards"]
    first = award(mod, item).json()["results"][0]
    assert (first["outcome"], first["replayed"]) == ("awarded", False)
    assert first["award"]["granted_by"] == "Alice Moderator"
    second = award(mod, item).json()["results"][0]
    assert (second["outcome"], second["replayed"]) == ("awarded", True)
    assert second["award"] == first["award"]
    assert mod.get("/api/v1/community").json()["counts"]["awards"] == before + 1
    holders = mod.get("/api/v1/awards", params={"member_id": member_id, "badge_id": badge_id}).json()
    assert len(holders["items"]) == 1


def test_batch_outcomes(
    mod: httpx.Client, all_members: list[dict[str, Any]], all_badges: list[dict[str, Any]], pool: Pool
) -> None:
    member_id = pool.take()
    holding = held(mod, member_id)
    fresh = unheld_published(mod, all_badges, member_id)
    suspended = next(m["id"] for m in all_members if m["status"] == "suspended")
    deleted = next(m["id"] for m in all_members if m["status"] == "deleted")
    not_awardable = next(b["id"] for b in all_badges if b["state"] == "discontinued")
    if not holding:
        award(mod, {"idempotency_key": key(), "member_id": member_id, "badge_id": fresh})
        holding = {fresh}
        fresh = unheld_published(mod, all_badges, member_id)
    cases = [
        (member_id, fresh, "awarded"),
        (member_id, next(iter(holding)), "already_held"),
        (999_999, fresh, "not_found"),
        (member_id, 999_999, "not_found"),
        (deleted, fresh, "not_found"),
        (suspended, fresh, "member_suspended"),
        (member_id, not_awardable, "badge_not_awardable"),
    ]
    items = [{"idempotency_key": key(), "member_id": m, "badge_id": b} for m, b, _ in cases]
    results = award(mod, *items).json()["results"]
    assert [r["outcome"] for r in results] == [expected for _, _, expected in cases]
    assert results[1]["award"]["badge_id"] == cases[1][1]


def test_force_overrides_a_suspension_and_a_disabled_badge_only(
    mod: httpx.Client, all_members: list[dict[str, Any]], all_badges: list[dict[str, Any]], pool: Pool
) -> None:
    member_id = pool.take()
    holding = held(mod, member_id)
    # The last suspended member: the first one is the demo token's, used elsewhere.
    suspended = [m["id"] for m in all_members if m["status"] == "suspended"][-1]
    deleted = next(m["id"] for m in all_members if m["status"] == "deleted")
    published = [
        b["id"]
        for b in all_badges
        if b["state"] == "published" and not ({b["id"]} & (holding | held(mod, suspended)))
    ]
    disabled = [b["id"] for b in all_badges if b["state"] == "disabled" and b["id"] not in holding]
    discontinued = next(b["id"] for b in all_badges if b["state"] == "discontinued")
    draft = next(b["id"] for b in all_badges if b["state"] == "draft")
    cases = [
        (suspended, published[0], True, "awarded"),
        (suspended, published[1], False, "member_suspended"),
        (member_id, disabled[0], True, "awarded"),
        (member_id, disabled[1], False, "badge_not_awardable"),
        (member_id, discontinued, True, "badge_not_awardable"),
        (member_id, draft, True, "badge_not_awardable"),
        (suspended, discontinued, True, "badge_not_awardable"),
        (deleted, published[0], True, "not_found"),
        (999_999, published[0], True, "not_found"),
        (member_id, 999_999, True, "not_found"),
    ]
    items = [
        {"idempotency_key": key(), "member_id": m, "badge_id": b, "force": force, "reason": "override"}
        for m, b, force, _ in cases
    ]
    before = mod.get("/api/v1/community").json()["counts"]["awards"]
    results = award(mod, *items).json()["results"]
    assert [r["outcome"] for r in results] == [expected for *_, expected in cases]
    for result, (m, b, *_rest) in zip(results, cases, strict=True):
        if result["outcome"] == "awarded":
            assert (result["award"]["member_id"], result["award"]["badge_id"]) == (m, b)
            assert result["award"]["reason"] == "override"
        else:
            assert result["award"] is None
    assert mod.get("/api/v1/community").json()["counts"]["awards"] == before + 2
    assert published[0] in held(mod, suspended)
    assert published[1] not in held(mod, suspended)
    assert disabled[0] in held(mod, member_id)
    # Idempotency is unchanged: a key replays its first result, whatever happened since.
    replayed = award(mod, items[0], items[1]).json()["results"]
    assert [(r["outcome"], r["replayed"]) for r in replayed] == [
        ("awarded", True),
        ("member_suspended", True),
    ]
    assert replayed[0]["award"] == results[0]["award"]
    assert mod.get("/api/v1/community").json()["counts"]["awards"] == before + 2


def messages_to(sandbox: SandboxProcess, member_id: int) -> list[str]:
    """What the member was sent, read from the server's own database (the witness)."""
    db = sqlite3.connect(f"file:{sandbox.data_dir / DATABASE_NAME}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT body FROM messages WHERE member_id = ? ORDER BY id", (member_id,))
        return [r[0] for r in rows]
    finally:
        db.close()


def test_force_never_rewrites_an_award_already_held(
    sandbox: SandboxProcess,
    mod: httpx.Client,
    mod2: httpx.Client,
    all_badges: list[dict[str, Any]],
    pool: Pool,
) -> None:
    member_id = pool.take()
    badge_id = unheld_published(mod, all_badges, member_id)
    base = {"member_id": member_id, "badge_id": badge_id}
    first = award(mod, {**base, "idempotency_key": key(), "reason": "first"}).json()["results"][0]
    assert first["outcome"] == "awarded"
    info = mod.get("/api/v1/community").json()
    messages = messages_to(sandbox, member_id)
    assert len(messages) == 1

    plain = award(mod2, {**base, "idempotency_key": key(), "reason": "again"}).json()["results"][0]
    forced_item = {**base, "idempotency_key": key(), "reason": "again", "force": True, "message": "Hi!"}
    forced = award(mod2, forced_item).json()["results"][0]
    # "Apply anyway" is a no-op too: it says who granted the badge and when, and rewrites nothing.
    for answer in (plain, forced):
        assert (answer["outcome"], answer["replayed"], answer["award"]) == (
            "already_held",
            False,
            first["award"],
        )
    assert (first["award"]["granted_by"], first["award"]["reason"]) == ("Alice Moderator", "first")
    assert mod.get("/api/v1/awards", params=base).json()["items"] == [first["award"]]
    assert mod.get("/api/v1/community").json() == {**info, "server_time": ANY}
    assert mod.get("/api/v1/changes", params={"since": info["changes_cursor"]}).json()["awards"] == []
    # No second award message.
    assert messages_to(sandbox, member_id) == messages

    replay = award(mod2, forced_item).json()["results"][0]
    assert (replay["outcome"], replay["replayed"], replay["award"]) == ("already_held", True, first["award"])


def test_connector_sends_force_and_knows_who_it_is(
    sandbox: SandboxProcess, all_badges: list[dict[str, Any]], mod: httpx.Client, pool: Pool
) -> None:
    sent: list[dict[str, Any]] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/awards/batch"):
                sent.extend(json.loads(request.content)["items"])
            return super().handle_request(request)

    member_id = pool.take()
    badge_id = unheld_published(mod, all_badges, member_id)
    token = sandbox.tokens["moderator2"]
    with CommunityApiConnector(sandbox.url, token, transport=Recording()) as connector:
        assert connector.me() == "Bob Moderator"
        first, held_already = connector.award_batch(
            [AwardItem(key(), member_id, badge_id, reason="a"), AwardItem(key(), member_id, badge_id)]
        )
        [forced] = connector.award_batch([AwardItem(key(), member_id, badge_id, reason="b", force=True)])
    assert (first.outcome, held_already.outcome, forced.outcome) == (
        AwardOutcome.AWARDED,
        AwardOutcome.ALREADY_HELD,
        AwardOutcome.ALREADY_HELD,
    )
    assert forced.award is not None and forced.award == first.award and first.award.reason == "a"
    # Sent only when set, so servers that predate the field still take ordinary awards.
    assert ["force" in item for item in sent] == [False, False, True]
    assert sent[2]["force"] is True


def test_batch_cap_and_validation(mod: httpx.Client) -> None:
    items = [{"idempotency_key": key(), "member_id": 1, "badge_id": 1} for _ in range(51)]
    too_many = award(mod, *items)
    assert too_many.status_code == 413
    assert too_many.json()["error"] == "batch_too_large"
    assert "50" in too_many.json()["message"]
    empty = mod.post("/api/v1/awards/batch", json={"items": []})
    assert empty.status_code == 422
    assert set(empty.json()) == {"error", "message"}


def test_revoke_is_reported_by_the_changes_feed(
    mod: httpx.Client, all_badges: list[dict[str, Any]], pool: Pool
) -> None:
    member_id = pool.take()
    badge_id = unheld_published(mod, all_badges, member_id)
    award(mod, {"idempotency_key": key(), "member_id": member_id, "badge_id": badge_id})
    cursor = mod.get("/api/v1/community").json()["changes_cursor"]
    revoke = {"idempotency_key": key(), "member_id": member_id, "badge_id": badge_id, "reason": "oops"}
    result = mod.post("/api/v1/awards/revoke-batch", json={"items": [revoke]}).json()["results"][0]
    assert result["outcome"] == "revoked"
    assert result["award"]["revoked_at"] is not None
    replay = mod.post("/api/v1/awards/revoke-batch", json={"items": [revoke]}).json()["results"][0]
    assert (replay["outcome"], replay["replayed"]) == ("revoked", True)
    again = {**revoke, "idempotency_key": key()}
    nothing = {**revoke, "idempotency_key": key(), "member_id": 999_999}
    outcomes = mod.post("/api/v1/awards/revoke-batch", json={"items": [again, nothing]}).json()["results"]
    assert [r["outcome"] for r in outcomes] == ["not_held", "not_found"]
    changes = mod.get("/api/v1/changes", params={"since": cursor}).json()
    reported = [(a["id"], a["revoked_at"] is not None) for a in changes["awards"]]
    assert reported == [(result["award"]["id"], True)]
    assert changes["has_more"] is False
    assert changes["next_cursor"] != cursor
    assert badge_id not in held(mod, member_id)


# --- requests and decisions -------------------------------------------------------------


def _decidable_request(mod: httpx.Client, all_members: list[dict[str, Any]]) -> dict[str, Any]:
    active = {m["id"] for m in all_members if m["status"] == "active"}
    pending = mod.get("/api/v1/requests", params={"state": "pending", "limit": 1000}).json()["items"]
    return next(r for r in reversed(pending) if r["member_id"] in active)


def test_decision_with_if_match(
    mod: httpx.Client, mod2: httpx.Client, all_members: list[dict[str, Any]]
) -> None:
    request = _decidable_request(mod, all_members)
    path = f"/api/v1/requests/{request['id']}/decision"
    body = {"decision": "approve", "reason": "Looks good", "idempotency_key": key()}
    missing = mod.post(path, json=body)
    assert (missing.status_code, missing.json()["error"]) == (428, "precondition_required")
    version = str(request["version"])
    decided = mod.post(path, json=body, headers={"If-Match": version})
    assert decided.status_code == 200, decided.text
    result = decided.json()
    assert (result["state"], result["decided_by"], result["version"]) == (
        "approved",
        "Alice Moderator",
        request["version"] + 1,
    )
    replay = mod.post(path, json=body, headers={"If-Match": version})
    assert (replay.status_code, replay.json()) == (200, result)
    late = mod2.post(path, json={"decision": "deny", "idempotency_key": key()}, headers={"If-Match": version})
    assert late.status_code == 409
    conflict = late.json()
    assert conflict["error"] == "conflict"
    assert f"Request #{request['id']} was already approved by Alice Moderator at 20" in conflict["message"]
    assert isinstance(result["award_id"], int) and result["duplicates"] == []
    assert conflict["current"] == {k: v for k, v in result.items() if k not in ("award_id", "duplicates")}
    assert request["badge_id"] in held(mod, request["member_id"])


def test_decision_settles_duplicates_all_or_none(
    sandbox: SandboxProcess,
    mod: httpx.Client,
    mod2: httpx.Client,
    member: httpx.Client,
    all_badges: list[dict[str, Any]],
    all_members: list[dict[str, Any]],
) -> None:
    me = member.get("/api/v1/me").json()
    badge_id = unheld_published(mod, all_badges, me["member_id"])

    def ask(note: str) -> dict[str, Any]:
        created = member.post("/api/v1/requests", json={"badge_id": badge_id, "note": note})
        assert created.status_code == 201, created.text
        return dict(created.json())

    first, second, third = ask("one"), ask("two"), ask("three")
    # Bob denies one of the duplicates first: Alice's group decision changes nothing.
    bob = mod2.post(
        f"/api/v1/requests/{second['id']}/decision",
        json={"decision": "deny", "message": "No, sorry."},
        headers={"If-Match": str(second["version"])},
    )
    assert bob.status_code == 200, bob.text
    dups = [{"id": r["id"], "version": r["version"]} for r in (second, third)]
    path = f"/api/v1/requests/{first['id']}/decision"
    body = {"decision": "approve", "duplicates": dups, "idempotency_key": key()}
    refused = mod.post(path, json=body, headers={"If-Match": str(first["version"])})
    assert refused.status_code == 409
    assert refused.json()["current"]["id"] == second["id"]
    assert f"Request #{second['id']} was already denied by Bob Moderator" in refused.json()["message"]
    states = {
        r["id"]: r["state"] for r in member.get("/api/v1/requests", params={"state": "all"}).json()["items"]
    }
    assert (states[first["id"]], states[third["id"]]) == ("pending", "pending")
    assert badge_id not in held(mod, me["member_id"])

    # Without the one Bob decided, the group is denied at once, with one message.
    store = SandboxStore(sandbox.data_dir / DATABASE_NAME)
    try:
        before = store.messages_for(me["member_id"])
        body = {
            "decision": "deny",
            "reason": "Criteria not met",
            "message": "Thanks for asking; not this time.",
            "duplicates": [{"id": third["id"], "version": third["version"]}],
            "idempotency_key": key(),
        }
        denied = mod.post(path, json=body, headers={"If-Match": str(first["version"])})
        assert denied.status_code == 200, denied.text
        out = denied.json()
        assert (out["state"], out["award_id"], out["reason"]) == ("denied", None, "Criteria not met")
        assert [(d["id"], d["state"]) for d in out["duplicates"]] == [(third["id"], "denied")]
        assert out["duplicates"][0]["reason"] == f"Duplicate of request #{first['id']}. Criteria not met"
        assert store.messages_for(me["member_id"]) == [*before, "Thanks for asking; not this time."]
        replay = mod.post(path, json=body, headers={"If-Match": str(first["version"])})
        assert replay.json() == out
        assert store.messages_for(me["member_id"]) == [*before, "Thanks for asking; not this time."]
    finally:
        store.close()

    # A request of another member is not a duplicate, and nothing is decided.
    mine = ask("four")
    theirs = _decidable_request(mod, [m for m in all_members if m["id"] != me["member_id"]])
    mixed = mod.post(
        f"/api/v1/requests/{mine['id']}/decision",
        json={"decision": "deny", "duplicates": [{"id": theirs["id"], "version": theirs["version"]}]},
        headers={"If-Match": str(mine["version"])},
    )
    assert (mixed.status_code, mixed.json().get("error")) == (422, "not_a_duplicate"), mixed.text
    states = {
        r["id"]: r["state"]
        for r in mod.get("/api/v1/requests", params={"state": "pending", "limit": 1000}).json()["items"]
    }
    assert mine["id"] in states and theirs["id"] in states


def test_member_creates_request(
    sandbox: SandboxProcess, mod: httpx.Client, member: httpx.Client, all_badges: list[dict[str, Any]]
) -> None:
    me = member.get("/api/v1/me").json()
    badge_id = unheld_published(mod, all_badges, me["member_id"])
    created = member.post("/api/v1/requests", json={"badge_id": badge_id, "note": "Spoke at DevCon"})
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["member_id"] == me["member_id"]
    assert (request["state"], request["evidence_url"]) == ("pending", None)
    mine = member.get("/api/v1/requests", params={"state": "all"}).json()["items"]
    assert {r["member_id"] for r in mine} == {me["member_id"]}
    with _client(sandbox, "member_suspended") as suspended:
        refused = suspended.post("/api/v1/requests", json={"badge_id": badge_id})
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")


# --- changes feed ---------------------------------------------------------------------


def test_changes_feed_paging(mod: httpx.Client) -> None:
    cursor = "0"
    members: set[int] = set()
    badges: set[int] = set()
    pages = 0
    while True:
        page = mod.get("/api/v1/changes", params={"since": cursor, "limit": 400}).json()
        size = sum(len(page[kind]) for kind in ("members", "badges", "awards", "requests"))
        assert size <= 400
        assert int(page["next_cursor"]) >= int(cursor)
        members |= {m["id"] for m in page["members"]}
        badges |= {b["id"] for b in page["badges"]}
        cursor = page["next_cursor"]
        pages += 1
        if not page["has_more"]:
            break
    assert pages > 3
    assert len(members) == MEMBERS
    assert len(badges) >= 60
    assert cursor == mod.get("/api/v1/community").json()["changes_cursor"]
    empty = mod.get("/api/v1/changes", params={"since": cursor}).json()
    assert (empty["next_cursor"], empty["has_more"], empty["members"]) == (cursor, False, [])
    for bad in ("abc", "-1", str(int(cursor) + 1000)):
        response = mod.get("/api/v1/changes", params={"since": bad})
        assert (response.status_code, response.json()["error"]) == (400, "bad_cursor")


# --- misbehaviour -----------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    with (
        SandboxProcess(data_dir=tmp_path, members=50, rate=2) as sandbox,
        _client(sandbox, "moderator") as mod,
    ):
        statuses = [mod.get("/api/v1/me") for _ in range(8)]
        limited = [r for r in statuses if r.status_code == 429]
        assert limited, [r.status_code for r in statuses]
        assert int(limited[0].headers["Retry-After"]) >= 1
        assert limited[0].json()["error"] == "rate_limited"
        assert mod.get("/openapi.json").status_code == 200


def test_faults_fail_before_or_lose_the_answer_after(tmp_path: Path) -> None:
    with (
        SandboxProcess(data_dir=tmp_path, members=50, fail_rate=0.5, fault_seed=3) as sandbox,
        _client(sandbox, "moderator") as mod,
    ):
        outcomes = {"ok": 0, "unavailable": 0, "broken": 0}
        for _ in range(30):
            try:
                response = mod.get("/api/v1/me")
            except httpx.TransportError:
                outcomes["broken"] += 1
                continue
            outcomes["ok" if response.status_code == 200 else "unavailable"] += 1
            if response.status_code != 200:
                assert (response.status_code, response.json()["error"]) == (503, "unavailable")
        assert min(outcomes.values()) > 0, outcomes

        # Exactly once: retry with the same key until an answer arrives.
        item = {"idempotency_key": key(), "member_id": 20, "badge_id": 1}
        revoke = {"idempotency_key": key(), "member_id": 20, "badge_id": 1}
        answers: list[dict[str, Any]] = []
        for body, path in (({"items": [revoke]}, "revoke-batch"), ({"items": [item]}, "batch")):
            for _ in range(40):
                try:
                    response = mod.post(f"/api/v1/awards/{path}", json=body)
                except httpx.TransportError:
                    continue
                if response.status_code == 200:
                    answers.append(response.json()["results"][0])
                    break
        assert answers[1]["outcome"] in ("awarded", "member_suspended", "not_found")
        for _ in range(40):
            try:
                holders = mod.get("/api/v1/awards", params={"member_id": 20, "badge_id": 1})
            except httpx.TransportError:
                continue
            if holders.status_code == 200:
                break
        expected = 1 if answers[1]["outcome"] == "awarded" else 0
        assert len(holders.json()["items"]) == expected


def test_start_failure_reports_stderr(tmp_path: Path) -> None:
    with pytest.raises(SandboxStartError, match="exited with status"):
        SandboxProcess(data_dir=tmp_path, extra_args=["--members", "0"]).start()


# --- pure parts -----------------------------------------------------------------------


def test_seeding_is_deterministic(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    summary = seed_database(a, members=1500, seed=42)
    seed_database(b, members=1500, seed=42)
    seed_database(c, members=1500, seed=43)
    for table in ("members", "badges", "awards", "requests"):
        assert table_digest(a, table) == table_digest(b, table)
    assert table_digest(a, "members") != table_digest(c, "members")
    assert summary.pending_requests >= 20
    assert 3.5 < summary.awards / summary.members < 6.5


def test_a_forced_award_an_hour_later_leaves_the_held_award_and_the_member_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    seed_database(path, members=200, seed=5)
    now = [2_000_000_000.0]
    store = SandboxStore(path, community_name="Test Community", clock=lambda: now[0])
    try:
        member = next(
            m for m in store.members_page(cursor=None, limit=200, q=None).items if m.status == "active"
        )
        member_id = member.id
        holding = store.awards_page(badge_id=None, member_id=member_id, cursor=None, limit=500).items
        badge = next(
            b
            for b in store.badges_page(cursor=None, limit=500).items
            if b.state == "published" and b.id not in {a.badge_id for a in holding}
        )

        def item(force: bool, message: str | None = None) -> BatchAwardItem:
            return BatchAwardItem(
                idempotency_key=key(),
                member_id=member_id,
                badge_id=badge.id,
                reason=f"force={force}",
                message=message,
                force=force,
            )

        [first] = store.award_batch([item(False)], granted_by="Alice")
        assert first.award is not None
        messages = store.messages_for(member_id)
        seq = store.current_seq()
        now[0] += 3600
        for force in (False, True):
            [again] = store.award_batch([item(force, message="Again, {member}!")], granted_by="Bob")
            assert (again.outcome, again.award) == (AwardOutcome.ALREADY_HELD, first.award)
        assert first.award.granted_at == datetime.fromtimestamp(now[0] - 3600, UTC)
        assert (store.messages_for(member_id), store.current_seq()) == (messages, seq)
    finally:
        store.close()


def test_token_bucket_with_a_fake_clock() -> None:
    now = [100.0]
    bucket = TokenBucket(2.0, capacity=2.0, clock=lambda: now[0])
    assert bucket.take() == 0.0
    assert bucket.take() == 0.0
    assert bucket.take() == pytest.approx(0.5)
    now[0] += 0.5
    assert bucket.take() == 0.0
    assert bucket.take() > 0
    now[0] += 10.0
    # A long pause refills the bucket only up to its capacity.
    assert [bucket.take() == 0.0 for _ in range(3)] == [True, True, False]

    limiter = RateLimiter(0.5, clock=lambda: now[0])
    assert limiter.retry_after("a") is None
    assert limiter.retry_after("a") == 2
    assert limiter.retry_after("b") is None


def test_a_revoke_with_notify_sends_the_member_one_message(
    sandbox: SandboxProcess, mod: httpx.Client, all_badges: list[dict[str, Any]], pool: Pool
) -> None:
    told, quiet = pool.take(), pool.take()
    badge_id = unheld_published(mod, all_badges, told)
    assert badge_id not in held(mod, quiet)
    for m in (told, quiet):
        given = {"idempotency_key": key(), "member_id": m, "badge_id": badge_id, "notify": False}
        assert award(mod, given).json()["results"][0]["outcome"] == "awarded"
    before = {m: messages_to(sandbox, m) for m in (told, quiet)}
    title = next(b["title"] for b in all_badges if b["id"] == badge_id)
    revoke = {"idempotency_key": key(), "member_id": told, "badge_id": badge_id, "reason": "Wrong list"}
    silent = {"idempotency_key": key(), "member_id": quiet, "badge_id": badge_id, "reason": "Wrong list"}
    answer = mod.post("/api/v1/awards/revoke-batch", json={"items": [{**revoke, "notify": True}, silent]})
    assert [r["outcome"] for r in answer.json()["results"]] == ["revoked", "revoked"]
    assert messages_to(sandbox, told) == [
        *before[told],
        f"Your badge “{title}” was revoked. Reason: Wrong list",
    ]
    # Off by default: the other member is told nothing.
    assert messages_to(sandbox, quiet) == before[quiet]
    # Replayed, or revoked again with a new key (not held): no second message.
    again = {**revoke, "idempotency_key": key(), "notify": True}
    mod.post("/api/v1/awards/revoke-batch", json={"items": [{**revoke, "notify": True}, again]})
    assert len(messages_to(sandbox, told)) == len(before[told]) + 1


def test_the_awards_page_sqlite_writes_is_the_page_the_models_write(tmp_path: Path) -> None:
    """The listing's body (written by SQLite, for speed) against the models' own JSON: every
    filter, cursor and limit, with awkward text and a revoked award left out."""
    path = tmp_path / "store.db"
    seed_database(path, members=120, seed=3)
    with sqlite3.connect(path) as connection:
        awkward = 'quote " backslash \\ tab \t newline \n bell \x07 ünïcödé 🎖 </script>'
        connection.execute("UPDATE awards SET reason = ?, granted_by = ? WHERE id = 2", (awkward, "Zoë ☃"))
        connection.execute("UPDATE awards SET granted_at = 0 WHERE id = 3")
        connection.execute("UPDATE awards SET revoked_at = granted_at + 60 WHERE id = 4")
    store = SandboxStore(path, community_name="Test Community")
    try:
        some = store.awards_page(badge_id=None, member_id=None, cursor=None, limit=1).items[0]
        cases = [
            {"badge_id": None, "member_id": None, "cursor": None, "limit": 7},
            {"badge_id": None, "member_id": None, "cursor": "5", "limit": 50},
            {"badge_id": None, "member_id": None, "cursor": None, "limit": 5000},
            {"badge_id": some.badge_id, "member_id": None, "cursor": None, "limit": 3},
            {"badge_id": None, "member_id": some.member_id, "cursor": None, "limit": 500},
            {"badge_id": some.badge_id, "member_id": some.member_id, "cursor": None, "limit": 500},
            {"badge_id": None, "member_id": None, "cursor": "999999999", "limit": 10},
        ]
        for case in cases:
            written = store.awards_page_json(**case)  # type: ignore[arg-type]
            model = store.awards_page(**case)  # type: ignore[arg-type]
            expected = json.loads(model.model_dump_json(), object_pairs_hook=list)
            assert json.loads(written, object_pairs_hook=list) == expected, case
        everything = json.loads(
            store.awards_page_json(badge_id=None, member_id=None, cursor=None, limit=5000)
        )
        assert next(a for a in everything["items"] if a["id"] == 2)["reason"] == awkward
        assert 4 not in {a["id"] for a in everything["items"]}
        with pytest.raises(Exception, match="cursor"):
            store.awards_page_json(badge_id=None, member_id=None, cursor="x", limit=10)
    finally:
        store.close()
