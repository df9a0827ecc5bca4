"""Property: any file or pasted text gives a dry run whose counts add up, or one clear ListFileError.

Inputs are generated as a user's list might arrive: identifiers of members in a
small cache (so "not found", "already hold" and "suspended" all occur), mistakes,
random text with quotes, delimiters and lone surrogates, blank lines, huge cells,
odd line endings (\\r, \\r\\n, \\n, NUL), saved in UTF-8 (with or without BOM),
UTF-16 (LE/BE, with or without BOM) or Windows-1252, sometimes with broken
bytes spliced in; or plain random bytes.
"""

from __future__ import annotations

import codecs
import io
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.batch_results import export_results_csv
from desktop.batches import EXAMPLES, DryRun, ListSource, dry_run, queue_batch
from desktop.cache.database import Cache
from desktop.domain import ActionKind, Award, MemberStatus
from desktop.importers.files import ListFileError
from desktop.importers.identifiers import RowKind
from desktop.importers.lists import ListFormat, ListRow
from desktop.importers.reading import read_file_rows, read_text_rows
from desktop.importers.sniffing import sniff_file, sniff_text
from desktop.outbox import Outbox
from tests.core.test_cache import T0, badge, member

# Members 1-6; 1 and 2 hold badge 1; 6 is suspended.
KNOWN = [
    "user1@example.org",
    "USER2@Example.ORG",
    "@user3",
    "user4",
    " user5@example.org ",
    "Six <user6@example.org>",
    '"user3@example.org"',
]
UNKNOWN = ["stranger@example.org", "nobody", "#team@example.org"]
MISTAKES = [
    "no at sign.com",
    "bob at example.com",
    "jane.doe@",
    "a@b",
    "@",
    "#5",
    "jane@@example.org",
    "x@exa mple.org",
    "\ufeffuser1@example.org",
    "\u200b",
    "<>",
    "''",
    "Zoë_Ünal",
    "jos\u0301e@example.org",
]
QUOTES = ['"', '""', '"open', 'un"balanced', '"quoted, cell"', '"a ""b"" c"', '"multi\nline"', '"x\r\ny"']
HUGE = st.sampled_from([200_000, 1_000_000, (1 << 20) - 1, (1 << 20) + 3]).map(lambda n: "x" * n)
TEXT = st.text(
    st.characters(codec=None, exclude_categories=()) | st.sampled_from(',;\t"\r\n\x00 @.<>'), max_size=12
)
# Members' identifiers are listed twice, so that duplicates, "already hold" and "suspended" are common.
CELL = st.one_of(
    st.sampled_from(KNOWN + KNOWN + UNKNOWN + MISTAKES + QUOTES),
    st.sampled_from(KNOWN + UNKNOWN),
    TEXT,
    st.just(""),
)
# A NUL makes most files binary (refused), so it ends fewer lines than the others.
ENDINGS = st.sampled_from(["\n"] * 4 + ["\r\n"] * 3 + ["\r"] * 2 + ["\x00"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "cp1252"])


@st.composite
def list_texts(draw: st.DrawFn) -> str:
    delimiter = draw(st.sampled_from([",", ";", "\t", " "]))
    header = draw(st.sampled_from(["", "Email", "Name,Email", "E-Mail;User", "Username\tNote"]))
    lines = [header] if header else []
    for cells in draw(st.lists(st.lists(CELL, max_size=4), max_size=12)):
        lines.append(delimiter.join(cells))
    if lines and draw(st.integers(0, 3)) == 0:  # a huge cell in one file of four: often, and still fast
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] += delimiter + draw(HUGE)
    text = ""
    for line in lines:
        text += line + draw(ENDINGS)
    if draw(st.booleans()):
        text = text.rstrip("\r\n\x00")  # no line end after the last row
    return text


def encode(text: str, encoding: str) -> bytes:
    """``text`` as saved by an editor; lone surrogates become broken bytes, as in a damaged file."""
    if encoding == "cp1252":
        return text.encode("cp1252", "replace")
    if encoding.startswith("utf-16"):
        order = "le" if "-le" in encoding else "be"
        bom = (
            (codecs.BOM_UTF16_LE if order == "le" else codecs.BOM_UTF16_BE)
            if encoding.endswith("bom")
            else b""
        )
        return bom + text.encode(f"utf-16-{order}", "surrogatepass")
    bom = codecs.BOM_UTF8 if encoding == "utf-8-sig" else b""
    return bom + text.encode("utf-8", "surrogatepass")


@st.composite
def file_contents(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=600))
    data = encode(draw(list_texts()), draw(ENCODINGS))
    for _ in range(draw(st.integers(0, 2))):  # broken bytes spliced in at random places
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


