"""The sandbox's moderator actions on members (suspend, unsuspend, delete) and what awards and
revokes report about the server's state, over real HTTP against a child process."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from desktop.domain import Drift
from desktop.sandbox.process import SandboxProcess

MEMBERS = 200


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with SandboxProcess(data_dir=tmp_path_factory.mktemp("sandbox"), members=MEMBERS, seed=2) as process:
        yield process


def client(sandbox: SandboxProcess, token: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {sandbox.tokens[token]}"}
    return httpx.Client(base_url=sandbox.url + "/api/v1", headers=headers, timeout=15)


@pytest.fixture(scope="module")
def alice(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with client(sandbox, "moderator") as c:
        yield c


@pytest.fixture(scope="module")
def bob(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with client(sandbox, "moderator2") as c:
        yield c


@pytest.fixture(scope="module")
def free_members(alice: httpx.Client) -> list[int]:
    """Active members without groups, handed out one per use so tests do not meet."""
    items = alice.get("/members", params={"limit": 5000}).json()["items"]
    return [m["id"] for m in items if m["status"] == "active" and not m["groups"]][10:]


def cursor(c: httpx.Client) -> str:
    return str(c.get("/community").json()["changes_cursor"])


def changed_members(c: httpx.Client, since: str) -> list[tuple[int, str]]:
    page = c.get("/changes", params={"since": since}).json()
    return [(m["id"], m["status"]) for m in page["members"]]


def test_openapi_describes_the_moderator_actions(sandbox: SandboxProcess) -> None:
    spec = httpx.get(sandbox.url + "/openapi.json", timeout=15).json()
    paths = spec["paths"]
    assert set(paths["/api/v1/members/{member_id}/suspend"]) == {"post"}
    assert set(paths["/api/v1/members/{member_id}/unsuspend"]) == {"post"}
    assert {"get", "delete"} <= set(paths["/api/v1/members/{member_id}"])
    for method, path in (
        ("post", "/api/v1/members/{member_id}/suspend"),
        ("post", "/api/v1/members/{member_id}/unsuspend"),
        ("delete", "/api/v1/members/{member_id}"),
    ):
        operation = paths[path][method]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/MemberOut"
        }
        assert {"403", "404", "409"} <= set(operation["responses"])


def test_a_moderator_suspends_unsuspends_and_deletes_a_member_and_the_feed_reports_it(
    alice: httpx.Client, bob: httpx.Client, free_members: list[int]
) -> None:
    member_id = free_members.pop()
    start = cursor(alice)

    suspended = bob.post(f"/members/{member_id}/suspend")
    assert suspended.status_code == 200, suspended.text
    assert (suspended.json()["id"], suspended.json()["status"]) == (member_id, "suspended")
    assert changed_members(alice, start) == [(member_id, "suspended")]
    # Suspending again changes nothing, so the feed has nothing new to say.
    after_suspend = cursor(alice)
    assert bob.post(f"/members/{member_id}/suspend").json()["status"] == "suspended"
    assert cursor(alice) == after_suspend

    unsuspended = bob.post(f"/members/{member_id}/unsuspend")
    assert (unsuspended.status_code, unsuspended.json()["status"]) == (200, "active")
    assert changed_members(alice, after_suspend) == [(member_id, "active")]

    before_delete = cursor(alice)
    deleted = bob.delete(f"/members/{member_id}")
    assert (deleted.status_code, deleted.json()["status"]) == (200, "deleted")
    assert changed_members(alice, before_delete) == [(member_id, "deleted")]
    assert alice.get(f"/members/{member_id}").json()["status"] == "deleted"
    # Deleting is idempotent; a deleted member can no longer be suspended or restored.
    after_delete = cursor(alice)
    assert bob.delete(f"/members/{member_id}").json()["status"] == "deleted"
    assert cursor(alice) == after_delete
    for verb in ("suspend", "unsuspend"):
        refused = bob.post(f"/members/{member_id}/{verb}")
        assert (refused.status_code, refused.json()["error"]) == (409, "member_deleted"), refused.text
        assert "deleted" in refused.json()["message"]
    assert cursor(alice) == after_delete


def test_member_actions_need_a_moderator_and_a_member(
    sandbox: SandboxProcess, alice: httpx.Client, free_members: list[int]
) -> None:
    member_id = free_members.pop()
    with client(sandbox, "member") as member:
        for response in (
            member.post(f"/members/{member_id}/suspend"),
            member.post(f"/members/{member_id}/unsuspend"),
            member.delete(f"/members/{member_id}"),
        ):
            assert (response.status_code, response.json()["error"]) == (403, "forbidden")
    assert alice.get(f"/members/{member_id}").json()["status"] == "active"
    for response in (
        alice.post("/members/999999/suspend"),
        alice.post("/members/999999/unsuspend"),
        alice.delete("/members/999999"),
    ):
        assert (response.status_code, response.json()["error"]) == (404, "not_found")


def held_badges(c: httpx.Client, member_id: int) -> dict[int, dict[str, Any]]:
    page = c.get("/awards", params={"member_id": member_id, "limit": 5000}).json()
    return {a["badge_id"]: a for a in page["items"]}


def award(c: httpx.Client, member_id: int, badge_id: int, **extra: Any) -> dict[str, Any]:
    item = {"idempotency_key": key(), "member_id": member_id, "badge_id": badge_id, **extra}
    response = c.post("/awards/batch", json={"items": [item]})
    assert response.status_code == 200, response.text
    return dict(response.json()["results"][0])


def revoke(c: httpx.Client, member_id: int, badge_id: int) -> dict[str, Any]:
    item = {"idempotency_key": key(), "member_id": member_id, "badge_id": badge_id}
    response = c.post("/awards/revoke-batch", json={"items": [item]})
    assert response.status_code == 200, response.text
    return dict(response.json()["results"][0])


def test_awards_and_revokes_name_what_the_server_found(
    alice: httpx.Client, bob: httpx.Client, free_members: list[int]
) -> None:
    badges = alice.get("/badges", params={"limit": 500}).json()["items"]
    by_state: dict[str, list[int]] = {}
    for b in badges:
        by_state.setdefault(b["state"], []).append(b["id"])
    published, spare, kept = by_state["published"][-3:]
    gone, suspended, holder, other = (free_members.pop() for _ in range(4))
    for member_id in (gone, suspended, holder):
        assert award(alice, member_id, kept)["outcome"] == "awarded"
    bob.delete(f"/members/{gone}")
    bob.post(f"/members/{suspended}/suspend")
    bob.post(f"/badges/{spare}/state", json={"state": "disabled"})

    def found(result: dict[str, Any]) -> tuple[str, str | None]:
        return result["outcome"], result["condition"]

    assert found(award(alice, gone, published)) == ("not_found", "member_gone")
    assert found(award(alice, 999_999, published)) == ("not_found", "member_gone")
    assert found(award(alice, other, 999_999)) == ("not_found", "badge_gone")
    assert found(award(alice, suspended, spare)) == ("member_suspended", "member_suspended")
    assert found(award(alice, other, spare)) == ("badge_not_awardable", "badge_disabled")
    for retired in (by_state["discontinued"][0], by_state["draft"][0]):
        for force in (False, True):
            refused = award(alice, other, retired, force=force)
            assert found(refused) == ("badge_not_awardable", "badge_retired")
    assert found(award(alice, holder, kept, force=True)) == ("already_held", "already_held")
    assert found(award(alice, other, published)) == ("awarded", None)

    # A deleted member is left as they are: the revoke changes nothing, their award stays on record.
    assert found(revoke(alice, gone, kept)) == ("not_found", "member_gone")
    assert kept in held_badges(alice, gone)
    assert found(revoke(alice, other, 999_999)) == ("not_found", "badge_gone")
    # A suspension or a badge's state does not stop a revoke.
    assert found(revoke(alice, suspended, kept)) == ("revoked", None)
    assert found(revoke(alice, suspended, kept)) == ("not_held", "not_held")
    assert award(alice, holder, spare, force=True)["outcome"] == "awarded"
    assert found(revoke(alice, holder, spare)) == ("revoked", None)


def test_openapi_lists_the_conditions(sandbox: SandboxProcess) -> None:
    spec = httpx.get(sandbox.url + "/openapi.json", timeout=15).json()
    schemas = spec["components"]["schemas"]
    condition = schemas["BatchItemResult"]["properties"]["condition"]
    assert "member_gone" in condition["description"]
    [reference] = [option for option in condition["anyOf"] if "$ref" in option]
    listed = schemas[reference["$ref"].rsplit("/", 1)[-1]]["enum"]
    assert listed == [d.value for d in Drift]
