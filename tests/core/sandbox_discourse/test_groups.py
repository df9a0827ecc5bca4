"""Groups through the Discourse face: ``GET /groups`` (Discourse's automatic groups and the demo's
own), ``GET /groups/search``, and ``GET /groups/{name}/members`` paged by offset with a total."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox.discourse.errors import NOT_FOUND
from tests.core.sandbox_discourse.conftest import Forum


def members_of(database_groups: list[tuple[int, str]], group: str) -> set[int]:
    return {member_id for member_id, groups in database_groups if group in groups.split(",")}


@pytest.fixture()
def store_groups(forum: Forum, database: Path) -> list[tuple[int, str]]:
    return [
        (int(r[0]), str(r[1]))
        for r in forum.data._conn().execute("SELECT id, groups FROM members WHERE status != 'deleted'")
    ]


def all_members(forum: Forum, name: str, **params: Any) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        answer = forum.moderator.get(f"/groups/{name}/members.json", params={**params, "offset": offset})
        assert answer.status_code == 200
        body = answer.json()
        rows += body["members"]
        if not body["members"]:
            return rows, int(body["meta"]["total"])
        offset += len(body["members"])


def test_the_group_list_has_automatic_groups_and_the_demos(forum: Forum) -> None:
    client = forum.moderator
    answer = client.get("/groups.json")
    assert answer.status_code == 200
    assert client.operations == ["listGroups"]
    body = answer.json()
    names = {g["name"]: g for g in body["groups"]}
    assert {"admins", "moderators", "staff", "trust_level_0", "trust_level_4"} <= set(names)
    assert {"speakers", "translators", "mentors"} <= set(names)
    assert names["admins"]["id"] == 1 and names["admins"]["automatic"] is True
    assert names["speakers"]["automatic"] is False and names["speakers"]["id"] >= 41
    assert body["total_rows_groups"] == len(body["groups"])
    assert body["load_more_groups"].startswith("/groups?page=1")


def test_group_members_come_with_a_total_and_page_by_offset(
    forum: Forum, store_groups: list[tuple[int, str]]
) -> None:
    client = forum.moderator
    first = client.get("/groups/trust_level_1/members.json", params={"limit": 7})
    assert first.status_code == 200
    assert client.operations == ["listGroupMembers"]
    body = first.json()
    assert len(body["members"]) == 7 and body["owners"] == []
    assert body["meta"]["limit"] == 7 and body["meta"]["offset"] == 0
    rows, total = all_members(forum, "speakers", limit=3)
    assert total == len(rows) == len(members_of(store_groups, "speakers"))
    assert {r["id"] for r in rows} == members_of(store_groups, "speakers")
    staff, _ = all_members(forum, "staff")
    assert {r["id"] for r in staff} == members_of(store_groups, "staff")
    admins, _ = all_members(forum, "admins")
    assert {r["id"] for r in admins} == members_of(store_groups, "admins"), "system is not a human member"


def test_trust_level_groups_hold_everyone_at_that_level_or_above(forum: Forum) -> None:
    level_two_up = {r["id"] for r in all_members(forum, "trust_level_2")[0]}
    listed = forum.admin.get("/admin/users/list/active.json").json()
    levels = {r["id"]: r["trust_level"] for r in listed if r["id"] > 0}
    assert {i for i, level in levels.items() if level >= 2} <= level_two_up


def test_unknown_groups_and_bad_limits(forum: Forum) -> None:
    missing = forum.moderator.get("/groups/no-such-group/members.json")
    assert (missing.status_code, missing.json()) == (404, {"errors": [NOT_FOUND], "error_type": "not_found"})
    bad = forum.moderator.get("/groups/speakers/members.json", params={"limit": 0})
    assert (bad.status_code, bad.json()["error_type"]) == (400, "invalid_parameters")
    capped = forum.moderator.get("/groups/trust_level_0/members.json", params={"limit": 5000}).json()
    assert capped["meta"]["limit"] == 1000


def test_group_search_is_what_pydiscourse_calls_groups(forum: Forum) -> None:
    found = forum.moderator.get("/groups/search.json").json()
    assert isinstance(found, list) and {"speakers", "staff"} <= {g["name"] for g in found}
    speakers = forum.moderator.get("/groups/search.json", params={"term": "speak"}).json()
    assert [g["name"] for g in speakers] == ["speakers"]
    custom = forum.moderator.get("/groups/search.json", params={"ignore_automatic": "true"}).json()
    assert all(not g["automatic"] for g in custom)
