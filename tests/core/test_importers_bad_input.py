"""Lists with broken text, unbalanced quotes and huge cells: every row is read or reported, nothing raises."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from desktop.importers.identifiers import RowKind, classify
from desktop.importers.lists import ListRow
from desktop.importers.reading import read_file_rows, read_text_rows
from desktop.importers.sniffing import sniff_file, sniff_text

IDENTIFIER, BLANK, INVALID = RowKind.IDENTIFIER, RowKind.BLANK, RowKind.INVALID


def write(tmp_path: Path, data: bytes, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def summary(rows: list[ListRow]) -> list[tuple[int, RowKind, str, str | None]]:
    """(row, kind, raw, key or problem) of each row."""
    return [(r.row, r.kind, r.raw, r.problem if r.kind is INVALID else r.key) for r in rows]


def storable(rows: list[ListRow]) -> bool:
    """Whether every row can be written to SQLite and shown by Qt (no lone surrogates)."""
    for row in rows:
        row.raw.encode("utf-8")
        (row.problem or "").encode("utf-8")
    return True


# --- lone surrogates ---------------------------------------------------------------------------------

BROKEN_PASTE = "the pasted text has half of a UTF-16 surrogate pair; copy the list again or retype this value"


@pytest.mark.parametrize("surrogate", ["\ud800", "\udc80", "\udfff"])
@pytest.mark.parametrize("shape", ["{s}", "b{s}b@example.org", "bob{s}", "Bob <bob{s}@example.org>"])
def test_a_lone_surrogate_in_pasted_text_is_an_invalid_line(surrogate: str, shape: str) -> None:
    value = shape.format(s=surrogate)
    text = f"ann@example.org\n{value}\ncid\n"
    rows = list(read_text_rows(text, sniff_text(text)))
    assert summary(rows) == [
        (1, IDENTIFIER, "ann@example.org", "ann@example.org"),
        (2, INVALID, shape.format(s="\ufffd"), BROKEN_PASTE),
        (3, IDENTIFIER, "cid", "cid"),
    ]
    assert storable(rows)


def test_a_lone_surrogate_in_a_pasted_table_is_reported_in_its_column_only() -> None:
    text = "Name,Email\nB\udc80b,bob@example.org\nCid,c\ud800d@example.org\n"
    fmt = sniff_text(text)
    assert (fmt.delimiter, fmt.column_name) == (",", "Email")
    assert fmt.preview == (("B\ufffdb", "bob@example.org"), ("Cid", "c\ufffdd@example.org"))
    assert summary(list(read_text_rows(text, fmt))) == [
        (2, IDENTIFIER, "bob@example.org", "bob@example.org"),
        (3, INVALID, "c\ufffdd@example.org", BROKEN_PASTE),
    ]


def utf16(text: str, order: str) -> bytes:
    """``text`` in UTF-16 with its lone surrogates written as they are (a broken file)."""
    return text.encode(f"utf-16-{order}", "surrogatepass")


@pytest.mark.parametrize(
    ("bom", "order", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "le", "utf-16"),
        (codecs.BOM_UTF16_BE, "be", "utf-16"),
        (b"", "le", "utf-16-le"),
        (b"", "be", "utf-16-be"),
    ],
)
def test_a_broken_utf16_file_reports_the_broken_row(
    tmp_path: Path, bom: bytes, order: str, encoding: str
) -> None:
    text = "Email\r\nann@example.org\r\nb\udc00b@example.org\r\nc\ud800d@example.org\r\ncid@example.org\r\n"
    path = write(tmp_path, bom + utf16(text, order))
    fmt = sniff_file(path)
    assert (fmt.encoding, fmt.has_header) == (encoding, True)
    rows = list(read_file_rows(path, fmt))
    problem = "has bytes that are not valid UTF-16; save the file as “CSV UTF-8” and import it again"
    assert summary(rows) == [
        (2, IDENTIFIER, "ann@example.org", "ann@example.org"),
        (3, INVALID, "b\ufffdb@example.org", problem),
        (4, INVALID, "c\ufffdd@example.org", problem),
        (5, IDENTIFIER, "cid@example.org", "cid@example.org"),
    ]
    assert storable(rows)


def test_a_bad_byte_in_another_column_does_not_spoil_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, codecs.BOM_UTF8 + b"Name,Email\nBj\xf6rn,bjorn@example.org\nAnn,ann@example.org\n")
    fmt = sniff_file(path)
    assert (fmt.encoding, fmt.column) == ("utf-8-sig", 1)
    assert [(r.row, r.key) for r in read_file_rows(path, fmt)] == [
        (2, "bjorn@example.org"),
        (3, "ann@example.org"),
    ]


# --- quotes and huge cells ---------------------------------------------------------------------------

UNCLOSED = 'starts a quoted cell (") that is never closed'


def test_a_quote_still_open_at_the_end_of_a_small_file_does_not_swallow_the_rows_after_it(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, b'Name,Email\nAnn,ann@example.org\n"Bob,bob@example.org\nCid,cid@example.org\n')
    fmt = sniff_file(path)
    assert (fmt.delimiter, fmt.column) == (",", 1)
    assert summary(list(read_file_rows(path, fmt))) == [
        (2, IDENTIFIER, "ann@example.org", "ann@example.org"),
        (3, INVALID, '"Bob,bob@example.org', UNCLOSED),
        (4, IDENTIFIER, "cid@example.org", "cid@example.org"),
    ]
    text = path.read_text()
    assert summary(list(read_text_rows(text, sniff_text(text)))) == [
        (2, IDENTIFIER, "ann@example.org", "ann@example.org"),
        (3, INVALID, '"Bob,bob@example.org', UNCLOSED),
        (4, IDENTIFIER, "cid@example.org", "cid@example.org"),
    ]


def test_a_quote_open_in_the_chosen_column_keeps_its_raw_text(tmp_path: Path) -> None:
    path = write(tmp_path, b'Email,Name\nann@example.org,Ann\n"bob@example.org,Bob\ncid@example.org,Cid\n')
    assert summary(list(read_file_rows(path, sniff_file(path)))) == [
        (2, IDENTIFIER, "ann@example.org", "ann@example.org"),
        (3, INVALID, '"bob@example.org,Bob', UNCLOSED),
        (4, IDENTIFIER, "cid@example.org", "cid@example.org"),
    ]


def test_balanced_quotes_spanning_lines_are_still_one_row(tmp_path: Path) -> None:
    path = write(tmp_path, b'Email,Note\nann@example.org,"one\ntwo"\n"bob@example.org","x"\n')
    assert [(r.row, r.key) for r in read_file_rows(path, sniff_file(path))] == [
        (2, "ann@example.org"),
        (3, "bob@example.org"),
    ]


@pytest.mark.parametrize("size", [200_000, 1_000_000, 1 << 20])
def test_a_huge_cell_is_an_invalid_row(tmp_path: Path, size: int) -> None:
    path = write(
        tmp_path, b"Name;Email\nAnn;ann@example.org\n" + b"x" * size + b";bob@example.org\nCid;cid@x.org\n"
    )
    rows = list(read_file_rows(path, sniff_file(path)))
    assert [(r.row, r.kind, r.key) for r in rows] == [
        (2, IDENTIFIER, "ann@example.org"),
        (3, INVALID, None),
        (4, IDENTIFIER, "cid@x.org"),
    ]
    assert rows[1].problem in (
        "has a cell longer than 131,072 characters",
        "row is longer than 1,048,576 characters",
    )


# --- reasons -----------------------------------------------------------------------------------------


def test_a_problem_never_quotes_a_huge_value() -> None:
    kind, _, _, problem = classify("a@" + "b" * 100_000)
    assert kind is INVALID and problem is not None and len(problem) < 100
