"""Adding and removing group members through the Discourse face, answers checked against the spec:
``PUT /groups/{id}/members.json`` (``addGroupMembers``) and ``DELETE`` (``removeGroupMembers``)."""

from __future__ import annotations

from typing import Any

from desktop.sandbox.discourse.errors import INVALID_ACCESS, NOT_FOUND
from desktop.sandbox.discourse.routes.groups import ADD_MEMBERS_LIMIT
from desktop.sandbox.store import SandboxStore
from tests.core.sandbox_discourse.conftest import Forum


def _group(forum: Forum, name: str) -> dict[str, Any]:
    groups = forum.admin.get("/groups.json").json()["groups"]
    return next(g for g in groups if g["name"] == name)


def _members(forum: Forum, name: str) -> set[str]:
    body = forum.admin.get(f"/groups/{name}/members.json", params={"limit": 1000}).json()
    return {m["username"] for m in body["members"]}


def _outsiders(forum: Forum, name: str, count: int) -> list[str]:
    inside = _members(forum, name)
    users = forum.admin.get("/admin/users/list/active.json", params={"page": 1}).json()
    return [u["username"] for u in users if u["username"] not in inside and not u["admin"]][:count]


def test_an_admin_adds_members_by_username_and_the_group_lists_them(forum: Forum) -> None:
    group = _group(forum, "speakers")
    new = _outsiders(forum, "speakers", 3)
    before = _members(forum, "speakers")
    client = forum.admin
    # Case does not matter; an unknown name is dropped; a member already in it is answered too.
    inside = sorted(before)[0]
    sent = ",".join([new[0].upper(), new[1], new[2], "no_such_user", inside])
    answer = client.put(f"/groups/{group['id']}/members.json", json={"usernames": sent})
    assert answer.status_code == 200, answer.text
    assert client.operations == ["addGroupMembers"]
    body = answer.json()
    assert body["success"] == "OK" and body["emails"] == []
    assert set(body["usernames"]) == {*new, inside}
    assert _members(forum, "speakers") == before | set(new)
    assert _group(forum, "speakers")["user_count"] == len(before) + 3


def test_adding_only_members_already_in_the_group_is_refused(forum: Forum) -> None:
    group = _group(forum, "speakers")
    client = forum.admin
    added = client.put(
        f"/groups/{group['id']}/members.json", json={"usernames": _outsiders(forum, "speakers", 1)[0]}
    )
    assert added.status_code == 200
    inside = sorted(_members(forum, "speakers"))
    assert len(inside) == 2
    answer = client.put(f"/groups/{group['id']}/members.json", json={"usernames": inside[0]})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [f"'{inside[0]}' is already a member of this group."]
    answer = client.put(f"/groups/{group['id']}/members.json", json={"usernames": ",".join(inside)})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        f"The following users are already members of this group: {', '.join(inside)}"
    ]


def test_names_are_split_on_commas_only_and_none_known_is_a_400(forum: Forum) -> None:
    group = _group(forum, "speakers")
    new = _outsiders(forum, "speakers", 2)
    client = forum.admin
    # " name" with its space is no username: only the first is added.
    answer = client.put(f"/groups/{group['id']}/members.json", json={"usernames": f"{new[0]}, {new[1]}"})
    assert answer.status_code == 200
    assert answer.json()["usernames"] == [new[0]]
    answer = client.put(f"/groups/{group['id']}/members.json", json={"usernames": "nobody_here"})
    assert answer.status_code == 400
    assert answer.json()["error_type"] == "invalid_parameters"


def test_removing_answers_the_removed_and_the_skipped(forum: Forum) -> None:
    group = _group(forum, "speakers")
    client = forum.admin
    more = _outsiders(forum, "speakers", 2)
    assert (
        client.put(f"/groups/{group['id']}/members.json", json={"usernames": ",".join(more)}).status_code
        == 200
    )
    inside = sorted(_members(forum, "speakers"))[:2]
    outside = _outsiders(forum, "speakers", 1)
    client = forum.admin
    answer = client.request(
        "DELETE", f"/groups/{group['id']}/members.json", json={"usernames": ",".join([*inside, *outside])}
    )
    assert answer.status_code == 200, answer.text
    assert client.operations == ["removeGroupMembers"]
    body = answer.json()
    assert sorted(body["usernames"]) == inside
    assert body["skipped_usernames"] == outside
    assert not set(inside) & _members(forum, "speakers")


def test_only_admins_change_a_group_and_never_an_automatic_one(forum: Forum) -> None:
    speakers, staff = _group(forum, "speakers"), _group(forum, "staff")
    new = _outsiders(forum, "speakers", 1)
    answer = forum.moderator.put(f"/groups/{speakers['id']}/members.json", json={"usernames": new[0]})
    assert answer.status_code == 403
    assert answer.json()["errors"] == [INVALID_ACCESS]
    answer = forum.admin.put(f"/groups/{staff['id']}/members.json", json={"usernames": new[0]})
    assert answer.status_code == 403
    answer = forum.admin.put("/groups/999999/members.json", json={"usernames": new[0]})
    assert answer.status_code == 404
    assert answer.json()["errors"] == [NOT_FOUND]
    assert new[0] not in _members(forum, "speakers")


def test_at_most_a_thousand_members_a_request() -> None:
    assert ADD_MEMBERS_LIMIT == 1000


def test_a_change_through_the_discourse_face_shows_in_the_v1_face(forum: Forum) -> None:
    # Both faces share the members; v1's group index follows a change made through Discourse.
    group = _group(forum, "translators")
    [new] = _outsiders(forum, "translators", 1)
    answer = forum.admin.put(f"/groups/{group['id']}/members.json", json={"usernames": new})
    assert answer.status_code == 200
    store = SandboxStore(forum.data.path)
    try:
        page, _cursor = store.groups_page(cursor=None, limit=100)
        v1_group = next(g for g in page if g.name == "translators")
        members = store.group_members_page(v1_group.id, cursor=None, limit=5000).items
        assert {m.username for m in members} == _members(forum, "translators")
        assert new in {m.username for m in members}
    finally:
        store.close()
