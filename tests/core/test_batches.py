"""Building batches: the dry run's exact counts, queueing with every row, the results CSV."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.batch_results import export_results_csv
from desktop.batches import ListSource, dry_run, queue_batch
from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.domain import ActionKind, Award, Member, MemberStatus
from desktop.importers.files import ListFileError
from desktop.importers.sniffing import sniff_file, sniff_text
from desktop.outbox import Outbox, OutboxError
from tests.core.test_cache import T0, badge, member

MEMBERS = 2000


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        members = [member(i) for i in range(1, MEMBERS + 1)]
        members[9] = member(10, status=MemberStatus.SUSPENDED)
        Cache.upsert_members(connection, members)
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        # Members 1-5 hold badge 1.
        Cache.upsert_awards(connection, [Award(100 + i, i, 1, T0, "Bob", "") for i in range(1, 6)])
        Cache.set_sync_state(connection, {"last_sync_at": "1"})
        Cache.set_preferences(connection, {"me.name": "Alice Moderator"})
    yield cache
    cache.close()


PASTED = """user20@example.org
USER21@Example.ORG
@user22

user20@example.org
user3
jane.doe@
bob at example.com
nobody@example.org
user10
user21@example.org
"""


def test_dry_run_counts_every_kind_of_row(cache: Cache) -> None:
    source = ListSource.pasted(PASTED, sniff_text(PASTED))
    plan = dry_run(cache, source, ActionKind.AWARD, 1)
    assert plan.counts() == {
        "rows": 11,
        "blank": 1,  # line 4
        "duplicates": 2,  # lines 5 and 11
        "invalid": 2,
        "not_found": 1,
        "inactive": 1,  # user10 is suspended
        "already": 1,  # user3 holds badge 1
        "to_send": 3,
    }
    assert sum(v for k, v in plan.counts().items() if k != "rows") == plan.rows
    assert plan.member_ids == (20, 21, 22)
    assert [(row, problem) for row, _raw, problem in plan.invalid_rows] == [
        (7, "email has no domain after '@'"),
        (8, "email has no '@' (it is spelled out)"),
    ]
    assert plan.not_found_rows == ((9, "nobody@example.org"),)


def test_revoke_counts_members_without_the_badge(cache: Cache) -> None:
    text = "user1\nuser2\nuser30\nuser10\n"
    plan = dry_run(cache, ListSource.pasted(text, sniff_text(text)), ActionKind.REVOKE, 1)
    # Revoking from a suspended member is fine; user30 and user10 do not hold it.
    assert (plan.to_send, plan.already, plan.inactive) == (2, 2, 0)
    assert plan.already_label == "do not hold the badge"


def test_a_selection_is_a_list_of_members(cache: Cache) -> None:
    plan = dry_run(cache, ListSource.selection([1, 20, 20, 10, 21]), ActionKind.AWARD, 1)
    assert (plan.rows, plan.already, plan.inactive, plan.to_send) == (4, 1, 1, 2)


def test_queueing_stores_every_row_and_the_results_csv_reports_each(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Email,Team\nuser20@example.org,a\n,b\nuser20@example.org,c\nuser3@example.org,d\n")
    plan = dry_run(cache, ListSource.file(path, sniff_file(path)), ActionKind.AWARD, 1)
    outbox = Outbox(cache)
    batch = queue_batch(outbox, plan, reason="DevCon", notify=False)
    assert batch.source == "list.csv" and batch.reason == "DevCon" and not batch.notify
    [action] = outbox.actions(batch_id=batch.id)
    assert action.member_id == 20 and action.payload["notify"] is False
    out = tmp_path / "results.csv"
    assert export_results_csv(cache, batch.id, out) == 4
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["row", "input", "member", "outcome"],
        ["2", "user20@example.org", "user20", "pending"],
        ["3", "", "", "skipped: blank"],
        ["4", "user20@example.org", "user20", "skipped: same as row 2"],
        ["5", "user3@example.org", "user3", "skipped: already holds the badge"],
    ]


def test_a_file_changed_after_the_dry_run_is_not_queued(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("user20\nuser21\n")
    plan = dry_run(cache, ListSource.file(path, sniff_file(path)), ActionKind.AWARD, 1)
    path.write_text("user20\nuser21\nuser22\n")
    with pytest.raises(OutboxError, match="changed since the dry run"):
        queue_batch(Outbox(cache), plan)
    assert Outbox(cache).actions() == []
    # Same size and time, different content: caught by the second reading.
    path.write_text("user20\nuser23\n")
    assert plan.source.format is not None
    plan = replace(plan, fingerprint=ListSource.file(path, plan.source.format).fingerprint())
    with pytest.raises(OutboxError, match="changed since the dry run"):
        queue_batch(Outbox(cache), plan)
    assert Outbox(cache).actions() == [] and Outbox(cache).batches() == []


def test_nothing_to_send_is_refused_clearly(cache: Cache) -> None:
    text = "user1\nuser2\n"
    plan = dry_run(cache, ListSource.pasted(text, sniff_text(text)), ActionKind.AWARD, 1)
    with pytest.raises(OutboxError, match="Nothing to send"):
        queue_batch(Outbox(cache), plan)


def test_an_email_starting_with_hash_is_looked_up_like_any_other(cache: Cache) -> None:
    with cache.write() as connection:
        team = Member(5000, "team", "Team", "#team@example.org", T0, None, MemberStatus.ACTIVE, ())
        Cache.upsert_members(connection, [team])
    text = "#team@example.org\n#nobody@example.org\nuser20\n#5000\n"
    plan = dry_run(cache, ListSource.pasted(text, sniff_text(text)), ActionKind.AWARD, 1)
    assert plan.member_ids == (5000, 20)
    assert plan.not_found_rows == ((2, "#nobody@example.org"),)
    # "#5000" is not a way to name member 5000 in a list: only a selection uses ids.
    assert [(row, problem) for row, _raw, problem in plan.invalid_rows] == [(4, "username contains '#'")]


def test_a_lone_surrogate_is_an_invalid_row_that_can_be_queued_and_exported(
    cache: Cache, tmp_path: Path
) -> None:
    text = "user20@example.org\nb\udc80b@example.org\n\ud800\n"
    plan = dry_run(cache, ListSource.pasted(text, sniff_text(text)), ActionKind.AWARD, 1)
    assert (plan.rows, plan.invalid, plan.to_send) == (3, 2, 1)
    assert [raw for _row, raw, _problem in plan.invalid_rows] == ["b\ufffdb@example.org", "\ufffd"]
    batch = queue_batch(Outbox(cache), plan)
    out = tmp_path / "results.csv"
    assert export_results_csv(cache, batch.id, out) == 3
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[:2] for row in rows[1:]] == [
        ["1", "user20@example.org"],
        ["2", "b\ufffdb@example.org"],
        ["3", "\ufffd"],
    ]
    assert rows[2][3].startswith("invalid: the pasted text has half of a UTF-16 surrogate pair")


def test_a_file_gone_before_the_dry_run_is_a_list_file_error(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("user20\nuser21\n")
    source = ListSource.file(path, sniff_file(path))
    path.unlink()
    with pytest.raises(ListFileError, match=r"^“list\.csv” cannot be opened: No such file or directory\.$"):
        dry_run(cache, source, ActionKind.AWARD, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "text file")],
)
def test_unusable_files_give_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(ListFileError, match=message):
        sniff_file(path)


def test_a_million_line_file_gets_exact_counts(cache: Cache, tmp_path: Path) -> None:
    """1,000,000 rows: 5 % blank, 1 % invalid, 2 % unknown, the rest members of the cache, repeated."""
    path = tmp_path / "million.csv"
    expected = {"blank": 0, "invalid": 0, "not_found": 0}
    members_seen: set[int] = set()
    lines = ["email;note"]
    for i in range(1_000_000):
        if i % 20 == 0:
            lines.append(";blank")
            expected["blank"] += 1
        elif i % 100 == 1:
            lines.append(f"broken{i}@;x")
            expected["invalid"] += 1
        elif i % 50 == 2:
            lines.append(f"stranger{i}@elsewhere.example;x")
            expected["not_found"] += 1
        else:
            m = i % MEMBERS + 1
            members_seen.add(m)
            lines.append(f"USER{m}@example.org;x" if i % 3 else f"user{m}@example.org;x")
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    plan = dry_run(cache, ListSource.file(path, sniff_file(path)), ActionKind.AWARD, 1)
    seconds = time.perf_counter() - started
    held = {1, 2, 3, 4, 5} & members_seen
    suspended = {10} & members_seen
    assert plan.rows == 1_000_000
    assert plan.blank == expected["blank"]
    assert plan.invalid == expected["invalid"]
    assert plan.not_found == expected["not_found"]
    assert plan.already == len(held) and plan.inactive == len(suspended)
    assert plan.to_send == len(members_seen) - len(held) - len(suspended)
    assert plan.duplicates == 1_000_000 - sum(expected.values()) - len(members_seen)
    assert len(plan.invalid_rows) == 1000  # examples kept; the count is exact
    print(f"\ndry run of 1,000,000 rows: {seconds:.1f} s")


def test_the_results_export_reports_progress_and_can_be_cancelled(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Email\n" + "".join(f"user{i}@example.org\n" for i in range(1, 8)))
    plan = dry_run(cache, ListSource.file(path, sniff_file(path)), ActionKind.AWARD, 1)
    batch = queue_batch(Outbox(cache), plan, reason="DevCon", notify=False)
    out = tmp_path / "results.csv"
    reported: list[int] = []
    assert export_results_csv(cache, batch.id, out, progress=reported.append, every=3) == 7
    # Every few rows, and the total at the end.
    assert reported == [3, 6, 7]

    out.write_text("an earlier export")
    token = CancelToken()

    def cancel_after_first(rows: int) -> None:
        token.cancel()

    with pytest.raises(Cancelled):
        export_results_csv(cache, batch.id, out, progress=cancel_after_first, cancel=token, every=3)
    # Cancelled: the earlier file stays as it was, no part file is left.
    assert out.read_text() == "an earlier export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_list_given_again_before_it_was_sent_queues_nobody_twice(cache: Cache) -> None:
    """A scheduled `award --from` run again while the server is out of reach, a list pasted twice."""
    outbox = Outbox(cache)
    text = "user20\nuser21\n"
    first = dry_run(cache, ListSource.pasted(text, sniff_text(text)), ActionKind.AWARD, 2)
    queued = queue_batch(outbox, first, reason="first")
    again_text = "user20\nuser21\nuser22\n"
    again = dry_run(cache, ListSource.pasted(again_text, sniff_text(again_text)), ActionKind.AWARD, 2)
    assert (again.to_send, again.already, again.member_ids) == (1, 2, (22,))
    queue_batch(outbox, again, reason="again")
    assert sorted(a.member_id for a in outbox.actions() if a.member_id is not None) == [20, 21, 22]
    # Undone before it was sent: queued again the next time.
    outbox.undo_batch(queued.id)
    third = dry_run(cache, ListSource.pasted(text, sniff_text(text)), ActionKind.AWARD, 2)
    assert third.member_ids == (20, 21)
