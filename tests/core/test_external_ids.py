"""A list matched by external (single sign-on) id, against hand-made fixtures: each id looked up
once through the server's port and remembered in the mirror, compared exactly, the cost said in
the notes, unmatched rows never dropped; the program refused where the server has no such ids;
the capability stored and read back."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.external_ids import ExternalIdReader, ExternalMember
from desktop.domain import Member, MemberStatus
from desktop.programs.model import Program, ProgramError, ProgramSpec, SourceSpec
from desktop.programs.periods import one_off
from desktop.programs.reading import read_source, reads_server
from desktop.programs.sources.base import Candidate, Unmatched
from desktop.programs.sources.listed import ListedSource
from desktop.programs.store import ProgramStore
from tests.capability_values import forum

T0 = datetime(2020, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)

MEMBERS = [
    Member(1, "alice", "Alice", "alice@example.org", T0, T0, MemberStatus.ACTIVE),
    Member(2, "bob", "Bob", "bob@example.org", T0, T0, MemberStatus.ACTIVE),
    Member(3, "carol", "Carol", "carol@example.org", T0, T0, MemberStatus.SUSPENDED),
    Member(4, "dora", "Dora", "dora@example.org", T0, T0, MemberStatus.ACTIVE),
]
#: The forum's single sign-on records: external id → member (9 joined since the last sync).
FORUM = {"LMS-1": 1, "lms-2": 2, "LMS-3": 3, "LMS-4": 4, "LMS-9": 9}

CERTIFIED = (
    "Name,Learner ID,Passed\n"
    "Alice,LMS-1,2026-11-02\n"
    "Bob,lms-2,2026-11-03\n"
    "Bobby,LMS-2,2026-11-03\n"
    "Carol,LMS-3,2026-11-04\n"
    ",,\n"
    "Newcomer,LMS-9,2026-11-05\n"
    "Alice again, LMS-1 ,2026-11-06\n"
)


class Forum:
    """The server's port: one request per call, counted."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def member_by_external_id(self, external_id: str) -> ExternalMember | None:
        self.asked.append(external_id)
        member_id = FORUM.get(external_id)
        return None if member_id is None else ExternalMember(member_id, f"user{member_id}")


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    built = Cache(tmp_path / "cache")
    with built.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
    yield built
    built.close()


def remembered(cache: Cache) -> dict[str, int]:
    """The mirror's external ids and their members."""
    with cache.read() as connection:
        rows = connection.exec_driver_sql("SELECT external_id, member_id FROM external_ids")
        return {str(external_id): int(member_id) for external_id, member_id in rows}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_the_port_is_a_protocol_a_session_offers() -> None:
    assert isinstance(Forum(), ExternalIdReader)
    assert not isinstance(object(), ExternalIdReader)


def test_a_column_of_external_ids_is_matched_exactly_through_the_server(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "certified.csv", CERTIFIED)
    forum = Forum()
    read = ListedSource(path, "Learner ID", "external_id").read(cache, None, external_ids=forum)
    # Each distinct id asked once, as written (spaces around dropped); "LMS-2" is not "lms-2".
    assert forum.asked == ["LMS-1", "lms-2", "LMS-2", "LMS-3", "LMS-9"]
    assert read.result.candidates == (
        Candidate(1, "in certified.csv, row 2"),
        Candidate(2, "in certified.csv, row 3"),
    )
    assert read.result.unmatched == (
        Unmatched("row 4: LMS-2", "no member has this external id"),
        Unmatched("row 5: LMS-3", "member suspended or deleted"),
        Unmatched("row 6: ", "has no external id"),
        Unmatched("row 7: LMS-9", "member not on this computer yet: sync, then run again"),
    )
    assert read.result.notes == (
        "5 external ids looked up: 5 requests.",
        "1 member found by external id is not on this computer yet: sync, then run again.",
        "Row 8 names the same member as row 2: counted once.",
    )
    # Carol is not kept: once active and still listed, she is a candidate.
    assert read.keep["members"] == {"1": "LMS-1", "2": "lms-2"}


def test_members_found_are_remembered_in_the_mirror_and_not_asked_again(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "certified.csv", CERTIFIED)
    source = ListedSource(path, "Learner ID", "external_id")
    first = source.read(cache, None, external_ids=Forum())
    forum = Forum()
    # The list grows by a row: only it, and the ids nobody had, cost a request.
    write(path, CERTIFIED + "Dora,LMS-4,2026-11-07\n")
    again = source.read(cache, first.keep, external_ids=forum)
    assert forum.asked == ["LMS-2", "LMS-4"]
    assert again.result.candidates == (Candidate(4, "in certified.csv, row 9"),)
    assert again.result.notes[:2] == (
        "2 external ids looked up: 2 requests.",
        "4 external ids known from earlier reads (no request).",
    )
    assert remembered(cache) == {"LMS-1": 1, "lms-2": 2, "LMS-3": 3, "LMS-4": 4, "LMS-9": 9}
    # Once member 9 is synced, the remembered answer makes them a candidate with no request.
    with cache.write() as connection:
        Cache.upsert_members(
            connection, [Member(9, "nina", "Nina", "nina@example.org", T0, T0, MemberStatus.ACTIVE)]
        )
    third = Forum()
    read = source.read(cache, again.keep, external_ids=third)
    assert third.asked == ["LMS-2"]
    assert read.result.candidates == (Candidate(9, "in certified.csv, row 7"),)