def make_cache(directory: Path) -> Cache:
    cache = Cache(directory / "cache")
    with cache.write() as connection:
        members = [member(i) for i in range(1, 7)]
        members[5] = member(6, status=MemberStatus.SUSPENDED)
        Cache.upsert_members(connection, members)
        Cache.upsert_badges(connection, [badge(1)])
        Cache.upsert_awards(connection, [Award(100 + i, i, 1, T0, "Bob", "") for i in (1, 2)])
    return cache


def assert_clear(error: ListFileError) -> None:
    message = str(error)
    assert message.endswith(".") and (message[0].isupper() or message[0] == "“"), message
    assert "\n" not in message and "Traceback" not in message and "Error" not in message, message
    message.encode("utf-8")  # no lone surrogate: it can be shown


def assert_shown_safely(fmt: ListFormat) -> None:
    for text in (fmt.description, *fmt.columns, *(cell for row in fmt.preview for cell in row)):
        text.encode("utf-8")


def assert_rows_reported(rows: list[ListRow]) -> None:
    numbers = [row.row for row in rows]
    assert all(b > a for a, b in pairwise(numbers)), numbers
    assert not numbers or numbers[0] >= 1
    for row in rows:
        row.raw.encode("utf-8")
        assert row.kind is not RowKind.INVALID or row.problem, row
        (row.problem or "").encode("utf-8")


def assert_counts_add_up(plan: DryRun, rows: list[ListRow]) -> None:
    parts = (plan.blank, plan.duplicates, plan.invalid, plan.not_found, plan.inactive, plan.already)
    assert plan.rows == len(rows) == sum(parts) + plan.to_send, plan.counts()
    assert len(plan.invalid_rows) == min(plan.invalid, EXAMPLES)
    assert plan.invalid == sum(row.kind is RowKind.INVALID for row in rows)
    assert plan.blank == sum(row.kind is RowKind.BLANK for row in rows)
    for _row, raw, problem in plan.invalid_rows:
        raw.encode("utf-8")
        assert problem


def assert_queued_and_exported(cache: Cache, plan: DryRun, out: Path) -> None:
    """Every row, as read, can be stored with its status and written to the results CSV."""
    if plan.to_send:
        batch = queue_batch(Outbox(cache, actor="Alice"), plan)
        assert export_results_csv(cache, batch.id, out) == plan.rows


def with_column(fmt: ListFormat, pick: int) -> ListFormat:
    """``fmt`` reading the column the user may have picked instead of the proposed one."""
    return fmt if fmt.split_items else fmt.with_column(pick % len(fmt.columns))


KINDS = st.sampled_from([ActionKind.AWARD, ActionKind.REVOKE])
HEADERS = st.sampled_from([None, True, False])  # detected, or set by the user


def physical_lines(data: bytes, encoding: str) -> int:
    """Lines as a text editor counts them (\\r, \\n and \\r\\n end a line)."""
    text = codecs.decode(data, encoding, "replace")
    return len(io.StringIO(text, newline="").readlines())


SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_any_file_gives_counts_that_add_up_or_one_clear_error(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    path = tmp_path / "list.csv"

    @SETTINGS
    @given(data=file_contents(), kind=KINDS, header=HEADERS, pick=st.integers(0, 5))
    def check(data: bytes, kind: ActionKind, header: bool | None, pick: int) -> None:
        path.write_bytes(data)
        try:
            fmt = with_column(sniff_file(path, has_header=header), pick)
        except ListFileError as error:
            assert_clear(error)
            return
        assert_shown_safely(fmt)
        rows = list(read_file_rows(path, fmt))
        assert_rows_reported(rows)
        plan = dry_run(cache, ListSource.file(path, fmt), kind, 1)
        assert_counts_add_up(plan, rows)
        if not fmt.split_items and b'"' not in data:
            # Without quotes a record is a line: no row is lost or made up.
            assert len(rows) == physical_lines(data, fmt.encoding) - fmt.has_header
        assert_queued_and_exported(cache, plan, tmp_path / "results.csv")

    check()


def test_any_pasted_text_gives_counts_that_add_up(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)

    @SETTINGS
    @given(text=list_texts() | TEXT, kind=KINDS, header=HEADERS, pick=st.integers(0, 5))
    def check(text: str, kind: ActionKind, header: bool | None, pick: int) -> None:
        try:
            fmt = with_column(sniff_text(text, has_header=header), pick)
        except ListFileError as error:
            assert_clear(error)
            assert not text.strip(), "only empty text may be refused"
            return
        assert_shown_safely(fmt)
        rows = list(read_text_rows(text, fmt))
        assert_rows_reported(rows)
        plan = dry_run(cache, ListSource.pasted(text, fmt), kind, 1)
        assert_counts_add_up(plan, rows)
        assert_queued_and_exported(cache, plan, tmp_path / "results.csv")

    check()
