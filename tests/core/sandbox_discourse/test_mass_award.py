"""Mass award: ``POST /admin/badges/award/{badge_id}`` with a CSV of usernames and emails, accepted
with 200 and its counts, the grants applied later by background jobs with no per-member result."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.sandbox.discourse.errors import NOT_FOUND
from tests.core.sandbox_discourse.conftest import Forum, MakeForum

SINGLE = 101  # First Post
MULTIPLE = 110  # Lightning Talk


@pytest.fixture()
def slow_forum(make_forum: MakeForum) -> Forum:
    """Jobs wait a while before they run, so "applied later" can be seen."""
    return make_forum(job_delay=30.0)


def award(forum: Forum, badge_id: int, csv: str | bytes, **form: str) -> Any:
    content = csv.encode() if isinstance(csv, str) else csv
    return forum.admin.post(
        f"/admin/badges/award/{badge_id}.json",
        data=form,
        files={"file": ("members.csv", content, "text/csv")},
    )


def members(forum: Forum, count: int, badge_id: int) -> list[dict[str, Any]]:
    holders = {
        g.user_id for g in forum.data.holders(badge_ids=[badge_id], user_id=None, offset=0, limit=10_000)
    }
    rows = forum.admin.get("/admin/users/list/basic.json", params={"show_emails": "true"}).json()
    return [r for r in rows if r["id"] not in holders][:count]


def held(forum: Forum, user_id: int, badge_id: int) -> int:
    return len(forum.data.holders(badge_ids=[badge_id], user_id=user_id, offset=0, limit=100))


def test_a_csv_of_usernames_and_emails_is_accepted_then_applied_later(make_forum: MakeForum) -> None:
    forum = make_forum(job_delay=0.2)
    first, second, third = members(forum, 3, SINGLE)
    csv = (
        f"{first['username'].upper()}\n\n{second['email']}\nnobody-at-all\n"
        f"{third['username']},extra\nNo@Where.example\n"
    )
    response = award(forum, SINGLE, csv)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "unmatched_entries": ["nobody-at-all", "no@where.example"],
        "matched_users_count": 3,
        "unmatched_entries_count": 2,
    }
    assert forum.jobs.wait_idle(10)
    for member in (first, second, third):
        assert held(forum, member["id"], SINGLE) == 1
    granted = forum.data.holders(badge_ids=[SINGLE], user_id=first["id"], offset=0, limit=1)[0]
    assert granted.granted_by_id == -1, "the jobs grant as system"


def test_nothing_is_granted_before_the_jobs_run(slow_forum: Forum) -> None:
    (member,) = members(slow_forum, 1, SINGLE)
    assert award(slow_forum, SINGLE, member["username"]).json()["matched_users_count"] == 1
    assert held(slow_forum, member["id"], SINGLE) == 0
    assert slow_forum.jobs.pending() == 1


def test_existing_holders_are_skipped_and_a_member_listed_twice_gets_it_once(make_forum: MakeForum) -> None:
    forum = make_forum(job_delay=0.0)
    (member,) = members(forum, 1, MULTIPLE)
    holder = forum.data.holders(badge_ids=[MULTIPLE], user_id=None, offset=0, limit=1)[0]
    holder_name = forum.data.user_by_id(holder.user_id)
    assert holder_name is not None
    before = held(forum, holder.user_id, MULTIPLE)
    answer = award(
        forum, MULTIPLE, f"{member['username']}\n{member['username']}\n{holder_name.username}\n"
    ).json()
    assert answer["matched_users_count"] == 2
    assert forum.jobs.wait_idle(10)
    assert held(forum, member["id"], MULTIPLE) == 1
    assert held(forum, holder.user_id, MULTIPLE) == before


def test_grant_existing_holders_grants_once_per_line_for_a_multiple_grant_badge(
    make_forum: MakeForum,
) -> None:
    forum = make_forum(job_delay=0.0)
    (member,) = members(forum, 1, MULTIPLE)
    award(forum, MULTIPLE, f"{member['username']}\n{member['username']}\n", grant_existing_holders="true")
    assert forum.jobs.wait_idle(10)
    award(forum, MULTIPLE, f"{member['email']}\n", grant_existing_holders="true")
    assert forum.jobs.wait_idle(10)
    grants = forum.data.holders(badge_ids=[MULTIPLE], user_id=member["id"], offset=0, limit=100)
    assert sorted(g.seq for g in grants) == [0, 1, 2]
    refused = award(forum, SINGLE, member["username"], grant_existing_holders="true")
    assert (refused.status_code, refused.json()) == (
        422,
        {"errors": ["Can't grant First Post multiple times."]},
    )


def test_replace_badge_owners_revokes_every_holder_first(make_forum: MakeForum) -> None:
    forum = make_forum(job_delay=0.0)
    (member,) = members(forum, 1, SINGLE)
    assert forum.data.badge(SINGLE).grant_count > 1  # type: ignore[union-attr]
    award(forum, SINGLE, member["username"], replace_badge_owners="true")
    assert forum.jobs.wait_idle(10)
    holders = forum.data.holders(badge_ids=[SINGLE], user_id=None, offset=0, limit=100)
    assert [g.user_id for g in holders] == [member["id"]]


def test_what_a_mass_award_refuses(forum: Forum) -> None:
    invalid = {
        "errors": ["You supplied invalid parameters to the request: "],
        "error_type": "invalid_parameters",
    }
    no_file = forum.admin.post(f"/admin/badges/award/{SINGLE}.json", data={"file": ""})
    assert (no_file.status_code, no_file.json()["error_type"]) == (400, "invalid_parameters")
    unknown = award(forum, 99999, "someone")
    assert (unknown.status_code, unknown.json()["error_type"]) == (400, "invalid_parameters")
    assert award(forum, "fake_id", "someone").status_code == 400  # type: ignore[arg-type]
    forum.admin.put("/admin/badges/102.json", data={"enabled": "false"})
    disabled = award(forum, 102, "someone")
    assert (disabled.status_code, disabled.json()) == (
        422,
        {"errors": ["Please enable the Helpful badge first."]},
    )
    png = award(forum, SINGLE, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff")
    assert png.status_code == 400 and png.json()["errors"]
    broken = award(forum, SINGLE, 'alice\n"unclosed\n')
    assert broken.status_code == 400 and "line 2" in broken.json()["errors"][0]
    as_moderator = forum.moderator.post(
        f"/admin/badges/award/{SINGLE}.json", files={"file": ("m.csv", b"x", "text/csv")}
    )
    assert as_moderator.json() == {"errors": [NOT_FOUND], "error_type": "not_found"}
    assert invalid["error_type"] == "invalid_parameters"


def test_at_most_50000_entries(make_forum: MakeForum) -> None:
    forum = make_forum(job_delay=30.0)
    too_many = award(forum, SINGLE, "someone\n" * 50_001)
    assert too_many.status_code == 400
    assert too_many.json()["errors"] == [
        "Too many entries in the CSV file. Please provide a file with 50000 entries or fewer."
    ]
    assert award(forum, SINGLE, "someone\n" * 50_000).status_code == 200