def test_a_json_list_of_numbers_and_objects(cache: Cache, tmp_path: Path) -> None:
    forum_ids = {"17": 1, "18": 2}

    class Numbers(Forum):
        def member_by_external_id(self, external_id: str) -> ExternalMember | None:
            self.asked.append(external_id)
            found = forum_ids.get(external_id)
            return None if found is None else ExternalMember(found, "x")

    items = [{"sso": 17}, {"sso": "18"}, {"sso": None}, {"sso": {"id": 3}}, {"other": 1}]
    path = write(tmp_path / "passed.json", json.dumps(items))
    forum = Numbers()
    read = ListedSource(path, "sso", "external_id").read(cache, None, external_ids=forum)
    assert forum.asked == ["17", "18"]
    assert [c.member_id for c in read.result.candidates] == [1, 2]
    assert [u.why for u in read.result.unmatched] == [
        "has no external id",
        "not an external id (text on one line)",
        "has no “sso”",
    ]


def test_a_cancelled_read_keeps_what_it_paid_for(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "certified.csv", CERTIFIED)
    token = CancelToken()

    class Cancelling(Forum):
        def member_by_external_id(self, external_id: str) -> ExternalMember | None:
            found = super().member_by_external_id(external_id)
            if len(self.asked) == 2:
                token.cancel()
            return found

    with pytest.raises(Cancelled):
        ListedSource(path, "Learner ID", "external_id").read(
            cache, None, external_ids=Cancelling(), cancel=token
        )
    assert remembered(cache) == {"LMS-1": 1, "lms-2": 2}


def test_a_program_matching_by_external_id_reads_through_the_server_or_is_refused(
    cache: Cache, tmp_path: Path
) -> None:
    path = write(tmp_path / "certified.csv", CERTIFIED)
    params: dict[str, object] = {"path": str(path), "column": "Learner ID", "match": "external_id"}
    spec = ProgramSpec("Certified", SourceSpec("list", params), badge_id=7, cadence=one_off().cadence)
    program = Program(1, spec, NOW, NOW)
    store = ProgramStore(cache)
    assert reads_server(spec.source)
    assert not reads_server(SourceSpec("list", {"path": str(path)}))
    assert not reads_server(SourceSpec("tenure", {"years": 10}))
    assert reads_server(SourceSpec("topic", {"topic_id": 3}))
    with pytest.raises(ProgramError, match="matches its list by external id"):
        read_source(store, program, one_off(), server=None, now=NOW)
    read = read_source(store, program, one_off(), server=Forum(), now=NOW)
    assert [c.member_id for c in read.result.candidates] == [1, 2]
    assert read.result.notes[0] == "5 external ids looked up: 5 requests."
    # Without "match" the same column is read as usernames (none of these is one).
    plain = dataclasses.replace(spec, source=SourceSpec("list", {"path": str(path), "column": "Learner ID"}))
    by_name = read_source(store, Program(1, plain, NOW, NOW), one_off(), server=None, now=NOW)
    assert by_name.result.candidates == ()


def test_a_list_the_server_knows_none_of_says_so(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "wrong.csv", "Learner ID\nX-1\nX-2\n")
    forum = Forum()
    read = ListedSource(path, "Learner ID", "external_id").read(cache, None, external_ids=forum)
    assert forum.asked == ["X-1", "X-2"]
    assert read.result.candidates == ()
    assert read.result.notes == (
        "2 external ids looked up: 2 requests.",
        "The server knows none of these external ids: check the column, and that the"
        " server signs members in through the system that wrote the list.",
    )


def test_an_unknown_match_is_refused() -> None:
    with pytest.raises(ValueError, match="match must be"):
        ListedSource(Path("x.csv"), None, "email-ish")


def test_the_capability_is_stored_and_an_older_value_has_none() -> None:
    discourse = forum(requests=True, external_ids=True)
    assert Capabilities.from_json(discourse.to_json()) == discourse
    older = json.loads(discourse.to_json())
    del older["external_ids"]
    assert Capabilities.from_json(json.dumps(older)) == dataclasses.replace(discourse, external_ids=False)
