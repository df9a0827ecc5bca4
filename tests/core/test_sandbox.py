"""The sandbox server, over real HTTP against a child process, plus its pure parts."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.sandbox.middleware import RateLimiter, TokenBucket
from desktop.sandbox.process import SandboxProcess, SandboxStartError
from desktop.sandbox.seed import seed_database
from desktop.sandbox.store import table_digest

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
    capabilities = {"requests": True, "changes_feed": True, "batch_awards": True, "batch_cap": 50}
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
    assert "approved by Alice Moderator at 20" in conflict["message"]
    assert conflict["current"] == result
    assert request["badge_id"] in held(mod, request["member_id"])


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
