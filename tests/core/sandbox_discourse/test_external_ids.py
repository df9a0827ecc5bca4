"""Members by single sign-on id through the Discourse face: ``GET /u/by-external/{external_id}.json``
answers the member's profile (checked against openapi.json), exactly that id; 404 otherwise."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.sandbox.discourse.data.external_ids import external_id_of, user_id_of
from tests.core.sandbox_discourse.conftest import Forum
from tests.core.sandbox_discourse.test_auth import NOT_FOUND_BODY


def _members(database: Path) -> dict[str, list[int]]:
    conn = sqlite3.connect(database)
    try:
        found: dict[str, list[int]] = {}
        for member_id, status in conn.execute("SELECT id, status FROM members ORDER BY id"):
            found.setdefault(status, []).append(int(member_id))
        return found
    finally:
        conn.close()


def test_each_member_has_an_external_id_of_its_own_and_it_reads_back() -> None:
    ids = [1, 2, 3, 999, 123_456, 1_000_002]
    made = [external_id_of(i) for i in ids]
    assert len(set(made)) == len(made)
    assert all(e.startswith("lms-") and len(e) == 11 for e in made)
    assert [user_id_of(e) for e in made] == ids
    for nothing in ("lms-0000000", "LMS-0007919", "lms-7919", "7919", "", "lms-00079190"):
        assert user_id_of(nothing) is None
    with pytest.raises(ValueError):
        external_id_of(0)


def test_a_member_is_found_by_external_id_with_the_profile_answer(forum: Forum, database: Path) -> None:
    member_id = _members(database)["active"][5]
    client = forum.admin
    answer = client.get(f"/u/by-external/{external_id_of(member_id)}.json")
    assert answer.status_code == 200
    assert answer.json()["user"]["id"] == member_id
    assert client.operations == ["getUserExternalId"]
    username = answer.json()["user"]["username"]
    assert client.get(f"/u/{username}.json").json()["user"]["id"] == member_id


def test_unknown_deleted_and_differently_written_ids_are_404(forum: Forum, database: Path) -> None:
    members = _members(database)
    deleted = members["deleted"][0]
    active = members["active"][0]
    for external_id in (
        external_id_of(deleted),
        external_id_of(active).upper(),
        "lms-0000000",
        "someone-else",
        f"{external_id_of(active)} ",
    ):
        answer = forum.admin.get(f"/u/by-external/{external_id}.json")
        assert (answer.status_code, answer.json()) == (404, NOT_FOUND_BODY), external_id
