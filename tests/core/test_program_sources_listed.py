"""The list source against hand-computed fixtures: a CSV's first run, a folder's newest file on
the next (new rows, a row gone, members still listed), JSON lists, unmatched rows never dropped,
repeated rows, and a clear error for each input that is not a usable list."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.domain import Member, MemberStatus
from desktop.importers.files import ListFileError
from desktop.programs.sources.base import Candidate, Unmatched
from desktop.programs.sources.listed import ListedRead, ListedSource

T0 = datetime(2020, 1, 1, tzinfo=UTC)


def member(i: int, username: str, email: str, status: MemberStatus = MemberStatus.ACTIVE) -> Member:
    return Member(i, username, username.title(), email, T0, T0, status)


MEMBERS = [
    member(1, "alice", "alice@example.org"),
    member(2, "bob", "bob@example.org"),
    member(3, "carol", "carol@example.org", MemberStatus.SUSPENDED),
    member(4, "dora", "Dora@Example.org"),
    member(5, "eve", "eve@example.org"),
    member(6, "frank", "frank@example.org", MemberStatus.DELETED),
]

NOVEMBER = (
    "Name,Email,Passed\n"
    "Alice,alice@example.org,2026-11-02\n"
    "Bob,BOB@example.org,2026-11-03\n"
    "Nobody,nobody@example.org,2026-11-04\n"
    "Carol,carol@example.org,2026-11-05\n"
    ",,\n"
    "Dora,dora@example.org,2026-11-06\n"
    "Alice again,Alice@Example.org,2026-11-07\n"
    "Broken,not an email,2026-11-08\n"
)


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    built = Cache(tmp_path / "cache")
    with built.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
    yield built
    built.close()


def write(path: Path, text: str, mtime: int | None = None, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding, newline="")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def first_run(cache: Cache, folder: Path) -> ListedRead:
    write(folder / "certified-2026-11.csv", NOVEMBER, mtime=1_700_000_000)
    return ListedSource(folder).read(cache, None)


def test_the_first_run_of_a_csv(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "certified-2026-11.csv", NOVEMBER)
    read = ListedSource(path).read(cache, None)
    assert read.file == path
    assert read.result.candidates == (
        Candidate(1, "in certified-2026-11.csv, row 2"),
        Candidate(2, "in certified-2026-11.csv, row 3"),
        Candidate(4, "in certified-2026-11.csv, row 7"),
    )
    assert read.result.unmatched == (
        Unmatched("row 4: nobody@example.org", "no member has this email address"),
        Unmatched("row 5: carol@example.org", "member suspended or deleted"),
        Unmatched("row 6: ", "has no email address or username"),
        Unmatched("row 9: not an email", "contains spaces"),
    )
    assert read.result.gone == ()
    assert read.result.notes == ("Row 8 names the same member as row 2: counted once.",)
    # Carol is not kept: once active and still listed, she is a candidate.
    assert read.keep == {
        "format": 1,
        "file": "certified-2026-11.csv",
        "members": {"1": "alice@example.org", "2": "BOB@example.org", "4": "dora@example.org"},
    }


def test_the_next_run_takes_the_newest_file_of_the_folder(cache: Cache, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    before = first_run(cache, folder)
    write(folder / "certified-2026-12.csv", "Username\n@bob\ndora\neve\ncarol\n", mtime=1_800_000_000)
    write(folder / ".~lock.certified-2026-12.csv#", "x", mtime=1_900_000_000)
    write(folder / "readme.md", "not a list", mtime=1_900_000_000)
    # Stored as JSON between runs: the kept value goes through text.
    kept = json.loads(json.dumps(before.keep))
    read = ListedSource(folder).read(cache, kept)
    assert read.file == folder / "certified-2026-12.csv"
    assert read.result.candidates == (Candidate(5, "in certified-2026-12.csv, row 4"),)
    assert read.result.gone == (
        Candidate(
            1, "no longer in certified-2026-12.csv (listed as alice@example.org in certified-2026-11.csv)"
        ),
    )
    assert read.result.unmatched == (Unmatched("row 5: carol", "member suspended or deleted"),)
    assert read.result.notes == (
        f"Read certified-2026-12.csv, the newest of 2 list files in {folder}.",
        "2 members listed last time are still listed (not candidates again).",
    )
    assert read.keep["members"] == {"2": "@bob", "4": "dora", "5": "eve"}


def test_a_member_active_again_and_still_listed_becomes_a_candidate(cache: Cache, tmp_path: Path) -> None:
    before = first_run(cache, tmp_path / "exports")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(3, "carol", "carol@example.org")])
    read = ListedSource(tmp_path / "exports").read(cache, before.keep)
    assert read.result.candidates == (Candidate(3, "in certified-2026-11.csv, row 5"),)
    assert read.result.gone == ()
    assert "3" in read.keep["members"]  # type: ignore[operator]


def test_a_suspended_member_still_listed_is_not_gone(cache: Cache, tmp_path: Path) -> None:
    before = first_run(cache, tmp_path / "exports")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(2, "bob", "bob@example.org", MemberStatus.SUSPENDED)])
    read = ListedSource(tmp_path / "exports").read(cache, before.keep)
    assert read.result.gone == ()
    assert read.result.candidates == ()
    assert Unmatched("row 3: BOB@example.org", "member suspended or deleted") in read.result.unmatched


def test_the_only_file_of_a_folder_and_many_repeats(cache: Cache, tmp_path: Path) -> None:
    write(tmp_path / "only" / "l.csv", "Email\n" + "alice@example.org\n" * 23)
    read = ListedSource(tmp_path / "only").read(cache, None)
    assert read.result.candidates == (Candidate(1, "in l.csv, row 2"),)
    notes = read.result.notes
    assert notes[0] == f"Read l.csv, the only list file in {tmp_path / 'only'}."
    assert notes[1] == "Row 3 names the same member as row 2: counted once."
    assert notes[20] == "Row 22 names the same member as row 2: counted once."
    assert notes[21:] == ("2 more rows name a member an earlier row named.",)


def test_most_of_the_list_gone_is_said(cache: Cache, tmp_path: Path) -> None:
    before = first_run(cache, tmp_path / "exports")
    write(tmp_path / "exports" / "certified-2026-12.csv", "Email\ndora@example.org\n", mtime=1_800_000_000)
    read = ListedSource(tmp_path / "exports").read(cache, before.keep)
    assert [c.member_id for c in read.result.gone] == [1, 2]
    assert (
        "2 of the 3 members listed last time are no longer in certified-2026-12.csv: "
        "check the file before revoking."
    ) in read.result.notes


def test_a_json_list_of_objects(cache: Cache, tmp_path: Path) -> None:
    items = [
        {"name": "Alice", "mail": "alice@example.org"},
        {"name": "Ghost", "mail": "ghost@example.org"},
        {"name": "No mail"},
        {"name": "Number", "mail": 42},
        {"name": "Eve", "mail": "EVE@example.org"},
        {"name": "Null", "mail": None},
    ]
    path = write(tmp_path / "passed.json", json.dumps(items))
    read = ListedSource(path).read(cache, None)
    assert read.result.candidates == (
        Candidate(1, "in passed.json, item 1"),
        Candidate(5, "in passed.json, item 5"),
    )
    assert read.result.unmatched == (
        Unmatched("item 2: ghost@example.org", "no member has this email address"),
        Unmatched("item 3: ", "has no “mail”"),
        Unmatched("item 4: 42", "is not text (an email address or a username)"),
        Unmatched("item 6: ", "has no email address or username"),
    )


def test_a_json_list_of_strings_and_a_named_field(cache: Cache, tmp_path: Path) -> None:
    strings = write(tmp_path / "a.json", json.dumps(["@alice", "nobody", "eve@example.org", "eve"]))
    read = ListedSource(strings).read(cache, None)
    assert [c.member_id for c in read.result.candidates] == [1, 5]
    assert read.result.unmatched == (Unmatched("item 2: nobody", "no member has this username"),)
    assert read.result.notes == ("Item 4 names the same member as item 3: counted once.",)
    objects = write(tmp_path / "b.json", json.dumps([{"Login": "bob", "email": "alice@example.org"}]))
    assert [
        c.member_id for c in ListedSource(objects, column="login").read(cache, None).result.candidates
    ] == [2]


def test_a_csv_column_named_by_the_program(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "lms.csv", "Learner;Score\nalice;91\neve;88\n")
    read = ListedSource(path, column="learner").read(cache, None)
    assert [c.member_id for c in read.result.candidates] == [1, 5]
    with pytest.raises(
        ListFileError, match=r"“lms.csv” has no column “Mail”; its columns are: Learner, Score\."
    ):
        ListedSource(path, column="Mail").read(cache, None)


def test_a_single_column_without_header(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "list.txt", "alice@example.org\nbob\n")
    assert [c.member_id for c in ListedSource(path).read(cache, None).result.candidates] == [1, 2]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "people.csv",
            "Name,Score\nAlice,1\nBob,2\n",
            r"“people.csv” has no column named like email addresses",
        ),
        (
            "object.json",
            '{"users": ["alice"]}',
            r"“object.json” holds a JSON object \(with users\), not a list",
        ),
        ("number.json", "42", r"“number.json” holds a single JSON value, not a list of members\."),
        ("broken.json", '["alice",', r"“broken.json” is not valid JSON: .* \(line 1, column 10\)\."),
        ("empty.json", "  \n", r"“empty.json” is empty\."),
        (
            "fields.json",
            '[{"name": "Alice"}]',
            r"The objects in “fields.json” have no field named like email",
        ),
    ],
)
def test_input_that_is_not_a_list(
    cache: Cache, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(ListFileError, match=message):
        ListedSource(path).read(cache, None)


def test_a_named_json_field_that_is_missing(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "f.json", '[{"email": "alice@example.org"}]')
    with pytest.raises(ListFileError, match=r"have no field “login”; their fields are: email\."):
        ListedSource(path, column="login").read(cache, None)


def test_unreadable_encodings(cache: Cache, tmp_path: Path) -> None:
    utf32 = tmp_path / "utf32.csv"
    utf32.write_bytes("Email\nalice@example.org\n".encode("utf-32"))
    with pytest.raises(ListFileError, match=r"“utf32.csv” is saved as UTF-32"):
        ListedSource(utf32).read(cache, None)
    legacy = tmp_path / "legacy.json"
    legacy.write_bytes('["j\u00fcrgen"]'.encode("cp1252"))
    with pytest.raises(ListFileError, match=r"“legacy.json” is not UTF-8 text \(byte 0xFC at position 3"):
        ListedSource(legacy).read(cache, None)
    image = tmp_path / "image.csv"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(ListFileError, match=r"seems to be a PNG image"):
        ListedSource(image).read(cache, None)


def test_a_missing_file_and_an_empty_folder(cache: Cache, tmp_path: Path) -> None:
    with pytest.raises(ListFileError, match=r"gone\.csv” does not exist"):
        ListedSource(tmp_path / "gone.csv").read(cache, None)
    folder = tmp_path / "empty"
    write(folder / ".hidden.csv", "Email\nalice@example.org\n")
    write(folder / "notes.md", "x")
    with pytest.raises(
        ListFileError, match=r"The folder “.*empty” holds no list file \(CSV, TSV, TXT or JSON\)\."
    ):
        ListedSource(folder).read(cache, None)


def test_a_kept_value_from_elsewhere_is_refused(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", "Email\nalice@example.org\n")
    with pytest.raises(ValueError, match="format 1"):
        ListedSource(path).read(cache, {"members": []})


def test_a_cancelled_read_stops(cache: Cache, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", "Email\nalice@example.org\n")
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        ListedSource(path).read(cache, None, cancel=cancel)
