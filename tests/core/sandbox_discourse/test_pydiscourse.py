"""pydiscourse, the usual Python client, against a real Discourse sandbox over loopback HTTP:
if it cannot use the dialect, the dialect is not Discourse. Also what the CLI's flags reach."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydiscourse import DiscourseClient

from desktop.sandbox.process import SandboxProcess

MEMBERS = 300
MULTIPLE = 110  # Lightning Talk


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("discourse-sandbox"),
        members=MEMBERS,
        seed=3,
        dialect="discourse",
        rate=6000,
    )
    with process:
        yield process


@pytest.fixture(scope="module")
def admin(sandbox: SandboxProcess) -> DiscourseClient:
    return DiscourseClient(
        sandbox.url, api_username=sandbox.usernames["admin"], api_key=sandbox.tokens["admin"]
    )


@pytest.fixture(scope="module")
def moderator(sandbox: SandboxProcess) -> DiscourseClient:
    return DiscourseClient(
        sandbox.url, api_username=sandbox.usernames["moderator"], api_key=sandbox.tokens["moderator"]
    )


def test_the_ready_line_names_the_dialect_its_keys_and_their_usernames(sandbox: SandboxProcess) -> None:
    assert sandbox.dialect == "discourse"
    assert set(sandbox.tokens) == {"admin", "moderator", "read_only", "granular"} == set(sandbox.usernames)
    assert sandbox.usernames["admin"] == "system"
    assert all(len(key) == 64 for key in sandbox.tokens.values())
    assert (sandbox.data_dir / "discourse_keys.json").exists()


def test_pydiscourse_lists_badges_and_users(admin: DiscourseClient, moderator: DiscourseClient) -> None:
    answer = admin.badges()
    assert {"badges", "badge_types", "badge_groupings", "admin_badges"} <= set(answer)
    assert any(b["id"] == MULTIPLE and b["multiple_grant"] for b in answer["badges"])
    users = moderator.list_users("active", show_emails="true")
    assert isinstance(users, list) and len(users) == 100 and "email" in users[0]
    assert moderator.list_users("active", page=999) == []
    staff = moderator.list_users("staff")
    assert staff and all(u["admin"] or u["moderator"] for u in staff)


def test_pydiscourse_grants_and_reads_a_members_badges(
    sandbox: SandboxProcess, moderator: DiscourseClient
) -> None:
    member = next(u for u in moderator.list_users("basic") if u["id"] > 0)["username"]
    before = moderator.user_badges(member)
    held = [b for b in before["user_badges"] if b["badge_id"] == MULTIPLE]
    reason = f"{sandbox.url}/t/badge-request/12"
    granted = moderator.grant_badge_to(member, MULTIPLE, reason=reason)
    assert granted["user_badge"]["badge_id"] == MULTIPLE
    again = moderator.grant_badge_to(member, MULTIPLE, reason=reason)
    assert again["user_badge"]["id"] == granted["user_badge"]["id"], "the same post earns it once"
    after = moderator.user_badges(member)
    assert len([b for b in after["user_badges"] if b["badge_id"] == MULTIPLE]) == len(held) + 1
    assert moderator.user(member)["username"] == member


def test_pydiscourse_sees_a_refused_reason_as_a_client_error(moderator: DiscourseClient) -> None:
    from pydiscourse.exceptions import DiscourseClientError

    member = next(u for u in moderator.list_users("basic") if u["id"] > 0)["username"]
    with pytest.raises(DiscourseClientError):
        moderator.grant_badge_to(member, MULTIPLE, reason="https://elsewhere.example/t/x/1")


def test_the_rate_flag_sets_the_site_wide_bucket(tmp_path: Path) -> None:
    with SandboxProcess(
        data_dir=tmp_path / "limited", members=50, seed=1, dialect="discourse", rate=2
    ) as process:
        headers = {"Api-Key": process.tokens["admin"], "Api-Username": "system"}
        with httpx.Client(base_url=process.url, headers=headers, timeout=15) as client:
            assert [client.get("/session/current.json").status_code for _ in range(2)] == [200, 200]
            refused = client.get("/admin/badges.json")
            assert refused.status_code == 429
            assert 1 <= refused.json()["extras"]["wait_seconds"] <= 60
            assert refused.headers["discourse-rate-limit-error-code"] == "admin_api_key_rate_limit"


def test_the_v1_sandbox_is_still_the_default(tmp_path: Path) -> None:
    with SandboxProcess(data_dir=tmp_path / "v1", members=50, seed=1) as process:
        assert process.dialect == "v1" and process.usernames == {}
        assert "moderator" in process.tokens
        response = httpx.get(
            f"{process.url}/api/v1/me", headers={"Authorization": f"Bearer {process.tokens['moderator']}"}
        )
        assert response.status_code == 200


def test_pydiscourse_suspends_unsuspends_and_deletes(moderator: DiscourseClient) -> None:
    candidates = [
        u for u in moderator.list_users("newuser") if u["id"] > 0 and not u["admin"] and not u["moderator"]
    ]
    target, removed = candidates[0], next(u for u in candidates[1:] if u["post_count"] == 0)
    answer = moderator.suspend(target["id"], 3, "Testing the sandbox")
    assert answer["suspension"]["suspend_reason"] == "Testing the sandbox"
    assert target["id"] in {u["id"] for u in moderator.list_users("suspended")}
    moderator.unsuspend(target["id"])
    assert target["id"] not in {u["id"] for u in moderator.list_users("suspended")}
    assert moderator.delete_user(removed["id"]) == {"deleted": True}
    assert removed["id"] not in {u["id"] for u in moderator.list_users("newuser")}


def test_pydiscourse_lists_groups_and_their_members(moderator: DiscourseClient) -> None:
    groups = {g["name"]: g for g in moderator.groups()}
    assert {"staff", "speakers"} <= set(groups)
    members = moderator.group_members("trust_level_1", limit=40)
    assert len(members) == groups["trust_level_1"]["user_count"] > 40


def test_pydiscourse_messages_a_member_replies_and_closes_a_topic(moderator: DiscourseClient) -> None:
    member = next(u for u in moderator.list_users("basic") if u["id"] > 0)["username"]
    message = moderator.create_post(
        "Your Lightning Talk badge is on its way.",
        title="Lightning Talk",
        archetype="private_message",
        target_recipients=member,
    )
    assert message["post_number"] == 1 and message["topic_id"] >= 100_000
    reply = moderator.create_post("Approved, thank you for asking!", topic_id=13)
    # The demo's request 3 was decided: its topic has the decision's reply and closing already.
    assert reply["topic_id"] == 13 and reply["post_number"] == 4
    assert moderator.update_topic_status(13, "closed", True) == {"success": "OK", "topic_status_update": None}


def test_pydiscourse_reads_the_request_category_and_a_topic(moderator: DiscourseClient) -> None:
    listing = moderator.category_topics(5)
    topics = listing["topic_list"]["topics"]
    assert topics and all(t["category_id"] == 5 for t in topics)
    first = topics[0]
    shown = moderator.topic(first["slug"], first["id"])
    assert shown["id"] == first["id"] and shown["post_stream"]["posts"][0]["post_number"] == 1
